import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import { DAY } from '../../platform/clock.js';
import type { Services } from '../../platform/context.js';
import { chunks } from '../../platform/db/batch.js';
import { toDbTime } from '../../platform/db/time.js';
import { RISK_SORT } from '../../risk/report-columns.js';
import { slaFilter } from '../../sla/report-columns.js';
import { SEVERITIES, type Severity } from '../model.js';
import { scopeQuery } from '../report.js';
import { OPEN_STATES } from '../triage-states.js';
import type { DashboardCurrentTable } from './tables.js';

/**
 * A project's figures of "now": open vulnerabilities by severity, SLA status, age since first detection, risk and
 * CWEs. Computed live for one project (the report's scope query, so "open" and the joins mean what the report's
 * do); stored per project by the statistics job, so a group dashboard sums a thousand small rows instead of joining
 * a million vulnerabilities.
 */
export const AGE_BUCKETS = [
  { label: '< 30 days', minDays: 0, maxDays: 30, column: 'age_30' },
  { label: '30–90 days', minDays: 30, maxDays: 90, column: 'age_90' },
  { label: '90–180 days', minDays: 90, maxDays: 180, column: 'age_180' },
  { label: '180–365 days', minDays: 180, maxDays: 365, column: 'age_365' },
  { label: '> 1 year', minDays: 365, maxDays: null, column: 'age_older' },
] as const;

export interface CurrentFigures {
  projectId: number;
  open: Record<Severity, number>;
  sla: { onTrack: number; dueSoon: number; overdue: number };
  /** Open vulnerabilities per AGE_BUCKETS entry. */
  ages: number[];
  riskTotal: number;
  riskMax: number;
  /** Open vulnerabilities per CWE (`CWE-79`), however the report spelled it. */
  cwes: Map<string, number>;
  /** The first moment an open vulnerability changes SLA status or age bucket; null: never, as things stand. */
  validUntil: string | null;
}

/**
 * A CWE identifier as `CWE-<n>`: most formats write it so, GitLab reports may give the bare number (and some put rule
 * names under the type "cwe": those are not counted).
 */
const CWE_VALUE = sql.ref('vulnerability_identifiers.value');
const CWE = sql<string>`case when upper(${CWE_VALUE}) like 'CWE-%' then upper(${CWE_VALUE}) else 'CWE-' || ${CWE_VALUE} end`;
const IS_CWE = sql<SqlBool>`(upper(${CWE_VALUE}) like 'CWE-%' or (${CWE_VALUE} <> '' and ltrim(${CWE_VALUE}, '0123456789') = ''))`;

const count = (condition: Expression<unknown>) => sql<number | null>`sum(case when ${condition} then 1 else 0 end)`;

/**
 * Age counts from the SLA row's `detected_at` — the first detection, written with the vulnerability and never moved —
 * rather than `vulnerabilities.first_detected_at`: then the query reads the narrow SLA and risk rows and the
 * (project, state, severity) index, never the wide vulnerability rows.
 */
const DETECTED = sql.ref('vulnerability_sla.detected_at');

/** The figures of each project, in the order given: grouped queries over the projects (a chunk at a time), not one each. */
export async function currentFigures(svc: Services, projectIds: readonly number[], at: Date): Promise<CurrentFigures[]> {
  const byProject = new Map<number, CurrentFigures>();
  for (const part of chunks([...projectIds])) for (const f of await figuresOfChunk(svc, part, at)) byProject.set(f.projectId, f);
  return projectIds.map((id) => byProject.get(id) ?? emptyFigures(id));
}

/** A project without open vulnerabilities (no row in the grouped query). */
function emptyFigures(projectId: number): CurrentFigures {
  return {
    projectId,
    open: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>,
    sla: { onTrack: 0, dueSoon: 0, overdue: 0 },
    ages: AGE_BUCKETS.map(() => 0),
    riskTotal: 0,
    riskMax: 0,
    cwes: new Map(),
    validUntil: null,
  };
}

