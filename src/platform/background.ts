import { dispatchOutbox } from '../notify/dispatch.js';
import { sendDailyDigests } from '../notify/digest.js';
import { deliverDueEmails } from '../notify/email-delivery.js';
import { purgeNotificationLogs } from '../notify/retention.js';
import { deliverDueWebhooks } from '../notify/webhook-delivery.js';
import { refreshFeeds } from '../risk/feeds/refresh.js';
import { expireAcceptances } from '../sla/acceptance.js';
import { scanSla } from '../sla/scan.js';
import { refreshDashboardStats, STATS_JOB_MINUTES } from '../vulns/dashboards/stats-job.js';
import { INGEST_JOB, runQueuedUpload } from '../vulns/ingest/queued-upload.js';
import type { Services } from './context.js';
import { createJobQueue, type JobQueue } from './jobs/index.js';

/**
 * The background work of every module, as scheduled jobs (the composition root for jobs, as http/app.ts is for
 * routes). Each job is idempotent and claims its rows in the database, so several servers may run them on
 * PostgreSQL and a restart resumes where the database says.
 */
export const BACKGROUND_JOBS: readonly { name: string; everyMinutes: number; run(svc: Services): Promise<unknown> }[] = [
  { name: 'notify.deliver', everyMinutes: 1, run: (svc) => eachStep(svc, [dispatchOutbox, deliverDueWebhooks, deliverDueEmails]) },
  { name: 'sla.scan', everyMinutes: 5, run: scanSla },
  { name: 'sla.acceptance-expiry', everyMinutes: 10, run: expireAcceptances },
  { name: 'feeds.refresh', everyMinutes: 60, run: refreshFeeds },
  { name: 'notify.digest', everyMinutes: 60, run: sendDailyDigests },
  { name: 'notify.retention', everyMinutes: 1440, run: purgeNotificationLogs },
  { name: 'stats.daily', everyMinutes: STATS_JOB_MINUTES, run: refreshDashboardStats },
];

/**
 * Runs the steps in order (deliveries right after the dispatch that created them), each on its own: a failing step —
 * a poison event, an SMTP outage — is logged and does not hold up the others. Fails the job if any step failed.
 */
async function eachStep(svc: Services, steps: readonly ((svc: Services) => Promise<unknown>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step(svc);
    } catch (error) {
      svc.log.error({ err: error, step: step.name }, 'background step failed');
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}

/** Work sent on demand by the API (not on a schedule), run by whichever worker takes it. */
export const QUEUED_JOBS: readonly { name: string; run(svc: Services, data: never): Promise<void> }[] = [{ name: INGEST_JOB, run: runQueuedUpload }];

/** The job queue with the configured polling: every role needs one, the API to send and the workers to run. */
export async function openJobQueue(svc: Services): Promise<JobQueue> {
  const queue = createJobQueue(svc, { ...(svc.config.jobPollIntervalMs !== null && { pollIntervalMs: svc.config.jobPollIntervalMs }), superviseIntervalSeconds: svc.config.jobSuperviseSeconds });
  await queue.start();
  return queue;
}

/** Makes this process a worker: it runs queued work and the scheduled background jobs. */
export async function startBackground(svc: Services, queue?: JobQueue): Promise<JobQueue> {
  const jobs = queue ?? (await openJobQueue(svc));
  for (const job of QUEUED_JOBS) await jobs.work(job.name, (data) => job.run(svc, data as never));
  for (const job of BACKGROUND_JOBS) {
    await jobs.work(job.name, async () => {
      await job.run(svc);
    });
    await jobs.schedule(job.name, job.everyMinutes);
    // And once now: a server that just started (or a queue that just drained) does not wait for the next period.
    await jobs.send(job.name, {}, { singletonKey: job.name });
  }
  return jobs;
}
