import {
  CLASSIFICATION_TYPES,
  REPORT_TYPES,
  SEVERITIES,
  emptyLocation,
  reportTypeFromLocation,
  UNKNOWN_SCANNER,
  type Identifier,
  type Location,
  type PackageRef,
  type ReportType,
  type Scanner,
  type TrackingSignature,
} from '../model.js';
import { normaliseRepoPath } from '../paths.js';
import type { ReportFormat } from './format.js';
import type { PartialFinding, ReportHeader } from './contract.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { array, at, clippedText, isObject, namedSeverity, object, objectList, optionalObject, prose, scalarText, type Json, type SeverityScale } from './json-read.js';
import { ReportError } from './report-error.js';

/**
 * GitLab security reports (schemas 14.x and 15.x; older 2.x/3.x/13.x files of the same shape are read too):
 * sast, dependency_scanning, container_scanning, cluster_image_scanning, dast, api_fuzzing, coverage_fuzzing,
 * secret_detection. Each element of `vulnerabilities` becomes a PartialFinding on its own; the report type and
 * scanner come from the element (schema 14 `category`/`scanner`) or else from the header (`scan`).
 *
 * Policy: a value of the wrong JSON type is a ReportError at its pointer; an absent, `null` or blank optional
 * value is `null`; long strings are clipped, never rejected; NUL characters are removed from every string.
 * The vulnerability `id` is not read: identity is Vigil's own.
 */


/** GitLab's severities are Vigil's; the error message names them as GitLab writes them. */
const SEVERITY_SCALE: SeverityScale = {
  table: new Map(SEVERITIES.map((severity) => [severity, severity])),
  names: ['Critical', 'High', 'Medium', 'Low', 'Info', 'Unknown'],
  noun: 'a severity',
  quoteInFull: true,
};

/** GitLab's tracking-signature algorithms, least to most specific (GitLab's own priority order). */
const SIGNATURE_PRIORITY: Record<string, number> = {
  hash: 1,
  location: 2,
  scope_offset: 3,
  scope_offset_compressed: 4,
  rule_value: 5,
};

/** Identifier types whose values have a canonical upper-case form. */
const UPPER_CASE_IDENTIFIER_TYPES = new Set(['cve', 'ghsa']);

const HTTP_REPORT_TYPES = new Set<ReportType>(['dast', 'api_fuzzing']);

/**
 * One element of the top-level `vulnerabilities` array → PartialFinding. Throws ReportError with a pointer under
 * `pointer` (e.g. `/vulnerabilities/3/severity`).
 */
export function gitlabVulnerability(raw: unknown, pointer: string): PartialFinding {
  const vuln = object(raw, pointer);
  const identifiers = identifierList(vuln.identifiers, at(pointer, 'identifiers'));
  const reportType = reportTypeValue(vuln.category, at(pointer, 'category'));
  const locationPointer = at(pointer, 'location');
  const location = object(vuln.location, locationPointer);
  const name = prose(vuln, 'name', pointer, FIELD_LIMITS.title);
  const message = prose(vuln, 'message', pointer, FIELD_LIMITS.title);
  const primary = identifiers.find((id) => !CLASSIFICATION_TYPES.has(id.type)) ?? identifiers[0]!;
  return {
    title: clip((name ?? message ?? primary.name ?? primary.value).trim(), FIELD_LIMITS.title),
    description: prose(vuln, 'description', pointer, FIELD_LIMITS.description),
    severity: namedSeverity(vuln.severity, at(pointer, 'severity'), SEVERITY_SCALE),
    confidence: prose(vuln, 'confidence', pointer, FIELD_LIMITS.other),
    reportType,
    scanner: vuln.scanner == null ? null : scannerValue(vuln.scanner, at(pointer, 'scanner')),
    identifiers,
    location: locationValue(location, locationPointer, reportType),
    solution: prose(vuln, 'solution', pointer, FIELD_LIMITS.solution),
    links: linkList(vuln.links, at(pointer, 'links')),
    cvssVectors: cvssList(vuln.cvss_vectors, at(pointer, 'cvss_vectors')),
    tracking: trackingList(vuln.tracking, at(pointer, 'tracking')),
    snippet:
      prose(vuln, 'raw_source_code_extract', pointer, FIELD_LIMITS.snippet) ??
      prose(location, 'raw_source_code_extract', locationPointer, FIELD_LIMITS.snippet),
    suppression: null,
    baselineState: null,
    relatedLocations: [],
  };
}

