import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.js';
import { missionWellBeingOf, type MissionPrevalence, type PublicWellBeing, type SsvcStep } from './ssvc/index.js';
import type { ProjectEnvironmental } from './vulnerability-cvss.js';

/** A project's risk context: SSVC mission & well-being inputs and CVSS environmental metrics. */
export interface ProjectRiskSettings {
  missionPrevalence: MissionPrevalence;
  publicWellBeing: PublicWellBeing;
  missionWellBeing: SsvcStep;
  environmental: ProjectEnvironmental;
  updatedAt: string | null;
}

/** Until a maintainer says otherwise a project supports the mission without public harm: SSVC's medium. */
export const DEFAULT_PREVALENCE: MissionPrevalence = 'support';
export const DEFAULT_WELL_BEING: PublicWellBeing = 'minimal';

export async function projectRiskSettings(db: Kysely<Database>, projectId: number): Promise<ProjectRiskSettings> {
  const row = await db.selectFrom('project_risk_settings').selectAll().where('project_id', '=', projectId).executeTakeFirst();
  const missionPrevalence = (row?.mission_prevalence ?? DEFAULT_PREVALENCE) as MissionPrevalence;
  const publicWellBeing = (row?.public_well_being ?? DEFAULT_WELL_BEING) as PublicWellBeing;
  return {
    missionPrevalence,
    publicWellBeing,
    missionWellBeing: missionWellBeingOf(missionPrevalence, publicWellBeing),
    environmental: { cvss2: row?.cvss2_environmental ?? null, cvss3: row?.cvss3_environmental ?? null, cvss4: row?.cvss4_environmental ?? null },
    updatedAt: row?.updated_at ?? null,
  };
}
