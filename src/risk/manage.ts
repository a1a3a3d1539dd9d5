import type { Actor } from '../platform/audit/actor.js';
import { recordAudit } from '../platform/audit/audit.js';
import type { Services } from '../platform/context.js';
import { toDbTime } from '../platform/db/time.js';
import { invalid, notFound } from '../platform/errors.js';
import type { Project } from '../platform/namespaces/model.js';
import { CvssError, parseCvss, withEnvironmental } from './cvss/index.js';
import { appendHistory } from '../vulns/events.js';
import type { RiskPolicy } from './policy.js';
import { loadRiskPolicy, saveRiskPolicy } from './policy-store.js';
import { refreshScores, rescoreIds } from './rescore.js';
import { projectRiskSettings, type ProjectRiskSettings } from './settings.js';
import { missionWellBeingOf, type Exploitation, type MissionPrevalence, type PublicWellBeing } from './ssvc/index.js';
import { effectiveCvss, type ProjectEnvironmental } from './vulnerability-cvss.js';

/** A vector of each family to check user-given environmental metrics against (only the version matters). */
const SAMPLES: Record<keyof ProjectEnvironmental, string> = {
  cvss2: 'AV:N/AC:L/Au:N/C:P/I:P/A:P',
  cvss3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  cvss4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
};

/** Checks environmental metrics for a CVSS version; null and "" clear them. The field names the input. */
function checkedEnvironmental(field: string, sample: string, value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  try {
    withEnvironmental(parseCvss(sample), value);
  } catch (error) {
    if (error instanceof CvssError) throw invalid(field, error.message);
    throw error;
  }
  return value.trim();
}

export interface ProjectRiskChanges {
  missionPrevalence?: MissionPrevalence;
  publicWellBeing?: PublicWellBeing;
  environmental?: Partial<ProjectEnvironmental>;
}

/**
 * Changes a project's risk settings and rescores its vulnerabilities: CVSS scores per distinct (vector, own
 * metrics) pair, then risk and SSVC set-based. One transaction, audited.
 */
export async function updateProjectRiskSettings(svc: Services, actor: Actor, project: Project, changes: ProjectRiskChanges): Promise<ProjectRiskSettings> {
  const before = await projectRiskSettings(svc.db.kysely, project.id);
  const environmental = { ...before.environmental };
  for (const family of Object.keys(SAMPLES) as (keyof ProjectEnvironmental)[]) {
    const given = changes.environmental?.[family];
    if (given !== undefined) environmental[family] = checkedEnvironmental(`body/${family}_environmental`, SAMPLES[family], given);
  }
  const prevalence = changes.missionPrevalence ?? before.missionPrevalence;
  const wellBeing = changes.publicWellBeing ?? before.publicWellBeing;
  const now = toDbTime(svc.clock.now());
  await svc.db.kysely.transaction().execute(async (trx) => {
    const row = {
      mission_prevalence: prevalence,
      public_well_being: wellBeing,
      mission_well_being: missionWellBeingOf(prevalence, wellBeing).value,
      cvss2_environmental: environmental.cvss2,
      cvss3_environmental: environmental.cvss3,
      cvss4_environmental: environmental.cvss4,
      updated_at: now,
    };
    await trx.insertInto('project_risk_settings').values({ project_id: project.id, ...row }).onConflict((oc) => oc.column('project_id').doUpdateSet(row)).execute();

    const pairs = await trx.selectFrom('vulnerability_risk').select(['cvss_vector', 'cvss_environmental']).distinct().where('project_id', '=', project.id).where('cvss_vector', 'is not', null).execute();
    for (const pair of pairs) {
      const { scores } = effectiveCvss(parseCvss(pair.cvss_vector!), environmental, pair.cvss_environmental);
      await trx
        .updateTable('vulnerability_risk')
        .set({ cvss_score: scores.overall })
        .where('project_id', '=', project.id)
        .where('cvss_vector', '=', pair.cvss_vector)
        .where('cvss_environmental', pair.cvss_environmental === null ? 'is' : '=', pair.cvss_environmental)
        .execute();
    }
    await refreshScores(trx, svc.db.dialect, await loadRiskPolicy(trx), { kind: 'project', projectId: project.id });
    await recordAudit(trx, svc.clock.now(), actor, { action: 'project.risk_settings', subjectType: 'project', subjectId: project.id, scopePath: project.fullPath, before: settingsJson(before), after: row });
  });
  return projectRiskSettings(svc.db.kysely, project.id);
}