/**
 * The report header from the top-level `version` and `scan` values (either may be undefined: GitLab 14 reports may
 * lack `scan`). Throws ReportError (pointer `/scan/...` or `/version`).
 */
export function gitlabHeader(values: { version: unknown; scan: unknown }): ReportHeader {
  const formatVersion = clippedText(values, 'version', '');
  if (values.scan == null) return { formatVersion, scanner: null, reportType: null };
  const scan = object(values.scan, '/scan');
  // Some reports name only the analyzer (e.g. GitLab's gl-sast-missing-scanner.json): it is the best scanner we have.
  const scannerKey = scan.scanner == null && scan.analyzer != null ? 'analyzer' : 'scanner';
  return {
    formatVersion,
    scanner: scan[scannerKey] == null ? null : scannerValue(scan[scannerKey], at('/scan', scannerKey)),
    reportType: reportTypeValue(scan.type, '/scan/type'),
  };
}

/** True when a document whose top-level values are these looks like a GitLab security report. */
export function looksLikeGitlab(values: { version: unknown; scan: unknown; hasVulnerabilities: boolean }): boolean {
  if (values.scan != null && !isObject(values.scan)) return false;
  const versionOk = typeof values.version === 'string' && /^\d+(\.\d+)*$/.test(values.version.trim());
  // A `scan` of GitLab's shape is telling on its own; it is also the only sign of a report that found nothing
  // (the streaming reader cannot tell `"vulnerabilities": []` from no array at all).
  const scanOk =
    isObject(values.scan) &&
    (isObject(values.scan.scanner) || isObject(values.scan.analyzer)) &&
    typeof values.scan.type === 'string' &&
    (REPORT_TYPES as readonly string[]).includes(values.scan.type.toLowerCase());
  if (!values.hasVulnerabilities) return scanOk && (versionOk || values.version === undefined);
  return versionOk || (values.version === undefined && scanOk);
}

// ---------------------------------------------------------------------------------------------------------------
// Parts of a vulnerability

function identifierList(value: unknown, pointer: string): Identifier[] {
  if (value == null || (Array.isArray(value) && value.length === 0)) {
    throw new ReportError(pointer, 'at least one identifier is required');
  }
  return array(value, pointer).map((item, i) => {
    const p = at(pointer, i);
    const raw = object(item, p);
    const type = requiredText(raw, 'type', p, FIELD_LIMITS.identifier).toLowerCase();
    const value = requiredText(raw, 'value', p, FIELD_LIMITS.identifier);
    return {
      type,
      value: UPPER_CASE_IDENTIFIER_TYPES.has(type) ? value.toUpperCase() : value,
      name: scalarText(raw, 'name', p, FIELD_LIMITS.identifier),
      url: clippedText(raw, 'url', p),
    };
  });
}

function locationValue(raw: Json, pointer: string, category: ReportType | null): Location {
  const location = emptyLocation();
  const file = prose(raw, 'file', pointer, FIELD_LIMITS.path);
  location.file = file === null ? null : normaliseRepoPath(file) || null;
  location.startLine = lineNumber(raw.start_line);
  location.endLine = lineNumber(raw.end_line);
  location.className = prose(raw, 'class', pointer, FIELD_LIMITS.other);

  // `method` is an HTTP method in DAST/API fuzzing and a code method elsewhere. Schema 15 reports carry no
  // category, so a location of the DAST shape (hostname/path, no file) decides.
  const method = prose(raw, 'method', pointer, FIELD_LIMITS.other);
  const dastShape = (raw.hostname != null || raw.path != null) && raw.file == null;
  const http = category === null ? dastShape : HTTP_REPORT_TYPES.has(category);
  if (http) location.httpMethod = method?.trim().toUpperCase() ?? null;
  else location.method = method;

  location.hostname = prose(raw, 'hostname', pointer, FIELD_LIMITS.other);
  location.path = prose(raw, 'path', pointer, FIELD_LIMITS.path);
  location.param = prose(raw, 'param', pointer, FIELD_LIMITS.other);
  location.image = prose(raw, 'image', pointer, FIELD_LIMITS.other);
  location.operatingSystem = prose(raw, 'operating_system', pointer, FIELD_LIMITS.other);
  location.package = packageValue(raw.dependency, at(pointer, 'dependency'));

  const commit = optionalObject(raw.commit, at(pointer, 'commit'));
  location.commitSha = commit && scalarText(commit, 'sha', at(pointer, 'commit'), FIELD_LIMITS.other);
  return location;
}

