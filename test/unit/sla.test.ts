import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { slaFigures } from '../../src/sla/figures.js';
import { clockStartOf, DEFAULT_SLA_POLICY, dueAtOf, slaStatusOf } from '../../src/sla/policy.js';

const policy = DEFAULT_SLA_POLICY;
const basis = { detectedAt: '2026-01-01T00:00:00.000Z', defaultDetectedAt: '2026-01-05T00:00:00.000Z', reopenedAt: null };

describe('SLA clock', () => {
  test('starts on the default branch by default, anywhere when the policy says so', () => {
    assert.equal(clockStartOf(policy, basis), '2026-01-05T00:00:00.000Z');
    assert.equal(clockStartOf({ ...policy, clockStart: 'anywhere' }, basis), '2026-01-01T00:00:00.000Z');
    assert.equal(clockStartOf(policy, { ...basis, defaultDetectedAt: null }), null);
  });

  test('a later reopen restarts it only when the policy says so', () => {
    const reopened = { ...basis, reopenedAt: '2026-02-01T00:00:00.000Z' };
    assert.equal(clockStartOf(policy, reopened), '2026-02-01T00:00:00.000Z');
    assert.equal(clockStartOf({ ...policy, reopenRestarts: false }, reopened), '2026-01-05T00:00:00.000Z');
  });

  test('due after the severity’s calendar days; none for info, unknown or a severity set to null', () => {
    assert.equal(dueAtOf(policy, 'critical', '2026-03-01T09:00:00.000Z'), '2026-03-08T09:00:00.000Z');
    assert.equal(dueAtOf(policy, 'low', '2026-01-01T00:00:00.000Z'), '2026-06-30T00:00:00.000Z');
    assert.equal(dueAtOf(policy, 'info', '2026-01-01T00:00:00.000Z'), null);
    assert.equal(dueAtOf({ ...policy, days: { ...policy.days, high: null } }, 'high', '2026-01-01T00:00:00.000Z'), null);
    assert.equal(dueAtOf(policy, 'high', null), null);
  });

  test('breached only after the deadline; due soon within the window', () => {
    const due = '2026-01-31T00:00:00.000Z';
    assert.equal(slaStatusOf(policy, due, new Date('2026-01-23T23:59:59.999Z')), 'ok');
    assert.equal(slaStatusOf(policy, due, new Date('2026-01-24T00:00:00.000Z')), 'due_soon');
    assert.equal(slaStatusOf(policy, due, new Date(due)), 'due_soon');
    assert.equal(slaStatusOf(policy, due, new Date('2026-01-31T00:00:00.001Z')), 'breached');
    assert.equal(slaStatusOf(policy, null, new Date()), null);
  });
});

describe('SLA figures', () => {
  test('ages fall in buckets, breaches count per severity, MTTR averages, compliance judges deadlines in the period', () => {
    const now = new Date('2026-06-01T00:00:00.000Z');
    const figures = slaFigures(
      now,
      90,
      [
        { severity: 'high', firstDetectedAt: '2026-05-30T00:00:00.000Z', dueAt: '2026-06-29T00:00:00.000Z' },
        { severity: 'critical', firstDetectedAt: '2026-04-01T00:00:00.000Z', dueAt: '2026-04-08T00:00:00.000Z' },
        { severity: 'low', firstDetectedAt: '2024-01-01T00:00:00.000Z', dueAt: '2024-06-29T00:00:00.000Z' },
      ],
      [
        { severity: 'high', firstDetectedAt: '2026-05-01T00:00:00.000Z', resolvedAt: '2026-05-11T00:00:00.000Z' },
        { severity: 'high', firstDetectedAt: '2026-05-01T00:00:00.000Z', resolvedAt: '2026-05-21T00:00:00.000Z' },
      ],
      [
        { resolvedAt: '2026-05-11T00:00:00.000Z', dueAt: '2026-05-31T00:00:00.000Z' },
        { resolvedAt: '2026-05-21T00:00:00.000Z', dueAt: '2026-05-15T00:00:00.000Z' },
        { resolvedAt: '2026-05-21T00:00:00.000Z', dueAt: null },
      ],
    );
    assert.equal(figures.open, 3);
    assert.equal(figures.openByAge['0-7']!.high, 1);
    assert.equal(figures.openByAge['31-90']!.critical, 1);
    assert.equal(figures.openByAge['>365']!.low, 1);
    assert.deepEqual([figures.breached.critical, figures.breached.low, figures.breached.high], [1, 1, 0]);
    assert.equal(figures.mttrDays.high, 15);
    assert.equal(figures.mttrDays.critical, null);
    // Met: the first resolution. Missed: the second, and the critical breach inside the period (the 2024 one is older).
    assert.deepEqual(figures.compliance, { met: 1, missed: 2, percent: 33.3 });
  });
});
