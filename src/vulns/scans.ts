import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { Services } from '../platform/context.js';
import { isRetryableConflict, isUniqueViolation } from '../platform/db/constraints.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../platform/db/paging.js';
import type { ScansTable } from './tables.js';
import type { Selectable } from 'kysely';
import { AppError, notFound } from '../platform/errors.js';
import { ReportError } from './formats/report-error.js';
import { ingestReport, type ScanRequest, type ScanSummary } from './ingest/ingest.js';
import { readAll, ReportLimitError, type Overrides } from './ingest/read-report.js';

export interface Scan {
  id: number;
  projectId: number;
  ref: string;
  commitSha: string | null;
  pipelineId: string | null;
  format: string;
  formatVersion: string | null;
  scanner: { id: string; name: string; version: string | null };
  reportType: string;
  scopeKey: string;
  findingCount: number;
  summary: ScanSummary;
  createdAt: string;
}

function toScan(row: Selectable<ScansTable>): Scan {
  return {
    id: row.id,
    projectId: row.project_id,
    ref: row.ref,
    commitSha: row.commit_sha,
    pipelineId: row.pipeline_id,
    format: row.format,
    formatVersion: row.format_version,
    scanner: { id: row.scanner_id, name: row.scanner_name, version: row.scanner_version },
    reportType: row.report_type,
    scopeKey: row.scope_key,
    findingCount: row.finding_count,
    summary: JSON.parse(row.summary_json) as ScanSummary,
    createdAt: row.created_at,
  };
}

export async function findByIdempotencyKey(svc: Services, projectId: number, key: string): Promise<Scan | null> {
  const row = await svc.db.kysely.selectFrom('scans').selectAll().where('project_id', '=', projectId).where('idempotency_key', '=', key).executeTakeFirst();
  return row ? toScan(row) : null;
}

/**
 * Uploads one report: parse it while it streams in, then ingest it in one transaction. Nothing is written
 * unless the whole report is valid. The same idempotency key returns the first scan again, unchanged.
 */
export async function uploadScan(
  svc: Services,
  request: ScanRequest,
  body: Readable,
  options: { gzip: boolean; overrides: Overrides },
): Promise<{ scan: Scan; replayed: boolean }> {
  if (request.idempotencyKey) {
    const earlier = await findByIdempotencyKey(svc, request.project.id, request.idempotencyKey);
    if (earlier) {
      body.resume();
      return { scan: earlier, replayed: true };
    }
  }
  const stream = options.gzip ? body.pipe(createGunzip()) : body;
  let report;
  try {
    // Not destroyed on return: destroying the request would also cut off the error response.
    const source = stream.iterator({ destroyOnReturn: false });
    report = await readAll(source, { maxBytes: svc.config.maxReportBytes, maxFindings: svc.config.maxFindings }, options.overrides);
  } catch (error) {
    // Refused half-way: read and discard the rest of the upload, so the client finishes sending and then reads the
    // answer (closing instead would hit a client still writing with EPIPE).
    if (stream !== body) body.unpipe();
    body.resume();
    if (error instanceof ReportError) {
      const field = `report${error.pointer}`;
      throw new AppError('validation', `${field}: ${error.message.slice(error.message.indexOf(': ') + 2)}`, { field, errors: [{ field, message: error.message }] });
    }
    if (error instanceof ReportLimitError) throw new AppError('payload-too-large', error.message);
    if ((error as { code?: string }).code === 'Z_DATA_ERROR') throw new AppError('validation', 'report: the body is not valid gzip', { field: 'report' });
    throw error;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const { scanId } = await ingestReport(svc, request, report);
      return { scan: await getScan(svc, request.project.id, scanId), replayed: false };
    } catch (error) {
      // Two uploads racing with one idempotency key: the loser returns the winner's scan.
      if (request.idempotencyKey && isUniqueViolation(error)) {
        const winner = await findByIdempotencyKey(svc, request.project.id, request.idempotencyKey);
        if (winner) return { scan: winner, replayed: true };
      }
      // The transaction wrote nothing: a race lost to a concurrent ingest is run again from the parsed report.
      if (attempt < INGEST_TRIES && isRetryableConflict(error)) {
        svc.log.warn({ err: error, project: request.project.id, attempt }, 'ingest lost a race; retrying');
        continue;
      }
      throw error;
    }
  }
}

const INGEST_TRIES = 3;

export async function getScan(svc: Services, projectId: number, scanId: number): Promise<Scan> {
  const row = await svc.db.kysely.selectFrom('scans').selectAll().where('project_id', '=', projectId).where('id', '=', scanId).executeTakeFirst();
  if (!row) throw notFound(`scan ${scanId}`);
  return toScan(row);
}

/** Newest first, optionally on one ref. */
export async function listScans(svc: Services, projectId: number, filter: { ref?: string }, page: PageRequest): Promise<Page<Scan>> {
  const before = decodeCursor(page.cursor, 'number');
  let query = svc.db.kysely.selectFrom('scans').selectAll().where('project_id', '=', projectId).orderBy('id', 'desc').limit(page.limit + 1);
  if (filter.ref) query = query.where('ref', '=', filter.ref);
  if (before !== null) query = query.where('id', '<', before);
  return toPage(await query.execute(), page.limit, (row) => row.id, toScan);
}
