import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rollBack, type DayChanges } from '../../src/vulns/dashboards/backfill.js';
import { median } from '../../src/vulns/dashboards/dashboard.js';

const change = (c: Partial<DayChanges>): DayChanges => ({ openDelta: 0, new: 0, resolved: 0, resolutionSeconds: 0, resolvedInTime: 0, resolvedLate: 0, ...c });
const days = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'];

describe('rolling open counts back from now', () => {
  test('each day ends with the next day’s count less the next day’s change; today ends with the count now', () => {
    // 3 detected on the 2nd; 1 resolved on the 3rd (2 days); 1 dismissed on the 4th; the resolved one reopened on the 5th.
    const changes = new Map([
      ['2026-03-02', change({ openDelta: 3, new: 3 })],
      ['2026-03-03', change({ openDelta: -1, resolved: 1, resolutionSeconds: 2 * 86_400, resolvedInTime: 1 })],
      ['2026-03-04', change({ openDelta: -1 })],
      ['2026-03-05', change({ openDelta: 1 })],
    ]);
    assert.deepEqual(
      rollBack(2, changes, days).map((f) => [f.open, f.new, f.resolved, f.resolutionSeconds, f.resolvedInTime]),
      [
        [0, 0, 0, 0, 0],
        [3, 3, 0, 0, 0],
        [2, 0, 1, 172_800, 1],
        [1, 0, 0, 0, 0],
        [2, 0, 0, 0, 0],
      ],
    );
  });

  test('without changes every day ends as today does (open since before the window)', () => {
    assert.deepEqual(rollBack(7, new Map(), days.slice(0, 3)).map((f) => f.open), [7, 7, 7]);
  });

  test('changes outside the days asked for are ignored', () => {
    assert.deepEqual(rollBack(1, new Map([['2026-02-01', change({ openDelta: 5 })]]), days.slice(0, 2)).map((f) => f.open), [1, 1]);
  });
});

describe('median', () => {
  test('the middle value, or the mean of the two middle ones', () => {
    assert.equal(median([5]), 5);
    assert.equal(median([9, 1, 5]), 5);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
});
