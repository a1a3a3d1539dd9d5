import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { Services } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { actorOf, projectOf, registerProjectResolver } from '../../platform/http/access.js';
import { Closed, Line, NoQuery, PageOf, PageQuery, pageOf, Ref, Text } from '../../platform/http/schemas.js';
import { explainVulnerabilityRisk } from '../../risk/explain.js';
import { explanationJson } from '../../risk/json.js';
import { SSVC_DECISIONS } from '../../risk/ssvc/index.js';
import { DAY } from '../../platform/clock.js';
import { toDbTime } from '../../platform/db/time.js';
import { SLA_STATUSES, type SlaStatus } from '../../sla/policy.js';
import { compareRefs } from '../compare.js';
import { REPORT_TYPES, SEVERITIES, type Severity } from '../model.js';
import { getVulnerability, idsMatching, listVulnerabilities, SORTS, vulnerabilityProject, type Sort, type VulnerabilityFilter, type VulnerabilitySummary } from '../report.js';
import { triage, type TriageChange } from '../triage.js';
import { DISMISSAL_REASONS, STATES, type DismissalReason } from '../triage-states.js';
import { REPORT_SCOPES } from './report-scopes.js';
import { RefParam } from './scans.js';

const LocationJson = Type.Record(Type.String(), Type.Unknown());
const SummaryJson = Type.Object({
  id: Type.Integer(),
  project_id: Type.Integer(),
  project_path: Type.String(),
  title: Type.String(),
  severity: Type.String(),
  scanner_severity: Type.String(),
  severity_overridden: Type.Boolean(),
  state: Type.String(),
  dismissal_reason: Type.Union([Type.String(), Type.Null()]),
  report_type: Type.String(),
  scanner: Type.String(),
  primary_identifier: Type.String(),
  location: LocationJson,
  present_on_default: Type.Boolean(),
  first_detected_at: Type.String(),
  last_detected_at: Type.String(),
  resolved_at: Type.Union([Type.String(), Type.Null()]),
  risk: Type.Object({
    score: Type.Number(),
    cvss_score: Type.Union([Type.Number(), Type.Null()]),
    cvss_version: Type.Union([Type.String(), Type.Null()]),
    epss: Type.Union([Type.Number(), Type.Null()]),
    epss_percentile: Type.Union([Type.Number(), Type.Null()]),
    kev: Type.Boolean(),
    ssvc: Type.Union([Type.String(), Type.Null()]),
  }),
  sla: Type.Object({ started_at: Type.Union([Type.String(), Type.Null()]), due_at: Type.Union([Type.String(), Type.Null()]), status: Type.Union([Type.String(), Type.Null()]) }),
});

export function summaryJson(v: VulnerabilitySummary) {
  return {
    id: v.id,
    project_id: v.projectId,
    project_path: v.projectPath,
    title: v.title,
    severity: v.severity,
    scanner_severity: v.scannerSeverity,
    severity_overridden: v.severityOverridden,
    state: v.state,
    dismissal_reason: v.dismissalReason,
    report_type: v.reportType,
    scanner: v.scanner,
    primary_identifier: v.primaryIdentifier,
    location: v.location as unknown as Record<string, unknown>,
    present_on_default: v.presentOnDefault,
    first_detected_at: v.firstDetectedAt,
    last_detected_at: v.lastDetectedAt,
    resolved_at: v.resolvedAt,
    risk: {
      score: v.risk.score,
      cvss_score: v.risk.cvssScore,
      cvss_version: v.risk.cvssVersion,
      epss: v.risk.epss,
      epss_percentile: v.risk.epssPercentile,
      kev: v.risk.kev,
      ssvc: v.risk.ssvc,
    },
    sla: { started_at: v.sla.startedAt, due_at: v.sla.dueAt, status: v.sla.status },
  };
}

const List = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 500, pattern: '^[a-z_]+(,[a-z_]+)*$', description }));
export const FilterFields = {
  state: List(`comma-separated: ${STATES.join(', ')}`),
  severity: List(`comma-separated: ${SEVERITIES.join(', ')}`),
  report_type: List(`comma-separated: ${REPORT_TYPES.join(', ')}`),
  scanner: Type.Optional(Line(100)),
  ref: Type.Optional(RefParam),
  present_on_default: Type.Optional(Type.Boolean()),
  identifier: Type.Optional(Line(200)),
  location: Type.Optional(Line(500)),
  kev: Type.Optional(Type.Boolean({ description: "in CISA's Known Exploited Vulnerabilities catalog" })),
  epss_min: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'EPSS probability at least this' })),
  ssvc: List(`comma-separated SSVC decisions: ${SSVC_DECISIONS.map(ssvcParam).join(', ')}`),
  risk_min: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  sla: List(`comma-separated SLA status of open vulnerabilities: ${SLA_STATUSES.join(', ')}`),
  min_age_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 36500, description: 'first detected at least this many days ago' })),
  max_age_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 36500, description: 'first detected at most this many days ago' })),
};

