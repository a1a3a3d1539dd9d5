import type { Kysely } from 'kysely';
import type { Ddl } from '../ddl.js';

/**
 * Work handed to a worker that people wait for (a large report's ingestion): its status for GET /api/v1/jobs/{id},
 * and the input the worker reads, stored in the database so that any worker on any machine can run it.
 */
export async function up(db: Kysely<unknown>, ddl: Ddl): Promise<void> {
  await ddl
    .id(db.schema.createTable('job_runs'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('project_id', ddl.bigint, (c) => c.references('projects.id').onDelete('cascade'))
    .addColumn('created_by', ddl.bigint, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('params_json', 'text', (c) => c.notNull())
    .addColumn('result_json', 'text')
    .addColumn('error_json', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('job_runs_project').on('job_runs').columns(['project_id', 'id']).execute();
  await db.schema
    .createTable('job_payloads')
    .addColumn('job_id', ddl.bigint, (c) => c.primaryKey().references('job_runs.id').onDelete('cascade'))
    .addColumn('body', ddl.bytes, (c) => c.notNull())
    .execute();
}
