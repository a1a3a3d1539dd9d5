import { sql, type RawBuilder } from 'kysely';
import type { DialectName } from './connect.js';

/** NULL-safe "differs": SQLite spells it IS NOT, PostgreSQL IS DISTINCT FROM. */
export function isDistinct(dialect: DialectName, a: RawBuilder<unknown>, b: RawBuilder<unknown>): RawBuilder<unknown> {
  return dialect === 'sqlite' ? sql`(${a} IS NOT ${b})` : sql`(${a} IS DISTINCT FROM ${b})`;
}