function settingsJson(s: ProjectRiskSettings) {
  return { mission_prevalence: s.missionPrevalence, public_well_being: s.publicWellBeing, ...s.environmental };
}

export interface VulnerabilityRiskChanges {
  /** Environmental metrics for this vulnerability's CVSS vector; null clears them. */
  environmental?: string | null;
  /** SSVC exploitation as the maintainer knows it; null returns to the evidence (KEV, exploit links, EPSS). */
  exploitation?: Exploitation | null;
  comment: string;
}

/** A maintainer's own assessment of one vulnerability's risk inputs; recorded as events, rescored at once. */
export async function updateVulnerabilityRisk(svc: Services, actor: Actor, project: Project, id: number, changes: VulnerabilityRiskChanges): Promise<void> {
  const row = await svc.db.kysely
    .selectFrom('vulnerability_risk')
    .select(['cvss_vector', 'cvss_environmental', 'exploitation_override'])
    .where('vulnerability_id', '=', id)
    .where('project_id', '=', project.id)
    .executeTakeFirst();
  if (!row) throw notFound(`vulnerability ${id}`);
  let environmental = row.cvss_environmental;
  let score: number | undefined;
  if (changes.environmental !== undefined) {
    if (changes.environmental !== null && !row.cvss_vector) throw invalid('body/environmental', 'this vulnerability has no CVSS vector to adjust');
    environmental = row.cvss_vector ? checkedEnvironmental('body/environmental', row.cvss_vector, changes.environmental) : null;
    if (row.cvss_vector) {
      const settings = await projectRiskSettings(svc.db.kysely, project.id);
      score = effectiveCvss(parseCvss(row.cvss_vector), settings.environmental, environmental).scores.overall;
    }
  }
  const exploitation = changes.exploitation === undefined ? row.exploitation_override : changes.exploitation;
  const now = toDbTime(svc.clock.now());
  const events = [
    ...(environmental !== row.cvss_environmental ? [{ kind: 'cvss_environmental', from: row.cvss_environmental, to: environmental }] : []),
    ...(exploitation !== row.exploitation_override ? [{ kind: 'exploitation', from: row.exploitation_override, to: exploitation }] : []),
  ];
  if (events.length === 0) return;
  await svc.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable('vulnerability_risk')
      .set({ cvss_environmental: environmental, exploitation_override: exploitation, ...(score !== undefined && { cvss_score: score }) })
      .where('vulnerability_id', '=', id)
      .execute();
    await trx.updateTable('vulnerabilities').set({ updated_at: now }).where('id', '=', id).execute();
    await rescoreIds(trx, svc.db.dialect, [id]);
    await appendHistory(trx, now, actor, events.map((e) => ({ projectId: project.id, vulnerabilityId: id, kind: e.kind, reason: null, from: e.from, to: e.to, comment: changes.comment })));
    await recordAudit(trx, svc.clock.now(), actor, { action: 'vulnerability.risk', subjectType: 'vulnerability', subjectId: id, scopePath: project.fullPath, after: { environmental, exploitation } });
  });
}

/** Changes the instance's risk policy and rescores every vulnerability set-based, in one transaction. */
export async function updateRiskPolicy(svc: Services, actor: Actor, policy: RiskPolicy): Promise<number> {
  return svc.db.kysely.transaction().execute(async (trx) => {
    await saveRiskPolicy(trx, policy, toDbTime(svc.clock.now()));
    const changed = await refreshScores(trx, svc.db.dialect, policy, { kind: 'all' });
    await recordAudit(trx, svc.clock.now(), actor, { action: 'risk.policy', subjectType: 'risk_policy', subjectId: 1, after: policy });
    return changed;
  });
}

