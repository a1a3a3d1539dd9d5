import { HOUR } from '../../platform/clock.js';
import type { Services } from '../../platform/context.js';
import { FeedError } from './feed-error.js';
import { importEpss } from './import-epss.js';
import { importKev } from './import-kev.js';
import { latestAttempt, type FeedImport, type FeedName } from './imports.js';

/** A failed download is tried again after an hour rather than a whole refresh period. */
const RETRY_AFTER_FAILURE = HOUR;
export const REFRESH_ACTOR = 'scheduled refresh';

/** Pure: is a feed due, given its last import attempt? */
export function refreshDue(last: Pick<FeedImport, 'status' | 'startedAt'> | null, now: Date, everyHours: number): boolean {
  if (!last) return true;
  const since = now.getTime() - Date.parse(last.startedAt);
  return since >= everyHours * HOUR || (last.status === 'rejected' && since >= RETRY_AFTER_FAILURE);
}

/**
 * One pass of the scheduled refresh: imports each feed that has a URL and is due. All state is the import history
 * in the database, so a restart (or another server) simply picks up where the last attempt left off.
 */
export async function refreshFeeds(svc: Services): Promise<FeedImport[]> {
  const done: FeedImport[] = [];
  const sources: [FeedName, string | null][] = [['epss', svc.config.epssUrl], ['kev', svc.config.kevUrl]];
  for (const [feed, url] of sources) {
    if (!url || !refreshDue(await latestAttempt(svc.db.kysely, feed), svc.clock.now(), svc.config.feedRefreshHours)) continue;
    try {
      const result = await (feed === 'epss' ? importEpss : importKev)(svc, url, { actor: REFRESH_ACTOR });
      svc.log.info({ feed, status: result.status, rows: result.rows, published: result.publishedAt }, 'feed refreshed');
      done.push(result);
    } catch (error) {
      // A refused file is already recorded as a rejected attempt; anything else is logged and retried next time.
      svc.log.warn({ feed, err: error instanceof FeedError ? error.message : error }, 'feed refresh failed');
    }
  }
  return done;
}
