import type { Generated } from 'kysely';

/** Tables of the SLA module. */
export interface SlaPoliciesTable {
  id: Generated<number>;
  scope_type: 'group' | 'project';
  scope_id: number;
  policy_json: string;
  updated_at: string;
}

/** One row per vulnerability: when its clock could start, when it did, and when it is due (null: no SLA). */
export interface VulnerabilitySlaTable {
  vulnerability_id: number;
  project_id: number;
  detected_at: string;
  default_detected_at: string | null;
  reopened_at: string | null;
  started_at: string | null;
  due_at: string | null;
  due_soon_at: string | null;
  breach_notified_for: string | null;
  due_soon_notified_for: string | null;
  acceptance_expires_at: string | null;
}

export interface SlaResolutionsTable {
  id: Generated<number>;
  vulnerability_id: number;
  project_id: number;
  severity: string;
  started_at: string | null;
  due_at: string | null;
  resolved_at: string;
}

export interface SlaTables {
  sla_resolutions: SlaResolutionsTable;
  sla_policies: SlaPoliciesTable;
  vulnerability_sla: VulnerabilitySlaTable;
}