/** `dependency: {package: {name}, version}`; SAST reports often carry an empty `{package: {}}`, which is no package. */
function packageValue(value: unknown, pointer: string): PackageRef | null {
  const dependency = optionalObject(value, pointer);
  if (!dependency) return null;
  const pkg = optionalObject(dependency.package, at(pointer, 'package'));
  const name = pkg && scalarText(pkg, 'name', at(pointer, 'package'), FIELD_LIMITS.other);
  const version = scalarText(dependency, 'version', pointer, FIELD_LIMITS.other);
  return name === null ? null : { name, version };
}

function linkList(value: unknown, pointer: string): PartialFinding['links'] {
  return objectList(value, pointer).flatMap(([raw, p]) => {
    const url = scalarText(raw, 'url', p, FIELD_LIMITS.other);
    return url === null ? [] : [{ name: scalarText(raw, 'name', p, FIELD_LIMITS.other), url }];
  });
}

function cvssList(value: unknown, pointer: string): PartialFinding['cvssVectors'] {
  return objectList(value, pointer).map(([raw, p]) => ({
    vendor: scalarText(raw, 'vendor', p, FIELD_LIMITS.other),
    vector: requiredText(raw, 'vector', p, FIELD_LIMITS.other),
  }));
}

/** `tracking.items[].signatures[]`, without repeats, in report order. */
function trackingList(value: unknown, pointer: string): TrackingSignature[] {
  const tracking = optionalObject(value, pointer);
  if (!tracking) return [];
  const out: TrackingSignature[] = [];
  for (const [item, itemPointer] of objectList(tracking.items, at(pointer, 'items'))) {
    for (const [signature, p] of objectList(item.signatures, at(itemPointer, 'signatures'))) {
      const algorithm = requiredText(signature, 'algorithm', p, FIELD_LIMITS.identifier).toLowerCase();
      const value = requiredText(signature, 'value', p, FIELD_LIMITS.identifier);
      const entry = { algorithm: `gitlab:${algorithm}`, value, priority: SIGNATURE_PRIORITY[algorithm] ?? 0 };
      if (!out.some((s) => s.algorithm === entry.algorithm && s.value === entry.value)) out.push(entry);
    }
  }
  return out;
}

function scannerValue(value: unknown, pointer: string): Scanner {
  const raw = object(value, pointer);
  const id = requiredText(raw, 'id', pointer, FIELD_LIMITS.other);
  const vendor = optionalObject(raw.vendor, at(pointer, 'vendor'));
  return {
    id: id.toLowerCase(),
    name: scalarText(raw, 'name', pointer, FIELD_LIMITS.other) ?? id,
    version: scalarText(raw, 'version', pointer, FIELD_LIMITS.other),
    vendor: vendor && scalarText(vendor, 'name', at(pointer, 'vendor'), FIELD_LIMITS.other),
  };
}

/** A vulnerability's `category` or the header's `scan.type`; absent is null. */
function reportTypeValue(value: unknown, pointer: string): ReportType | null {
  if (value == null) return null;
  const type = typeof value === 'string' ? value.trim().toLowerCase() : null;
  if (type !== null && (REPORT_TYPES as readonly string[]).includes(type)) return type as ReportType;
  throw new ReportError(pointer, `${JSON.stringify(value)} is not a report type; must be one of ${REPORT_TYPES.join(', ')}`);
}

