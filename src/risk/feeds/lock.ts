import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../../platform/db/connect.js';
import type { Database } from '../../platform/db/schema.js';

/**
 * Serialises imports of one feed across processes: on PostgreSQL a transaction-scoped advisory lock (a CLI import
 * and the scheduled refresh of another server may run at once); SQLite already allows one writer at a time.
 */
export async function lockFeed(trx: Kysely<Database>, dialect: DialectName, feed: string): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`vigil:feed:${feed}`}))`.execute(trx);
}
