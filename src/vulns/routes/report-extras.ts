import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../platform/context.js';
import { chunks } from '../../platform/db/batch.js';
import { hasRole, type Role } from '../../platform/auth/roles.js';
import type { User } from '../../platform/auth/users.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { projectRole } from '../../platform/namespaces/access.js';
import { toProject } from '../../platform/namespaces/model.js';
import { actorOf, callerOf, projectOf } from '../../platform/http/access.js';
import { Closed, Line, NoQuery, Ref } from '../../platform/http/schemas.js';
import { EXPORT_FORMATS, exportFileName, exportStream } from '../export.js';
import { reportFacets } from '../facets.js';
import { listRefs, MAX_REFS } from '../refs.js';
import type { Sort } from '../report.js';
import { triage } from '../triage.js';
import { REPORT_SCOPES } from './report-scopes.js';
import { changeOf, FilterFields, filterOf, MAX_BULK, SortField, StateChange, summaryJson, TriageResultJson } from './vulnerabilities.js';

/**
 * What the web app's report needs beyond the list (routes/vulnerabilities.ts): the filtered report as a streamed
 * CSV or JSON download, the counts behind the filter menus, triage across projects from the group and instance
 * report, and a project's branches.
 */
const ExportQuery = Type.Object({ ...FilterFields, ...SortField, format: Type.Union(EXPORT_FORMATS.map((f) => Type.Literal(f))) }, Closed);
const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;

const FacetList = Type.Array(Type.Object({ id: Type.String(), count: Type.Integer() }));
const FacetsJson = Type.Object({ scanners: FacetList, report_types: FacetList, severities: FacetList, states: FacetList });

const RefJson = Type.Object({
  ref: Type.String(),
  default: Type.Boolean(),
  scans: Type.Integer(),
  last_scan_at: Type.Union([Type.String(), Type.Null()]),
  last_scan_id: Type.Union([Type.Integer(), Type.Null()]),
  open_present: Type.Integer(),
});

/**
 * Cross-project triage is checked here, per project, before anything is written: every id must exist and be
 * visible to the caller (else 404, as the access layer answers for one), and the caller must hold `role` on each
 * project (else 403, naming the project). Ids in several projects are resolved with one query per 500.
 */
async function requireRoleOnVulnerabilities(svc: Services, user: User, ids: number[], role: Role): Promise<void> {
  const idsOfProject = new Map<number, number[]>();
  const unique = [...new Set(ids)];
  for (const part of chunks(unique)) {
    const rows = await svc.db.kysely.selectFrom('vulnerabilities').select(['id', 'project_id']).where('id', 'in', part).execute();
    for (const r of rows) {
      if (!idsOfProject.has(r.project_id)) idsOfProject.set(r.project_id, []);
      idsOfProject.get(r.project_id)!.push(r.id);
    }
  }
  const existing = new Set([...idsOfProject.values()].flat());
  const missing = unique.filter((id) => !existing.has(id));
  const refusals: string[] = [];
  if (!user.isAdmin && idsOfProject.size > 0) {
    const projects = await svc.db.kysely.selectFrom('projects').selectAll().where('id', 'in', [...idsOfProject.keys()]).execute();
    for (const project of projects.map(toProject)) {
      const held = await projectRole(svc, user, project);
      if (!held) missing.push(...idsOfProject.get(project.id)!);
      else if (!hasRole(held, role)) refusals.push(`this needs the ${role} role on project "${project.fullPath}"; you have ${held}`);
    }
  }
  if (missing.length > 0) {
    const listed = missing.sort((a, b) => a - b);
    throw notFound(`vulnerabilit${listed.length === 1 ? 'y' : 'ies'} ${listed.slice(0, 20).join(', ')}${listed.length > 20 ? ` and ${listed.length - 20} more` : ''}`);
  }
  if (refusals.length > 0) throw forbidden(refusals.sort().join('; '));
}

export const reportExtraRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    for (const scope of REPORT_SCOPES) {
      app.get(
        `${scope.prefix}/vulnerabilities/export`,
        {
          config: { access: scope.access },
          schema: {
            tags: ['vulnerabilities'],
            summary: `Download the whole vulnerability report of ${scope.what}, filtered and sorted as the list is, as CSV or a JSON array (streamed)`,
            params: scope.params,
            querystring: ExportQuery,
          },
        },
        async (request, reply) => {
          const now = svc.clock.now();
          const { format } = request.query;
          const body = await exportStream(svc, scope.where(request), filterOf(request.query, 'query', now), (request.query.sort ?? 'severity') as Sort, { format, toJson: summaryJson });
          return reply
            .header('content-type', CONTENT_TYPES[format])
            .header('content-disposition', `attachment; filename="${exportFileName(scope.label(request), format, now)}"`)
            .header('cache-control', 'no-store')
            .send(body);
        },
      );

      app.get(
        `${scope.prefix}/vulnerabilities/facets`,
        {
          config: { access: scope.access },
          schema: {
            tags: ['vulnerabilities'],
            summary: `How many vulnerabilities of ${scope.what} there are per scanner, report type, severity and state (for filter menus)`,
            params: scope.params,
            querystring: NoQuery,
            response: { 200: FacetsJson },
          },
        },
        async (request) => {
          const facets = await reportFacets(svc, scope.where(request));
          return { scanners: facets.scanners, report_types: facets.reportTypes, severities: facets.severities, states: facets.states };
        },
      );
    }

    app.post(
      '/api/v1/vulnerabilities/triage',
      {
        // Any user may ask; the maintainer role is then required on the project of every id (checked inside).
        config: { access: { who: 'signed-in' } },
        schema: {
          tags: ['vulnerabilities'],
          summary: `Triage vulnerabilities of several projects at once (at most ${MAX_BULK}); needs the maintainer role on each project, and changes nothing unless every id may be changed`,
          querystring: NoQuery,
          body: Type.Object({ ...StateChange, ids: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: MAX_BULK }) }, Closed),
          response: { 200: TriageResultJson },
        },
      },
      async (request) => {
        const { ids, ...body } = request.body;
        const change = changeOf(body, svc.clock.now());
        await requireRoleOnVulnerabilities(svc, callerOf(request), ids, 'maintainer');
        return triage(svc, actorOf(request), null, ids, change);
      },
    );

    app.get(
      '/api/v1/projects/:project/refs',
      {
        config: { access: { who: 'project', role: 'reporter' } },
        schema: {
          tags: ['vulnerabilities'],
          summary: `The branches the project has scans on: the default branch first, then the most recently scanned (at most ${MAX_REFS})`,
          params: Type.Object({ project: Ref }),
          querystring: Type.Object({ search: Type.Optional(Line(255)) }, Closed),
          response: { 200: Type.Object({ items: Type.Array(RefJson) }) },
        },
      },
      async (request) => {
        const refs = await listRefs(svc, projectOf(request), request.query.search ?? null);
        return {
          items: refs.map((r) => ({ ref: r.ref, default: r.isDefault, scans: r.scans, last_scan_at: r.lastScanAt, last_scan_id: r.lastScanId, open_present: r.openPresent })),
        };
      },
    );
  };
