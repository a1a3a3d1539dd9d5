import { emptyLocation, type Finding, type Identifier, type Location, type Scanner, type Severity } from '../model.js';
import type { ReportFormat } from './format.js';
import { mitreCwe, uniqueIdentifiers } from './finding-parts.js';
import { urlsIn, webLocation } from './html-text.js';
import { at, isObject, namedSeverity, object, optionalObject, scalarText, UNCLIPPED, withoutNul, type Json, type SeverityScale } from './json-read.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { ReportError } from './report-error.js';

/**
 * Nuclei results: `nuclei -jsonl` (one result per line; `-json` before v3) and `nuclei -json-export` (a JSON array
 * of the same results). Field names changed over the years: v2.3 wrote `templateID`, `matched`, `matcher_name`,
 * `extracted_results` and comma-separated `tags`, later versions `template-id`, `matched-at`, `matcher-name`,
 * `extracted-results` and arrays; both are read. Fields as in nuclei's `output.ResultEvent`.
 *
 * - One finding per result. A result with `"matcher-status": false` (written with `-matcher-status` for a
 *   template that did not match) is no finding.
 * - Severity: `info.severity` (info, low, medium, high, critical, unknown; any case); absent is unknown, any other
 *   value an error.
 * - Identifiers: `{type: 'nuclei_template', value: template-id}` first — it is what the finding is, and identity
 *   uses it — then `classification.cve-id` (CVE) and `cwe-id` (CWE). The matcher name is not folded into the
 *   identifier: it is the `param` (below), which identity already uses, and the title shows it.
 * - Location (DAST): `matched-at` (else `host`) as a URL gives `hostname` = its origin (scheme://host[:port], GitLab
 *   DAST's meaning) and `path` = its path; a non-URL target (`network`/`dns`/`ssl` results match `host:port` or a
 *   name) is the hostname as given, with no path; a `file` result's target is the path. `httpMethod` is the method
 *   of the raw `request` when the result carries it (nuclei v3 writes it unless `-omit-raw`); no method is guessed.
 *   `param` is the matcher name (`tech-detect` reports one result per technology: `bootstrap`, `nginx`, …), else
 *   the extractor name.
 * - Text: title = `info.name` (+ ` (matcher)`); description = `info.description` + where it matched; solution =
 *   `info.remediation`; links = the URLs in `info.reference` (a list, or v2's "- url" lines); the extracted
 *   results are the snippet; `cvss-metrics` is the CVSS vector. No tracking: nuclei gives no stable id.
 */

const NUCLEI_SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical', 'unknown'];
const SEVERITY_SCALE: SeverityScale = {
  table: new Map(NUCLEI_SEVERITIES.map((severity) => [severity, severity])),
  names: NUCLEI_SEVERITIES,
  noun: 'a Nuclei severity',
  blankIsUnknown: true,
  quoteInFull: true,
};

const SCANNER: Scanner = { id: 'nuclei', name: 'Nuclei', version: null, vendor: 'ProjectDiscovery' };

/** The first of `names` (current name first, then older spellings) that the record has. */
function named(raw: Json, names: string[]): string {
  return names.find((name) => raw[name] != null) ?? names[0]!;
}

/** A list of strings: an array, or one string of `separator`-separated items (older nuclei). */
function list(raw: Json, key: string, pointer: string, separator: RegExp): string[] {
  const value = raw[key];
  if (value == null) return [];
  const items = typeof value === 'string' ? value.split(separator).map((item, i): [unknown, number] => [item, i]) : null;
  if (!items && !Array.isArray(value)) throw new ReportError(at(pointer, key), 'must be an array of strings');
  return (items ?? (value as unknown[]).map((item, i): [unknown, number] => [item, i])).flatMap(([item, i]) => {
    if (typeof item === 'number') return [String(item)];
    if (typeof item !== 'string') throw new ReportError(at(at(pointer, key), i), 'must be a string');
    const trimmed = clip(withoutNul(item).trim(), FIELD_LIMITS.other);
    return trimmed === '' ? [] : [trimmed];
  });
}

function identifiersOf(templateId: string, templateUrl: string | null, name: string | null, classification: Json | null, pointer: string): Identifier[] {
  const identifiers: Identifier[] = [{ type: 'nuclei_template', value: templateId, name, url: templateUrl }];
  if (!classification) return identifiers;
  for (const cve of list(classification, 'cve-id', pointer, /[,\s]+/)) {
    identifiers.push({ type: 'cve', value: cve.toUpperCase(), name: null, url: null });
  }
  for (const cwe of list(classification, 'cwe-id', pointer, /[,\s]+/)) {
    const number = /^(?:cwe-?)?0*(\d+)$/i.exec(cwe)?.[1];
    if (number && number !== '0') identifiers.push(mitreCwe(number));
  }
  return uniqueIdentifiers(identifiers);
}

/** The HTTP method on the first line of a raw request (`GET /path HTTP/1.1`). */
function requestMethod(raw: Json, pointer: string): string | null {
  const request = scalarText(raw, 'request', pointer, UNCLIPPED);
  return request === null ? null : (/^([A-Za-z]+) +\S+ +HTTP\/[\d.]+\s*(?:\r?\n|$)/.exec(request)?.[1]?.toUpperCase() ?? null);
}

function locationOf(raw: Json, pointer: string, type: string | null, matcher: string | null): Location {
  const target =
    scalarText(raw, named(raw, ['matched-at', 'matched']), pointer, FIELD_LIMITS.path) ?? scalarText(raw, 'host', pointer, FIELD_LIMITS.path);
  const location = { ...emptyLocation(), param: matcher };
  if (target === null) return location;
  if (type === 'file') return { ...location, path: target };
  const web = webLocation(target);
  return {
    ...location,
    hostname: web ? web.origin : target,
    path: web ? web.path : null,
    httpMethod: web ? requestMethod(raw, pointer) : null,
  };
}

