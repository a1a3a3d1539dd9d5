import { Ajv, type ErrorObject } from 'ajv';
import { REPORT_TYPES, SEVERITIES, UNKNOWN_SCANNER, emptyLocation, reportTypeFromLocation, type Assessment, type Finding, type Identifier, type ReportType, type Scanner, type Severity } from '../model.js';
import { normaliseRepoPath } from '../paths.js';
import type { ReportFormat } from './format.js';
import { DISMISSAL_REASONS } from '../triage-states.js';
import { withoutNul } from './json-read.js';
import { clip, FIELD_LIMITS } from './limits.js';
import { pointerSegment, ReportError } from './report-error.js';

/**
 * Vigil's own report format, for tools without a parser: a small JSON document (validated against the JSON
 * Schema published at /api/v1/formats/generic.schema.json) or a CSV with a header line.
 */
const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });
const FINDING_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'severity', 'identifiers'],
  properties: {
    title: { ...text(100_000), description: 'One line naming the problem (long titles are truncated, never refused).' },
    severity: { enum: [...SEVERITIES] },
    identifiers: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      description: 'The first one that is not a CWE/OWASP classification names the finding (for packages, the CVE wins).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'value'],
        properties: { type: text(100), value: text(1000), name: text(1000), url: text(2000) },
      },
    },
    description: { type: 'string' },
    solution: { type: 'string' },
    confidence: { type: 'string' },
    location: {
      type: 'object',
      additionalProperties: false,
      properties: {
        file: text(4096),
        start_line: { type: 'integer', minimum: 1 },
        end_line: { type: 'integer', minimum: 1 },
        package: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: { name: text(1000), version: text(200), ecosystem: text(100), purl: text(2000), fixed_versions: { type: 'array', items: text(200) } },
        },
        image: text(1000),
        hostname: text(1000),
        path: text(4096),
        method: text(20),
        param: text(1000),
        commit: text(64),
      },
    },
    snippet: { type: 'string', description: 'The flagged code; used (hashed) for identity. Secrets are redacted for display.' },
    links: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['url'], properties: { url: text(2000), name: text(1000) } } },
    cvss_vectors: { type: 'array', items: text(200) },
    fingerprint: { ...text(1000), description: "The tool's own stable id for this finding, if it has one that survives code edits." },
    assessment: {
      type: 'object',
      additionalProperties: false,
      required: ['state'],
      properties: {
        state: { enum: ['dismissed', 'resolved', 'confirmed'] },
        reason: { enum: [...DISMISSAL_REASONS] },
        comment: { type: 'string' },
      },
    },
  },
} as const;

const HEADER_SCHEMA = {
  vigil_generic_version: { const: '1' },
  scanner: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'name'],
    properties: { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]{0,99}$' }, name: text(200), version: text(100), vendor: text(200) },
  },
  report_type: { enum: [...REPORT_TYPES] },
} as const;

/** The JSON Schema of the whole document, as published. */
export const GENERIC_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: '/api/v1/formats/generic.schema.json',
  title: 'Vigil generic report',
  description: 'Findings of any tool, for upload to POST /api/v1/projects/{project}/scans. "vigil_generic_version" must be the first key.',
  type: 'object',
  additionalProperties: false,
  required: ['vigil_generic_version', 'scanner', 'report_type', 'findings'],
  properties: { ...HEADER_SCHEMA, findings: { type: 'array', items: FINDING_SCHEMA } },
};

const ajv = new Ajv({ allErrors: false, strict: false });
const validFinding = ajv.compile(FINDING_SCHEMA);
const validHeader = Object.fromEntries(Object.entries(HEADER_SCHEMA).map(([k, schema]) => [k, ajv.compile(schema)]));

function schemaError(errors: ErrorObject[] | null | undefined, pointer: string): ReportError {
  const e = errors?.[0];
  if (!e) return new ReportError(pointer, 'is invalid');
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return new ReportError(`${pointer}${e.instancePath}/${pointerSegment(String(params.additionalProperty))}`, 'is not a known field');
  if (e.keyword === 'required') return new ReportError(`${pointer}${e.instancePath}/${pointerSegment(String(params.missingProperty))}`, 'is required');
  if (e.keyword === 'enum') return new ReportError(`${pointer}${e.instancePath}`, `must be one of ${(params.allowedValues as string[]).join(', ')}`);
  return new ReportError(`${pointer}${e.instancePath}`, e.message ?? 'is invalid');
}

const s = (value: unknown, max: number = FIELD_LIMITS.other): string | null => (typeof value === 'string' && value.trim() !== '' ? clip(withoutNul(value), max) : null);

