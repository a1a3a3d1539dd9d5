import type { Services } from '../platform/context.js';
import { toDbTime } from '../platform/db/time.js';
import { runDue, type AttemptResult, type RunSummary } from './delivery-queue.js';
import { signature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signing.js';
import { postWebhook } from './webhook-http.js';
import { pingEvent, webhookBody } from './webhook-payload.js';
import type { Webhook } from './webhooks.js';

/** A claimed delivery stays ours for the timeout and a margin; then another process may try it. */
const leaseMs = (svc: Services) => svc.config.webhookTimeoutSeconds * 1000 + 60_000;

async function sendOne(svc: Services, id: number): Promise<AttemptResult> {
  const row = await svc.db.kysely
    .selectFrom('webhook_deliveries as d')
    .leftJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select(['d.id', 'd.kind', 'w.url', 'd.request_body', 'w.secret', 'w.active'])
    .where('d.id', '=', id)
    .executeTakeFirstOrThrow();
  if (row.secret === null) return { ok: false, statusCode: null, error: 'the webhook was deleted', permanent: true, durationMs: 0 };
  if (row.active !== 1) return { ok: false, statusCode: null, error: 'the webhook is inactive', permanent: true, durationMs: 0 };
  const timestamp = Math.floor(svc.clock.now().getTime() / 1000);
  const headers = {
    'x-vigil-event': row.kind,
    'x-vigil-delivery': String(row.id),
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signature(row.secret, timestamp, row.request_body),
  };
  // The webhook's URL now, not the one it had when the event was queued: a moved receiver must not get retries.
  return postWebhook(row.url!, row.request_body, headers, { allow: svc.config.webhookAllowHosts, timeoutMs: svc.config.webhookTimeoutSeconds * 1000 });
}

/** Sends every due webhook delivery (a scheduled job; safe to run in several processes at once). */
export async function deliverDueWebhooks(svc: Services): Promise<RunSummary> {
  return runDue(svc, 'webhook', leaseMs(svc), (id) => sendOne(svc, id));
}

async function enqueue(svc: Services, values: { webhookId: number; kind: string; url: string; body: string; eventId: number | null; redeliveryOf: number | null }): Promise<number> {
  const now = toDbTime(svc.clock.now());
  const row = await svc.db.kysely
    .insertInto('webhook_deliveries')
    .values({ webhook_id: values.webhookId, event_id: values.eventId, kind: values.kind, url: values.url, request_body: values.body, redelivery_of: values.redeliveryOf, status: 'pending', attempts: 0, next_attempt_at: now, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Queues a test delivery and attempts it at once; failures are retried like any other delivery. */
export async function pingWebhook(svc: Services, webhook: Webhook): Promise<number> {
  const event = pingEvent({ id: webhook.id, scope: { type: webhook.scope.type, path: webhook.scope.path } }, toDbTime(svc.clock.now()));
  const id = await enqueue(svc, { webhookId: webhook.id, kind: 'ping', url: webhook.url, body: webhookBody(webhook.format, event, svc.config.publicUrl), eventId: null, redeliveryOf: null });
  await runDue(svc, 'webhook', leaseMs(svc), (d) => sendOne(svc, d), id);
  return id;
}

/**
 * Sends a logged delivery again as a new delivery: the same body, to the webhook's current URL, signed with its
 * current secret. Returns null when the webhook has no such delivery.
 */
export async function redeliver(svc: Services, webhook: Webhook, deliveryId: number): Promise<number | null> {
  const original = await svc.db.kysely.selectFrom('webhook_deliveries').select(['id', 'kind', 'event_id', 'request_body']).where('id', '=', deliveryId).where('webhook_id', '=', webhook.id).executeTakeFirst();
  if (!original) return null;
  const id = await enqueue(svc, { webhookId: webhook.id, kind: original.kind, url: webhook.url, body: original.request_body, eventId: original.event_id, redeliveryOf: original.id });
  await runDue(svc, 'webhook', leaseMs(svc), (d) => sendOne(svc, d), id);
  return id;
}
