import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectName } from './connect.js';
import type { Database } from './schema.js';

export type BulkType = 'text' | 'double' | 'integer';

/** Rows per statement: one parameter each column, so the size bounds memory, not parameter limits. */
const ROWS_PER_STATEMENT = 50_000;

const PG_ARRAY: Record<BulkType, string> = { text: 'text[]', double: 'float8[]', integer: 'int8[]' };

/**
 * Inserts many rows with one parameter per column instead of one per value: PostgreSQL unnests arrays, SQLite walks
 * a JSON array in C. Hundreds of thousands of rows (a daily EPSS file) go in in well under a second, where
 * multi-row VALUES spend their time building and binding statements. `onConflict` is appended as written.
 */
export async function bulkInsert(
  db: Kysely<Database>,
  dialect: DialectName,
  table: keyof Database,
  columns: readonly { name: string; type: BulkType }[],
  rows: readonly (readonly (string | number | null)[])[],
  onConflict: RawBuilder<unknown> = sql``,
): Promise<void> {
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const part = rows.slice(start, start + ROWS_PER_STATEMENT);
    if (dialect === 'postgres') {
      const arrays = columns.map((c, i) => sql`${part.map((row) => row[i])}::${sql.raw(PG_ARRAY[c.type])}`);
      await sql`insert into ${sql.table(table)} (${names}) select * from unnest(${sql.join(arrays)}) ${onConflict}`.execute(db);
    } else {
      const values = columns.map((_, i) => sql`json_extract(j.value, ${sql.lit(`$[${i}]`)})`);
      // "where true" lets SQLite tell an upsert's ON CONFLICT from a join's ON.
      await sql`insert into ${sql.table(table)} (${names}) select ${sql.join(values)} from json_each(${JSON.stringify(part)}) j where true ${onConflict}`.execute(db);
    }
  }
}
