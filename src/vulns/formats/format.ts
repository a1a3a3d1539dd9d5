import type { Finding, ReportType, Scanner } from '../model.js';

/**
 * The contract every report format implements. The ingest driver owns the bytes: it peeks at the opening of the
 * upload, asks each format whether it recognises it, then streams the document and hands the chosen format's
 * reader only the values it asked for — never the whole document.
 *
 * Containers:
 *  - `json`: one JSON document; `paths` are JSONPath-like (`$.matches.*`, `$.runs.*.results.*`, `$.version`).
 *  - `json-stream`: JSON Lines or concatenated JSON values (yarn audit, TruffleHog, Nuclei, govulncheck); every
 *    top-level value is handed over with keys `[index]`.
 *  - `xml`: `paths` are slash-separated element names from the root (`analysis/dependencies/dependency`); each
 *    matching element arrives whole as an XmlElement, with its ancestors' names and attributes.
 *  - `csv`: a header line, then one record per row, handed over as an object keyed by the header with keys
 *    `[row number]` (the header is row 1).
 */
export type Container = 'json' | 'json-stream' | 'xml' | 'csv';

export interface JsonOpening {
  container: 'json';
  rootKind: 'object' | 'array';
  /** Top-level keys seen in the first part of the document, in order. */
  keys: string[];
  /** Top-level scalar values seen there (`version`, `bomFormat`, `SchemaVersion`, …). */
  values: Record<string, string | number | boolean | null>;
  /** For an array root: the keys of its first element (as far as seen). */
  firstElementKeys: string[];
}

export interface JsonStreamOpening {
  container: 'json-stream';
  /** The first complete top-level value. */
  first: unknown;
}

export interface XmlOpening {
  container: 'xml';
  root: string;
  namespace: string;
  attributes: Record<string, string>;
}

export interface CsvOpening {
  container: 'csv';
  /** The column names of the header line, trimmed and lower-cased. */
  header: string[];
}

export type Opening = JsonOpening | JsonStreamOpening | XmlOpening | CsvOpening;

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside the element, trimmed. */
  text: string;
}

export interface Overrides {
  scanner: string | null;
  reportType: ReportType | null;
  /** A format id: skip detection (an empty Gitleaks `[]` says nothing about what wrote it). */
  format?: string | null;
}

/** What a reader returns when the document ends: the findings and what the scan covered. */
export interface ReadResult {
  formatVersion: string | null;
  /** What the scan covered (from its header where it has one): decides "no longer detected". */
  scanners: Scanner[];
  reportTypes: ReportType[];
  /**
   * What was scanned, when the header says (an image for container scans): part of the scope, so a clean rescan
   * of the same image closes what the last one found. Without it the scope falls back to the findings' images.
   */
  targets?: string[];
  findings: Finding[];
}

export interface ReportReader {
  /** Values that are findings (counted against the finding limit). */
  elementPaths: string[];
  /** Small values the reader needs besides (headers, tool descriptions). */
  headerPaths: string[];
  /**
   * One value at one of the paths. `keys` are the path from the root (array indexes as numbers), `pointer` is
   * where it is in the upload (a JSON pointer, a line number, or an element path) for error messages.
   * `ancestors` is only set for XML. Throws ReportError for invalid content.
   */
  take(keys: (string | number)[], value: unknown, pointer: string, ancestors?: { name: string; attributes: Record<string, string> }[]): void;
  finish(): ReadResult;
}

export interface ReportFormat {
  /** Stable id, e.g. `trivy`, `gitlab`, `sarif`. */
  id: string;
  name: string;
  container: Container;
  /** How a person recognises it; shown by GET /api/v1/formats and `vigil formats`. */
  detection: string;
  reportTypes: ReportType[];
  detect(opening: Opening): boolean;
  /** A fresh reader for one document. (The uploader's scanner / report type overrides are applied afterwards.) */
  reader(): ReportReader;
}