interface GenericFinding {
  title: string;
  severity: Severity;
  identifiers: { type: string; value: string; name?: string; url?: string }[];
  description?: string;
  solution?: string;
  confidence?: string;
  location?: {
    file?: string;
    start_line?: number;
    end_line?: number;
    package?: { name: string; version?: string; ecosystem?: string; purl?: string; fixed_versions?: string[] };
    image?: string;
    hostname?: string;
    path?: string;
    method?: string;
    param?: string;
    commit?: string;
  };
  snippet?: string;
  links?: { url: string; name?: string }[];
  cvss_vectors?: string[];
  fingerprint?: string;
  assessment?: { state: Assessment['state']; reason?: NonNullable<Assessment['reason']>; comment?: string };
}

function toFinding(g: GenericFinding, reportType: ReportType | null, scanner: Scanner): Finding {
  const l = g.location ?? {};
  const location = {
    ...emptyLocation(),
    file: l.file ? normaliseRepoPath(withoutNul(l.file)) : null,
    startLine: l.start_line ?? null,
    endLine: l.end_line ?? l.start_line ?? null,
    package: l.package
      ? { name: s(l.package.name)!, version: s(l.package.version), ecosystem: s(l.package.ecosystem)?.toLowerCase() ?? null, purl: s(l.package.purl), fixedVersions: l.package.fixed_versions ?? [] }
      : null,
    image: s(l.image),
    hostname: s(l.hostname),
    path: s(l.path),
    httpMethod: s(l.method)?.toUpperCase() ?? null,
    param: s(l.param),
    commitSha: s(l.commit),
  };
  const identifiers: Identifier[] = g.identifiers.map((i) => {
    const type = i.type.trim().toLowerCase();
    const value = withoutNul(i.value.trim());
    return { type, value: ['cve', 'ghsa'].includes(type) ? value.toUpperCase() : value, name: s(i.name), url: s(i.url) };
  });
  return {
    title: clip(withoutNul(g.title.trim()), FIELD_LIMITS.title),
    description: s(g.description, FIELD_LIMITS.description),
    severity: g.severity,
    confidence: s(g.confidence),
    reportType: reportType ?? reportTypeFromLocation(location),
    scanner,
    identifiers,
    location,
    solution: s(g.solution, FIELD_LIMITS.solution),
    links: (g.links ?? []).map((k) => ({ url: clip(k.url, FIELD_LIMITS.other), name: s(k.name) })),
    cvssVectors: (g.cvss_vectors ?? []).map((vector) => ({ vendor: null, vector })),
    tracking: g.fingerprint ? [{ algorithm: 'generic:fingerprint', value: g.fingerprint, priority: 5 }] : [],
    snippet: s(g.snippet, FIELD_LIMITS.snippet),
    suppression: null,
    baselineState: null,
    relatedLocations: [],
    assessment: g.assessment ? { state: g.assessment.state, reason: g.assessment.reason ?? null, comment: s(g.assessment.comment) } : null,
  };
}

export const genericJsonFormat: ReportFormat = {
  id: 'generic-json',
  name: 'Vigil generic JSON',
  container: 'json',
  detection: 'a JSON object whose first key is "vigil_generic_version" (schema: /api/v1/formats/generic.schema.json)',
  reportTypes: [...REPORT_TYPES],
  detect: (opening) => opening.container === 'json' && opening.rootKind === 'object' && opening.keys[0] === 'vigil_generic_version',
  reader() {
    const header: Record<string, unknown> = {};
    const raw: { value: unknown; pointer: string }[] = [];
    return {
      elementPaths: ['$.findings.*'],
      headerPaths: ['$.vigil_generic_version', '$.scanner', '$.report_type'],
      take(keys, value, pointer) {
        if (keys[0] === 'findings') {
          if (typeof keys[1] !== 'number') throw new ReportError('/findings', 'must be an array');
          if (!validFinding(value)) throw schemaError(validFinding.errors, pointer);
          raw.push({ value, pointer });
        } else if (typeof keys[0] === 'string') {
          header[keys[0]] = value;
        }
      },
      finish() {
        for (const [key, validate] of Object.entries(validHeader)) {
          if (header[key] === undefined) throw new ReportError(`/${key}`, 'is required');
          if (!validate(header[key])) throw schemaError(validate.errors, `/${key}`);
        }
        const h = header as { scanner: { id: string; name: string; version?: string; vendor?: string }; report_type: ReportType };
        const scanner: Scanner = { id: h.scanner.id, name: h.scanner.name, version: h.scanner.version ?? null, vendor: h.scanner.vendor ?? null };
        return {
          formatVersion: '1',
          scanners: [scanner],
          reportTypes: [h.report_type],
          findings: raw.map(({ value }) => toFinding(value as GenericFinding, h.report_type, scanner)),
        };
      },
    };
  },
};

