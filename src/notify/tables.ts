import type { Generated } from 'kysely';

export interface NotificationEventsTable {
  id: Generated<number>;
  kind: string;
  project_id: number;
  payload_json: string;
  created_at: string;
  dispatched_at: string | null;
}

export interface WebhooksTable {
  id: Generated<number>;
  scope_type: 'group' | 'project';
  scope_id: number;
  url: string;
  format: 'vigil' | 'slack';
  /** Kept in the clear because it signs every request; the API shows it once. */
  secret: string;
  events_json: string;
  active: number;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** What webhook and e-mail deliveries share: the retry state that delivery-queue.ts drives. */
export interface DeliveryState {
  id: Generated<number>;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface WebhookDeliveriesTable extends DeliveryState {
  /** No foreign key: the log outlives a deleted webhook. */
  webhook_id: number;
  event_id: number | null;
  kind: string;
  /** The URL when the delivery was created (the webhook's may change later). */
  url: string;
  request_body: string;
  redelivery_of: number | null;
}

export interface EmailDeliveriesTable extends DeliveryState {
  user_id: number;
  to_address: string;
  /** A notification kind, or 'digest'. */
  kind: string;
  event_id: number | null;
  /** The day a digest covers (YYYY-MM-DD); unique per user, which makes the digest idempotent. */
  digest_day: string | null;
  subject: string;
  text_body: string;
  html_body: string;
}

export interface NotificationAttemptsTable {
  id: Generated<number>;
  channel: 'webhook' | 'email';
  delivery_id: number;
  attempt: number;
  at: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface NotificationSubscriptionsTable {
  user_id: number;
  /** Kinds sent by e-mail as they happen. */
  kinds_json: string;
  digest: number;
  /** `[{"type":"group"|"project","id":n}]`; empty: every project the user can see. */
  scopes_json: string;
  updated_at: string;
}

export interface NotifyTables {
  notification_events: NotificationEventsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  email_deliveries: EmailDeliveriesTable;
  notification_attempts: NotificationAttemptsTable;
  notification_subscriptions: NotificationSubscriptionsTable;
}
