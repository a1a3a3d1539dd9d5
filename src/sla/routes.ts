import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { recordAudit } from '../platform/audit/audit.js';
import type { Actor } from '../platform/audit/actor.js';
import type { Services } from '../platform/context.js';
import { toDbTime } from '../platform/db/time.js';
import { actorOf, groupOf, projectOf } from '../platform/http/access.js';
import { Closed, NoQuery, Ref } from '../platform/http/schemas.js';
import { SLA_SEVERITIES, type SlaPolicy } from './policy.js';
import { refreshSla, type SlaScope } from './refresh.js';
import { AGE_BUCKETS, type SlaFigures } from './figures.js';
import { loadSlaFigures } from './figures-store.js';
import { effectiveGroupPolicy, effectiveProjectPolicy, ownScopePolicy, saveScopePolicy, type EffectivePolicy } from './store.js';

const Days = Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()]);
const PolicyChanges = Type.Object(
  {
    days: Type.Optional(Type.Object(Object.fromEntries(SLA_SEVERITIES.map((s) => [s, Type.Optional(Days)])), Closed)),
    clock_start: Type.Optional(Type.Union([Type.Literal('default_branch'), Type.Literal('anywhere')])),
    reopen_restarts: Type.Optional(Type.Boolean()),
    acceptance_days: Type.Optional(Days),
    due_soon_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  },
  Closed,
);
type Changes = { days?: Partial<Record<string, number | null>>; clock_start?: string; reopen_restarts?: boolean; acceptance_days?: number | null; due_soon_days?: number };

function policyJson(p: SlaPolicy) {
  return { days: p.days, clock_start: p.clockStart, reopen_restarts: p.reopenRestarts, acceptance_days: p.acceptanceDays, due_soon_days: p.dueSoonDays };
}

function effectiveJson(own: SlaPolicy | null, effective: EffectivePolicy) {
  return { own: own && policyJson(own), effective: policyJson(effective.policy), source: effective.source };
}

function applied(base: SlaPolicy, c: Changes): SlaPolicy {
  return {
    days: { ...base.days, ...(c.days as Partial<SlaPolicy['days']>) },
    clockStart: (c.clock_start as SlaPolicy['clockStart'] | undefined) ?? base.clockStart,
    reopenRestarts: c.reopen_restarts ?? base.reopenRestarts,
    acceptanceDays: c.acceptance_days === undefined ? base.acceptanceDays : c.acceptance_days,
    dueSoonDays: c.due_soon_days ?? base.dueSoonDays,
  };
}

/**
 * Changes (or with null removes) a scope's own policy, starting from the one in effect there, and moves every
 * affected due date in the same transaction.
 */
async function changePolicy(svc: Services, actor: Actor, scope: { type: 'group' | 'project'; id: number; fullPath: string }, changes: Changes | null): Promise<void> {
  const effective = scope.type === 'group' ? await effectiveGroupPolicy(svc.db.kysely, scope) : await effectiveProjectPolicy(svc.db.kysely, scope);
  const next = changes === null ? null : applied(effective.policy, changes);
  const refresh: SlaScope = scope.type === 'group' ? { kind: 'group', fullPath: scope.fullPath } : { kind: 'projects', projectIds: [scope.id] };
  await svc.db.kysely.transaction().execute(async (trx) => {
    await saveScopePolicy(trx, scope.type, scope.id, next, toDbTime(svc.clock.now()));
    await refreshSla(trx, svc.db.dialect, refresh);
    await recordAudit(trx, svc.clock.now(), actor, { action: `${scope.type}.sla_policy`, subjectType: scope.type, subjectId: scope.id, scopePath: scope.fullPath, before: policyJson(effective.policy), after: next && policyJson(next) });
  });
}

const FiguresQuery = Type.Object({ period_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'MTTR and compliance over this many days (default 90)' })) }, Closed);

function figuresJson(f: SlaFigures) {
  return { period_days: f.periodDays, open: f.open, age_buckets: AGE_BUCKETS.map((b) => b.label), open_by_age: f.openByAge, breached: f.breached, mttr_days: f.mttrDays, compliance: f.compliance };
}