/** CSV columns (header names, any order; unknown columns are refused so typos do not vanish silently). */
export const GENERIC_CSV_COLUMNS = {
  required: ['title', 'severity', 'rule'],
  optional: [
    'rule_type', 'cve', 'cwe', 'description', 'solution', 'file', 'start_line', 'end_line', 'package', 'version', 'ecosystem',
    'fixed_versions', 'image', 'hostname', 'path', 'method', 'param', 'snippet', 'fingerprint', 'scanner', 'report_type',
  ],
};

function csvRow(row: Record<string, string>, pointer: string): { finding: GenericFinding; scanner: string | null; reportType: ReportType | null } {
  const cell = (k: string) => (row[k] ?? '').trim() || undefined;
  const integer = (k: string) => {
    const v = cell(k);
    if (v === undefined) return undefined;
    if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw new ReportError(`${pointer}/${k}`, `"${v}" is not a line number`);
    return Number(v);
  };
  const severity = cell('severity')?.toLowerCase();
  if (!severity || !(SEVERITIES as readonly string[]).includes(severity)) throw new ReportError(`${pointer}/severity`, `must be one of ${SEVERITIES.join(', ')}`);
  const reportType = cell('report_type')?.toLowerCase();
  if (reportType && !(REPORT_TYPES as readonly string[]).includes(reportType)) throw new ReportError(`${pointer}/report_type`, `must be one of ${REPORT_TYPES.join(', ')}`);
  const title = cell('title');
  const rule = cell('rule');
  if (!title) throw new ReportError(`${pointer}/title`, 'is required');
  if (!rule) throw new ReportError(`${pointer}/rule`, 'is required');
  const identifiers = [
    { type: cell('rule_type') ?? 'rule', value: rule },
    ...(cell('cve') ?? '').split(/[;\s]+/).filter(Boolean).map((value) => ({ type: 'cve', value })),
    ...(cell('cwe') ?? '').split(/[;\s]+/).filter(Boolean).map((value) => ({ type: 'cwe', value: /^\d+$/.test(value) ? `CWE-${value}` : value.toUpperCase() })),
  ];
  const pkg = cell('package');
  const finding: GenericFinding = {
    title,
    severity: severity as Severity,
    identifiers,
    ...(cell('description') && { description: cell('description')! }),
    ...(cell('solution') && { solution: cell('solution')! }),
    location: {
      ...(cell('file') && { file: cell('file')! }),
      ...(integer('start_line') !== undefined && { start_line: integer('start_line')! }),
      ...(integer('end_line') !== undefined && { end_line: integer('end_line')! }),
      ...(pkg && {
        package: {
          name: pkg,
          ...(cell('version') && { version: cell('version')! }),
          ...(cell('ecosystem') && { ecosystem: cell('ecosystem')! }),
          ...(cell('fixed_versions') && { fixed_versions: cell('fixed_versions')!.split(/[;\s]+/).filter(Boolean) }),
        },
      }),
      ...(cell('image') && { image: cell('image')! }),
      ...(cell('hostname') && { hostname: cell('hostname')! }),
      ...(cell('path') && { path: cell('path')! }),
      ...(cell('method') && { method: cell('method')! }),
      ...(cell('param') && { param: cell('param')! }),
    },
    ...(cell('snippet') && { snippet: cell('snippet')! }),
    ...(cell('fingerprint') && { fingerprint: cell('fingerprint')! }),
  };
  return { finding, scanner: cell('scanner') ?? null, reportType: (reportType as ReportType | undefined) ?? null };
}

export const genericCsvFormat: ReportFormat = {
  id: 'generic-csv',
  name: 'Vigil generic CSV',
  container: 'csv',
  detection: `a CSV whose header has the columns ${GENERIC_CSV_COLUMNS.required.join(', ')} (optional: ${GENERIC_CSV_COLUMNS.optional.join(', ')})`,
  reportTypes: [...REPORT_TYPES],
  detect(opening) {
    if (opening.container !== 'csv') return false;
    const known = new Set([...GENERIC_CSV_COLUMNS.required, ...GENERIC_CSV_COLUMNS.optional]);
    return GENERIC_CSV_COLUMNS.required.every((c) => opening.header.includes(c)) && opening.header.every((c) => known.has(c));
  },
  reader() {
    const findings: Finding[] = [];
    const scanners = new Map<string, Scanner>();
    const reportTypes = new Set<ReportType>();
    return {
      elementPaths: [],
      headerPaths: [],
      take(_keys, value, pointer) {
        const { finding, scanner, reportType } = csvRow(value as Record<string, string>, pointer);
        const tool: Scanner = scanner
          ? { id: scanner.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_'), name: scanner, version: null, vendor: null }
          : UNKNOWN_SCANNER;
        const complete = toFinding(finding, reportType, tool);
        scanners.set(tool.id, tool);
        reportTypes.add(complete.reportType);
        findings.push(complete);
      },
      finish: () => ({ formatVersion: null, scanners: [...scanners.values()], reportTypes: [...reportTypes], findings }),
    };
  },
};
