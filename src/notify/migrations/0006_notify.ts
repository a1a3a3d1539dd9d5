import type { Kysely } from 'kysely';
import type { Ddl } from '../../platform/db/ddl.js';

/**
 * The notification outbox: events are written in the same transaction as what caused them (an ingest, an SLA
 * scan), so a notification is never sent for something that rolled back and never lost for something that did not.
 */
export async function up(db: Kysely<unknown>, ddl: Ddl): Promise<void> {
  const { bigint } = ddl;
  await ddl
    .id(db.schema.createTable('notification_events'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('project_id', bigint, (c) => c.notNull())
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Set once the event has been turned into deliveries (webhooks, e-mail).
    .addColumn('dispatched_at', 'text')
    .execute();
  await db.schema.createIndex('notification_events_pending').on('notification_events').columns(['dispatched_at', 'id']).execute();
}
