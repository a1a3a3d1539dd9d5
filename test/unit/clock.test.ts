import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DAY, HOUR, MINUTE, ManualClock } from '../../src/platform/clock.js';

describe('ManualClock', () => {
  test('starts at 2026-01-01T00:00:00Z by default', () => {
    assert.equal(new ManualClock().now().toISOString(), '2026-01-01T00:00:00.000Z');
  });

  test('starts where it is told, from a string or a Date', () => {
    assert.equal(new ManualClock('2030-05-06T07:08:09.010Z').now().toISOString(), '2030-05-06T07:08:09.010Z');
    assert.equal(new ManualClock(new Date('2027-02-03T00:00:00Z')).now().toISOString(), '2027-02-03T00:00:00.000Z');
  });

  test('does not move on its own', async () => {
    const clock = new ManualClock();
    const before = clock.now().getTime();
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(clock.now().getTime(), before);
  });

  test('advance moves it forward (and backward) by milliseconds, cumulatively', () => {
    const clock = new ManualClock();
    clock.advance(DAY);
    clock.advance(HOUR + MINUTE);
    assert.equal(clock.now().toISOString(), '2026-01-02T01:01:00.000Z');
    clock.advance(-MINUTE);
    assert.equal(clock.now().toISOString(), '2026-01-02T01:00:00.000Z');
  });

  test('set jumps to an instant, from a string or a Date', () => {
    const clock = new ManualClock();
    clock.set('2026-06-01T12:00:00Z');
    assert.equal(clock.now().toISOString(), '2026-06-01T12:00:00.000Z');
    clock.set(new Date('2025-01-01T00:00:00Z'));
    assert.equal(clock.now().toISOString(), '2025-01-01T00:00:00.000Z');
  });

  test('now() returns a fresh copy: mutating it does not move the clock', () => {
    const clock = new ManualClock();
    const first = clock.now();
    first.setUTCFullYear(1999);
    assert.notEqual(clock.now(), clock.now());
    assert.equal(clock.now().toISOString(), '2026-01-01T00:00:00.000Z');
  });

  test('a Date passed to the constructor or set() is not kept by reference', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    const clock = new ManualClock(start);
    start.setUTCFullYear(1999);
    assert.equal(clock.now().toISOString(), '2026-01-01T00:00:00.000Z');
    const later = new Date('2026-02-01T00:00:00Z');
    clock.set(later);
    later.setUTCFullYear(1999);
    assert.equal(clock.now().toISOString(), '2026-02-01T00:00:00.000Z');
  });
});

test('time constants are in milliseconds', () => {
  assert.equal(MINUTE, 60_000);
  assert.equal(HOUR, 3_600_000);
  assert.equal(DAY, 86_400_000);
});
