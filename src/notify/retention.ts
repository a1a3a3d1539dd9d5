import { DAY } from '../platform/clock.js';
import type { Services } from '../platform/context.js';
import { toDbTime } from '../platform/db/time.js';
import { TABLES, type Channel } from './delivery-queue.js';

/** Rows removed per statement, so one purge never holds a long transaction. */
const BATCH = 5_000;

/**
 * The retention job: deliveries that ended (delivered or failed) more than VIGIL_NOTIFY_RETENTION_DAYS ago go, with
 * their attempts, and so do dispatched outbox events. Pending deliveries are never touched, whatever their age.
 */
export async function purgeNotificationLogs(svc: Services): Promise<{ webhook: number; email: number; events: number }> {
  const cutoff = toDbTime(new Date(svc.clock.now().getTime() - svc.config.notifyRetentionDays * DAY));
  const db = svc.db.kysely;
  const purged = { webhook: 0, email: 0, events: 0 };
  for (const channel of Object.keys(TABLES) as Channel[]) {
    for (;;) {
      const removed = await db.transaction().execute(async (trx) => {
        const ids = (await trx.selectFrom(TABLES[channel]).select('id').where('status', 'in', ['delivered', 'failed']).where('created_at', '<', cutoff).limit(BATCH).execute()).map((r) => r.id);
        if (ids.length === 0) return 0;
        await trx.deleteFrom('notification_attempts').where('channel', '=', channel).where('delivery_id', 'in', ids).execute();
        await trx.deleteFrom(TABLES[channel]).where('id', 'in', ids).execute();
        return ids.length;
      });
      purged[channel] += removed;
      if (removed < BATCH) break;
    }
  }
  const events = await db.deleteFrom('notification_events').where('dispatched_at', 'is not', null).where('dispatched_at', '<', cutoff).executeTakeFirst();
  purged.events = Number(events.numDeletedRows);
  return purged;
}
