import { DAY } from '../platform/clock.js';
import { SLA_SEVERITIES } from './policy.js';

/** Aging and SLA figures of a project or group (pure: computed from rows the caller loads). */
export const AGE_BUCKETS = [
  { label: '0-7', maxDays: 7 },
  { label: '8-30', maxDays: 30 },
  { label: '31-90', maxDays: 90 },
  { label: '91-180', maxDays: 180 },
  { label: '181-365', maxDays: 365 },
  { label: '>365', maxDays: Infinity },
] as const;

export interface OpenRow {
  severity: string;
  firstDetectedAt: string;
  dueAt: string | null;
}

/** A resolution in the period (from the event history): when the vulnerability was first detected and resolved. */
export interface ResolutionRow {
  severity: string;
  firstDetectedAt: string;
  resolvedAt: string;
}

/** A resolution in the period with the deadline it had then. */
export interface DeadlineRow {
  resolvedAt: string;
  dueAt: string | null;
}

export interface SlaFigures {
  periodDays: number;
  open: number;
  openByAge: Record<string, Record<string, number>>;
  breached: Record<string, number>;
  /** Mean days from first detection to resolution, per severity, for resolutions in the period; null without any. */
  mttrDays: Record<string, number | null>;
  /** Deadlines that fell in the period or were met in it: met on time / all such; null when there were none. */
  compliance: { met: number; missed: number; percent: number | null };
}

const severityKeys = [...SLA_SEVERITIES, 'info', 'unknown'];
const zeroes = () => Object.fromEntries(severityKeys.map((s) => [s, 0])) as Record<string, number>;

export function slaFigures(now: Date, periodDays: number, open: readonly OpenRow[], resolutions: readonly ResolutionRow[], deadlines: readonly DeadlineRow[]): SlaFigures {
  const nowMs = now.getTime();
  const since = nowMs - periodDays * DAY;
  const openByAge = Object.fromEntries(AGE_BUCKETS.map((b) => [b.label, zeroes()]));
  const breached = zeroes();
  let met = 0;
  let missed = 0;
  for (const row of open) {
    const age = (nowMs - Date.parse(row.firstDetectedAt)) / DAY;
    const bucket = AGE_BUCKETS.find((b) => age <= b.maxDays)!;
    openByAge[bucket.label]![row.severity] = (openByAge[bucket.label]![row.severity] ?? 0) + 1;
    if (row.dueAt !== null && Date.parse(row.dueAt) < nowMs) {
      breached[row.severity] = (breached[row.severity] ?? 0) + 1;
      if (Date.parse(row.dueAt) >= since) missed++;
    }
  }
  const spent: Record<string, number[]> = {};
  for (const row of resolutions) (spent[row.severity] ??= []).push((Date.parse(row.resolvedAt) - Date.parse(row.firstDetectedAt)) / DAY);
  for (const row of deadlines) {
    if (row.dueAt === null) continue;
    if (row.resolvedAt <= row.dueAt) met++;
    else missed++;
  }
  const mttrDays = Object.fromEntries(severityKeys.map((s) => [s, spent[s]?.length ? round1(spent[s]!.reduce((a, b) => a + b, 0) / spent[s]!.length) : null]));
  return { periodDays, open: open.length, openByAge, breached, mttrDays, compliance: { met, missed, percent: met + missed === 0 ? null : round1((100 * met) / (met + missed)) } };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
