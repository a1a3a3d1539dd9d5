import { sql } from 'kysely';
import { DAY } from '../../platform/clock.js';
import type { Services } from '../../platform/context.js';
import { chunks } from '../../platform/db/batch.js';
import { toDbTime } from '../../platform/db/time.js';
import type { Group, Project } from '../../platform/namespaces/model.js';
import { SEVERITIES, type Severity } from '../model.js';
import { reconstructDays, type DayFigures } from './backfill.js';
import { AGE_BUCKETS, currentFigures, figuresOfSnapshot, type CurrentFigures } from './current.js';
import { dayOf, dayStart, weeksOf, windowDays } from './days.js';
import type { Dashboard } from './json.js';
import { changedSince, projectsBelow } from './stats-store.js';
import { STATS_JOB_MINUTES } from './stats-job.js';

/**
 * A project's or group's security dashboard. History (the days before today) comes from the daily statistics the
 * job stores; "now" is live: a project's figures are computed on the spot (one project is cheap), a group's are the
 * sum of its projects' snapshots, except that a project that changed since its snapshot (an event: a detection, a
 * dismissal, a resolution, an override) or whose snapshot expired is computed live. So a dismissal shows at once,
 * and a group of a thousand projects costs a thousand small rows plus the few projects that moved.
 *
 * The definitions are those of the SLA figures (src/sla/figures.ts): MTTR runs from first detection to each
 * resolution (one fixed twice counts twice), a resolution is in time when it came at or before the deadline it had
 * then (sla_resolutions). figures.ts computes them in JavaScript over every open vulnerability of the scope, which a
 * group of a million cannot afford; here they are sums of daily sums. Compliance differs on purpose, as the dashboard
 * contract says: resolved in time / all resolved with a deadline (figures.ts also counts open breaches as missed).
 */
export type DashboardScope = { kind: 'project'; project: Project } | { kind: 'group'; group: Group };

/** Medians need every resolution of the window: read them up to this many, else the median is null. */
export const MEDIAN_LIMIT = 2_000;

type Member = { id: number; full_path: string };
type BySeverity = Map<string, DayFigures>;

interface Now {
  figures: CurrentFigures[];
  cwes: Map<string, number>;
  /** Today's new, resolved and deadline counts by severity. */
  today: BySeverity;
}

