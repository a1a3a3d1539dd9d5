import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectName } from '../../platform/db/connect.js';
import type { Database } from '../../platform/db/schema.js';
import { OPEN_STATES } from '../triage-states.js';
import { dayStart, daysBetween, dayOf } from './days.js';

/**
 * The daily statistics of projects, reconstructed from the event history — for a project's first 400 days after an
 * upgrade or its first ingest, and (the same code, a shorter range) for yesterday and today on every job run.
 *
 * Open counts are rolled *back* from the present: the open vulnerabilities now (an indexed count) minus what each
 * later day's events changed. Every state change writes an event (`state`, from → to: triage, reopen, auto-resolve,
 * scanner assessments, expired acceptances) and every new vulnerability a `detected` one (it starts as "detected",
 * open; a scanner's own assessment follows as a state event at the same moment), so
 *
 *   open at the end of day D = open now − Σ over events after D of (+1 per detection, ±1 per state change between
 *   open and not open).
 *
 * Anchoring on the present makes today exact and needs no state at the start of history. Severity is the
 * vulnerability's current one throughout: an override or a scanner's new severity moves the vulnerability's whole
 * past to that severity (history per severity is approximate by design; totals and state changes are exact).
 * A vulnerability written without a `detected` event (bulk-loaded, never ingested) counts as open since before the
 * window.
 */
export interface DayFigures {
  open: number;
  new: number;
  resolved: number;
  /** Sum over the day's resolutions of resolution − first detection. */
  resolutionSeconds: number;
  resolvedInTime: number;
  resolvedLate: number;
}

export interface DailyRow extends DayFigures {
  projectId: number;
  severity: string;
  day: string;
}

/** What one day's events changed: the open count's change and the day's own counts. */
export type DayChanges = Omit<DayFigures, 'open'> & { openDelta: number };

const NO_CHANGE: DayChanges = { openDelta: 0, new: 0, resolved: 0, resolutionSeconds: 0, resolvedInTime: 0, resolvedLate: 0 };

/**
 * The figures of each of `days` (oldest first, ending today), given the open count now and each day's changes:
 * today ends with `openNow` open, and each earlier day with the next day's count less that day's change.
 */
export function rollBack(openNow: number, changes: ReadonlyMap<string, DayChanges>, days: readonly string[]): DayFigures[] {
  const out: DayFigures[] = new Array<DayFigures>(days.length);
  let open = openNow;
  for (let i = days.length - 1; i >= 0; i--) {
    const { openDelta, ...counts } = changes.get(days[i]!) ?? NO_CHANGE;
    out[i] = { open, ...counts };
    open -= openDelta;
  }
  return out;
}

export function isEmpty(f: DayFigures): boolean {
  return f.open === 0 && f.new === 0 && f.resolved === 0 && f.resolvedInTime === 0 && f.resolvedLate === 0;
}

/** Whole seconds from one stored timestamp to another. */
function secondsBetween(dialect: DialectName, from: RawBuilder<unknown>, to: RawBuilder<unknown>): RawBuilder<number> {
  return dialect === 'sqlite'
    ? sql<number>`cast(round((julianday(${to}) - julianday(${from})) * 86400) as integer)`
    : sql<number>`round(extract(epoch from (${to}::timestamptz - ${from}::timestamptz)))::bigint`;
}

const openFlag = (column: string) => sql`(case when ${sql.ref(column)} in (${sql.join(OPEN_STATES.map((s) => sql.lit(s)))}) then 1 else 0 end)`;

/**
 * Every project's daily rows from `from` through today (the day of `now`), all-zero days left out. Call it inside a
 * transaction (repeatable read on PostgreSQL): the count of now and the events must be one snapshot.
 */
