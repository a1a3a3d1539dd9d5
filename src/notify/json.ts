import type { Selectable } from 'kysely';
import type { NotificationAttemptsTable } from './tables.js';
import type { WebhookDelivery } from './webhook-log.js';
import type { Webhook } from './webhooks.js';

export function webhookJson(w: Webhook) {
  return {
    id: w.id,
    scope: { type: w.scope.type, id: w.scope.id, path: w.scope.path },
    url: w.url,
    format: w.format,
    events: w.events,
    active: w.active,
    secret_masked: w.secretMasked,
    created_by: w.createdBy,
    created_at: w.createdAt,
    updated_at: w.updatedAt,
  };
}

export function attemptJson(a: Selectable<NotificationAttemptsTable>) {
  return { attempt: a.attempt, at: a.at, status_code: a.status_code, error: a.error, duration_ms: a.duration_ms };
}

/** The retry state both logs show: when it is pending, when the next try is. */
function stateJson(d: { status: string; attempts: number; next_attempt_at: string; last_status_code: number | null; last_error: string | null; last_attempt_at: string | null; delivered_at: string | null; created_at: string }) {
  return {
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.status === 'pending' ? d.next_attempt_at : null,
    last_status_code: d.last_status_code,
    last_error: d.last_error,
    last_attempt_at: d.last_attempt_at,
    delivered_at: d.delivered_at,
    created_at: d.created_at,
  };
}

export function deliveryJson(d: WebhookDelivery) {
  return {
    id: d.id,
    webhook_id: d.webhook_id,
    event_id: d.event_id,
    kind: d.kind,
    url: d.url,
    redelivery_of: d.redelivery_of,
    ...stateJson(d),
    request_body: d.request_body,
    attempt_log: d.attempt_log.map(attemptJson),
  };
}

export function emailJson(e: { id: number; to_address: string; kind: string; event_id: number | null; digest_day: string | null; subject: string } & Parameters<typeof stateJson>[0], attempts: Selectable<NotificationAttemptsTable>[]) {
  return { id: e.id, to: e.to_address, kind: e.kind, event_id: e.event_id, digest_day: e.digest_day, subject: e.subject, ...stateJson(e), attempt_log: attempts.map(attemptJson) };
}
