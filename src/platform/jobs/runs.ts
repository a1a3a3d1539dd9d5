import type { Selectable } from 'kysely';
import type { Services } from '../context.js';
import { AppError, notFound, problemType } from '../errors.js';
import { toDbTime } from '../db/time.js';
import type { JobRunsTable, JobRunState } from './tables.js';

/**
 * Job runs: work a person waits for (a large report's ingestion), run by a worker from the queue. The run row is
 * the status people read (GET /api/v1/jobs/{id}); the queue only carries its id. Every transition is one UPDATE
 * guarded by the state it leaves, so a retry after a crash, or a second worker, cannot finish a run twice.
 */
export interface JobRun {
  id: number;
  kind: string;
  projectId: number | null;
  createdBy: number | null;
  state: JobRunState;
  attempts: number;
  params: Record<string, unknown>;
  result: Record<string, unknown> | null;
  error: JobProblem | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Why a run failed, as the problem document the synchronous endpoint would have answered. */
export interface JobProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
  field?: string;
}

function toRun(row: Selectable<JobRunsTable>): JobRun {
  return {
    id: Number(row.id),
    kind: row.kind,
    projectId: row.project_id === null ? null : Number(row.project_id),
    createdBy: row.created_by === null ? null : Number(row.created_by),
    state: row.state,
    attempts: row.attempts,
    params: JSON.parse(row.params_json) as Record<string, unknown>,
    result: row.result_json === null ? null : (JSON.parse(row.result_json) as Record<string, unknown>),
    error: row.error_json === null ? null : (JSON.parse(row.error_json) as JobProblem),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export async function getJobRun(svc: Services, id: number): Promise<JobRun> {
  const row = await svc.db.kysely.selectFrom('job_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`job ${id}`);
  return toRun(row);
}

/** The project a run belongs to, for the route's access check; null for no such run. */
export async function jobRunProject(svc: Services, id: number): Promise<number | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const row = await svc.db.kysely.selectFrom('job_runs').select('project_id').where('id', '=', id).executeTakeFirst();
  return row?.project_id == null ? null : Number(row.project_id);
}

/** Marks a queued (or retried) run as running and counts the attempt; false when it already finished. */
export async function startJobRun(svc: Services, id: number): Promise<boolean> {
  const now = toDbTime(svc.clock.now());
  const updated = await svc.db.kysely
    .updateTable('job_runs')
    .set((eb) => ({ state: 'running', attempts: eb('attempts', '+', 1), started_at: now }))
    .where('id', '=', id)
    .where('state', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function finishJobRun(svc: Services, id: number, result: Record<string, unknown>): Promise<void> {
  await svc.db.kysely
    .updateTable('job_runs')
    .set({ state: 'succeeded', result_json: JSON.stringify(result), error_json: null, finished_at: toDbTime(svc.clock.now()) })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .execute();
  await svc.db.kysely.deleteFrom('job_payloads').where('job_id', '=', id).execute();
}

/** A failure that no retry can fix (the input is wrong): the run ends, with the problem people would have seen. */
export async function failJobRun(svc: Services, id: number, error: AppError): Promise<void> {
  const problem: JobProblem = { type: problemType(error.kind), title: error.title, status: error.status, detail: error.message, ...(error.extra.field && { field: error.extra.field }) };
  await svc.db.kysely
    .updateTable('job_runs')
    .set({ state: 'failed', error_json: JSON.stringify(problem), finished_at: toDbTime(svc.clock.now()) })
    .where('id', '=', id)
    .where('state', 'in', ['queued', 'running'])
    .execute();
  await svc.db.kysely.deleteFrom('job_payloads').where('job_id', '=', id).execute();
}

/**
 * A failure the queue will retry (a lost connection, a crash): the run stays open, with the latest error shown. On
 * the last attempt the queue gives up and `giveUp` ends the run.
 */
export async function noteJobRunError(svc: Services, id: number, error: unknown, giveUp: boolean): Promise<void> {
  const detail = error instanceof Error ? error.message : String(error);
  const problem: JobProblem = { type: problemType('internal'), title: 'Internal error', status: 500, detail: giveUp ? detail : `${detail} (will retry)` };
  await svc.db.kysely
    .updateTable('job_runs')
    .set({ error_json: JSON.stringify(problem), ...(giveUp && { state: 'failed' as const, finished_at: toDbTime(svc.clock.now()) }) })
    .where('id', '=', id)
    .where('state', 'in', ['queued', 'running'])
    .execute();
}
