import type { Generated } from 'kysely';

/** Tables of the risk module (see DESIGN.md "Risk"). Risk columns on vulnerabilities are in vulns/tables.ts. */
export interface FeedImportsTable {
  id: Generated<number>;
  feed: 'epss' | 'kev';
  /** The file path or URL read, as given. */
  source: string;
  /** complete: the snapshot in use; unchanged: the same snapshot again; rejected: nothing was written. */
  status: 'complete' | 'unchanged' | 'rejected';
  model_version: string | null;
  /** EPSS score_date / KEV dateReleased. */
  published_at: string | null;
  catalog_version: string | null;
  row_count: number;
  skipped_count: number;
  /** What the import did: skipped lines with their reasons, and for KEV added/removed counts. */
  report_json: string;
  error: string | null;
  actor: string;
  started_at: string;
  finished_at: string;
}

export interface EpssScoresTable {
  cve: string;
  epss: number;
  percentile: number;
}

export interface EpssHistoryTable {
  cve: string;
  score_date: string;
  model_version: string;
  epss: number;
  percentile: number;
}

export interface KevEntriesTable {
  cve: string;
  vendor_project: string;
  product: string;
  vulnerability_name: string;
  date_added: string;
  short_description: string;
  required_action: string;
  due_date: string;
  known_ransomware: number;
  notes: string;
  cwes_json: string;
  first_import_id: number;
  removed_at: string | null;
}

export interface ProjectRiskSettingsTable {
  project_id: number;
  mission_prevalence: string;
  public_well_being: string;
  mission_well_being: string;
  cvss2_environmental: string | null;
  cvss3_environmental: string | null;
  cvss4_environmental: string | null;
  updated_at: string;
}

export interface RiskPolicyTable {
  id: number;
  policy_json: string;
  updated_at: string;
}

export interface RiskTables {
  feed_imports: FeedImportsTable;
  epss_scores: EpssScoresTable;
  epss_history: EpssHistoryTable;
  kev_entries: KevEntriesTable;
  project_risk_settings: ProjectRiskSettingsTable;
  risk_policy: RiskPolicyTable;
}
