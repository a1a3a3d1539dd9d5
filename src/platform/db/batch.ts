import { sql, type Kysely } from 'kysely';
import type { DialectName } from './connect.js';
import type { Database } from './schema.js';

/** Splits work into chunks that stay well inside both dialects' bound-parameter limits. */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Reserves `count` new ids for `table` inside the current transaction, so batched inserts can refer to the rows
 * they create without relying on RETURNING order. PostgreSQL draws from the identity sequence; SQLite (one
 * writer at a time) counts on from the current maximum.
 */
export async function reserveIds(trx: Kysely<Database>, dialect: DialectName, table: keyof Database, count: number): Promise<number[]> {
  if (count === 0) return [];
  if (dialect === 'postgres') {
    const rows = await sql<{ id: number }>`select nextval(pg_get_serial_sequence(${table}, 'id'))::bigint as id from generate_series(1, ${count})`.execute(trx);
    return rows.rows.map((r) => Number(r.id));
  }
  const row = await sql<{ max: number | null }>`select max(id) as max from ${sql.table(table)}`.execute(trx);
  const start = (row.rows[0]?.max ?? 0) + 1;
  return Array.from({ length: count }, (_, i) => start + i);
}
