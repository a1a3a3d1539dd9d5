import { sql, type Kysely } from 'kysely';
import type { Ddl } from '../ddl.js';

/** The embedded (SQLite) job queue's tables; on PostgreSQL pg-boss keeps its own schema. */
export async function up(db: Kysely<unknown>, _ddl: Ddl): Promise<void> {
  // Created on both dialects so the migration list stays identical; PostgreSQL simply leaves them empty.
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data_json', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('singleton_key', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retry_limit', 'integer', (c) => c.notNull())
    .addColumn('retry_delay_seconds', 'integer', (c) => c.notNull())
    .addColumn('retry_backoff', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['name', 'state', 'run_at']).execute();
  await db.schema.createIndex('jobs_finished').on('jobs').column('finished_at').execute();
  // Deduplication is enforced by the database, not by a check-then-insert.
  await db.schema
    .createIndex('jobs_singleton')
    .on('jobs')
    .columns(['name', 'singleton_key'])
    .unique()
    .where(sql.ref('singleton_key'), 'is not', null)
    .where(sql.ref('state'), 'in', ['queued', 'active'])
    .execute();

  await db.schema
    .createTable('job_schedules')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('every_minutes', 'integer', (c) => c.notNull())
    .addColumn('last_period_at', 'text')
    .execute();
}