export const slaRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    const groupParams = Type.Object({ group: Ref });
    const projectParams = Type.Object({ project: Ref });
    const groupScope = (g: { id: number; fullPath: string }) => ({ type: 'group' as const, id: g.id, fullPath: g.fullPath });
    const projectScope = (p: { id: number; fullPath: string }) => ({ type: 'project' as const, id: p.id, fullPath: p.fullPath });

    app.get(
      '/api/v1/groups/:group/sla-policy',
      { config: { access: { who: 'group', role: 'reporter' } }, schema: { tags: ['sla'], summary: "The group's own SLA policy and the one in effect (inherited or default)", params: groupParams, querystring: NoQuery } },
      async (request) => {
        const group = groupOf(request);
        return effectiveJson(await ownScopePolicy(svc.db.kysely, 'group', group.id), await effectiveGroupPolicy(svc.db.kysely, group));
      },
    );
    app.patch(
      '/api/v1/groups/:group/sla-policy',
      { config: { access: { who: 'group', role: 'owner' } }, schema: { tags: ['sla'], summary: 'Set SLA policy fields for the group and every project below it that has none of its own', params: groupParams, querystring: NoQuery, body: PolicyChanges } },
      async (request) => {
        const group = groupOf(request);
        await changePolicy(svc, actorOf(request), groupScope(group), request.body as Changes);
        return effectiveJson(await ownScopePolicy(svc.db.kysely, 'group', group.id), await effectiveGroupPolicy(svc.db.kysely, group));
      },
    );
    app.delete(
      '/api/v1/groups/:group/sla-policy',
      { config: { access: { who: 'group', role: 'owner' } }, schema: { tags: ['sla'], summary: "Remove the group's own policy: it inherits again", params: groupParams, querystring: NoQuery } },
      async (request, reply) => {
        await changePolicy(svc, actorOf(request), groupScope(groupOf(request)), null);
        reply.code(204);
      },
    );
    app.get(
      '/api/v1/groups/:group/sla-figures',
      { config: { access: { who: 'group', role: 'reporter' } }, schema: { tags: ['sla'], summary: 'Aging and SLA figures of every project below the group: open by age, breached, MTTR, compliance', params: groupParams, querystring: FiguresQuery } },
      async (request) => figuresJson(await loadSlaFigures(svc, { kind: 'group', fullPath: groupOf(request).fullPath }, request.query.period_days ?? 90)),
    );
    app.get(
      '/api/v1/projects/:project/sla-figures',
      { config: { access: { who: 'project', role: 'reporter' } }, schema: { tags: ['sla'], summary: "The project's aging and SLA figures: open by age, breached, MTTR per severity, compliance", params: projectParams, querystring: FiguresQuery } },
      async (request) => figuresJson(await loadSlaFigures(svc, { kind: 'project', projectId: projectOf(request).id }, request.query.period_days ?? 90)),
    );
    app.get(
      '/api/v1/projects/:project/sla-policy',
      { config: { access: { who: 'project', role: 'reporter' } }, schema: { tags: ['sla'], summary: "The project's own SLA policy and the one in effect", params: projectParams, querystring: NoQuery } },
      async (request) => {
        const project = projectOf(request);
        return effectiveJson(await ownScopePolicy(svc.db.kysely, 'project', project.id), await effectiveProjectPolicy(svc.db.kysely, project));
      },
    );
    app.patch(
      '/api/v1/projects/:project/sla-policy',
      { config: { access: { who: 'project', role: 'maintainer' } }, schema: { tags: ['sla'], summary: 'Set SLA policy fields for the project; due dates move at once', params: projectParams, querystring: NoQuery, body: PolicyChanges } },
      async (request) => {
        const project = projectOf(request);
        await changePolicy(svc, actorOf(request), projectScope(project), request.body as Changes);
        return effectiveJson(await ownScopePolicy(svc.db.kysely, 'project', project.id), await effectiveProjectPolicy(svc.db.kysely, project));
      },
    );
    app.delete(
      '/api/v1/projects/:project/sla-policy',
      { config: { access: { who: 'project', role: 'maintainer' } }, schema: { tags: ['sla'], summary: "Remove the project's own policy: it inherits its group's again", params: projectParams, querystring: NoQuery } },
      async (request, reply) => {
        await changePolicy(svc, actorOf(request), projectScope(projectOf(request)), null);
        reply.code(204);
      },
    );
  };