/** "track*" is awkward in a URL, so the parameter spells it track_star. */
function ssvcParam(decision: string): string {
  return decision === 'track*' ? 'track_star' : decision;
}
export const SortField = { sort: Type.Optional(Type.Union(SORTS.map((s) => Type.Literal(s)))) };
const ListQuery = Type.Object({ ...PageQuery, ...FilterFields, ...SortField }, Closed);

function enumList(field: string, text: string | undefined, allowed: readonly string[]): string[] | undefined {
  if (text === undefined) return undefined;
  const values = text.split(',');
  const unknown = values.filter((v) => !allowed.includes(v));
  if (unknown.length > 0) throw invalid(field, `unknown value ${unknown.join(', ')} (allowed: ${allowed.join(', ')})`);
  return values;
}

export function filterOf(q: Partial<Static<typeof ListQuery>>, prefix: string, now: Date): VulnerabilityFilter {
  const sla = enumList(`${prefix}/sla`, q.sla, SLA_STATUSES) as SlaStatus[] | undefined;
  const state = enumList(`${prefix}/state`, q.state, STATES);
  const severity = enumList(`${prefix}/severity`, q.severity, SEVERITIES);
  const reportType = enumList(`${prefix}/report_type`, q.report_type, REPORT_TYPES);
  const ssvc = enumList(`${prefix}/ssvc`, q.ssvc, SSVC_DECISIONS.map(ssvcParam))?.map((d) => (d === 'track_star' ? 'track*' : d));
  return {
    ...(state && { state }),
    ...(severity && { severity }),
    ...(reportType && { reportType }),
    ...(q.scanner && { scanner: q.scanner }),
    ...(q.ref && { ref: q.ref }),
    ...(q.present_on_default !== undefined && { presentOnDefault: q.present_on_default }),
    ...(q.identifier && { identifier: q.identifier }),
    ...(q.location && { location: q.location }),
    ...(q.kev !== undefined && { kev: q.kev }),
    ...(q.epss_min !== undefined && { epssMin: q.epss_min }),
    ...(ssvc && { ssvc }),
    ...(q.risk_min !== undefined && { riskMin: q.risk_min }),
    ...(sla && { sla: { statuses: sla, now: toDbTime(now) } }),
    ...(q.min_age_days !== undefined && { detectedBefore: toDbTime(new Date(now.getTime() - q.min_age_days * DAY)) }),
    ...(q.max_age_days !== undefined && { detectedAfter: toDbTime(new Date(now.getTime() - q.max_age_days * DAY)) }),
  };
}

export const StateChange = {
  state: Type.Optional(Type.Union(STATES.map((s) => Type.Literal(s)))),
  reason: Type.Optional(Type.Union(DISMISSAL_REASONS.map((r) => Type.Literal(r)))),
  comment: Type.Optional(Text(10_000)),
  severity: Type.Optional(Type.Union(SEVERITIES.map((s) => Type.Literal(s)))),
  justification: Type.Optional(Text(10_000)),
  expires_at: Type.Optional(Type.String({ format: 'date-time', description: 'acceptable_risk only: when the acceptance comes back for review (default: the SLA policy)' })),
};

export function changeOf(body: { state?: string; reason?: string; comment?: string; severity?: string; justification?: string; expires_at?: string }, now: Date): TriageChange {
  if (body.severity !== undefined) {
    if (body.state !== undefined) throw invalid('body/severity', 'change the state and the severity in separate requests');
    if (!body.justification?.trim()) throw invalid('body/justification', 'a severity override needs a justification');
    return { kind: 'severity', severity: body.severity as Severity, justification: body.justification };
  }
  if (body.state === undefined) throw invalid('body/state', 'give a state (or a severity)');
  if (body.state === 'dismissed') {
    if (!body.reason) throw invalid('body/reason', `a dismissal needs a reason: ${DISMISSAL_REASONS.join(', ')}`);
    if (!body.comment?.trim()) throw invalid('body/comment', 'a dismissal needs a comment saying why');
    if (body.expires_at !== undefined && body.reason !== 'acceptable_risk') throw invalid('body/expires_at', 'only an acceptance of risk expires');
    if (body.expires_at !== undefined && Date.parse(body.expires_at) <= now.getTime()) throw invalid('body/expires_at', 'must be in the future');
    const expiresAt = body.expires_at === undefined ? null : new Date(body.expires_at).toISOString();
    return { kind: 'state', state: 'dismissed', reason: body.reason as DismissalReason, comment: body.comment, expiresAt };
  }
  if (body.reason !== undefined) throw invalid('body/reason', 'a reason only goes with state "dismissed"');
  if (body.expires_at !== undefined) throw invalid('body/expires_at', 'only an acceptance of risk expires');
  return { kind: 'state', state: body.state as Exclude<TriageChange & { kind: 'state' }, { state: 'dismissed' }>['state'], comment: body.comment ?? null };
}

export const MAX_BULK = 10_000;
export const TriageResultJson = Type.Object({ changed: Type.Integer(), unchanged: Type.Integer() });

