import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../platform/context.js';
import { projectOf } from '../platform/http/access.js';
import { Closed, NoQuery, Ref } from '../platform/http/schemas.js';
import { ASSIST_KINDS } from './assist.js';
import { assistConfig, assistVulnerability, containerAdvice, projectUpgradePlan, vulnerabilityRemediation, type ImageAdvice } from './service.js';
import { planMarkdown, upgradeLine, type PackageUpgrade } from './upgrade-plan.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const VulnRef = Type.Object({ id: Type.Integer(), severity: Type.String(), identifier: Nullable(Type.String()) });
const UpgradeJson = Type.Object({
  ecosystem: Type.String(),
  package: Type.String(),
  installed: Nullable(Type.String()),
  image: Nullable(Type.String()),
  target: Nullable(Type.String({ description: 'the lowest version that fixes every vulnerability it can; null: no fix available' })),
  summary: Type.String({ description: 'e.g. "upgrade lodash 4.17.15 → 4.17.21 fixes 3 vulnerabilities, 1 high"' }),
  fixes: Type.Array(VulnRef),
  unfixed: Type.Array(VulnRef),
  files: Type.Array(Type.String()),
});
const ImageJson = Type.Object({ image: Type.String(), upgrades: Type.Array(UpgradeJson), newer_tags: Type.Array(Type.String()) });
const Strings = Type.Array(Type.String());
const WeaknessJson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  consequences: Type.Array(Type.Object({ scope: Strings, impact: Strings })),
  mitigations: Type.Array(Type.Object({ phases: Strings, text: Type.String(), effectiveness: Nullable(Type.String()) })),
  related: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  training: Type.Object({
    top_ten: Nullable(Type.Object({ id: Type.String(), name: Type.String(), url: Type.String() })),
    cheat_sheets: Type.Array(Type.Object({ title: Type.String(), url: Type.String() })),
    via: Nullable(Type.String()),
  }),
});

export function upgradeJson(p: PackageUpgrade) {
  return { ecosystem: p.ecosystem, package: p.name, installed: p.installed, image: p.image, target: p.target, summary: upgradeLine(p), fixes: p.fixes, unfixed: p.unfixed, files: p.files };
}

const imageJson = (a: ImageAdvice) => ({ image: a.image, upgrades: a.upgrades.map(upgradeJson), newer_tags: a.newerTags });

export const remediationRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/vulnerabilities/:id/remediation',
      {
        config: { access: { who: 'project-of', resource: 'vulnerability', role: 'reporter' } },
        schema: {
          tags: ['remediation'],
          summary: 'How to fix it: the weakness (MITRE CWE), its mitigations and training, and the package upgrade that fixes it',
          params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
          querystring: NoQuery,
          response: {
            200: Type.Object({
              vulnerability_id: Type.Integer(),
              scanner_solution: Nullable(Type.String()),
              weaknesses: Type.Array(WeaknessJson),
              upgrade: Nullable(UpgradeJson),
              cwe_version: Type.String(),
              attribution: Type.String(),
              assist: Type.Boolean({ description: 'whether POST …/assist is available (VIGIL_LLM_URL and VIGIL_LLM_MODEL set)' }),
            }),
          },
        },
      },
      async (request) => {
        const r = await vulnerabilityRemediation(svc, request.params.id);
        return {
          vulnerability_id: r.vulnerabilityId,
          scanner_solution: r.scannerSolution,
          weaknesses: r.weaknesses.map((w) => ({ ...w, training: { top_ten: w.training.topTen, cheat_sheets: w.training.cheatSheets, via: w.training.via ? `CWE-${w.training.via}` : null } })),
          upgrade: r.upgrade ? upgradeJson(r.upgrade) : null,
          cwe_version: r.cweVersion,
          attribution: r.attribution,
          assist: assistConfig(svc) !== null,
        };
      },
    );

    app.post(
      '/api/v1/vulnerabilities/:id/assist',
      {
        config: { access: { who: 'project-of', resource: 'vulnerability', role: 'developer' } },
        schema: {
          tags: ['remediation'],
          summary: 'AI assist (when configured): explain the vulnerability or suggest a fix; secrets are redacted from the prompt, which is returned with the answer',
          params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
          body: Type.Object({ kind: Type.Union(ASSIST_KINDS.map((k) => Type.Literal(k))) }, Closed),
          response: {
            200: Type.Object({
              kind: Type.String(),
              model: Type.String(),
              label: Type.String(),
              prompt: Type.Array(Type.Object({ role: Type.String(), content: Type.String() })),
              answer: Type.String(),
            }),
          },
        },
      },
      async (request) => {
        const a = await assistVulnerability(svc, request.params.id, request.body.kind);
        return { kind: a.kind, model: a.model, label: `AI suggestion from ${a.model}: check it before you act on it`, prompt: a.prompt, answer: a.answer };
      },
    );

    app.get(
      '/api/v1/projects/:project/upgrade-plan',
      {
        config: { access: { who: 'project', role: 'reporter' } },
        schema: {
          tags: ['remediation'],
          summary: "The project's minimal safe upgrades: per package, the lowest version fixing all its open vulnerabilities; per image, packages and newer tags",
          params: Type.Object({ project: Ref }),
          querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('markdown')], { description: 'markdown: a merge request description' })) }, Closed),
          response: { 200: Type.Object({ project: Type.String(), upgrades: Type.Array(UpgradeJson), images: Type.Array(ImageJson) }) },
        },
      },
      async (request, reply) => {
        const project = projectOf(request);
        const plans = await projectUpgradePlan(svc, project.id);
        // Text is sent as it is: the JSON response schema only applies to objects.
        if (request.query.format === 'markdown') return reply.type('text/markdown; charset=utf-8').send(planMarkdown(project.fullPath, plans) as never);
        return { project: project.fullPath, upgrades: plans.map(upgradeJson), images: (await containerAdvice(svc, project.id, plans)).map(imageJson) };
      },
    );
  };
