import type { Kysely } from 'kysely';
import type { Ddl } from '../ddl.js';

/** The embedded (SQLite) job queue's tables; on PostgreSQL pg-boss keeps its own schema. */
export async function up(db: Kysely<unknown>, ddl: Ddl): Promise<void> {
  void db;
  void ddl;
}