/** One nuclei result → Finding, or null for a result that says its template did not match. */
export function nucleiResult(value: unknown, pointer: string): Finding | null {
  const raw = object(value, pointer);
  if (raw['matcher-status'] === false) return null;
  const templateId = scalarText(raw, named(raw, ['template-id', 'templateID']), pointer, FIELD_LIMITS.identifier);
  if (templateId === null) throw new ReportError(at(pointer, 'template-id'), 'must be a non-empty string');
  const infoPointer = at(pointer, 'info');
  const info = optionalObject(raw.info, infoPointer) ?? {};
  const classification = optionalObject(info.classification, at(infoPointer, 'classification'));
  const classificationPointer = at(infoPointer, 'classification');
  const name = scalarText(info, 'name', infoPointer, FIELD_LIMITS.title);
  const type = scalarText(raw, 'type', pointer, FIELD_LIMITS.other)?.toLowerCase() ?? null;
  const matcher =
    scalarText(raw, named(raw, ['matcher-name', 'matcher_name']), pointer, FIELD_LIMITS.other) ??
    scalarText(raw, named(raw, ['extractor-name', 'extractor_name']), pointer, FIELD_LIMITS.other);
  const matchedAt = scalarText(raw, named(raw, ['matched-at', 'matched']), pointer, FIELD_LIMITS.other);
  const description = [scalarText(info, 'description', infoPointer, FIELD_LIMITS.description), matchedAt && `Matched at: ${matchedAt}`].filter(Boolean).join('\n\n');
  const extracted = list(raw, named(raw, ['extracted-results', 'extracted_results']), pointer, /\n/);
  const vector = classification && scalarText(classification, 'cvss-metrics', classificationPointer, FIELD_LIMITS.other);
  const references = list(info, 'reference', infoPointer, /\n/).flatMap(urlsIn);
  return {
    title: clip(`${name ?? templateId}${matcher ? ` (${matcher})` : ''}`, FIELD_LIMITS.title),
    description: description === '' ? null : clip(description, FIELD_LIMITS.description),
    severity: namedSeverity(info.severity, at(infoPointer, 'severity'), SEVERITY_SCALE),
    confidence: null,
    reportType: 'dast',
    scanner: SCANNER,
    identifiers: identifiersOf(templateId, scalarText(raw, 'template-url', pointer, FIELD_LIMITS.other), name, classification, classificationPointer),
    location: locationOf(raw, pointer, type, matcher),
    solution: scalarText(info, 'remediation', infoPointer, FIELD_LIMITS.solution),
    links: [...new Set(references)].map((url) => ({ name: null, url })),
    cvssVectors: vector ? [{ vendor: null, vector }] : [],
    tracking: [],
    snippet: extracted.length > 0 ? clip(extracted.join('\n'), FIELD_LIMITS.snippet) : scalarText(raw, 'matched-line', pointer, FIELD_LIMITS.snippet),
    suppression: null,
    baselineState: null,
    relatedLocations: [],
  };
}

/** True for a value shaped like a nuclei result: a template id and an `info` object. */
function looksLikeResult(keys: string[], values: Record<string, unknown>): boolean {
  const id = values['template-id'] ?? values.templateID;
  return typeof id === 'string' && keys.includes('info') && ['matched-at', 'matched', 'host'].some((k) => keys.includes(k));
}

function readerOver(elementPaths: string[], collectRoot: boolean): ReturnType<ReportFormat['reader']> {
  const findings: Finding[] = [];
  // A one-line JSON Lines file is, to the sniffer, one JSON object: its top-level values arrive one by one.
  const single: Json = {};
  return {
    elementPaths,
    headerPaths: [],
    take(keys, value, pointer) {
      if (typeof keys[0] === 'number') {
        const finding = nucleiResult(value, pointer);
        if (finding) findings.push(finding);
      } else if (collectRoot && typeof keys[0] === 'string') {
        single[keys[0]] = value;
      }
    },
    finish() {
      if (Object.keys(single).length > 0) {
        const finding = nucleiResult(single, '');
        if (finding) findings.push(finding);
      }
      return { formatVersion: null, scanners: [SCANNER], reportTypes: ['dast'], findings };
    },
  };
}

export const nucleiFormat: ReportFormat = {
  id: 'nuclei',
  name: 'Nuclei JSON Lines',
  container: 'json-stream',
  detection: 'JSON Lines whose first record has "template-id" (or "templateID"), "info" and "matched-at"/"matched"/"host"',
  reportTypes: ['dast'],
  detect(opening) {
    return opening.container === 'json-stream' && isObject(opening.first) && looksLikeResult(Object.keys(opening.first), opening.first);
  },
  reader() {
    return readerOver(['$'], false);
  },
};

/**
 * The same results as one JSON document: the array `-json-export` writes, or a JSON Lines file with a single
 * result (which is one JSON object). The object case asks for the root's members (`$.*`), so each of that one
 * result's top-level fields counts once against the finding limit.
 */
export const nucleiJsonFormat: ReportFormat = {
  id: 'nuclei-json',
  name: 'Nuclei JSON export',
  container: 'json',
  detection: 'a JSON array of objects with "template-id" (or "templateID") and "info" (nuclei -json-export), or one such object',
  reportTypes: ['dast'],
  detect(opening) {
    if (opening.container !== 'json') return false;
    if (opening.rootKind === 'object') return looksLikeResult(opening.keys, opening.values);
    const keys = opening.firstElementKeys;
    return (keys.includes('template-id') || keys.includes('templateID')) && keys.includes('info');
  },
  reader() {
    return readerOver(['$.*'], true);
  },
};