async function figuresOfChunk(svc: Services, projectIds: number[], at: Date): Promise<CurrentFigures[]> {
  const now = toDbTime(at);
  const bounded = AGE_BUCKETS.filter((b) => b.maxDays !== null).map((b) => ({ days: b.maxDays!, since: toDbTime(new Date(at.getTime() - b.maxDays! * DAY)) }));
  const open = () => scopeQuery(svc, { kind: 'instance', userId: null }).where('vulnerabilities.project_id', 'in', projectIds).where('vulnerabilities.state', 'in', [...OPEN_STATES]);
  const rows = await open()
    .select([
      'vulnerabilities.project_id',
      ...SEVERITIES.map((s) => count(sql`vulnerabilities.severity = ${sql.lit(s)}`).as(s)),
      count(slaFilter(['ok'], now)).as('on_track'),
      count(slaFilter(['due_soon'], now)).as('due_soon'),
      count(slaFilter(['breached'], now)).as('overdue'),
      // Younger than each bound (cumulative), and the oldest such: it is the next to cross that bound.
      ...bounded.flatMap((b) => [
        count(sql`${DETECTED} > ${b.since}`).as(`under_${b.days}`),
        sql<string | null>`min(case when ${DETECTED} > ${b.since} then ${DETECTED} end)`.as(`oldest_under_${b.days}`),
      ]),
      sql<string | null>`min(case when vulnerability_sla.due_soon_at > ${now} then vulnerability_sla.due_soon_at end)`.as('next_due_soon'),
      sql<string | null>`min(case when vulnerability_sla.due_at >= ${now} then vulnerability_sla.due_at end)`.as('next_due'),
      sql<number | null>`sum(${RISK_SORT})`.as('risk_total'),
      sql<number | null>`max(${RISK_SORT})`.as('risk_max'),
      sql<number>`count(*)`.as('total'),
    ])
    .groupBy('vulnerabilities.project_id')
    .execute();
  const cwes = await open()
    .innerJoin('vulnerability_identifiers', 'vulnerability_identifiers.vulnerability_id', 'vulnerabilities.id')
    .where('vulnerability_identifiers.type', '=', 'cwe')
    .where(IS_CWE)
    .select(['vulnerabilities.project_id', CWE.as('cwe'), sql<number>`count(distinct vulnerabilities.id)`.as('n')])
    .groupBy(['vulnerabilities.project_id', CWE])
    .execute();
  const cwesOf = new Map<number, Map<string, number>>();
  for (const c of cwes) {
    const id = Number(c.project_id);
    cwesOf.set(id, (cwesOf.get(id) ?? new Map<string, number>()).set(c.cwe, Number(c.n)));
  }
  return rows.map((row) => {
    const r = row as unknown as Record<string, string | number | null>;
    const n = (key: string) => Number(r[key] ?? 0);
    const under = bounded.map((b) => n(`under_${b.days}`));
    const ages = [...under.map((u, i) => u - (i === 0 ? 0 : under[i - 1]!)), n('total') - under.at(-1)!];
    const crossings = bounded.flatMap((b) => {
      const oldest = r[`oldest_under_${b.days}`];
      return typeof oldest === 'string' ? [toDbTime(new Date(Date.parse(oldest) + b.days * DAY))] : [];
    });
    const projectId = Number(row.project_id);
    return {
      projectId,
      open: Object.fromEntries(SEVERITIES.map((s) => [s, n(s)])) as Record<Severity, number>,
      sla: { onTrack: n('on_track'), dueSoon: n('due_soon'), overdue: n('overdue') },
      ages,
      riskTotal: n('risk_total'),
      riskMax: n('risk_max'),
      cwes: cwesOf.get(projectId) ?? new Map(),
      validUntil: earliest([...crossings, r.next_due_soon, r.next_due].filter((x): x is string => typeof x === 'string')),
    };
  });
}

function earliest(moments: string[]): string | null {
  return moments.length === 0 ? null : moments.reduce((a, b) => (b < a ? b : a));
}

/** The snapshot row of figures computed at `computedAt`; events from `dirtyAfter` on make it stale. */
export function snapshotRow(f: CurrentFigures, computedAt: string, dirtyAfter: string): Selectable<DashboardCurrentTable> {
  return {
    project_id: f.projectId,
    computed_at: computedAt,
    dirty_after: dirtyAfter,
    valid_until: f.validUntil,
    ...f.open,
    on_track: f.sla.onTrack,
    due_soon: f.sla.dueSoon,
    overdue: f.sla.overdue,
    ...Object.fromEntries(AGE_BUCKETS.map((b, i) => [b.column, f.ages[i]!])),
    risk_total: f.riskTotal,
    risk_max: f.riskMax,
  } as Selectable<DashboardCurrentTable>;
}

/** The figures a snapshot row holds (its CWEs come from their own table). */
export function figuresOfSnapshot(row: Selectable<DashboardCurrentTable>, cwes: Map<string, number>): CurrentFigures {
  return {
    projectId: row.project_id,
    open: Object.fromEntries(SEVERITIES.map((s) => [s, Number(row[s])])) as Record<Severity, number>,
    sla: { onTrack: Number(row.on_track), dueSoon: Number(row.due_soon), overdue: Number(row.overdue) },
    ages: AGE_BUCKETS.map((b) => Number(row[b.column])),
    riskTotal: Number(row.risk_total),
    riskMax: Number(row.risk_max),
    cwes,
    validUntil: row.valid_until,
  };
}
