import type { Selectable } from 'kysely';
import type { Services } from '../platform/context.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../platform/db/paging.js';
import { attemptsOf } from './delivery-queue.js';
import type { NotificationAttemptsTable, WebhookDeliveriesTable } from './tables.js';

export type WebhookDelivery = Selectable<WebhookDeliveriesTable> & { attempt_log: Selectable<NotificationAttemptsTable>[] };

/** A webhook's deliveries, newest first, each with every attempt made. */
export async function listDeliveries(svc: Services, webhookId: number, page: PageRequest): Promise<Page<WebhookDelivery>> {
  const before = decodeCursor(page.cursor, 'number');
  let query = svc.db.kysely.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('id', 'desc').limit(page.limit + 1);
  if (before !== null) query = query.where('id', '<', before);
  const rows = await query.execute();
  const attempts = await attemptsOf(svc, 'webhook', rows.slice(0, page.limit).map((r) => r.id));
  return toPage(rows, page.limit, (r) => r.id, (r) => ({ ...r, attempt_log: attempts.filter((a) => a.delivery_id === r.id) }));
}

export async function getDelivery(svc: Services, webhookId: number, id: number): Promise<WebhookDelivery | null> {
  const row = await svc.db.kysely.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).where('webhook_id', '=', webhookId).executeTakeFirst();
  return row ? { ...row, attempt_log: await attemptsOf(svc, 'webhook', [row.id]) } : null;
}
