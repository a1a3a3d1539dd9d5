import type { Generated } from 'kysely';
import type { DiscussionTables } from './discussion-tables.js';

/** Tables of the vulnerability module (see DESIGN.md "The vulnerability model"). */
export interface ScansTable {
  id: Generated<number>;
  project_id: number;
  ref: string;
  commit_sha: string | null;
  pipeline_id: string | null;
  idempotency_key: string | null;
  format: string;
  format_version: string | null;
  scanner_id: string;
  scanner_name: string;
  scanner_version: string | null;
  report_type: string;
  /** What this scan covered: "no longer detected" is decided only within the same scope on the same ref. */
  scope_key: string;
  finding_count: number;
  summary_json: string;
  created_by: number | null;
  created_at: string;
}

export interface VulnerabilitiesTable {
  id: Generated<number>;
  project_id: number;
  title: string;
  description: string | null;
  /** Effective severity (the override when there is one): what lists filter and sort on. */
  severity: string;
  /** The severity as a number (critical 5 … unknown 0), generated from it: what the severity sort reads (0011). */
  severity_rank: Generated<number>;
  scanner_severity: string;
  severity_overridden: number;
  report_type: string;
  scanner_id: string;
  primary_identifier: string;
  file: string | null;
  start_line: number | null;
  package_name: string | null;
  location_json: string;
  details_json: string;
  solution: string | null;
  state: string;
  dismissal_reason: string | null;
  present_on_default: number;
  first_detected_at: string;
  last_detected_at: string;
  resolved_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface VulnerabilityIdentifiersTable {
  vulnerability_id: number;
  position: number;
  type: string;
  value: string;
  name: string | null;
  url: string | null;
}

export interface VulnerabilityFingerprintsTable {
  project_id: number;
  vulnerability_id: number;
  algorithm: string;
  version: number;
  hash: string;
}

export interface OccurrencesTable {
  id: Generated<number>;
  project_id: number;
  vulnerability_id: number;
  ref: string;
  scope_key: string;
  state: 'present' | 'fixed';
  first_seen_scan_id: number;
  last_seen_scan_id: number;
  fixed_scan_id: number | null;
  location_json: string;
  updated_at: string;
}

export interface VulnerabilityEventsTable {
  id: Generated<number>;
  project_id: number;
  vulnerability_id: number;
  at: string;
  actor_id: number | null;
  actor: string;
  kind: string;
  from_value: string | null;
  to_value: string | null;
  reason: string | null;
  comment: string | null;
  scan_id: number | null;
}

/** How many vulnerabilities a project has per facet value combination, kept in step by triggers (0011). */
export interface VulnerabilityCountsTable {
  project_id: number;
  state: string;
  severity: string;
  report_type: string;
  scanner_id: string;
  n: number;
}

export interface VulnsTables extends DiscussionTables {
  scans: ScansTable;
  vulnerabilities: VulnerabilitiesTable;
  vulnerability_identifiers: VulnerabilityIdentifiersTable;
  vulnerability_fingerprints: VulnerabilityFingerprintsTable;
  occurrences: OccurrencesTable;
  vulnerability_events: VulnerabilityEventsTable;
  vulnerability_counts: VulnerabilityCountsTable;
}
