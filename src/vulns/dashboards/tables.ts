/** Tables of the security dashboards (migration 0009; why they are shaped so is said there). */
export interface DashboardDailyTable {
  scope_type: 'project' | 'group';
  scope_id: number;
  day: string;
  severity: string;
  open_count: number;
  new_count: number;
  resolved_count: number;
  resolution_seconds: number;
  resolved_in_time: number;
  resolved_late: number;
}

export interface DashboardCurrentTable {
  project_id: number;
  computed_at: string;
  dirty_after: string;
  valid_until: string | null;
  critical: number;
  high: number;
  medium: number;
  low: number;
  info: number;
  unknown: number;
  on_track: number;
  due_soon: number;
  overdue: number;
  age_30: number;
  age_90: number;
  age_180: number;
  age_365: number;
  age_older: number;
  risk_total: number;
  risk_max: number;
}

export interface DashboardCurrentCwesTable {
  project_id: number;
  cwe: string;
  open_count: number;
}

export interface DashboardTables {
  dashboard_daily: DashboardDailyTable;
  dashboard_current: DashboardCurrentTable;
  dashboard_current_cwes: DashboardCurrentCwesTable;
}
