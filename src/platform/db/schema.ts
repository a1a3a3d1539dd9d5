import type { Generated } from 'kysely';
import type { JobsTables } from '../jobs/tables.js';
import type { RiskTables } from '../../risk/tables.js';
import type { SlaTables } from '../../sla/tables.js';
import type { NotifyTables } from '../../notify/tables.js';
import type { VulnsTables } from '../../vulns/tables.js';
import type { DashboardTables } from '../../vulns/dashboards/tables.js';

/**
 * Table shapes of the platform module. Timestamps are ISO-8601 UTC strings with milliseconds (see time.ts)
 * so they sort as text and read the same on SQLite and PostgreSQL; booleans are 0/1 integers for the same reason.
 */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  email: string | null;
  password_hash: string | null;
  is_admin: number;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value: a stolen database does not yield live sessions. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  /** First characters of the token, enough to recognise it in a list. */
  token_prefix: string;
  scopes: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  at: string;
  username_key: string;
  ip: string;
  succeeded: number;
}

/** One row per taken full path, so a group and a project can never claim the same URL. */
export interface PathClaimsTable {
  path_key: string;
  owner_kind: 'group' | 'project';
}

export interface NamespacesTable {
  id: Generated<number>;
  parent_id: number | null;
  path: string;
  full_path: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface ProjectsTable {
  id: Generated<number>;
  namespace_id: number;
  path: string;
  full_path: string;
  name: string;
  description: string;
  default_branch: string;
  /** Resolve vulnerabilities automatically when the default branch no longer detects them. */
  auto_resolve: Generated<number>;
  /** http(s) address of the repository browser (0010_repository_url); null when unset. */
  repository_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface GroupMembersTable {
  id: Generated<number>;
  namespace_id: number;
  user_id: number;
  role: string;
  created_at: string;
  updated_at: string;
}

export interface ProjectMembersTable {
  id: Generated<number>;
  project_id: number;
  user_id: number;
  role: string;
  created_at: string;
  updated_at: string;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  /** Full path of the group or project the event belongs to: lets owners read their subtree's log. */
  scope_path: string | null;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
  request_id: string | null;
}

/** Every table: the platform's own, plus each module's (modules keep their table types in their folder). */
export interface Database extends VulnsTables, RiskTables, SlaTables, NotifyTables, JobsTables, DashboardTables {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_attempts: LoginAttemptsTable;
  path_claims: PathClaimsTable;
  namespaces: NamespacesTable;
  projects: ProjectsTable;
  group_members: GroupMembersTable;
  project_members: ProjectMembersTable;
  audit_events: AuditEventsTable;
}
