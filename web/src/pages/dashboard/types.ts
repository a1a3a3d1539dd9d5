import { SEVERITIES, type Severity } from '../../api/types';

/** GET {scope}/dashboard?days= — the security dashboard's figures, as the API sends them. */
export const PERIODS = [30, 90, 365] as const;
export type Period = (typeof PERIODS)[number];

export type SeverityCounts = Record<Severity, number>;

/** All severities together. */
export const totalOf = (counts: SeverityCounts) => SEVERITIES.reduce((sum, s) => sum + counts[s], 0);

export interface Dashboard {
  scope: { kind: 'project' | 'group'; id: number; full_path: string };
  days: Period;
  /** The server's "now": ages and weeks are counted from it, not from the browser's clock. */
  as_of: string;
  open_by_severity: SeverityCounts;
  /** Open vulnerabilities at the end of each day (YYYY-MM-DD), oldest first. */
  trend: (SeverityCounts & { day: string })[];
  weekly: { week_start: string; new: number; resolved: number }[];
  mttr: { severity: Severity; resolved: number; mean_days: number | null; median_days: number | null }[];
  sla: SlaSummary;
  age_buckets: AgeBucket[];
  /** Only meaningful for a group: its projects, riskiest first. */
  top_projects: { project_id: number; full_path: string; open: number; critical: number; high: number; risk_max: number; risk_total: number }[];
  top_cwes: { cwe: string; count: number }[];
}

export interface SlaSummary {
  on_track: number;
  due_soon: number;
  overdue: number;
  resolved_in_time: number;
  resolved_late: number;
  /** Share of deadlines met in the period, 0–1; null when no deadline fell in it. */
  compliance: number | null;
}

export interface AgeBucket {
  label: string;
  min_days: number;
  max_days: number | null;
  count: number;
}