export const vulnerabilityRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    registerProjectResolver('vulnerability', (s, id) => vulnerabilityProject(s, Number(id)));

    for (const scope of REPORT_SCOPES) {
      app.get(
        `${scope.prefix}/vulnerabilities`,
        {
          config: { access: scope.access },
          schema: { tags: ['vulnerabilities'], summary: `The vulnerability report of ${scope.what}`, params: scope.params, querystring: ListQuery, response: { 200: PageOf(SummaryJson) } },
        },
        async (request) => {
          const page = await listVulnerabilities(svc, scope.where(request), filterOf(request.query, 'query', svc.clock.now()), (request.query.sort ?? 'severity') as Sort, pageOf(request.query));
          return { items: page.items.map(summaryJson), next_cursor: page.nextCursor };
        },
      );
    }

    app.get(
      '/api/v1/vulnerabilities/:id',
      {
        config: { access: { who: 'project-of', resource: 'vulnerability', role: 'reporter' } },
        schema: { tags: ['vulnerabilities'], summary: 'One vulnerability: identifiers, location, branches, scans and history', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), querystring: NoQuery },
      },
      async (request) => {
        const v = await getVulnerability(svc, request.params.id);
        return {
          ...summaryJson(v),
          description: v.description,
          solution: v.solution,
          details: v.details,
          identifiers: v.identifiers,
          occurrences: v.occurrences.map((o) => ({
            ref: o.ref,
            scope: o.scope,
            state: o.state,
            first_seen_scan_id: o.firstSeenScanId,
            last_seen_scan_id: o.lastSeenScanId,
            fixed_scan_id: o.fixedScanId,
            location: o.location,
            url: o.url,
          })),
          scans: v.scans.map((s) => ({ id: s.id, ref: s.ref, commit: s.commit, created_at: s.createdAt })),
          history: v.history.map((h) => ({ at: h.at, actor: h.actor, kind: h.kind, from: h.from, to: h.to, reason: h.reason, comment: h.comment, scan_id: h.scanId })),
          repository_url: v.repositoryUrl,
          location_url: v.locationUrl,
          risk_explanation: explanationJson(await explainVulnerabilityRisk(svc.db.kysely, v.id)),
        };
      },
    );

    app.post(
      '/api/v1/vulnerabilities/:id/triage',
      {
        config: { access: { who: 'project-of', resource: 'vulnerability', role: 'maintainer' } },
        schema: {
          tags: ['vulnerabilities'],
          summary: 'Set the state (dismiss needs a reason and a comment) or override the severity (needs a justification)',
          params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
          querystring: NoQuery,
          body: Type.Object(StateChange, Closed),
          response: { 200: TriageResultJson },
        },
      },
      async (request) => triage(svc, actorOf(request), projectOf(request), [request.params.id], changeOf(request.body, svc.clock.now())),
    );

    app.post(
      '/api/v1/projects/:project/vulnerabilities/triage',
      {
        config: { access: { who: 'project', role: 'maintainer' } },
        schema: {
          tags: ['vulnerabilities'],
          summary: `Triage many vulnerabilities at once, by ids or by the same filters as the report (at most ${MAX_BULK})`,
          params: Type.Object({ project: Ref }),
          querystring: NoQuery,
          body: Type.Object(
            {
              ...StateChange,
              ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: MAX_BULK })),
              filter: Type.Optional(Type.Object(FilterFields, Closed)),
            },
            Closed,
          ),
          response: { 200: TriageResultJson },
        },
      },
      async (request) => {
        const { ids, filter, ...change } = request.body;
        if ((ids === undefined) === (filter === undefined)) throw invalid('body/ids', 'give either ids or a filter');
        const project = projectOf(request);
        const targets = ids ?? (await idsMatching(svc, { kind: 'project', projectId: project.id }, filterOf(filter!, 'body/filter', svc.clock.now()), MAX_BULK));
        if (targets.length > MAX_BULK) throw invalid('body/filter', `matches more than ${MAX_BULK} vulnerabilities; narrow it`);
        return triage(svc, actorOf(request), project, targets, changeOf(change, svc.clock.now()));
      },
    );

    app.get(
      '/api/v1/projects/:project/compare',
      {
        config: { access: { who: 'project', role: 'reporter' } },
        schema: {
          tags: ['vulnerabilities'],
          summary: 'What a branch introduces and fixes compared with another (the default branch unless base is given)',
          params: Type.Object({ project: Ref }),
          querystring: Type.Object({ head: RefParam, base: Type.Optional(RefParam) }, Closed),
          response: { 200: Type.Object({ head: Type.String(), base: Type.String(), new: Type.Array(SummaryJson), fixed: Type.Array(SummaryJson), unchanged: Type.Integer() }) },
        },
      },
      async (request) => {
        const project = projectOf(request);
        const result = await compareRefs(svc, project, request.query.head, request.query.base ?? project.defaultBranch);
        return { head: result.head, base: result.base, new: result.newOnHead.map(summaryJson), fixed: result.fixedOnHead.map(summaryJson), unchanged: result.unchanged };
      },
    );
  };
