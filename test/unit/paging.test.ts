import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeCursor, encodeCursor, toPage } from '../../src/platform/db/paging.js';
import { AppError } from '../../src/platform/errors.js';

function assertBadCursor(cursor: string, kind: 'string' | 'number'): void {
  assert.throws(
    () => decodeCursor(cursor, kind),
    (err: unknown) =>
      err instanceof AppError &&
      err.kind === 'validation' &&
      err.status === 400 &&
      err.extra.field === 'query/cursor' &&
      err.message === 'query/cursor: is not a cursor returned by this list',
  );
}

function rawCursor(json: string): string {
  return Buffer.from(json).toString('base64url');
}

describe('encodeCursor and decodeCursor', () => {
  test('a string key round-trips, including non-ASCII and JSON-looking text', () => {
    for (const key of ['acme/platform', '', 'ünïcødé', '["x"]', 'a"b\\c']) {
      assert.equal(decodeCursor(encodeCursor(key), 'string'), key);
    }
  });

  test('a number key round-trips', () => {
    for (const key of [0, 42, 9_007_199_254_740_991, -5]) {
      assert.equal(decodeCursor(encodeCursor(key), 'number'), key);
    }
  });

  test('the cursor is URL-safe text', () => {
    assert.match(encodeCursor('a/b?c=d&e'), /^[A-Za-z0-9_-]+$/);
  });

  test('no cursor decodes to null', () => {
    assert.equal(decodeCursor(null, 'string'), null);
  });

  test('a cursor of the other kind is refused', () => {
    assertBadCursor(encodeCursor(42), 'string');
    assertBadCursor(encodeCursor('42'), 'number');
  });

  test('garbage is refused', () => {
    for (const garbage of ['', 'zzz', 'not a cursor', '%%%']) assertBadCursor(garbage, 'string');
  });

  test('a tampered cursor is refused', () => {
    const cursor = encodeCursor('abc');
    assertBadCursor(`${cursor.slice(0, -1)}x`, 'string');
    assertBadCursor(rawCursor('["a","b"]'), 'string');
    assertBadCursor(rawCursor('[]'), 'string');
    assertBadCursor(rawCursor('"abc"'), 'string');
    assertBadCursor(rawCursor('{"0":"abc"}'), 'string');
    assertBadCursor(rawCursor('[null]'), 'number');
  });
});

describe('toPage', () => {
  const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
  const key = (row: { id: number }) => row.id;
  const map = (row: { id: number }) => `item ${row.id}`;

  test('limit + 1 rows: keeps limit, and the next cursor is the last kept row', () => {
    const page = toPage(rows, 2, key, map);
    assert.deepEqual(page.items, ['item 1', 'item 2']);
    assert.equal(page.nextCursor, encodeCursor(2));
    assert.equal(decodeCursor(page.nextCursor, 'number'), 2);
  });

  test('exactly limit rows: everything, and no next page', () => {
    assert.deepEqual(toPage(rows, 3, key, map), { items: ['item 1', 'item 2', 'item 3'], nextCursor: null });
  });

  test('fewer rows than the limit, or none: no next page', () => {
    assert.deepEqual(toPage(rows.slice(0, 1), 3, key, map), { items: ['item 1'], nextCursor: null });
    assert.deepEqual(toPage([], 3, key, map), { items: [], nextCursor: null });
  });

  test('a string key makes a string cursor', () => {
    const page = toPage([{ path: 'a' }, { path: 'b' }], 1, (row) => row.path, (row) => row.path);
    assert.deepEqual(page.items, ['a']);
    assert.equal(decodeCursor(page.nextCursor, 'string'), 'a');
  });
});
