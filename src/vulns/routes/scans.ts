import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { Services } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { actorOf, projectOf } from '../../platform/http/access.js';
import { Closed, Line, NoQuery, PageOf, PageQuery, pageOf, Ref } from '../../platform/http/schemas.js';
import { branchProblem } from '../../platform/namespaces/model.js';
import { REPORT_TYPES, type ReportType } from '../model.js';
import { JobRunJson, jobRunJson } from '../../platform/jobs/routes.js';
import { UPLOAD_LENGTH } from '../../platform/http/upload-length.js';
import { queueUpload } from '../ingest/queued-upload.js';
import { findByIdempotencyKey, getScan, listScans, uploadScan } from '../scans.js';
import { ScanJson, scanJson, SummaryJson } from './scan-json.js';

const UploadJson = Type.Object({ scan: ScanJson, summary: SummaryJson, replayed: Type.Boolean() });

export const RefParam = Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\x00-\\x20\\x7f~^:?*\\[\\\\]+$', description: 'a branch name without spaces or control characters' });

const UploadQuery = Type.Object(
  {
    ref: RefParam,
    commit: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{7,64}$', description: 'a commit SHA (7–64 hex digits)' })),
    pipeline_id: Type.Optional(Line(255)),
    scanner: Type.Optional(Line(100)),
    report_type: Type.Optional(Type.Union(REPORT_TYPES.map((t) => Type.Literal(t)))),
    format: Type.Optional(Type.String({ pattern: '^[a-z0-9_-]{1,50}$', description: 'a format id from GET /api/v1/formats: skips detection' })),
    idempotency_key: Type.Optional(Line(255)),
    async: Type.Optional(Type.Boolean({ description: 'true: hand the report to a worker (202 + a job); false: ingest it before answering; default: a worker when the body is larger than VIGIL_ASYNC_INGEST_BYTES' })),
  },
  Closed,
);

export const scanRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Reports are streamed into the parser, never buffered: replace the JSON body parser in this plugin only.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser(['application/json', 'application/octet-stream', 'application/gzip', 'application/x-gzip', 'text/plain'], (_request, payload, done) =>
      done(null, payload),
    );
    await app.register(fastifyMultipart, { limits: { fileSize: svc.config.maxReportBytes, files: 1, fields: 10 } });

    app.post(
      '/api/v1/projects/:project/scans',
      {
        config: { access: { who: 'project', role: 'developer' } },
        bodyLimit: svc.config.maxReportBytes,
        schema: {
          tags: ['scans'],
          summary: 'Upload a scanner report (GitLab security report or SARIF 2.1.0) as the raw body, gzip, or a multipart file',
          params: Type.Object({ project: Ref }),
          querystring: UploadQuery,
          response: { 200: UploadJson, 201: UploadJson, 202: Type.Object({ job: JobRunJson }) },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const refProblem = branchProblem(q.ref);
        if (refProblem) throw invalid('query/ref', refProblem);
        const header = request.headers['idempotency-key'];
        const idempotencyKey = q.idempotency_key ?? (typeof header === 'string' && header.trim() ? header.trim().slice(0, 255) : null);
        let body: Readable;
        let gzip = /gzip/.test(String(request.headers['content-type'])) || request.headers['content-encoding'] === 'gzip';
        if (request.isMultipart()) {
          const part = await request.file();
          if (!part) throw invalid('body', 'the multipart upload has no file part');
          body = part.file;
          gzip = gzip || /\.gz$/i.test(part.filename) || part.mimetype.includes('gzip');
        } else {
          body = request.body as Readable;
        }
        const project = projectOf(request);
        const scanRequest = { project, ref: q.ref, commitSha: q.commit ?? null, pipelineId: q.pipeline_id ?? null, idempotencyKey, actor: actorOf(request) };
        const options = { gzip, overrides: { scanner: q.scanner ?? null, reportType: (q.report_type as ReportType | undefined) ?? null, format: q.format ?? null } };
        // A streamed upload has no Content-Length; `vigil upload` declares the file's size instead.
        const size = Number(request.headers['content-length'] ?? request.headers[UPLOAD_LENGTH] ?? NaN);
        const queue = svc.jobs;
        if (queue && (q.async ?? size > svc.config.asyncIngestBytes)) {
          const earlier = idempotencyKey ? await findByIdempotencyKey(svc, project.id, idempotencyKey) : null;
          if (earlier) {
            body.resume();
            return reply.code(200).send({ scan: scanJson(earlier), summary: earlier.summary, replayed: true });
          }
          const run = await queueUpload(svc, queue, scanRequest, body, options);
          return reply.code(202).header('location', `/api/v1/jobs/${run.id}`).send({ job: jobRunJson(run) });
        }
        const { scan, replayed } = await uploadScan(svc, scanRequest, body, options);
        return reply.code(replayed ? 200 : 201).send({ scan: scanJson(scan), summary: scan.summary, replayed });
      },
    );

    app.get(
      '/api/v1/projects/:project/scans',
      {
        config: { access: { who: 'project', role: 'reporter' } },
        schema: { tags: ['scans'], summary: 'Scans of the project, newest first', params: Type.Object({ project: Ref }), querystring: Type.Object({ ...PageQuery, ref: Type.Optional(RefParam) }, Closed), response: { 200: PageOf(ScanJson) } },
      },
      async (request) => {
        const page = await listScans(svc, projectOf(request).id, { ...(request.query.ref && { ref: request.query.ref }) }, pageOf(request.query));
        return { items: page.items.map(scanJson), next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/api/v1/projects/:project/scans/:id',
      {
        config: { access: { who: 'project', role: 'reporter' } },
        schema: { tags: ['scans'], summary: 'One scan', params: Type.Object({ project: Ref, id: Type.Integer({ minimum: 1 }) }), querystring: NoQuery, response: { 200: ScanJson } },
      },
      async (request) => scanJson(await getScan(svc, projectOf(request).id, request.params.id)),
    );
  };