/** A positive integer line number; anything else (0, negative, fractional, text, absent) is no line. */
function lineNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Typed reads with pointers (json-read.ts: `prose` for fields as given, `scalarText` for short fields, which reports
// may write as numbers, e.g. a CWE id `"value": 89`)

/** A short field that must be there: a value of any type but a string or a number is "must be a non-empty string". */
function requiredText(parent: Json, key: string, pointer: string, max: number): string {
  const value = parent[key];
  const text = typeof value === 'string' || typeof value === 'number' ? scalarText(parent, key, pointer, max) : null;
  if (text === null) throw new ReportError(at(pointer, key), 'must be a non-empty string');
  return text;
}

/**
 * Old reports may name no scanner at all; GitLab's analyzers type their rule identifiers after themselves
 * (`trufflehog_rule_id`, `find_sec_bugs_type`, `semgrep_id`), which is the best name left.
 */
export function scannerFromIdentifiers(identifiers: Identifier[]): Scanner | null {
  const typed = identifiers.find((i) => !CLASSIFICATION_TYPES.has(i.type) && !['cve', 'ghsa', 'osvdb', 'usn', 'other'].includes(i.type));
  if (!typed) return null;
  const id = typed.type.replace(/_(rule_id|rule|id|type)$/, '');
  return { id, name: id, version: null, vendor: null };
}

/** GitLab security report (schema 14 and 15): every report type GitLab's analyzers write. */
export const gitlabFormat: ReportFormat = {
  id: 'gitlab',
  name: 'GitLab security report',
  container: 'json',
  detection: 'a JSON object with "vulnerabilities" and a dotted "version" (schema 14/15), usually with "scan"',
  reportTypes: [...REPORT_TYPES],
  detect(opening) {
    if (opening.container !== 'json' || opening.rootKind !== 'object') return false;
    const version = opening.values.version;
    const versionOk = typeof version === 'string' && /^\d+(\.\d+)+$/.test(version.trim());
    const shaped = opening.keys.includes('vulnerabilities') || opening.keys.includes('scan');
    return shaped && (versionOk || (version === undefined && opening.keys[0] !== undefined && ['vulnerabilities', 'scan'].includes(opening.keys[0])));
  },
  reader() {
    const header: { version: unknown; scan: unknown } = { version: undefined, scan: undefined };
    const partials: PartialFinding[] = [];
    return {
      elementPaths: ['$.vulnerabilities.*'],
      headerPaths: ['$.version', '$.scan'],
      take(keys, value, pointer) {
        if (keys[0] === 'vulnerabilities') {
          if (typeof keys[1] !== 'number') throw new ReportError('/vulnerabilities', 'must be an array');
          partials.push(gitlabVulnerability(value, pointer));
        } else if (keys[0] === 'version') header.version = value;
        else if (keys[0] === 'scan') header.scan = value;
      },
      finish() {
        const head = gitlabHeader(header);
        if (partials.length === 0 && !looksLikeGitlab({ ...header, hasVulnerabilities: false })) {
          throw new ReportError('/scan', 'an empty report must say which scanner and report type it covers (scan.scanner, scan.type), or pass scanner and report_type');
        }
        const scanners = new Map<string, Scanner>();
        const reportTypes = new Set<ReportType>();
        const findings = partials.map((partial) => {
          const reportType = partial.reportType ?? head.reportType ?? reportTypeFromLocation(partial.location);
          // v14 vulnerabilities name their scanner without a version; the header's, when it is the same scanner, has it.
          const own = partial.scanner && head.scanner?.id === partial.scanner.id ? head.scanner : partial.scanner;
          // Last resort for reports that name no scanner anywhere: an explicit "unknown" (the `scanner` parameter names it).
          const scanner = own ?? head.scanner ?? scannerFromIdentifiers(partial.identifiers) ?? UNKNOWN_SCANNER;
          scanners.set(scanner.id, scanner);
          reportTypes.add(reportType);
          return { ...partial, reportType, scanner };
        });
        // The scope is what the scan says it covered (its header), so an empty report on a branch speaks for the same
        // scope as a full one on the default branch; only a report without a header falls back to its findings.
        return {
          formatVersion: head.formatVersion,
          scanners: head.scanner ? [head.scanner] : [...scanners.values()],
          reportTypes: head.reportType ? [head.reportType] : [...reportTypes],
          findings,
        };
      },
    };
  },
};
