export interface JobOptions {
  /** Attempts after the first failure (default 3). */
  retryLimit?: number;
  /** Seconds before the first retry (default 30); with retryBackoff, doubling each time (default true). */
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  /** At most one queued-or-running job with this key per name (deduplication). */
  singletonKey?: string;
  startAfterSeconds?: number;
  /**
   * On PostgreSQL, a run not finished after this many seconds counts as failed and is retried (default 900): how a
   * worker that died mid-job is noticed. In-process on SQLite, a restart does that instead.
   */
  timeoutSeconds?: number;
}

export type JobHandler<T> = (data: T) => Promise<void>;

/**
 * Background jobs: pg-boss on PostgreSQL (any number of processes), an in-process loop over the `jobs`
 * table on SQLite. Call start() before the other methods.
 */
export interface JobQueue {
  start(): Promise<void>;
  /** Waits for running handlers, then stops. */
  stop(): Promise<void>;
  /** The job's id, or null when deduplicated by singletonKey. */
  send<T extends object>(name: string, data: T, options?: JobOptions): Promise<string | null>;
  /** Runs `handler` for jobs of this name, one at a time per process; a thrown error fails the attempt. */
  work<T extends object>(name: string, handler: JobHandler<T>): Promise<void>;
  /** Runs `name` (with empty data) every `everyMinutes` minutes; with several processes on PostgreSQL at most one run per period. */
  schedule(name: string, everyMinutes: number): Promise<void>;
}

/** Knobs for tests only: production keeps the defaults. */
export interface QueueTuning {
  /** How often idle workers look for due jobs (default 250 ms embedded, 2 s on pg-boss). */
  pollIntervalMs?: number;
  /** How often pg-boss looks for runs past their timeout (default 60 s). */
  superviseIntervalSeconds?: number;
}
