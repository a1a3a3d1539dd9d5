import { invalid } from '../errors.js';

/**
 * Keyset (cursor) pagination: a page is fetched with `WHERE key > :after ORDER BY key LIMIT n+1`, so page 5000
 * costs the same as page 1. The cursor is the last key, opaque to clients.
 */
export interface PageRequest {
  limit: number;
  cursor: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function encodeCursor(key: string | number | (string | number)[]): string {
  return Buffer.from(JSON.stringify(Array.isArray(key) ? key : [key])).toString('base64url');
}

/** A cursor over a composite sort key such as (severity rank, id). */
export function decodeCursorTuple(cursor: string | null, kinds: ('string' | 'number')[]): (string | number)[] | null {
  if (cursor === null) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === kinds.length && parsed.every((v, i) => typeof v === kinds[i])) return parsed as (string | number)[];
  } catch {
    // fall through to the error below
  }
  throw invalid('query/cursor', 'is not a cursor returned by this list');
}

export function decodeCursor<K extends 'string' | 'number'>(
  cursor: string | null,
  kind: K,
): (K extends 'string' ? string : number) | null {
  if (cursor === null) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 1 && typeof parsed[0] === kind) {
      return parsed[0] as K extends 'string' ? string : number;
    }
  } catch {
    // fall through to the error below
  }
  throw invalid('query/cursor', 'is not a cursor returned by this list');
}

/** Turns `limit + 1` fetched rows into a page and the cursor of the next one. */
export function toPage<Row, T>(rows: Row[], limit: number, key: (row: Row) => string | number | (string | number)[], map: (row: Row) => T): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: more && last !== undefined ? encodeCursor(key(last)) : null };
}
