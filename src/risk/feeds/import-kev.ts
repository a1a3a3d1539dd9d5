import { sql } from 'kysely';
import type { Services } from '../../platform/context.js';
import { chunks } from '../../platform/db/batch.js';
import { toDbTime } from '../../platform/db/time.js';
import { loadRiskPolicy } from '../policy-store.js';
import { refreshThreat } from '../rescore.js';
import { FeedError } from './feed-error.js';
import { currentImport, limitsOf, recordImport, recordRejection, type FeedImport, type ImportOptions } from './imports.js';
import { readKevCatalog, type KevCatalog, type KevEntry } from './kev-catalog.js';
import { lockFeed } from './lock.js';
import { feedBytes, sourceLabel } from './source.js';

/**
 * Imports CISA's KEV catalog (JSON) from a path or URL in one transaction with the rescoring. Entries a newer
 * catalog no longer lists are marked removed, not deleted.
 */
export async function importKev(svc: Services, source: string, options: ImportOptions): Promise<FeedImport> {
  const started = svc.clock.now();
  const label = sourceLabel(source);
  try {
    const catalog = readKevCatalog(await readJson(source, label, svc));
    return await svc.db.kysely.transaction().execute(async (trx) => {
      await lockFeed(trx, svc.db.dialect, 'kev');
      const current = await currentImport(trx, 'kev');
      const base = {
        feed: 'kev' as const,
        source: label,
        model_version: null,
        published_at: catalog.dateReleased,
        catalog_version: catalog.catalogVersion,
        row_count: catalog.entries.length,
        skipped_count: catalog.skippedCount,
        error: null,
        actor: options.actor,
        started_at: toDbTime(started),
      };
      if (current) {
        if (catalog.dateReleased === current.publishedAt) {
          return recordImport(trx, { ...base, status: 'unchanged', report_json: JSON.stringify({ skipped: catalog.skipped, counts: {} }), finished_at: toDbTime(svc.clock.now()) });
        }
        if (catalog.dateReleased < current.publishedAt!) {
          throw new FeedError('/dateReleased', `${catalog.dateReleased} is older than the catalog in use (${current.catalogVersion}, released ${current.publishedAt})`);
        }
      }
      const record = await recordImport(trx, { ...base, status: 'complete', report_json: '{"skipped":[],"counts":{}}', finished_at: toDbTime(started) });
      const counts = await writeCatalog(trx, catalog, record.id, toDbTime(started));
      counts.rescored = await refreshThreat(trx, svc.db.dialect, await loadRiskPolicy(trx), { kind: 'all' });
      const finished = toDbTime(svc.clock.now());
      await trx.updateTable('feed_imports').set({ report_json: JSON.stringify({ skipped: catalog.skipped, counts }), finished_at: finished }).where('id', '=', record.id).execute();
      return { ...record, counts, skipped: catalog.skipped, finishedAt: finished };
    });
  } catch (error) {
    if (error instanceof FeedError) await recordRejection(svc, 'kev', label, options, started, error);
    throw error;
  }
}

/** The catalog is parsed whole, so it gets a tighter size limit than the streamed EPSS file (today it is 1.3 MB). */
const MAX_CATALOG_BYTES = 64 * 1024 * 1024;

async function readJson(source: string, label: string, svc: Services): Promise<unknown> {
  const parts: Buffer[] = [];
  const limits = limitsOf(svc);
  for await (const chunk of feedBytes(source, { ...limits, maxBytes: Math.min(limits.maxBytes, MAX_CATALOG_BYTES) })) parts.push(chunk);
  const text = Buffer.concat(parts).toString('utf8');
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new FeedError(label, `is not valid JSON: ${(error as Error).message}`);
  }
}

type Trx = Parameters<typeof currentImport>[0];

async function writeCatalog(trx: Trx, catalog: KevCatalog, importId: number, now: string): Promise<Record<string, number>> {
  const existing = new Map((await trx.selectFrom('kev_entries').selectAll().execute()).map((row) => [row.cve, row]));
  const rows = catalog.entries.map((e) => rowOf(e, importId));
  let added = 0;
  let changed = 0;
  const listed = new Set<string>();
  for (const row of rows) {
    listed.add(row.cve);
    const before = existing.get(row.cve);
    if (!before || before.removed_at !== null) added++;
    else if (FIELDS.some((f) => before[f] !== row[f])) changed++;
  }
  const removed = [...existing.values()].filter((row) => row.removed_at === null && !listed.has(row.cve)).map((row) => row.cve);
  for (const part of chunks(rows, 1_000)) {
    await trx
      .insertInto('kev_entries')
      .values(part)
      .onConflict((oc) => oc.column('cve').doUpdateSet({ ...Object.fromEntries(FIELDS.map((f) => [f, sql.ref(`excluded.${f}`)])), removed_at: null }))
      .execute();
  }
  for (const part of chunks(removed)) await trx.updateTable('kev_entries').set({ removed_at: now }).where('cve', 'in', part).execute();
  return { added, changed, removed: removed.length };
}

const FIELDS = ['vendor_project', 'product', 'vulnerability_name', 'date_added', 'short_description', 'required_action', 'due_date', 'known_ransomware', 'notes', 'cwes_json'] as const;

function rowOf(e: KevEntry, importId: number) {
  return {
    cve: e.cve,
    vendor_project: e.vendorProject,
    product: e.product,
    vulnerability_name: e.vulnerabilityName,
    date_added: e.dateAdded,
    short_description: e.shortDescription,
    required_action: e.requiredAction,
    due_date: e.dueDate,
    known_ransomware: e.knownRansomware ? 1 : 0,
    notes: e.notes,
    cwes_json: JSON.stringify(e.cwes),
    first_import_id: importId,
    removed_at: null,
  };
}