export async function reconstructDays(db: Kysely<Database>, dialect: DialectName, projectIds: readonly number[], from: string, now: Date): Promise<DailyRow[]> {
  if (projectIds.length === 0) return [];
  const ids = [...projectIds];
  const since = dayStart(from);
  const openNow = await db
    .selectFrom('vulnerabilities')
    .select(['project_id', 'severity', (eb) => eb.fn.countAll<number>().as('n')])
    .where('project_id', 'in', ids)
    .where('state', 'in', [...OPEN_STATES])
    .groupBy(['project_id', 'severity'])
    .execute();
  const resolvedHere = sql`(e.kind = 'state' and e.to_value = 'resolved')`;
  const events = await db
    .selectFrom('vulnerability_events as e')
    .innerJoin('vulnerabilities as v', 'v.id', 'e.vulnerability_id')
    .select([
      'e.project_id',
      'v.severity',
      sql<string>`substr(e.at, 1, 10)`.as('day'),
      sql<number>`sum(case when e.kind = 'detected' then 1 else 0 end)`.as('new_count'),
      sql<number>`sum(case when e.kind = 'detected' then 1 else ${openFlag('e.to_value')} - ${openFlag('e.from_value')} end)`.as('open_delta'),
      sql<number>`sum(case when ${resolvedHere} then 1 else 0 end)`.as('resolved_count'),
      sql<number>`cast(sum(case when ${resolvedHere} then ${secondsBetween(dialect, sql.ref('v.first_detected_at'), sql.ref('e.at'))} else 0 end) as bigint)`.as('resolution_seconds'),
    ])
    .where('e.project_id', 'in', ids)
    .where('e.kind', 'in', ['detected', 'state'])
    .where('e.at', '>=', since)
    .groupBy(['e.project_id', 'v.severity', sql`substr(e.at, 1, 10)`])
    .execute();
  // Resolutions with the deadline they had (written by the SLA module at each resolution, with its severity then).
  const deadlines = await db
    .selectFrom('sla_resolutions')
    .select([
      'project_id',
      'severity',
      sql<string>`substr(resolved_at, 1, 10)`.as('day'),
      sql<number>`sum(case when due_at is not null and resolved_at <= due_at then 1 else 0 end)`.as('in_time'),
      sql<number>`sum(case when due_at is not null and resolved_at > due_at then 1 else 0 end)`.as('late'),
    ])
    .where('project_id', 'in', ids)
    .where('resolved_at', '>=', since)
    .groupBy(['project_id', 'severity', sql`substr(resolved_at, 1, 10)`])
    .execute();

  const series = new Map<string, { projectId: number; severity: string; openNow: number; changes: Map<string, DayChanges> }>();
  const seriesOf = (projectId: number, severity: string) => {
    const key = `${projectId}\u0000${severity}`;
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { projectId, severity, openNow: 0, changes: new Map() }));
    return entry;
  };
  const changeOf = (projectId: number, severity: string, day: string) => {
    const { changes } = seriesOf(projectId, severity);
    let change = changes.get(day);
    if (!change) changes.set(day, (change = { ...NO_CHANGE }));
    return change;
  };
  for (const r of openNow) seriesOf(r.project_id, r.severity).openNow = Number(r.n);
  for (const r of events) {
    const change = changeOf(r.project_id, r.severity, r.day);
    change.openDelta += Number(r.open_delta);
    change.new += Number(r.new_count);
    change.resolved += Number(r.resolved_count);
    change.resolutionSeconds += Number(r.resolution_seconds);
  }
  for (const r of deadlines) {
    const change = changeOf(r.project_id, r.severity, r.day);
    change.resolvedInTime += Number(r.in_time);
    change.resolvedLate += Number(r.late);
  }

  const days = daysBetween(from, dayOf(now));
  const rows: DailyRow[] = [];
  for (const s of series.values()) {
    rollBack(s.openNow, s.changes, days).forEach((figures, i) => {
      if (!isEmpty(figures)) rows.push({ projectId: s.projectId, severity: s.severity, day: days[i]!, ...figures });
    });
  }
  return rows;
}
