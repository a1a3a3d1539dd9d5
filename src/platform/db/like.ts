import { sql, type Expression, type SqlBool } from 'kysely';

/** Case-insensitive "contains" that treats %, _ and \ in the needle literally, on both dialects. */
export function containsText(column: string, needle: string): Expression<SqlBool> {
  const escaped = needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${`%${escaped}%`} escape '\\'`;
}
