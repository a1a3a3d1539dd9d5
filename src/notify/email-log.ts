import type { Services } from '../platform/context.js';
import { decodeCursor, toPage, type PageRequest } from '../platform/db/paging.js';
import { attemptsOf } from './delivery-queue.js';
import { emailJson } from './json.js';

/** A user's own e-mails, newest first, with every attempt. */
export async function listOwnEmails(svc: Services, userId: number, page: PageRequest) {
  const before = decodeCursor(page.cursor, 'number');
  let query = svc.db.kysely
    .selectFrom('email_deliveries')
    .select(['id', 'to_address', 'kind', 'event_id', 'digest_day', 'subject', 'status', 'attempts', 'next_attempt_at', 'last_status_code', 'last_error', 'last_attempt_at', 'delivered_at', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (before !== null) query = query.where('id', '<', before);
  const rows = await query.execute();
  const attempts = await attemptsOf(svc, 'email', rows.slice(0, page.limit).map((r) => r.id));
  return toPage(rows, page.limit, (r) => r.id, (r) => emailJson(r, attempts.filter((a) => a.delivery_id === r.id)));
}
