import type { Severity } from '../vulns/model.js';
import type { RiskPolicy } from './policy.js';
import type { Exploitation, SsvcStep } from './ssvc/index.js';

/** What the risk of one vulnerability is computed from: the denormalised columns on the vulnerability. */
export interface RiskInputs {
  severity: Severity;
  severityOverridden: boolean;
  cvssScore: number | null;
  cvssVector: string | null;
  epss: number | null;
  epssPercentile: number | null;
  kev: boolean;
  kevRansomware: boolean;
  exploitationOverride: Exploitation | null;
  exploitReference: string | null;
}

export interface RiskFactor {
  factor: 'threat' | 'weight' | 'modifier';
  value: number;
  because: string;
}

export interface RiskScore {
  score: number;
  factors: RiskFactor[];
}

/** The risk score with the reason for each factor. rescore.ts writes the same formula in SQL; tests hold them equal. */
export function riskScore(policy: RiskPolicy, inputs: RiskInputs): RiskScore {
  const factors = [threatOf(policy, inputs), weightOf(policy, inputs), modifierOf(policy, inputs)];
  const product = factors.reduce((acc, f) => acc * f.value, 100);
  return { score: Math.min(100, product), factors };
}

function threatOf(policy: RiskPolicy, inputs: RiskInputs): RiskFactor {
  if (inputs.kev) return { factor: 'threat', value: policy.kevThreat, because: 'listed in CISA\'s Known Exploited Vulnerabilities catalog' };
  if (inputs.exploitationOverride === 'active') return { factor: 'threat', value: policy.kevThreat, because: 'a maintainer recorded active exploitation' };
  if (inputs.epss !== null) {
    const percentile = inputs.epssPercentile === null ? '' : ` (${ordinal(inputs.epssPercentile)} percentile)`;
    return { factor: 'threat', value: inputs.epss, because: `EPSS: ${formatPercent(inputs.epss)} probability of exploitation in the next 30 days${percentile}` };
  }
  return { factor: 'threat', value: policy.missingEpssThreat, because: `no EPSS score (no scored CVE): the policy assumes ${formatPercent(policy.missingEpssThreat)}` };
}

function weightOf(policy: RiskPolicy, inputs: RiskInputs): RiskFactor {
  if (inputs.cvssScore !== null && !inputs.severityOverridden) {
    return { factor: 'weight', value: inputs.cvssScore / 10, because: `CVSS ${inputs.cvssScore.toFixed(1)}${inputs.cvssVector ? ` (${inputs.cvssVector})` : ''}` };
  }
  const weight = policy.severityWeights[inputs.severity];
  const why = inputs.severityOverridden ? 'severity set by a person' : 'no CVSS vector';
  return { factor: 'weight', value: weight / 10, because: `${why}: ${inputs.severity} weighs ${weight}` };
}

function modifierOf(policy: RiskPolicy, inputs: RiskInputs): RiskFactor {
  if (inputs.kev && inputs.kevRansomware) return { factor: 'modifier', value: policy.ransomwareModifier, because: 'known to be used in ransomware campaigns' };
  if (inputs.kev) return { factor: 'modifier', value: policy.kevModifier, because: 'in KEV' };
  return { factor: 'modifier', value: 1, because: 'not in KEV' };
}

/** SSVC exploitation with its evidence: KEV → active, a public exploit or a high EPSS → poc. */
export function exploitationOf(policy: RiskPolicy, inputs: RiskInputs): SsvcStep {
  const step = (value: Exploitation, because: string): SsvcStep => ({ point: 'exploitation', value, because });
  if (inputs.exploitationOverride) return step(inputs.exploitationOverride, 'set by a maintainer');
  if (inputs.kev) return step('active', 'listed in CISA\'s Known Exploited Vulnerabilities catalog');
  if (inputs.exploitReference) return step('poc', `the report links public exploit code: ${inputs.exploitReference}`);
  if (inputs.epss !== null && inputs.epss >= policy.pocEpss) {
    return step('poc', `EPSS ${formatPercent(inputs.epss)} ≥ ${formatPercent(policy.pocEpss)} suggests exploit code exists (a prediction, not an observation)`);
  }
  return step('none', 'not in KEV, no public exploit linked' + (inputs.epss === null ? ', no EPSS score' : `, EPSS ${formatPercent(inputs.epss)}`));
}

function formatPercent(probability: number): string {
  return `${Number((probability * 100).toPrecision(3))}%`;
}

function ordinal(percentile: number): string {
  const n = Math.floor(percentile * 100);
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}
