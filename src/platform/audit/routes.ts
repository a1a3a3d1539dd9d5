import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../context.js';
import { groupOf, projectOf } from '../http/access.js';
import { Closed, Line, PageOf, PageQuery, pageOf, Ref } from '../http/schemas.js';
import { listAuditEvents, type AuditEvent, type AuditScope } from './read.js';

const AuditJson = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor_id: Type.Union([Type.Integer(), Type.Null()]),
  actor: Type.String(),
  action: Type.String(),
  subject_type: Type.String(),
  subject_id: Type.String(),
  scope_path: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  ip: Type.Union([Type.String(), Type.Null()]),
  request_id: Type.Union([Type.String(), Type.Null()]),
});

const auditJson = (e: AuditEvent) => ({
  id: e.id,
  at: e.at,
  actor_id: e.actorId,
  actor: e.actor,
  action: e.action,
  subject_type: e.subjectType,
  subject_id: e.subjectId,
  scope_path: e.scopePath,
  before: e.before,
  after: e.after,
  ip: e.ip,
  request_id: e.requestId,
});

const Query = Type.Object({ ...PageQuery, action: Type.Optional(Line(100)) }, Closed);

/** The audit log, newest first: the whole instance for administrators, a subtree for group and project owners. */
export const auditRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    const views: { url: string; access: 'admin' | 'group' | 'project'; summary: string; scope: (r: FastifyRequest) => AuditScope }[] = [
      { url: '/api/v1/audit-events', access: 'admin', summary: 'Every audit event (administrators)', scope: () => ({ kind: 'instance' }) },
      {
        url: '/api/v1/groups/:group/audit-events',
        access: 'group',
        summary: 'Audit events of the group and everything below it (owners)',
        scope: (r) => ({ kind: 'subtree', fullPath: groupOf(r).fullPath }),
      },
      {
        url: '/api/v1/projects/:project/audit-events',
        access: 'project',
        summary: 'Audit events of the project (owners)',
        scope: (r) => ({ kind: 'exact', fullPath: projectOf(r).fullPath }),
      },
    ];
    for (const view of views) {
      app.get(
        view.url,
        {
          config: { access: view.access === 'admin' ? { who: 'admin' } : { who: view.access, role: 'owner' } },
          schema: {
            tags: ['audit'],
            summary: view.summary,
            querystring: Query,
            ...(view.access !== 'admin' && { params: Type.Object({ [view.access]: Ref }) }),
            response: { 200: PageOf(AuditJson) },
          },
        },
        async (request) => {
          const q = request.query;
          const page = await listAuditEvents(svc, view.scope(request), { ...(q.action && { action: q.action }) }, pageOf(q));
          return { items: page.items.map(auditJson), next_cursor: page.nextCursor };
        },
      );
    }
  };
