import { randomUUID } from 'node:crypto';
import { DAY, HOUR } from '../clock.js';
import type { Services } from '../context.js';
import { addMs, toDbTime } from '../db/time.js';
import { assertJobName, DEFAULT_JOB_OPTIONS, resolveJobOptions, retryDelaySeconds } from './options.js';
import type { JobHandler, JobOptions, JobQueue } from './queue.js';
import { assertEveryMinutes, periodStart } from './schedule.js';
import type { JobsTable } from './tables.js';

/** Finished jobs are kept this long for inspection, like pg-boss's retention. */
const KEEP_FINISHED_MS = 7 * DAY;
const PURGE_EVERY_MS = HOUR;

/**
 * The SQLite job queue: one in-process loop over the `jobs` table. The queue is infrastructure and runs on
 * real time (`Date`), not on `svc.clock`, which is for business rules.
 */
export class EmbeddedJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler<object>>();
  /** Handlers in flight, by job name: each name runs one job at a time, as a pg-boss worker does. */
  private readonly running = new Map<string, Promise<void>>();
  private loop: Promise<void> | null = null;
  private stopping = false;
  private woken = false;
  private wake: (() => void) | null = null;
  private lastPurge = 0;

  constructor(
    private readonly svc: Services,
    private readonly pollIntervalMs = 250,
  ) {}

  async start(): Promise<void> {
    if (this.loop) return;
    await this.recoverInterrupted();
    this.stopping = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (!this.loop) return;
    this.stopping = true;
    this.poke();
    await this.loop;
    await Promise.all(this.running.values());
    this.loop = null;
  }

  async send<T extends object>(name: string, data: T, options?: JobOptions): Promise<string | null> {
    this.assertStarted();
    assertJobName(name);
    const resolved = resolveJobOptions(options);
    const now = new Date();
    const id = randomUUID();
    const inserted = await this.svc.db.kysely
      .insertInto('jobs')
      .values({
        id,
        name,
        data_json: JSON.stringify(data),
        state: 'queued',
        singleton_key: resolved.singletonKey,
        attempts: 0,
        retry_limit: resolved.retryLimit,
        retry_delay_seconds: resolved.retryDelaySeconds,
        retry_backoff: resolved.retryBackoff ? 1 : 0,
        run_at: toDbTime(addMs(now, resolved.startAfterSeconds * 1000)),
        created_at: toDbTime(now),
      })
      // The partial unique index on (name, singleton_key) over queued/active jobs is the deduplication.
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return null;
    this.poke();
    return id;
  }

  async work<T extends object>(name: string, handler: JobHandler<T>): Promise<void> {
    this.assertStarted();
    assertJobName(name);
    if (this.handlers.has(name)) throw new Error(`a handler for job "${name}" is already registered`);
    this.handlers.set(name, handler as JobHandler<object>);
    this.poke();
  }

  async schedule(name: string, everyMinutes: number): Promise<void> {
    this.assertStarted();
    assertJobName(name);
    assertEveryMinutes(everyMinutes);
    // Keep last_period_at when re-scheduling on restart: that is what prevents a double run.
    await this.svc.db.kysely
      .insertInto('job_schedules')
      .values({ name, every_minutes: everyMinutes, last_period_at: null })
      .onConflict((oc) => oc.column('name').doUpdateSet({ every_minutes: everyMinutes }))
      .execute();
    this.poke();
  }

  private assertStarted(): void {
    if (!this.loop || this.stopping) throw new Error('the job queue is not running: call start() first');
  }

  private poke(): void {
    this.woken = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      try {
        await this.enqueueSchedules();
        await this.claimAndStart();
        await this.purgeFinished();
      } catch (error) {
        this.svc.log.error({ err: error }, 'job queue poll failed');
      }
      if (this.woken || this.stopping) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollIntervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /**
   * A job still `active` at start was running when its process died: that counts as a failed attempt, so a
   * job that kills the process cannot loop forever.
   */
  private async recoverInterrupted(): Promise<void> {
    const now = toDbTime(new Date());
    const error = 'interrupted: the process stopped while the job was running';
    await this.svc.db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('jobs')
        .set({ state: 'failed', finished_at: now, last_error: error })
        .where('state', '=', 'active')
        .where((eb) => eb('attempts', '>', eb.ref('retry_limit')))
        .execute();
      const requeued = await trx
        .updateTable('jobs')
        .set({ state: 'queued', run_at: now, last_error: error })
        .where('state', '=', 'active')
        .executeTakeFirst();
      const count = Number(requeued.numUpdatedRows);
      if (count > 0) this.svc.log.warn({ jobs: count }, 'requeued jobs interrupted by a previous shutdown');
    });
  }

  /** Enqueues one run per schedule whose current period has not run yet (including periods missed while down). */
  private async enqueueSchedules(): Promise<void> {
    const now = new Date();
    const schedules = await this.svc.db.kysely.selectFrom('job_schedules').selectAll().execute();
    for (const schedule of schedules) {
      const period = toDbTime(periodStart(now, schedule.every_minutes));
      if (schedule.last_period_at !== null && schedule.last_period_at >= period) continue;
      await this.svc.db.kysely.transaction().execute(async (trx) => {
        // Compare-and-set on the stored period: a second queue on the same database cannot enqueue it again.
        const claimed = await trx
          .updateTable('job_schedules')
          .set({ last_period_at: period })
          .where('name', '=', schedule.name)
          .where((eb) => eb.or([eb('last_period_at', 'is', null), eb('last_period_at', '<', period)]))
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) return;
        await trx
          .insertInto('jobs')
          .values({
            id: randomUUID(),
            name: schedule.name,
            data_json: '{}',
            state: 'queued',
            singleton_key: null,
            attempts: 0,
            retry_limit: DEFAULT_JOB_OPTIONS.retryLimit,
            retry_delay_seconds: DEFAULT_JOB_OPTIONS.retryDelaySeconds,
            retry_backoff: DEFAULT_JOB_OPTIONS.retryBackoff ? 1 : 0,
            run_at: toDbTime(now),
            created_at: toDbTime(now),
          })
          .execute();
      });
    }
  }

  private async claimAndStart(): Promise<void> {
    for (const [name, handler] of this.handlers) {
      if (this.stopping || this.running.has(name)) continue;
      const job = await this.claim(name);
      if (!job) continue;
      const done = this.execute(job, handler).finally(() => {
        this.running.delete(name);
        this.poke();
      });
      this.running.set(name, done);
    }
  }

  /** Marks the oldest due job of `name` active in one statement, so two loops can never both take it. */
  private async claim(name: string): Promise<JobsTable | undefined> {
    const now = toDbTime(new Date());
    return this.svc.db.kysely
      .updateTable('jobs')
      .set((eb) => ({ state: 'active', attempts: eb('attempts', '+', 1), started_at: now }))
      .where('state', '=', 'queued')
      .where('id', '=', (eb) =>
        eb
          .selectFrom('jobs')
          .select('id')
          .where('name', '=', name)
          .where('state', '=', 'queued')
          .where('run_at', '<=', now)
          .orderBy('run_at')
          .orderBy('created_at')
          .limit(1),
      )
      .returningAll()
      .executeTakeFirst();
  }

  private async execute(job: JobsTable, handler: JobHandler<object>): Promise<void> {
    try {
      await handler(JSON.parse(job.data_json) as object);
      await this.finish(job, { state: 'completed', finished_at: toDbTime(new Date()) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const now = new Date();
      if (job.attempts > job.retry_limit) {
        this.svc.log.error({ err: error, job: job.id, name: job.name, attempts: job.attempts }, 'job failed');
        await this.finish(job, { state: 'failed', finished_at: toDbTime(now), last_error: message });
      } else {
        const delay = retryDelaySeconds({ retryDelaySeconds: job.retry_delay_seconds, retryBackoff: job.retry_backoff === 1 }, job.attempts);
        this.svc.log.warn({ err: error, job: job.id, name: job.name, attempts: job.attempts, retryInSeconds: delay }, 'job failed; will retry');
        await this.finish(job, { state: 'queued', run_at: toDbTime(addMs(now, delay * 1000)), last_error: message });
      }
    }
  }

  private async finish(job: JobsTable, update: Partial<Pick<JobsTable, 'state' | 'finished_at' | 'run_at' | 'last_error'>>): Promise<void> {
    try {
      await this.svc.db.kysely.updateTable('jobs').set(update).where('id', '=', job.id).where('state', '=', 'active').execute();
    } catch (error) {
      // Left active, the job is retried on the next start; nothing else can be done here.
      this.svc.log.error({ err: error, job: job.id, name: job.name }, 'could not record job outcome');
    }
  }

  private async purgeFinished(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    await this.svc.db.kysely
      .deleteFrom('jobs')
      .where('state', 'in', ['completed', 'failed'])
      .where('finished_at', '<', toDbTime(new Date(now - KEEP_FINISHED_MS)))
      .execute();
  }
}
