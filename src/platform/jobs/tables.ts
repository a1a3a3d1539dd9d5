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

export interface JobsTables {
  jobs: JobsTable;
  job_schedules: JobSchedulesTable;
}
