import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../platform/context.js';
import { AppError, notFound } from '../platform/errors.js';
import { actorOf, callerOf, projectOf } from '../platform/http/access.js';
import { Closed, NoQuery, Ref, Text } from '../platform/http/schemas.js';
import { SEVERITIES } from '../vulns/model.js';
import { affectedBy } from './affected.js';
import { CvssError, parseCvss, scoreCvss, withEnvironmental } from './cvss/index.js';
import { epssHistory, cveEpss, kevEntryOf } from './cve-data.js';
import { CVE_ID } from './feeds/epss-csv.js';
import { FeedError } from './feeds/feed-error.js';
import { importEpss } from './feeds/import-epss.js';
import { importKev } from './feeds/import-kev.js';
import { listImports, type FeedImport, type FeedName } from './feeds/imports.js';
import { FEEDS, feedStatus, type FeedStatus } from './feeds/status.js';
import { epssJson, epssPointJson, kevJson } from './json.js';
import { updateProjectRiskSettings, updateRiskPolicy, updateVulnerabilityRisk } from './manage.js';
import type { RiskPolicy } from './policy.js';
import { loadRiskPolicy } from './policy-store.js';
import { projectRiskSettings, type ProjectRiskSettings } from './settings.js';
import type { Exploitation } from './ssvc/index.js';

const FeedParam = Type.Object({ feed: Type.Union(FEEDS.map((f) => Type.Literal(f))) });
const Probability = Type.Number({ minimum: 0, maximum: 1 });
const Environmental = Type.Union([Type.String({ maxLength: 300, pattern: '^[A-Za-z:/]*$', description: 'metrics without prefix, e.g. CR:H/IR:M/MAV:L; empty or null clears' }), Type.Null()]);

const PolicyFields = {
  kev_threat: Type.Optional(Probability),
  kev_modifier: Type.Optional(Type.Number({ minimum: 1, maximum: 2 })),
  ransomware_modifier: Type.Optional(Type.Number({ minimum: 1, maximum: 2 })),
  missing_epss_threat: Type.Optional(Probability),
  poc_epss: Type.Optional(Probability),
  severity_weights: Type.Optional(Type.Object(Object.fromEntries(SEVERITIES.map((s) => [s, Type.Optional(Type.Number({ minimum: 0, maximum: 10 }))])), Closed)),
};

export function feedImportJson(i: FeedImport) {
  return {
    id: i.id,
    feed: i.feed,
    source: i.source,
    status: i.status,
    model_version: i.modelVersion,
    published_at: i.publishedAt,
    catalog_version: i.catalogVersion,
    rows: i.rows,
    skipped_count: i.skippedCount,
    skipped: i.skipped,
    counts: i.counts,
    error: i.error,
    actor: i.actor,
    started_at: i.startedAt,
    finished_at: i.finishedAt,
  };
}

function statusJson(s: FeedStatus) {
  return {
    feed: s.feed,
    current: s.current && feedImportJson(s.current),
    last_attempt: s.lastAttempt && feedImportJson(s.lastAttempt),
    age_hours: s.ageHours === null ? null : Math.round(s.ageHours * 10) / 10,
    stale: s.stale,
    refresh_url: s.refreshUrl,
    refresh_hours: s.refreshHours,
  };
}

export function policyJson(p: RiskPolicy) {
  return {
    kev_threat: p.kevThreat,
    kev_modifier: p.kevModifier,
    ransomware_modifier: p.ransomwareModifier,
    missing_epss_threat: p.missingEpssThreat,
    poc_epss: p.pocEpss,
    severity_weights: p.severityWeights,
    formula: 'risk = 100 × min(1, threat × weight × modifier); threat = kev_threat if in KEV (or exploitation set to active), else EPSS, else missing_epss_threat; weight = CVSS / 10, or severity_weights[severity] / 10 without CVSS or with a severity override; modifier = ransomware_modifier, kev_modifier or 1',
  };
}

function settingsJson(s: ProjectRiskSettings) {
  return {
    mission_prevalence: s.missionPrevalence,
    public_well_being: s.publicWellBeing,
    mission_well_being: s.missionWellBeing.value,
    mission_well_being_because: s.missionWellBeing.because,
    cvss2_environmental: s.environmental.cvss2,
    cvss3_environmental: s.environmental.cvss3,
    cvss4_environmental: s.environmental.cvss4,
    updated_at: s.updatedAt,
  };
}

