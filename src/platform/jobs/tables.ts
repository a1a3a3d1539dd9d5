import type { Generated } from 'kysely';

/** The embedded queue's tables (created on both dialects; only SQLite uses them, pg-boss has its own schema). */
export interface JobsTable {
  id: string;
  name: string;
  data_json: string;
  state: 'queued' | 'active' | 'completed' | 'failed';
  singleton_key: string | null;
  /** Runs started so far, including one in progress. */
  attempts: number;
  retry_limit: number;
  retry_delay_seconds: number;
  retry_backoff: number;
  /** When a queued job becomes due (first run or next retry). */
  run_at: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  last_error: string | null;
}

export interface JobSchedulesTable {
  name: string;
  every_minutes: number;
  /** Start of the latest period whose run was enqueued: a restart neither repeats nor skips it. */
  last_period_at: string | null;
}

export type JobRunState = 'queued' | 'running' | 'succeeded' | 'failed';

/** Work people wait for (runs.ts): its status, and what it produced or why it failed. */
export interface JobRunsTable {
  id: Generated<number>;
  kind: string;
  project_id: number | null;
  created_by: number | null;
  state: JobRunState;
  /** Runs started so far, including one in progress. */
  attempts: number;
  params_json: string;
  result_json: string | null;
  /** A problem document: { type, title, detail, field? }. */
  error_json: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface JobPayloadsTable {
  job_id: number;
  body: Uint8Array;
}

export interface JobsTables {
  jobs: JobsTable;
  job_schedules: JobSchedulesTable;
  job_runs: JobRunsTable;
  job_payloads: JobPayloadsTable;
}
