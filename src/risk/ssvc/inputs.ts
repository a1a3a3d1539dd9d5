/**
 * Deriving SSVC decision points from data we already hold: Mission & Well-Being from the deployer's two ratings,
 * and Automatable / Technical Impact from a CVSS vector. Each result says in words how it was reached.
 */
import type { MissionPrevalence, MissionWellBeing, PublicWellBeing, SsvcStep } from './decision.js';

const ESSENTIAL = 'the system is essential to the mission';
const IRREVERSIBLE = 'the public well-being impact is irreversible';
const SUPPORT = 'the system supports the mission and the public well-being impact is at most material';

/** Mission & Well-Being Impact v1.0.0: Mission Prevalence (rows) × Public Well-Being Impact (columns). */
const MISSION_WELL_BEING: Readonly<
  Record<MissionPrevalence, Readonly<Record<PublicWellBeing, readonly [MissionWellBeing, string]>>>
> = {
  minimal: {
    minimal: ['low', 'mission prevalence and public well-being impact are both minimal'],
    // A gap in CISA's definitions: its guide rates this pair medium, and so do we.
    material: [
      'medium',
      "CISA's definitions do not cover minimal mission prevalence with material public well-being impact; " +
        "treated as medium, as CISA's guide does",
    ],
    irreversible: ['high', IRREVERSIBLE],
  },
  support: { minimal: ['medium', SUPPORT], material: ['medium', SUPPORT], irreversible: ['high', IRREVERSIBLE] },
  essential: {
    minimal: ['high', ESSENTIAL],
    material: ['high', ESSENTIAL],
    irreversible: ['high', `${ESSENTIAL} and ${IRREVERSIBLE}`],
  },
};

/** MWI from Mission Prevalence × Public Well-Being Impact. */
export function missionWellBeingOf(prevalence: MissionPrevalence, wellBeing: PublicWellBeing): SsvcStep {
  const [value, reason] = MISSION_WELL_BEING[prevalence][wellBeing];
  return {
    point: 'mission_well_being',
    value,
    because: `Mission prevalence ${prevalence}, public well-being impact ${wellBeing}: ${reason}`,
  };
}

type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';

/** The metric values a vector must have for the stronger answer, and what having all of them means. */
interface Rule {
  needs: Readonly<Record<string, string>>;
  reads: string;
}

/** How one decision point is read off a vector: the stronger answer iff every needed metric matches. */
interface Derivation {
  point: SsvcStep['point'];
  met: { value: string; word: string };
  unmet: { value: string; word: string };
  rules: Readonly<Record<CvssVersion, Rule>>;
}

// Automatable means an attacker can script reconnaissance through exploitation. Heuristic: that takes reaching
// the system over the network with no special conditions, no credentials and nobody on the victim's side acting.
const V3_AUTOMATABLE: Rule = {
  needs: { AV: 'N', AC: 'L', PR: 'N', UI: 'N' },
  reads: 'reachable over the network with low complexity, without privileges or user interaction',
};
const AUTOMATABLE: Derivation = {
  point: 'automatable',
  met: { value: 'yes', word: 'automatable' },
  unmet: { value: 'no', word: 'not automatable' },
  rules: {
    '2.0': {
      needs: { AV: 'N', AC: 'L', Au: 'N' },
      reads: 'reachable over the network with low complexity and no authentication',
    },
    '3.0': V3_AUTOMATABLE,
    '3.1': V3_AUTOMATABLE,
    '4.0': {
      needs: { AV: 'N', AC: 'L', AT: 'N', PR: 'N', UI: 'N' },
      reads: 'reachable over the network with low complexity, no attack requirements, without privileges or user interaction',
    },
  },
};

// Total means the attacker gets total control of the vulnerable system. Heuristic: the vector rates the worst
// loss of both its confidentiality and its integrity (availability alone does not give control).
const V3_TOTAL: Rule = {
  needs: { C: 'H', I: 'H' },
  reads: 'high confidentiality and integrity impact, taken as total control of the vulnerable system',
};
const TECHNICAL_IMPACT: Derivation = {
  point: 'technical_impact',
  met: { value: 'total', word: 'total' },
  unmet: { value: 'partial', word: 'partial' },
  rules: {
    '2.0': {
      needs: { C: 'C', I: 'C' },
      reads: 'complete confidentiality and integrity impact, taken as total control of the vulnerable system',
    },
    '3.0': V3_TOTAL,
    '3.1': V3_TOTAL,
    '4.0': {
      needs: { VC: 'H', VI: 'H' },
      reads: 'high confidentiality and integrity impact on the vulnerable system, taken as total control of it',
    },
  },
};

function isCvssVersion(version: string): version is CvssVersion {
  return Object.hasOwn(AUTOMATABLE.rules, version);
}

const pairs = (entries: [string, string][]): string => entries.map(([metric, value]) => `${metric}:${value}`).join('/');

/** Null when the version is unknown or a needed metric is absent: the vector cannot tell. */
function derive(derivation: Derivation, version: string, metrics: Readonly<Record<string, string>>): SsvcStep | null {
  if (!isCvssVersion(version)) return null;
  const rule = derivation.rules[version];
  const needs = Object.entries(rule.needs);
  if (needs.some(([metric]) => metrics[metric] === undefined)) return null;
  const seen = pairs(needs.map(([metric]) => [metric, metrics[metric]]));
  const short = needs.filter(([metric, wanted]) => metrics[metric] !== wanted).map(([metric]) => `${metric}:${metrics[metric]}`);
  const { point, met, unmet } = derivation;
  return short.length === 0
    ? { point, value: met.value, because: `CVSS ${version} ${seen}: ${rule.reads}` }
    : {
        point,
        value: unmet.value,
        because: `CVSS ${version} ${seen}: ${unmet.word} because of ${short.join(', ')} (${met.word} needs ${pairs(needs)})`,
      };
}

/** Automatable from a parsed CVSS vector (canonical metric abbreviations → value); null when it cannot tell. */
export function automatableFromCvss(version: string, metrics: Readonly<Record<string, string>>): SsvcStep | null {
  // v4's supplemental AU is the vector author's own answer to this very question, so it wins when given.
  const stated = version === '4.0' ? metrics['AU'] : undefined;
  if (stated === 'Y' || stated === 'N') {
    const value = stated === 'Y' ? 'yes' : 'no';
    return { point: 'automatable', value, because: `CVSS 4.0 AU:${stated}: the vector's supplemental Automatable metric says ${value}` };
  }
  return derive(AUTOMATABLE, version, metrics);
}

/** Technical Impact from a parsed CVSS vector (canonical metric abbreviations → value); null when it cannot tell. */
export function technicalImpactFromCvss(version: string, metrics: Readonly<Record<string, string>>): SsvcStep | null {
  return derive(TECHNICAL_IMPACT, version, metrics);
}
