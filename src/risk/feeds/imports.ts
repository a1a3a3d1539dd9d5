import type { Kysely } from 'kysely';
import { toDbTime } from '../../platform/db/time.js';
import type { Database } from '../../platform/db/schema.js';
import type { Services } from '../../platform/context.js';
import type { FeedImportsTable } from '../tables.js';
import { FeedError, type SkippedItem } from './feed-error.js';
import type { SourceLimits } from './source.js';

export type FeedName = 'epss' | 'kev';

/** What an import did, as the CLI prints it and the API returns it. */
export interface FeedImport {
  id: number;
  feed: FeedName;
  source: string;
  status: FeedImportsTable['status'];
  modelVersion: string | null;
  publishedAt: string | null;
  catalogVersion: string | null;
  rows: number;
  skippedCount: number;
  /** Up to 100 skipped lines or entries, with where and why. */
  skipped: SkippedItem[];
  /** Feed-specific counts: KEV added/removed/changed, EPSS changed, vulnerabilities rescored. */
  counts: Record<string, number>;
  error: string | null;
  actor: string;
  startedAt: string;
  finishedAt: string;
}

export interface ImportOptions {
  actor: string;
  /** EPSS: accept a snapshot from a different model than the one in use (scores are not comparable across models). */
  allowModelChange?: boolean;
}

export function limitsOf(svc: Services): SourceLimits {
  return { maxBytes: svc.config.maxFeedBytes, timeoutMs: svc.config.feedTimeoutSeconds * 1000 };
}

type Row = Omit<FeedImportsTable, 'id'>;

export async function recordImport(db: Kysely<Database>, row: Row): Promise<FeedImport> {
  const { id } = await db.insertInto('feed_imports').values(row).returning('id').executeTakeFirstOrThrow();
  return toFeedImport({ ...row, id });
}

/** A refused import is recorded too (in its own transaction) so the status page can say why the data is old. */
export async function recordRejection(svc: Services, feed: FeedName, source: string, options: ImportOptions, started: Date, error: FeedError): Promise<FeedImport> {
  return recordImport(svc.db.kysely, {
    feed,
    source,
    status: 'rejected',
    model_version: null,
    published_at: null,
    catalog_version: null,
    row_count: 0,
    skipped_count: 0,
    report_json: JSON.stringify({ skipped: [], counts: {} }),
    error: error.message,
    actor: options.actor,
    started_at: toDbTime(started),
    finished_at: toDbTime(svc.clock.now()),
  });
}

/** The snapshot in use: the newest complete import. */
export async function currentImport(db: Kysely<Database>, feed: FeedName): Promise<FeedImport | null> {
  const row = await db.selectFrom('feed_imports').selectAll().where('feed', '=', feed).where('status', '=', 'complete').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toFeedImport(row) : null;
}

export async function latestAttempt(db: Kysely<Database>, feed: FeedName): Promise<FeedImport | null> {
  const row = await db.selectFrom('feed_imports').selectAll().where('feed', '=', feed).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toFeedImport(row) : null;
}

export async function listImports(db: Kysely<Database>, feed: FeedName, limit: number): Promise<FeedImport[]> {
  const rows = await db.selectFrom('feed_imports').selectAll().where('feed', '=', feed).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toFeedImport);
}

function toFeedImport(row: Row & { id: number }): FeedImport {
  const report = JSON.parse(row.report_json) as { skipped: SkippedItem[]; counts: Record<string, number> };
  return {
    id: row.id,
    feed: row.feed,
    source: row.source,
    status: row.status,
    modelVersion: row.model_version,
    publishedAt: row.published_at,
    catalogVersion: row.catalog_version,
    rows: row.row_count,
    skippedCount: row.skipped_count,
    skipped: report.skipped,
    counts: report.counts,
    error: row.error,
    actor: row.actor,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
