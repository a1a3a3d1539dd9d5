import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addDays, dayOf, dayStart, daysBetween, weekStart, weeksOf, windowDays } from '../../src/vulns/dashboards/days.js';

describe('dashboard days (UTC calendar days)', () => {
  test('a stored timestamp belongs to its UTC day, however late in the day', () => {
    assert.equal(dayOf('2026-03-01T23:59:59.999Z'), '2026-03-01');
    assert.equal(dayOf(new Date('2026-03-02T00:00:00.000Z')), '2026-03-02');
    assert.equal(dayStart('2026-03-02'), '2026-03-02T00:00:00.000Z');
  });

  test('adding days crosses months, leap days and years', () => {
    assert.equal(addDays('2028-02-28', 1), '2028-02-29');
    assert.equal(addDays('2026-02-28', 1), '2026-03-01');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2026-01-01', -1), '2025-12-31');
    assert.equal(addDays('2026-03-02', -399), '2025-01-27');
  });

  test('a window of n days ends with today and holds exactly n days', () => {
    for (const n of [30, 90, 365]) {
      const days = windowDays('2026-03-12', n);
      assert.equal(days.length, n);
      assert.equal(days.at(-1), '2026-03-12');
      assert.equal(new Set(days).size, n);
    }
    assert.deepEqual(windowDays('2026-03-01', 3), ['2026-02-27', '2026-02-28', '2026-03-01']);
    assert.deepEqual(daysBetween('2026-03-02', '2026-03-01'), []);
  });

  test('ISO weeks start on Monday: a Sunday belongs to the week of the Monday before', () => {
    assert.equal(weekStart('2026-03-02'), '2026-03-02'); // Monday
    assert.equal(weekStart('2026-03-08'), '2026-03-02'); // Sunday
    assert.equal(weekStart('2026-03-09'), '2026-03-09');
    assert.equal(weekStart('2027-01-01'), '2026-12-28'); // a Friday: the week began in the year before
  });

  test('the weeks of a window, oldest first; the first and last may be partial', () => {
    const weeks = weeksOf(windowDays('2026-03-12', 30)); // Wed 2026-02-11 … Thu 2026-03-12
    assert.deepEqual(weeks.map((w) => [w.weekStart, w.days.length]), [
      ['2026-02-09', 5],
      ['2026-02-16', 7],
      ['2026-02-23', 7],
      ['2026-03-02', 7],
      ['2026-03-09', 4],
    ]);
    assert.deepEqual(weeks[0]!.days, ['2026-02-11', '2026-02-12', '2026-02-13', '2026-02-14', '2026-02-15']);
    assert.equal(weeksOf(windowDays('2026-03-15', 365)).length, 53);
  });
});
