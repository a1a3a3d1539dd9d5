import { CompiledQuery, sql } from 'kysely';
import PgBoss from 'pg-boss';
import type { Services } from '../context.js';
import { assertJobName, DEFAULT_JOB_OPTIONS, resolveJobOptions, type ResolvedJobOptions } from './options.js';
import type { JobHandler, JobOptions, JobQueue, QueueTuning } from './queue.js';
import { cronFor } from './schedule.js';

const SCHEMA = 'pgboss';
/** stop() waits this long for running handlers (the default job timeout). */
const STOP_WAIT_SECONDS = DEFAULT_JOB_OPTIONS.timeoutSeconds;

function sendOptions(options: ResolvedJobOptions): PgBoss.SendOptions {
  return {
    retryLimit: options.retryLimit,
    retryDelay: options.retryDelaySeconds,
    retryBackoff: options.retryBackoff,
    startAfter: options.startAfterSeconds,
    expireInSeconds: options.timeoutSeconds,
  };
}

/** The PostgreSQL job queue: pg-boss, safe with any number of processes on the same database. */
export class PgBossJobQueue implements JobQueue {
  private readonly boss: PgBoss;
  /** Queues this process has created; creation is idempotent, so other processes need not know. */
  private readonly queues = new Set<string>();
  /** This process's worker per job name, to wake it when this process sends (others find jobs by polling). */
  private readonly workers = new Map<string, string>();
  private started = false;

  constructor(
    private readonly svc: Services,
    databaseUrl: string,
    tuning: QueueTuning = {},
  ) {
    const poll = tuning.pollIntervalMs;
    this.boss = new PgBoss({
      connectionString: databaseUrl,
      schema: SCHEMA,
      application_name: 'vigil-jobs',
      // pg-boss's floors: workers poll at most every 0.5 s, the cron monitor every second.
      ...(poll !== undefined && {
        pollingIntervalSeconds: Math.max(0.5, poll / 1000),
        cronMonitorIntervalSeconds: Math.max(1, Math.ceil(poll / 1000)),
        cronWorkerIntervalSeconds: Math.max(1, Math.ceil(poll / 1000)),
      }),
      ...(tuning.superviseIntervalSeconds !== undefined && { maintenanceIntervalSeconds: Math.max(1, tuning.superviseIntervalSeconds) }),
    });
    // Without a listener an 'error' event would crash the process; pg-boss recovers by itself.
    this.boss.on('error', (error) => svc.log.error({ err: error }, 'job queue error'));
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    this.started = true;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: STOP_WAIT_SECONDS * 1000 });
    this.workers.clear();
  }

  async send<T extends object>(name: string, data: T, options?: JobOptions): Promise<string | null> {
    this.assertStarted();
    assertJobName(name);
    const resolved = resolveJobOptions(options);
    await this.ensureQueue(name);
    const id = resolved.singletonKey === null
      ? await this.boss.send(name, data, sendOptions(resolved))
      : await this.sendUnlessPending(name, data, resolved.singletonKey, sendOptions(resolved));
    const worker = this.workers.get(name);
    if (id !== null && worker !== undefined) this.boss.notifyWorker(worker);
    return id;
  }

  async work<T extends object>(name: string, handler: JobHandler<T>): Promise<void> {
    this.assertStarted();
    assertJobName(name);
    if (this.workers.has(name)) throw new Error(`a handler for job "${name}" is already registered`);
    await this.ensureQueue(name);
    const worker = await this.boss.work<T>(name, { batchSize: 1 }, async (jobs) => {
      for (const job of jobs) {
        try {
          await handler(job.data);
        } catch (error) {
          this.svc.log.warn({ err: error, job: job.id, name }, 'job failed');
          throw error;
        }
      }
    });
    this.workers.set(name, worker);
  }

  async schedule(name: string, everyMinutes: number): Promise<void> {
    this.assertStarted();
    assertJobName(name);
    const cron = cronFor(everyMinutes);
    await this.ensureQueue(name);
    // pg-boss lets one process per interval evaluate crons and deduplicates each minute's send, so several
    // processes scheduling the same name still produce one job per period.
    await this.boss.schedule(name, cron, {}, { ...sendOptions(DEFAULT_JOB_OPTIONS), tz: 'UTC' });
  }

  private assertStarted(): void {
    if (!this.started) throw new Error('the job queue is not running: call start() first');
  }

  private async ensureQueue(name: string): Promise<void> {
    if (this.queues.has(name)) return;
    await this.boss.createQueue(name);
    this.queues.add(name);
  }

  /**
   * pg-boss 10 only deduplicates by singletonKey under queue policies that also throttle jobs without a key,
   * so "at most one queued-or-running job per key" is a transaction here: lock the key, look, insert.
   */
  private async sendUnlessPending(name: string, data: object, key: string, options: PgBoss.SendOptions): Promise<string | null> {
    return this.svc.db.kysely.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${name}), hashtext(${key}))`.execute(trx);
      // pg-boss's job_state enum is ordered created < retry < active < completed < cancelled < failed.
      const pending = await sql`SELECT 1 FROM ${sql.table(`${SCHEMA}.job`)}
        WHERE name = ${name} AND singleton_key = ${key} AND state < 'completed' LIMIT 1`.execute(trx);
      if (pending.rows.length > 0) return null;
      const db = { executeSql: (text: string, values: unknown[]) => trx.executeQuery(CompiledQuery.raw(text, values)) };
      return this.boss.send(name, data, { ...options, singletonKey: key, db });
    });
  }
}
