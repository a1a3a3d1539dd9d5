import type { CreateTableBuilder, Kysely } from 'kysely';
import type { Ddl } from '../../platform/db/ddl.js';

/** The retry state both delivery logs share (driven by delivery-queue.ts). */
function deliveryState<T extends string>(table: CreateTableBuilder<T, 'id'>): CreateTableBuilder<T, 'id'> {
  return table
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull());
}

/** Webhook and e-mail subscriptions, and the delivery log. */
export async function up(db: Kysely<unknown>, ddl: Ddl): Promise<void> {
  const { bigint } = ddl;
  await ddl
    .id(db.schema.createTable('webhooks'))
    .addColumn('scope_type', 'text', (c) => c.notNull())
    .addColumn('scope_id', bigint, (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('events_json', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_by', bigint)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhooks_scope').on('webhooks').columns(['scope_type', 'scope_id']).execute();

  // Deliveries keep no foreign key to their webhook: the log must survive the webhook's deletion.
  await deliveryState(
    ddl
      .id(db.schema.createTable('webhook_deliveries'))
      .addColumn('webhook_id', bigint, (c) => c.notNull())
      .addColumn('event_id', bigint)
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('request_body', 'text', (c) => c.notNull())
      .addColumn('redelivery_of', bigint),
  ).execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_webhook').on('webhook_deliveries').columns(['webhook_id', 'id']).execute();

  await deliveryState(
    ddl
      .id(db.schema.createTable('email_deliveries'))
      .addColumn('user_id', bigint, (c) => c.notNull())
      .addColumn('to_address', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('event_id', bigint)
      .addColumn('digest_day', 'text')
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('text_body', 'text', (c) => c.notNull())
      .addColumn('html_body', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('email_deliveries_due').on('email_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('email_deliveries_user').on('email_deliveries').columns(['user_id', 'id']).execute();
  // One digest per user and day, however often (and in however many processes) the digest job runs.
  await db.schema.createIndex('email_deliveries_digest').on('email_deliveries').columns(['user_id', 'digest_day']).unique().execute();

  await ddl
    .id(db.schema.createTable('notification_attempts'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('delivery_id', bigint, (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notification_attempts_delivery').on('notification_attempts').columns(['channel', 'delivery_id', 'attempt']).execute();

  await db.schema
    .createTable('notification_subscriptions')
    .addColumn('user_id', bigint, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('kinds_json', 'text', (c) => c.notNull())
    .addColumn('digest', 'integer', (c) => c.notNull())
    .addColumn('scopes_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
