import { sql, type Selectable } from 'kysely';
import type { VulnerabilityRiskTable } from './tables.js';

/**
 * What the vulnerability report needs from the risk module: the columns to select (always through an inner join
 * on `vulnerability_risk`, one row per vulnerability), the sort expression, and their domain shape.
 */
export const RISK_COLUMNS = [
  'vulnerability_risk.risk_score',
  'vulnerability_risk.cvss_score',
  'vulnerability_risk.cvss_version',
  'vulnerability_risk.epss',
  'vulnerability_risk.epss_percentile',
  'vulnerability_risk.kev',
  'vulnerability_risk.ssvc',
] as const;

export const RISK_SORT = sql<number>`vulnerability_risk.risk_score`;

type RiskRow = Pick<Selectable<VulnerabilityRiskTable>, 'risk_score' | 'cvss_score' | 'cvss_version' | 'epss' | 'epss_percentile' | 'kev' | 'ssvc'>;

/** The risk of a vulnerability as a list shows it; the detail explains it (explain.ts). */
export interface RiskSummary {
  score: number;
  cvssScore: number | null;
  cvssVersion: string | null;
  epss: number | null;
  epssPercentile: number | null;
  kev: boolean;
  ssvc: string | null;
}

export function riskSummaryOf(row: RiskRow): RiskSummary {
  return { score: row.risk_score, cvssScore: row.cvss_score, cvssVersion: row.cvss_version, epss: row.epss, epssPercentile: row.epss_percentile, kev: row.kev === 1, ssvc: row.ssvc };
}