export async function loadDashboard(svc: Services, scope: DashboardScope, days: number): Promise<Dashboard> {
  const at = svc.clock.now();
  const today = dayOf(at);
  const window = windowDays(today, days);
  const db = svc.db.kysely;
  const [kind, id, fullPath] = scope.kind === 'project' ? ['project', scope.project.id, scope.project.fullPath] as const : ['group', scope.group.id, scope.group.fullPath] as const;
  const members: Member[] = scope.kind === 'project' ? [{ id, full_path: fullPath }] : await projectsBelow(db, scope.group);
  const now = scope.kind === 'project' ? await liveNow(svc, members, at) : await groupNow(svc, members, at);

  const stored = await db
    .selectFrom('dashboard_daily')
    .selectAll()
    .where('scope_type', '=', kind)
    .where('scope_id', '=', id)
    .where('day', '>=', window[0]!)
    .where('day', '<', today)
    .execute();
  const history = new Map<string, BySeverity>(window.map((d) => [d, new Map()]));
  for (const r of stored) {
    history.get(r.day)?.set(r.severity, {
      open: r.open_count, new: r.new_count, resolved: r.resolved_count, resolutionSeconds: Number(r.resolution_seconds), resolvedInTime: r.resolved_in_time, resolvedLate: r.resolved_late,
    });
  }
  history.set(today, now.today);

  const open = sumOpen(now.figures);
  const trend = window.map((day) => (day === today ? { day, ...open } : { day, ...bySeverity((s) => history.get(day)!.get(s)?.open ?? 0) }));
  const dayTotal = (day: string, key: keyof DayFigures) => [...history.get(day)!.values()].reduce((a, f) => a + f[key], 0);
  const weekly = weeksOf(window).map((w) => ({ week_start: w.weekStart, new: sum(w.days, (d) => dayTotal(d, 'new')), resolved: sum(w.days, (d) => dayTotal(d, 'resolved')) }));
  const windowTotal = (severity: string, key: keyof DayFigures) => sum(window, (d) => history.get(d)!.get(severity)?.[key] ?? 0);
  const resolvedInWindow = sum([...SEVERITIES], (s) => windowTotal(s, 'resolved'));
  const medians = resolvedInWindow > 0 && resolvedInWindow <= MEDIAN_LIMIT ? await medianDays(svc, members, dayStart(window[0]!)) : new Map<string, number>();
  const mttr = SEVERITIES.map((severity) => {
    const resolved = windowTotal(severity, 'resolved');
    return {
      severity,
      resolved,
      mean_days: resolved === 0 ? null : round(windowTotal(severity, 'resolutionSeconds') / resolved / (DAY / 1000), 1),
      median_days: resolved === 0 ? null : (medians.get(severity) ?? null),
    };
  });
  const inTime = sum([...SEVERITIES], (s) => windowTotal(s, 'resolvedInTime'));
  const late = sum([...SEVERITIES], (s) => windowTotal(s, 'resolvedLate'));
  const pathOf = new Map(members.map((m) => [m.id, m.full_path]));
  const ranked = now.figures
    .map((f) => ({ project_id: f.projectId, full_path: pathOf.get(f.projectId)!, open: sum([...SEVERITIES], (s) => f.open[s]), critical: f.open.critical, high: f.open.high, risk_max: round(f.riskMax, 2), risk_total: round(f.riskTotal, 2) }))
    .filter((p) => scope.kind === 'project' || p.open > 0)
    .sort((a, b) => b.risk_total - a.risk_total || b.open - a.open || a.full_path.localeCompare(b.full_path));

  return {
    scope: { kind, id, full_path: fullPath },
    days,
    as_of: toDbTime(at),
    open_by_severity: open,
    trend,
    weekly,
    mttr,
    sla: {
      on_track: sum(now.figures, (f) => f.sla.onTrack),
      due_soon: sum(now.figures, (f) => f.sla.dueSoon),
      overdue: sum(now.figures, (f) => f.sla.overdue),
      resolved_in_time: inTime,
      resolved_late: late,
      compliance: inTime + late === 0 ? null : round(inTime / (inTime + late), 3),
    },
    age_buckets: AGE_BUCKETS.map((b, i) => ({ label: b.label, min_days: b.minDays, max_days: b.maxDays, count: sum(now.figures, (f) => f.ages[i]!) })),
    top_projects: ranked.slice(0, 10),
    top_cwes: [...now.cwes]
      .map(([cwe, count]) => ({ cwe, count }))
      .sort((a, b) => b.count - a.count || a.cwe.localeCompare(b.cwe))
      .slice(0, 10),
  };
}

/** Every member computed on the spot, and their days so far today. */
async function liveNow(svc: Services, members: readonly Member[], at: Date): Promise<Now> {
  const figures = await currentFigures(svc, members.map((m) => m.id), at);
  const cwes = new Map<string, number>();
  for (const f of figures) addCounts(cwes, f.cwes);
  const today = new Map<string, DayFigures>();
  if (members.length > 0) {
    for (const r of await reconstructDays(svc.db.kysely, svc.db.dialect, members.map((m) => m.id), dayOf(at), at)) addFigures(today, r.severity, r);
  }
  return { figures, cwes, today };
}