/** A feed file that cannot be imported is the caller's bad input: 400 naming where in the file. */
async function asRequestError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof FeedError) throw new AppError('validation', error.message, { field: 'body/url', errors: [{ field: 'body/url', message: error.message }] });
    throw error;
  }
}

export const riskRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/risk/feeds',
      { config: { access: { who: 'signed-in' } }, schema: { tags: ['risk'], summary: 'EPSS and KEV: the snapshot in use, its age, and the last import attempt', querystring: NoQuery } },
      async () => ({ items: await Promise.all(FEEDS.map(async (f) => statusJson(await feedStatus(svc, f)))) }),
    );

    app.get(
      '/api/v1/risk/feeds/:feed/imports',
      { config: { access: { who: 'admin' } }, schema: { tags: ['risk'], summary: 'The import history of a feed, newest first', params: FeedParam, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, Closed) } },
      async (request) => ({ items: (await listImports(svc.db.kysely, request.params.feed, request.query.limit ?? 50)).map(feedImportJson) }),
    );

    app.post(
      '/api/v1/risk/feeds/:feed/imports',
      {
        config: { access: { who: 'admin' } },
        schema: {
          tags: ['risk'],
          summary: 'Import a feed from a URL now (files: `vigil feeds import`); bad rows are skipped and listed, a wrong file is refused',
          params: FeedParam,
          querystring: NoQuery,
          body: Type.Object({ url: Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://\\S+$' }), allow_model_change: Type.Optional(Type.Boolean()) }, Closed),
        },
      },
      async (request, reply) => {
        const options = { actor: actorOf(request).name, allowModelChange: request.body.allow_model_change ?? false };
        const feed: FeedName = request.params.feed;
        const result = await asRequestError(feed === 'epss' ? importEpss(svc, request.body.url, options) : importKev(svc, request.body.url, options));
        reply.code(result.status === 'complete' ? 201 : 200);
        return feedImportJson(result);
      },
    );

    app.get(
      '/api/v1/risk/cves/:cve',
      {
        config: { access: { who: 'signed-in' } },
        schema: { tags: ['risk'], summary: 'One CVE: EPSS now and its history, KEV, and the vulnerabilities of projects you can see', params: Type.Object({ cve: Type.String({ pattern: CVE_ID.source }) }), querystring: NoQuery },
      },
      async (request) => {
        const cve = request.params.cve.toUpperCase();
        const caller = callerOf(request);
        const [epss, history, kev, affected] = await Promise.all([cveEpss(svc.db.kysely, [cve]), epssHistory(svc.db.kysely, cve), kevEntryOf(svc.db.kysely, [cve], true), affectedBy(svc, caller, cve)]);
        if (!epss && history.length === 0 && !kev && affected.length === 0) throw notFound(`${cve} (no EPSS score, not in KEV, in none of your projects)`);
        return { cve, epss: epssJson(epss), epss_history: history.map(epssPointJson), kev: kevJson(kev), affected };
      },
    );

    app.get(
      '/api/v1/risk/cvss',
      {
        config: { access: { who: 'signed-in' } },
        schema: {
          tags: ['risk'],
          summary: 'Check and score a CVSS vector (2.0, 3.0, 3.1, 4.0): canonical form and scores, or the bad metric',
          querystring: Type.Object(
            {
              vector: Type.String({ minLength: 1, maxLength: 500 }),
              strict: Type.Optional(Type.Boolean({ description: 'CVSS 4.0: require FIRST\'s metric order' })),
              environmental: Type.Optional(Type.String({ maxLength: 300 })),
            },
            Closed,
          ),
        },
      },
      async (request) => {
        const { vector, strict, environmental } = request.query;
        try {
          let parsed = parseCvss(vector, { strict: strict ?? false });
          if (environmental) parsed = withEnvironmental(parsed, environmental);
          return { ...scoreCvss(parsed), vector: parsed.vector, metrics: parsed.metrics };
        } catch (error) {
          if (!(error instanceof CvssError)) throw error;
          const field = environmental && error.message.includes('environmental') ? 'query/environmental' : 'query/vector';
          throw new AppError('validation', error.message, { field, errors: [{ field, message: error.message }] });
        }
      },
    );

    app.get(
      '/api/v1/risk/policy',
      { config: { access: { who: 'signed-in' } }, schema: { tags: ['risk'], summary: 'How the risk score is computed on this instance', querystring: NoQuery } },
      async () => policyJson(await loadRiskPolicy(svc.db.kysely)),
    );

    app.patch(
      '/api/v1/risk/policy',
      { config: { access: { who: 'admin' } }, schema: { tags: ['risk'], summary: 'Change the risk policy; every vulnerability is rescored at once', querystring: NoQuery, body: Type.Object(PolicyFields, Closed) } },
      async (request) => {
        const current = await loadRiskPolicy(svc.db.kysely);
        const b = request.body;
        const next: RiskPolicy = {
          kevThreat: b.kev_threat ?? current.kevThreat,
          kevModifier: b.kev_modifier ?? current.kevModifier,
          ransomwareModifier: b.ransomware_modifier ?? current.ransomwareModifier,
          missingEpssThreat: b.missing_epss_threat ?? current.missingEpssThreat,
          pocEpss: b.poc_epss ?? current.pocEpss,
          severityWeights: { ...current.severityWeights, ...(b.severity_weights as Partial<RiskPolicy['severityWeights']>) },
        };
        const rescored = await updateRiskPolicy(svc, actorOf(request), next);
        return { ...policyJson(next), rescored };
      },
    );

    app.get(
      '/api/v1/projects/:project/risk-settings',
      { config: { access: { who: 'project', role: 'reporter' } }, schema: { tags: ['risk'], summary: "The project's SSVC mission & well-being and CVSS environmental metrics", params: Type.Object({ project: Ref }), querystring: NoQuery } },
      async (request) => settingsJson(await projectRiskSettings(svc.db.kysely, projectOf(request).id)),
    );

    app.patch(
      '/api/v1/projects/:project/risk-settings',
      {
        config: { access: { who: 'project', role: 'maintainer' } },
        schema: {
          tags: ['risk'],
          summary: "Change the project's risk settings; its vulnerabilities are rescored",
          params: Type.Object({ project: Ref }),
          querystring: NoQuery,
          body: Type.Object(
            {
              mission_prevalence: Type.Optional(Type.Union(['minimal', 'support', 'essential'].map((v) => Type.Literal(v)))),
              public_well_being: Type.Optional(Type.Union(['minimal', 'material', 'irreversible'].map((v) => Type.Literal(v)))),
              cvss2_environmental: Type.Optional(Environmental),
              cvss3_environmental: Type.Optional(Environmental),
              cvss4_environmental: Type.Optional(Environmental),
            },
            Closed,
          ),
        },
      },
      async (request) => {
        const b = request.body;
        const settings = await updateProjectRiskSettings(svc, actorOf(request), projectOf(request), {
          ...(b.mission_prevalence !== undefined && { missionPrevalence: b.mission_prevalence as ProjectRiskSettings['missionPrevalence'] }),
          ...(b.public_well_being !== undefined && { publicWellBeing: b.public_well_being as ProjectRiskSettings['publicWellBeing'] }),
          environmental: {
            ...(b.cvss2_environmental !== undefined && { cvss2: b.cvss2_environmental }),
            ...(b.cvss3_environmental !== undefined && { cvss3: b.cvss3_environmental }),
            ...(b.cvss4_environmental !== undefined && { cvss4: b.cvss4_environmental }),
          },
        });
        return settingsJson(settings);
      },
    );

    app.patch(
      '/api/v1/vulnerabilities/:id/risk',
      {
        config: { access: { who: 'project-of', resource: 'vulnerability', role: 'maintainer' } },
        schema: {
          tags: ['risk'],
          summary: "Set this vulnerability's CVSS environmental metrics or SSVC exploitation (null returns to the evidence)",
          params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
          querystring: NoQuery,
          body: Type.Object(
            {
              environmental: Type.Optional(Environmental),
              exploitation: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('poc'), Type.Literal('active'), Type.Null()])),
              comment: Text(10_000, { minLength: 1 }),
            },
            Closed,
          ),
        },
      },
      async (request, reply) => {
        const b = request.body as { environmental?: string | null; exploitation?: Exploitation | null; comment: string };
        await updateVulnerabilityRisk(svc, actorOf(request), projectOf(request), request.params.id, b);
        reply.code(204);
      },
    );
  };
