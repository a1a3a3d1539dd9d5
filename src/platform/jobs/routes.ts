import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../context.js';
import { registerProjectResolver } from '../http/access.js';
import { NoQuery } from '../http/schemas.js';
import { getJobRun, jobRunProject, type JobRun } from './runs.js';

const Problem = Type.Object({ type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.String(), field: Type.Optional(Type.String()) });

export const JobRunJson = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  project_id: Type.Union([Type.Integer(), Type.Null()]),
  state: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'when succeeded: what the synchronous call would have answered' }),
  error: Type.Union([Problem, Type.Null()], { description: 'when failed (or between retries): the problem' }),
  created_at: Type.String(),
  started_at: Type.Union([Type.String(), Type.Null()]),
  finished_at: Type.Union([Type.String(), Type.Null()]),
});

export function jobRunJson(run: JobRun) {
  return {
    id: run.id,
    kind: run.kind,
    project_id: run.projectId,
    state: run.state,
    attempts: run.attempts,
    result: run.result,
    error: run.error,
    created_at: run.createdAt,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
  };
}

export const jobRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    registerProjectResolver('job', (s, id) => jobRunProject(s, Number(id)));

    app.get(
      '/api/v1/jobs/:id',
      {
        config: { access: { who: 'project-of', resource: 'job', role: 'reporter' } },
        schema: { tags: ['jobs'], summary: 'A queued job (a large upload being ingested): its state, and its result or problem', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), querystring: NoQuery, response: { 200: JobRunJson } },
      },
      async (request) => jobRunJson(await getJobRun(svc, request.params.id)),
    );
  };
