/** The API's JSON, as the app reads it (snake_case, as sent). */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info', 'unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATES = ['detected', 'confirmed', 'dismissed', 'resolved'] as const;
export const DISMISSAL_REASONS = ['acceptable_risk', 'false_positive', 'mitigating_control', 'used_in_tests', 'not_applicable'] as const;
export const SLA_STATUSES = ['breached', 'due_soon', 'ok'] as const;
export const SORTS = ['severity', 'risk', 'due_date', 'first_detected', 'last_detected'] as const;
export type Sort = (typeof SORTS)[number];

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface User {
  id: number;
  username: string;
  display_name: string;
  email: string | null;
  is_admin: boolean;
}

export interface Session {
  user: User;
  via: string;
  csrf_token: string | null;
}

export interface Group {
  id: number;
  parent_id: number | null;
  path: string;
  full_path: string;
  name: string;
  description: string;
}

export interface Project {
  id: number;
  group_id: number;
  path: string;
  full_path: string;
  name: string;
  description: string;
  default_branch: string;
  repository_url?: string | null;
}

/** Where a finding is, as stored (camelCase: the location is kept as the ingest built it). */
export interface Location {
  file: string | null;
  startLine: number | null;
  endLine: number | null;
  className: string | null;
  method: string | null;
  package: { name: string; version: string | null; ecosystem?: string | null } | null;
  image: string | null;
  operatingSystem: string | null;
  hostname: string | null;
  path: string | null;
  httpMethod: string | null;
  param: string | null;
  commitSha: string | null;
}

export interface VulnerabilitySummary {
  id: number;
  project_id: number;
  project_path: string;
  title: string;
  severity: Severity;
  scanner_severity: Severity;
  severity_overridden: boolean;
  state: string;
  dismissal_reason: string | null;
  report_type: string;
  scanner: string;
  primary_identifier: string;
  location: Location;
  present_on_default: boolean;
  first_detected_at: string;
  last_detected_at: string;
  resolved_at: string | null;
  risk: { score: number; cvss_score: number | null; cvss_version: string | null; epss: number | null; epss_percentile: number | null; kev: boolean; ssvc: string | null };
  sla: { started_at: string | null; due_at: string | null; status: string | null };
}

export interface VulnerabilityDetail extends VulnerabilitySummary {
  description: string | null;
  solution: string | null;
  details: Record<string, unknown>;
  identifiers: { type: string; value: string; name: string | null; url: string | null }[];
  occurrences: { ref: string; scope: string; state: string; first_seen_scan_id: number; last_seen_scan_id: number; fixed_scan_id: number | null; location: Location; url?: string | null }[];
  scans: { id: number; ref: string; commit: string | null; created_at: string }[];
  history: { at: string; actor: string; kind: string; from: string | null; to: string | null; reason: string | null; comment: string | null; scan_id: number | null }[];
  location_url?: string | null;
  repository_url?: string | null;
  risk_explanation: unknown;
}
