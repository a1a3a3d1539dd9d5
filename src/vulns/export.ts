import { Readable } from 'node:stream';
import type { Services } from '../platform/context.js';
import { chunks } from '../platform/db/batch.js';
import { csvRow, type CsvValue } from './csv.js';
import { listVulnerabilities, type Sort, type VulnerabilityFilter, type VulnerabilitySummary, type Where } from './report.js';

/**
 * The whole filtered report as one download, streamed: keyset pages are read one at a time, only when the
 * client has taken the previous one (a Readable pulls from the generator), so memory stays flat however many
 * rows there are, and a client that goes away stops the walk (the reply destroys the stream, which returns the
 * generator at its next step).
 */
export const EXPORT_PAGE_SIZE = 1000;
export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CSV_COLUMNS = [
  'id', 'project', 'title', 'severity', 'state', 'dismissal_reason', 'report_type', 'scanner', 'primary_identifier', 'identifiers',
  'file', 'start_line', 'package', 'version', 'image', 'url', 'first_detected_at', 'last_detected_at', 'resolved_at',
  'risk_score', 'cvss_score', 'epss', 'kev', 'ssvc', 'sla_due_at', 'sla_status',
] as const;

/** One CSV record, in CSV_COLUMNS order; `identifiers` holds every identifier's value, in report order, joined by "; ". */
export function csvRecord(v: VulnerabilitySummary, identifiers: readonly string[]): CsvValue[] {
  const l = v.location;
  // A DAST location is an origin plus a path; anything else has no URL of its own.
  const url = l.hostname ? `${l.hostname}${l.path ?? ''}` : l.path;
  return [
    v.id, v.projectPath, v.title, v.severity, v.state, v.dismissalReason, v.reportType, v.scanner, v.primaryIdentifier, identifiers.join('; '),
    l.file, l.startLine, l.package?.name, l.package?.version, l.image, url, v.firstDetectedAt, v.lastDetectedAt, v.resolvedAt,
    v.risk.score, v.risk.cvssScore, v.risk.epss, v.risk.kev, v.risk.ssvc, v.sla.dueAt, v.sla.status,
  ];
}

/** The report's pages, in the list's order, as the list's cursors walk them. */
export async function* reportPages(svc: Services, where: Where, filter: VulnerabilityFilter, sort: Sort, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<VulnerabilitySummary[]> {
  let cursor: string | null = null;
  do {
    const page = await listVulnerabilities(svc, where, filter, sort, { limit: pageSize, cursor });
    if (page.items.length > 0) yield page.items;
    cursor = page.nextCursor;
  } while (cursor !== null);
}

async function identifierValues(svc: Services, ids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const part of chunks(ids)) {
    const rows = await svc.db.kysely
      .selectFrom('vulnerability_identifiers')
      .select(['vulnerability_id', 'value'])
      .where('vulnerability_id', 'in', part)
      .orderBy('vulnerability_id')
      .orderBy('position')
      .execute();
    for (const r of rows) {
      const values = out.get(r.vulnerability_id);
      if (values) values.push(r.value);
      else out.set(r.vulnerability_id, [r.value]);
    }
  }
  return out;
}

async function* csvText(svc: Services, pages: AsyncIterable<VulnerabilitySummary[]>): AsyncGenerator<string> {
  yield csvRow(CSV_COLUMNS);
  for await (const items of pages) {
    const identifiers = await identifierValues(svc, items.map((v) => v.id));
    yield items.map((v) => csvRow(csvRecord(v, identifiers.get(v.id) ?? []))).join('');
  }
}

async function* jsonText(pages: AsyncIterable<VulnerabilitySummary[]>, toJson: (v: VulnerabilitySummary) => unknown): AsyncGenerator<string> {
  yield '[';
  let separator = '';
  for await (const items of pages) {
    yield separator + items.map((v) => JSON.stringify(toJson(v))).join(',');
    separator = ',';
  }
  yield ']\n';
}

async function* startingWith<T>(first: IteratorResult<T>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}

export interface ExportOptions {
  format: ExportFormat;
  /** The JSON export's items: the list endpoint's own shape. */
  toJson: (v: VulnerabilitySummary) => unknown;
  pageSize?: number;
}

/**
 * The export as a byte stream. The first page is read before anything is sent, so a failing query is still an
 * ordinary error response rather than a cut-off download.
 */
export async function exportStream(svc: Services, where: Where, filter: VulnerabilityFilter, sort: Sort, options: ExportOptions): Promise<Readable> {
  const pages = reportPages(svc, where, filter, sort, options.pageSize);
  const all = startingWith(await pages.next(), pages);
  return Readable.from(options.format === 'csv' ? csvText(svc, all) : jsonText(all, options.toJson), { objectMode: false });
}

/** `vulnerabilities-<scope>-<yyyymmdd>.<format>`, with only characters that need no quoting in a header. */
export function exportFileName(scope: string, format: ExportFormat, now: Date): string {
  const safe = scope.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'all';
  return `vulnerabilities-${safe}-${now.toISOString().slice(0, 10).replace(/-/g, '')}.${format}`;
}
