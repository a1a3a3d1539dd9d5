import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../platform/context.js';
import { groupOf, projectOf } from '../../platform/http/access.js';
import { Closed, Ref } from '../../platform/http/schemas.js';
import { loadDashboard } from './dashboard.js';
import { DASHBOARD_DAYS, DashboardJson } from './json.js';

const DashboardQuery = Type.Object(
  { days: Type.Optional(Type.Union(DASHBOARD_DAYS.map((d) => Type.Literal(d)), { description: 'the window: 30, 90 (default) or 365 days ending today' })) },
  Closed,
);

export const dashboardRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/projects/:project/dashboard',
      {
        config: { access: { who: 'project', role: 'reporter' } },
        schema: { tags: ['dashboards'], summary: "The project's security dashboard: open over time, new vs resolved, MTTR, SLA, age, CWEs", params: Type.Object({ project: Ref }), querystring: DashboardQuery, response: { 200: DashboardJson } },
      },
      async (request) => loadDashboard(svc, { kind: 'project', project: projectOf(request) }, request.query.days ?? 90),
    );
    app.get(
      '/api/v1/groups/:group/dashboard',
      {
        config: { access: { who: 'group', role: 'reporter' } },
        schema: { tags: ['dashboards'], summary: 'The security dashboard of every project below the group, with the top projects by risk', params: Type.Object({ group: Ref }), querystring: DashboardQuery, response: { 200: DashboardJson } },
      },
      async (request) => loadDashboard(svc, { kind: 'group', group: groupOf(request) }, request.query.days ?? 90),
    );
  };
