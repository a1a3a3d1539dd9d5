import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Services } from '../../platform/context.js';
import { toDbTime } from '../../platform/db/time.js';
import { AppError } from '../../platform/errors.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { failJobRun, finishJobRun, getJobRun, noteJobRunError, startJobRun, type JobRun } from '../../platform/jobs/runs.js';
import { findProject } from '../../platform/namespaces/projects.js';
import { scanJson } from '../routes/scan-json.js';
import { uploadScan } from '../scans.js';
import type { ScanRequest } from './ingest.js';
import type { Overrides } from './read-report.js';

/**
 * Large reports are ingested by a worker: the upload is stored (gzip) with a job run, the queue gets the run's id,
 * and the client polls GET /api/v1/jobs/{id}. The worker's ingest carries the idempotency key `job-<id>` (or the
 * client's own key), in the same transaction as the scan: a retry after a crash mid-ingest, or after a crash
 * between the ingest and the end of the run, finds that scan instead of writing a second one.
 */
export const INGEST_JOB = 'ingest.report';
const INGEST_ATTEMPTS = 4;

interface IngestParams {
  ref: string;
  commitSha: string | null;
  pipelineId: string | null;
  idempotencyKey: string | null;
  gzip: boolean;
  overrides: Overrides;
  actorName: string;
}

/** Reads the whole upload into a gzip buffer, counting raw bytes against the report limit. */
async function storedBody(svc: Services, body: Readable, gzip: boolean): Promise<Buffer> {
  let bytes = 0;
  const limit = svc.config.maxReportBytes;
  const counted = async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      bytes += chunk.length;
      if (bytes > limit) throw new AppError('payload-too-large', `the report is larger than ${limit} bytes (the configured limit)`);
      yield chunk;
    }
  };
  // An upload that is already gzip is kept as it came; the worker's reader checks it like any other.
  const stored = gzip ? Readable.from(counted(body)) : Readable.from(counted(body)).pipe(createGzip({ level: 1 }));
  const parts: Buffer[] = [];
  try {
    for await (const chunk of stored) parts.push(chunk as Buffer);
  } catch (error) {
    body.resume();
    throw error;
  }
  return Buffer.concat(parts);
}

/** Stores the upload and queues its ingestion; answers with the queued run. */
export async function queueUpload(svc: Services, jobs: JobQueue, request: ScanRequest, body: Readable, options: { gzip: boolean; overrides: Overrides }): Promise<JobRun> {
  const stored = await storedBody(svc, body, options.gzip);
  const params: IngestParams = {
    ref: request.ref,
    commitSha: request.commitSha,
    pipelineId: request.pipelineId,
    idempotencyKey: request.idempotencyKey,
    gzip: true,
    overrides: options.overrides,
    actorName: request.actor.name,
  };
  const id = await svc.db.kysely.transaction().execute(async (trx) => {
    const run = await trx
      .insertInto('job_runs')
      .values({ kind: INGEST_JOB, project_id: request.project.id, created_by: request.actor.userId, state: 'queued', attempts: 0, params_json: JSON.stringify(params), created_at: toDbTime(svc.clock.now()) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('job_payloads').values({ job_id: run.id, body: stored }).execute();
    return Number(run.id);
  });
  try {
    await jobs.send(INGEST_JOB, { runId: id }, { retryLimit: INGEST_ATTEMPTS - 1, retryDelaySeconds: 1, timeoutSeconds: svc.config.ingestJobTimeoutSeconds });
  } catch (error) {
    await noteJobRunError(svc, id, error, true);
    throw error;
  }
  return getJobRun(svc, id);
}

/** The worker's side: ingest the stored upload and end the run with the scan, or with why the report was refused. */
export async function runQueuedUpload(svc: Services, data: { runId: number }): Promise<void> {
  const id = data.runId;
  if (!(await startJobRun(svc, id))) return;
  const run = await getJobRun(svc, id);
  try {
    const params = run.params as unknown as IngestParams;
    const project = run.projectId === null ? null : await findProject(svc, String(run.projectId));
    const payload = await svc.db.kysely.selectFrom('job_payloads').select('body').where('job_id', '=', id).executeTakeFirst();
    if (!project || !payload) throw new AppError('not-found', project ? 'the stored upload is gone' : 'the project was deleted');
    const request: ScanRequest = {
      project,
      ref: params.ref,
      commitSha: params.commitSha,
      pipelineId: params.pipelineId,
      idempotencyKey: params.idempotencyKey ?? `job-${id}`,
      actor: { userId: run.createdBy, name: params.actorName, ip: null, requestId: `job-${id}` },
    };
    const { scan, replayed } = await uploadScan(svc, request, Readable.from([Buffer.from(payload.body)]), { gzip: params.gzip, overrides: params.overrides });
    // Found by the run's own key, the scan is this run's earlier attempt, not a replay of someone's upload.
    await finishJobRun(svc, id, { scan: scanJson(scan), summary: scan.summary, replayed: replayed && params.idempotencyKey !== null });
  } catch (error) {
    // A refused report is the answer, not an outage: no retry would change it.
    if (error instanceof AppError && error.status < 500) return failJobRun(svc, id, error);
    await noteJobRunError(svc, id, error, run.attempts >= INGEST_ATTEMPTS);
    throw error;
  }
}
