import { DAY } from '../platform/clock.js';
import type { Severity } from '../vulns/model.js';

/** Severities that carry a remediation deadline; info and unknown findings have none. */
export const SLA_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type SlaSeverity = (typeof SLA_SEVERITIES)[number];

/**
 * How long a vulnerability may stay open, per group (inherited down the tree) or project. Calendar days, as
 * DefectDojo counts them and as people read due dates.
 */
export interface SlaPolicy {
  /** Days to remediate per severity; null: no deadline for that severity. */
  days: Record<SlaSeverity, number | null>;
  /** default_branch: the clock starts when the default branch first has it; anywhere: when any branch first has it. */
  clockStart: 'default_branch' | 'anywhere';
  /** A vulnerability that comes back after being resolved gets a fresh deadline. */
  reopenRestarts: boolean;
  /** Days an acceptance of risk lasts when the dismissal gives no expiry; null: acceptances do not expire. */
  acceptanceDays: number | null;
  /** "due soon" this many days before the deadline. */
  dueSoonDays: number;
}

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  days: { critical: 7, high: 30, medium: 90, low: 180 },
  clockStart: 'default_branch',
  reopenRestarts: true,
  acceptanceDays: null,
  dueSoonDays: 7,
};

export type SlaStatus = 'breached' | 'due_soon' | 'ok';
export const SLA_STATUSES: readonly SlaStatus[] = ['breached', 'due_soon', 'ok'];

/** The moments a vulnerability's clock may start from. */
export interface ClockBasis {
  detectedAt: string;
  defaultDetectedAt: string | null;
  reopenedAt: string | null;
}

/** When the clock started under the policy; null when it has not (never on the default branch, for that choice). */
export function clockStartOf(policy: SlaPolicy, basis: ClockBasis): string | null {
  const start = policy.clockStart === 'anywhere' ? basis.detectedAt : basis.defaultDetectedAt;
  if (!start) return null;
  return policy.reopenRestarts && basis.reopenedAt && basis.reopenedAt > start ? basis.reopenedAt : start;
}

/** The deadline: start plus the severity's calendar days (as UTC days); null without a deadline. */
export function dueAtOf(policy: SlaPolicy, severity: Severity, start: string | null): string | null {
  const days = (policy.days as Record<string, number | null | undefined>)[severity];
  if (start === null || days === null || days === undefined) return null;
  return new Date(Date.parse(start) + days * DAY).toISOString();
}

/** Where an open vulnerability stands against its deadline at `now`. */
export function slaStatusOf(policy: SlaPolicy, dueAt: string | null, now: Date): SlaStatus | null {
  if (dueAt === null) return null;
  const left = Date.parse(dueAt) - now.getTime();
  if (left < 0) return 'breached';
  return left <= policy.dueSoonDays * DAY ? 'due_soon' : 'ok';
}
