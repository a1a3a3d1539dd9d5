import { sql } from 'kysely';
import type { Services } from '../../platform/context.js';
import { chunks } from '../../platform/db/batch.js';
import { bulkInsert } from '../../platform/db/bulk.js';
import type { DialectName } from '../../platform/db/connect.js';
import { toDbTime } from '../../platform/db/time.js';
import { loadRiskPolicy } from '../policy-store.js';
import { refreshThreat } from '../rescore.js';
import { readEpssCsv, type EpssSnapshot } from './epss-csv.js';
import { FeedError } from './feed-error.js';
import { currentImport, limitsOf, recordImport, recordRejection, type FeedImport, type ImportOptions } from './imports.js';
import { feedBytes, linesOf, sourceLabel } from './source.js';
import { lockFeed } from './lock.js';

const SCORE_COLUMNS = [
  { name: 'cve', type: 'text' },
  { name: 'epss', type: 'double' },
  { name: 'percentile', type: 'double' },
] as const;
const HISTORY_COLUMNS = [{ name: 'cve', type: 'text' }, { name: 'score_date', type: 'text' }, { name: 'model_version', type: 'text' }, ...SCORE_COLUMNS.slice(1)] as const;

/**
 * Imports one EPSS daily file from a path or URL. The whole file is read and checked before anything is written,
 * and then written in one transaction with the rescoring, so the previous snapshot stays in use until the new one
 * is complete. History gets a row only where a CVE's probability changed.
 */
export async function importEpss(svc: Services, source: string, options: ImportOptions): Promise<FeedImport> {
  const started = svc.clock.now();
  const label = sourceLabel(source);
  try {
    const snapshot = await readEpssCsv(linesOf(feedBytes(source, limitsOf(svc))));
    return await svc.db.kysely.transaction().execute(async (trx) => {
      await lockFeed(trx, svc.db.dialect, 'epss');
      const current = await currentImport(trx, 'epss');
      const base = {
        feed: 'epss' as const,
        source: label,
        model_version: snapshot.modelVersion,
        published_at: snapshot.scoreDate,
        catalog_version: null,
        row_count: snapshot.cves.length,
        skipped_count: snapshot.skippedCount,
        error: null,
        actor: options.actor,
        started_at: toDbTime(started),
      };
      if (current) {
        const sameModel = current.modelVersion === snapshot.modelVersion;
        if (snapshot.scoreDate === current.publishedAt && sameModel) {
          return recordImport(trx, { ...base, status: 'unchanged', report_json: JSON.stringify({ skipped: snapshot.skipped, counts: {} }), finished_at: toDbTime(svc.clock.now()) });
        }
        if (snapshot.scoreDate < current.publishedAt!) {
          throw new FeedError('line 1', `score_date ${snapshot.scoreDate} is older than the snapshot in use (${current.publishedAt}); EPSS history is built forward`);
        }
        if (!sameModel && !options.allowModelChange) {
          throw new FeedError('line 1', `model_version ${snapshot.modelVersion} differs from the snapshot in use (${current.modelVersion}): scores of different models are not comparable; import it with --allow-model-change to switch models`);
        }
      }
      const counts = await writeSnapshot(trx, svc.db.dialect, snapshot);
      counts.rescored = await refreshThreat(trx, svc.db.dialect, await loadRiskPolicy(trx), { kind: 'all' });
      return recordImport(trx, { ...base, status: 'complete', report_json: JSON.stringify({ skipped: snapshot.skipped, counts }), finished_at: toDbTime(svc.clock.now()) });
    });
  } catch (error) {
    if (error instanceof FeedError) await recordRejection(svc, 'epss', label, options, started, error);
    throw error;
  }
}

async function writeSnapshot(trx: Parameters<typeof currentImport>[0], dialect: DialectName, snapshot: EpssSnapshot): Promise<Record<string, number>> {
  const current = new Map<string, { epss: number; percentile: number }>();
  for (const row of await trx.selectFrom('epss_scores').select(['cve', 'epss', 'percentile']).execute()) current.set(row.cve, row);

  const day = snapshot.scoreDate.slice(0, 10);
  const history: (string | number)[][] = [];
  const upserts: (string | number)[][] = [];
  const { cves, epss, percentiles } = snapshot;
  for (let i = 0; i < cves.length; i++) {
    const cve = cves[i]!;
    const before = current.get(cve);
    current.delete(cve);
    if (before && before.epss === epss[i] && before.percentile === percentiles[i]) continue;
    upserts.push([cve, epss[i]!, percentiles[i]!]);
    if (!before || before.epss !== epss[i]) history.push([cve, day, snapshot.modelVersion, epss[i]!, percentiles[i]!]);
  }
  // What is left in `current` is no longer scored: a snapshot replaces the previous one whole.
  const removed = [...current.keys()];
  for (const part of chunks(removed)) await trx.deleteFrom('epss_scores').where('cve', 'in', part).execute();
  await bulkInsert(trx, dialect, 'epss_scores', SCORE_COLUMNS, upserts, sql`on conflict (cve) do update set epss = excluded.epss, percentile = excluded.percentile`);
  await bulkInsert(
    trx,
    dialect,
    'epss_history',
    HISTORY_COLUMNS,
    history,
    sql`on conflict (cve, score_date) do update set model_version = excluded.model_version, epss = excluded.epss, percentile = excluded.percentile`,
  );
  return { updated: upserts.length, history: history.length, removed: removed.length };
}
