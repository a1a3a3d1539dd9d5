import type { Services } from '../context.js';
import { EmbeddedJobQueue } from './embedded-queue.js';
import { PgBossJobQueue } from './pgboss-queue.js';
import type { JobQueue, QueueTuning } from './queue.js';

export type { JobHandler, JobOptions, JobQueue, QueueTuning } from './queue.js';

/** The job queue for the Services' database: pg-boss on PostgreSQL, the embedded loop on SQLite. */
export function createJobQueue(svc: Services, tuning: QueueTuning = {}): JobQueue {
  if (svc.db.dialect === 'sqlite') return new EmbeddedJobQueue(svc, tuning.pollIntervalMs);
  if (!svc.config.databaseUrl) throw new Error('the PostgreSQL job queue needs DATABASE_URL (config.databaseUrl)');
  return new PgBossJobQueue(svc, svc.config.databaseUrl, tuning);
}