/** Stored snapshots and today's rows of the members that did not change since, live figures of the others. */
async function groupNow(svc: Services, members: readonly Member[], at: Date): Promise<Now> {
  const db = svc.db.kysely;
  const readSnapshots = (ids: number[]) => db.selectFrom('dashboard_current').selectAll().where('project_id', 'in', ids).execute();
  const snapshots = new Map<number, Awaited<ReturnType<typeof readSnapshots>>[number]>();
  const changed = new Set<number>();
  for (const part of chunks(members.map((m) => m.id))) {
    for (const row of await readSnapshots(part)) snapshots.set(row.project_id, row);
    const moved = await db.selectFrom('dashboard_current as c').select('c.project_id').where('c.project_id', 'in', part).where(changedSince()).execute();
    for (const row of moved) changed.add(row.project_id);
  }
  // A snapshot whose data did not change stays in use for up to one statistics period after an age or SLA boundary
  // passes: the job recomputes it by then, and a group of a thousand projects (whose snapshots each cross some
  // boundary within minutes) is read from a thousand rows instead of recomputed live from a million vulnerabilities.
  const tolerated = toDbTime(new Date(at.getTime() - STATS_JOB_MINUTES * 60_000));
  const fresh = members.filter((m) => {
    const s = snapshots.get(m.id);
    return s !== undefined && !changed.has(m.id) && (s.valid_until === null || s.valid_until > tolerated);
  });
  const freshIds = new Set(fresh.map((m) => m.id));
  const live = await liveNow(svc, members.filter((m) => !freshIds.has(m.id)), at);

  const cwes = live.cwes;
  const today = live.today;
  for (const part of chunks(fresh.map((m) => m.id))) {
    const stored = await db
      .selectFrom('dashboard_current_cwes')
      .select(['cwe', sql<number>`sum(open_count)`.as('n')])
      .where('project_id', 'in', part)
      .groupBy('cwe')
      .execute();
    addCounts(cwes, new Map(stored.map((r) => [r.cwe, Number(r.n)])));
    const rows = await db
      .selectFrom('dashboard_daily')
      .select([
        'severity',
        sql<number>`sum(new_count)`.as('new_count'),
        sql<number>`sum(resolved_count)`.as('resolved_count'),
        sql<number>`sum(resolution_seconds)`.as('resolution_seconds'),
        sql<number>`sum(resolved_in_time)`.as('in_time'),
        sql<number>`sum(resolved_late)`.as('late'),
      ])
      .where('scope_type', '=', 'project')
      .where('scope_id', 'in', part)
      .where('day', '=', dayOf(at))
      .groupBy('severity')
      .execute();
    for (const r of rows) {
      addFigures(today, r.severity, { open: 0, new: Number(r.new_count), resolved: Number(r.resolved_count), resolutionSeconds: Number(r.resolution_seconds), resolvedInTime: Number(r.in_time), resolvedLate: Number(r.late) });
    }
  }
  return { figures: [...fresh.map((m) => figuresOfSnapshot(snapshots.get(m.id)!, new Map())), ...live.figures], cwes, today };
}

/** Median days from first detection to resolution, per (current) severity, of the resolutions since `since`. */
async function medianDays(svc: Services, members: readonly Member[], since: string): Promise<Map<string, number>> {
  const spans = new Map<string, number[]>();
  for (const part of chunks(members.map((m) => m.id))) {
    const rows = await svc.db.kysely
      .selectFrom('vulnerability_events as e')
      .innerJoin('vulnerabilities as v', 'v.id', 'e.vulnerability_id')
      .select(['v.severity', 'v.first_detected_at', 'e.at'])
      .where('e.project_id', 'in', part)
      .where('e.kind', '=', 'state')
      .where('e.to_value', '=', 'resolved')
      .where('e.at', '>=', since)
      .execute();
    for (const r of rows) spans.set(r.severity, [...(spans.get(r.severity) ?? []), (Date.parse(r.at) - Date.parse(r.first_detected_at)) / DAY]);
  }
  return new Map([...spans].map(([severity, values]) => [severity, round(median(values), 1)]));
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((a, item) => a + value(item), 0);
}

function bySeverity(value: (s: Severity) => number): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, value(s)])) as Record<Severity, number>;
}

function sumOpen(figures: readonly CurrentFigures[]): Record<Severity, number> {
  return bySeverity((s) => sum(figures, (f) => f.open[s]));
}

function addCounts(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [k, n] of from) into.set(k, (into.get(k) ?? 0) + n);
}

function addFigures(into: BySeverity, severity: string, f: DayFigures): void {
  const a = into.get(severity);
  into.set(severity, a ? { open: a.open + f.open, new: a.new + f.new, resolved: a.resolved + f.resolved, resolutionSeconds: a.resolutionSeconds + f.resolutionSeconds, resolvedInTime: a.resolvedInTime + f.resolvedInTime, resolvedLate: a.resolvedLate + f.resolvedLate } : { ...f });
}
