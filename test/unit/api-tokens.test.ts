import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseExpiry } from '../../src/platform/auth/api-tokens.js';

const NOW = new Date('2026-01-01T00:00:00.000Z');

function expiry(text: string): string | { error: string } {
  const result = parseExpiry(text, NOW);
  return result instanceof Date ? result.toISOString() : result;
}

function refusal(text: string): { error: string } {
  return { error: `"${text}" is neither a duration like 30d, 12h, 90m, 2w nor an ISO date (2026-12-31 or 2026-12-31T18:00Z)` };
}

describe('parseExpiry', () => {
  const relative: Array<[string, string]> = [
    ['30d', '2026-01-31T00:00:00.000Z'],
    ['12h', '2026-01-01T12:00:00.000Z'],
    ['90m', '2026-01-01T01:30:00.000Z'],
    ['2w', '2026-01-15T00:00:00.000Z'],
    [' 1d ', '2026-01-02T00:00:00.000Z'],
    ['99999m', '2026-03-11T10:39:00.000Z'],
  ];
  for (const [text, at] of relative) {
    test(`${JSON.stringify(text)} is that long after now`, () => {
      assert.equal(expiry(text), at);
    });
  }

  test('does not change the Date it is given', () => {
    parseExpiry('30d', NOW);
    assert.equal(NOW.toISOString(), '2026-01-01T00:00:00.000Z');
  });

  test('an ISO date is taken as midnight UTC of that day', () => {
    assert.equal(expiry('2026-03-01'), '2026-03-01T00:00:00.000Z');
  });

  test('an ISO timestamp with an offset is taken as that instant', () => {
    assert.equal(expiry('2026-03-01T10:30:00+02:00'), '2026-03-01T08:30:00.000Z');
  });

  for (const garbage of ['', 'soon', '30', 'd', '30s', '30 d', '-1d', '1.5d', '100000m', '30D', '2026-13-01', 'March 1, 2026', '01/03/2026']) {
    test(`refuses ${JSON.stringify(garbage)}`, () => {
      assert.deepEqual(expiry(garbage), refusal(garbage));
    });
  }

  // BUG (src/platform/auth/api-tokens.ts:160-161): `new Date('2026-02-30')` rolls over to 2026-03-02 instead of
  // being invalid, so an impossible calendar date is silently accepted as a different day.
  test('refuses an impossible calendar date rather than rolling it over', () => {
    assert.deepEqual(expiry('2026-02-30'), refusal('2026-02-30'));
  });
});
