import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../platform/db/schema.js';
import type { Severity } from '../vulns/model.js';
import type { VulnerabilityRiskTable } from './tables.js';
import { parseCvss, scoreCvss, type CvssScores } from './cvss/index.js';
import { cveEpss, kevEntryOf, type CveEpss, type KevView } from './cve-data.js';
import { loadRiskPolicy } from './policy-store.js';
import { exploitationOf, riskScore, type RiskFactor, type RiskInputs } from './score.js';
import { projectRiskSettings } from './settings.js';
import { decideSsvc, type SsvcOutcome, type SsvcStep, automatableFromCvss, technicalImpactFromCvss, type Exploitation } from './ssvc/index.js';
import { effectiveCvss, environmentalFor } from './vulnerability-cvss.js';

/** Why a vulnerability ranks where it does: every input of its risk score and SSVC decision, with its source. */
export interface RiskExplanation {
  score: number;
  formula: string;
  factors: RiskFactor[];
  /** `environmentalFrom`: whose environmental metrics were applied (project, vulnerability). */
  cvss: (CvssScores & { baseVector: string; environmentalFrom: string[] }) | null;
  /** Every vector the reports gave, scored, so a reader can see which one was chosen and why. */
  reportedVectors: { vendor: string | null; vector: string; score: number | null; error: string | null }[];
  epss: CveEpss | null;
  kev: KevView | null;
  ssvc: SsvcOutcome;
}

type Row = Selectable<VulnerabilityRiskTable>;

export function riskInputsOf(row: Row): RiskInputs {
  return {
    severity: row.severity as Severity,
    severityOverridden: row.severity_overridden === 1,
    cvssScore: row.cvss_score,
    cvssVector: row.cvss_vector,
    epss: row.epss,
    epssPercentile: row.epss_percentile,
    kev: row.kev === 1,
    kevRansomware: row.kev_ransomware === 1,
    exploitationOverride: row.exploitation_override as Exploitation | null,
    exploitReference: row.exploit_reference,
  };
}

/** The explanation for one vulnerability by id (its CVE aliases included). */
export async function explainVulnerabilityRisk(db: Kysely<Database>, id: number): Promise<RiskExplanation> {
  const row = await db.selectFrom('vulnerability_risk').selectAll().where('vulnerability_id', '=', id).executeTakeFirstOrThrow();
  const { details_json } = await db.selectFrom('vulnerabilities').select('details_json').where('id', '=', id).executeTakeFirstOrThrow();
  const cves = await db.selectFrom('vulnerability_identifiers').select('value').where('vulnerability_id', '=', id).where('type', '=', 'cve').orderBy('position').execute();
  return explainRisk(db, row, details_json, cves.map((c) => c.value));
}

async function explainRisk(db: Kysely<Database>, row: Row, detailsJson: string, cves: readonly string[]): Promise<RiskExplanation> {
  const policy = await loadRiskPolicy(db);
  const settings = await projectRiskSettings(db, row.project_id);
  const inputs = riskInputsOf(row);
  const { factors } = riskScore(policy, inputs);

  let cvss: RiskExplanation['cvss'] = null;
  let automatable: SsvcStep = { point: 'automatable', value: 'no', because: 'no CVSS vector to tell: assumed not automatable' };
  let technicalImpact: SsvcStep = { point: 'technical_impact', value: 'partial', because: 'no CVSS vector to tell: assumed partial' };
  if (row.cvss_vector) {
    const base = parseCvss(row.cvss_vector);
    const { vector, scores } = effectiveCvss(base, settings.environmental, row.cvss_environmental);
    const applied = [environmentalFor(base.version, settings.environmental) && 'project', row.cvss_environmental && 'vulnerability'].filter((x): x is string => Boolean(x));
    cvss = { ...scores, vector: vector.vector, baseVector: base.vector, environmentalFrom: applied };
    automatable = automatableFromCvss(base.version, base.metrics) ?? automatable;
    technicalImpact = technicalImpactFromCvss(base.version, base.metrics) ?? technicalImpact;
  }
  const details = JSON.parse(detailsJson) as { cvss_vectors?: { vendor: string | null; vector: string }[] };
  const reportedVectors = (details.cvss_vectors ?? []).map(({ vendor, vector }) => {
    try {
      return { vendor, vector, score: scoreCvss(parseCvss(vector)).overall, error: null };
    } catch (error) {
      return { vendor, vector, score: null, error: (error as Error).message };
    }
  });
  const ssvc = decideSsvc({ exploitation: exploitationOf(policy, inputs), automatable, technicalImpact, missionWellBeing: settings.missionWellBeing });
  return {
    score: row.risk_score,
    formula: 'risk = 100 × min(1, threat × weight × modifier)',
    factors,
    cvss,
    reportedVectors,
    epss: await cveEpss(db, cves),
    kev: await kevEntryOf(db, cves),
    ssvc,
  };
}
