import type { Generated } from 'kysely';

/** Tables of the risk module (see DESIGN.md "Risk"). */
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

/** One row per vulnerability: what its risk is computed from, and the result. Written only by this module. */
export interface VulnerabilityRiskTable {
  vulnerability_id: number;
  project_id: number;
  /** Copies of the vulnerability's effective severity and whether a person set it: the weight without CVSS. */
  severity: string;
  severity_overridden: number;
  /** The CVSS vector the score comes from (canonical) and the environmental metrics a maintainer set for it. */
  cvss_version: string | null;
  cvss_vector: string | null;
  cvss_environmental: string | null;
  /** Overall CVSS score with the project's and the vulnerability's environmental metrics applied. */
  cvss_score: number | null;
  ssvc_automatable: string | null;
  ssvc_technical_impact: string | null;
  /** A link in the report to public exploit code: SSVC "poc" evidence. */
  exploit_reference: string | null;
  exploitation_override: string | null;
  epss: number | null;
  epss_percentile: number | null;
  kev: Generated<number>;
  kev_ransomware: Generated<number>;
  ssvc: string | null;
  risk_score: Generated<number>;
}

export interface RiskTables {
  vulnerability_risk: VulnerabilityRiskTable;
  feed_imports: FeedImportsTable;
  epss_scores: EpssScoresTable;
  epss_history: EpssHistoryTable;
  kev_entries: KevEntriesTable;
  project_risk_settings: ProjectRiskSettingsTable;
  risk_policy: RiskPolicyTable;
}
