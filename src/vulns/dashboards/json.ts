import { Type, type Static } from 'typebox';
import { SEVERITIES, type Severity } from '../model.js';

/** The dashboard as the API returns it (the web app is written against this shape). */
const Count = Type.Integer({ minimum: 0 });
const OrNull = Type.Union([Type.Number(), Type.Null()]);
const severityCounts = Object.fromEntries(SEVERITIES.map((s) => [s, Count])) as Record<Severity, typeof Count>;

export const DASHBOARD_DAYS = [30, 90, 365] as const;

export const DashboardJson = Type.Object({
  scope: Type.Object({ kind: Type.Union([Type.Literal('project'), Type.Literal('group')]), id: Type.Integer(), full_path: Type.String() }),
  days: Type.Integer(),
  as_of: Type.String({ description: 'the moment the figures of "now" were read' }),
  open_by_severity: Type.Object(severityCounts),
  trend: Type.Array(Type.Object({ day: Type.String(), ...severityCounts }), { description: 'open at the end of each day, oldest first; the last day is today, as of now' }),
  weekly: Type.Array(Type.Object({ week_start: Type.String(), new: Count, resolved: Count }), { description: 'ISO weeks (Monday first) of the window; the first and last may be partial' }),
  mttr: Type.Array(
    Type.Object({ severity: Type.String(), resolved: Count, mean_days: OrNull, median_days: OrNull }),
  ),
  sla: Type.Object({ on_track: Count, due_soon: Count, overdue: Count, resolved_in_time: Count, resolved_late: Count, compliance: OrNull }),
  age_buckets: Type.Array(Type.Object({ label: Type.String(), min_days: Type.Integer(), max_days: Type.Union([Type.Integer(), Type.Null()]), count: Count })),
  top_projects: Type.Array(Type.Object({ project_id: Type.Integer(), full_path: Type.String(), open: Count, critical: Count, high: Count, risk_max: Type.Number(), risk_total: Type.Number() })),
  top_cwes: Type.Array(Type.Object({ cwe: Type.String(), count: Count })),
});

export type Dashboard = Static<typeof DashboardJson>;
