/**
 * CVSS scores, computed by ae-cvss-calculator 1.0.13 (metaeffekt). Checked against every vector of the Red Hat and
 * metaeffekt test files in shared/fixtures/cvss (test/unit/cvss-fixtures.test.ts). Where the library and the
 * official values part ways:
 *
 * - v2 environmental: the library leaves out the specification's intermediate roundings, so we compute it
 *   ourselves (v2-environmental.ts). Red Hat's 4 v2 environmental values match either way; metaeffekt's v2 file,
 *   which the library reproduces exactly, differs from the specification on 1,185 of its 7,956 environmental values.
 * - v2 temporal 9.0 × 0.95 = 8.55: binary floating point gives 8.549999… → 8.5; Red Hat's `vectors_calculator2`
 *   (exact decimals) expects 8.6. We keep the library's floating-point rounding, which the 10,000 metaeffekt v2
 *   vectors need (e.g. 3.0 × 0.95 → 2.8); that Red Hat line is the one known divergence.
 * - v3.0 rounds up with a naive `Math.ceil(x * 10) / 10` (5.0 × 0.92 → 4.7), like FIRST's 3.0 calculator; the
 *   metaeffekt 3.0 files expect exactly that and Red Hat's 3.0 files agree with either rounding, so it is kept.
 * - Fine as is: v3.1 Roundup and ModifiedImpact (all 2,592 + 10,000 vectors), and v4's +1e-6 rounding epsilon,
 *   which the library has (without it 5 Red Hat and 35 metaeffekt v4 vectors would be 0.1 off).
 *
 * Temporal and environmental scores are null when the vector sets no metric of that group (FIRST's calculators
 * and Red Hat's library would repeat the base formula instead; for v3.1 with S:C that can differ by 0.1).
 */
import cvssLibrary from 'ae-cvss-calculator';
import { definesAny, grammarOf, type CvssVersion } from './metrics.js';
import { parseCvss, type CvssVector } from './parse.js';
import { scoreV4 } from './score-v4.js';
import { severityOfScore, type CvssSeverity } from './severity.js';
import { v2EnvironmentalScore } from './v2-environmental.js';

export interface CvssScores {
  version: CvssVersion;
  vector: string;
  base: number;
  temporal: number | null;
  environmental: number | null;
  /** v4 only: CVSS-BT score when threat metrics are given */
  threat: number | null;
  /** the score a person should see: env ?? temporal/threat ?? base (v4: the overall score of the whole vector) */
  overall: number;
  severity: CvssSeverity;
  /** v4: 'CVSS-B' | 'CVSS-BT' | 'CVSS-BE' | 'CVSS-BTE'; null otherwise */
  nomenclature: string | null;
}

// The package is a CommonJS webpack bundle: Node's ESM loader exposes it only as a default export.
const { Cvss2, Cvss3P0, Cvss3P1 } = cvssLibrary;
const CALCULATORS = { '2.0': Cvss2, '3.0': Cvss3P0, '3.1': Cvss3P1 } as const;

export function scoreCvss(vector: CvssVector): CvssScores {
  // CvssVector is a plain interface: re-read it, since the library scores e.g. a missing base metric as 0 silently.
  const checked = parseCvss(vector.vector);
  return checked.version === '4.0' ? scoreV4(checked) : scoreV2V3(checked, checked.version);
}

function scoreV2V3(vector: CvssVector, version: keyof typeof CALCULATORS): CvssScores {
  const result = new CALCULATORS[version](vector.vector).calculateScores();
  if (result.base === undefined) throw new Error(`ae-cvss-calculator gave no base score for ${vector.vector}`);
  const base = result.base;
  const temporal = result.temporal ?? null;
  const environmental =
    version === '2.0' && definesAny(grammarOf(version), vector.metrics, 'environmental')
      ? v2EnvironmentalScore(vector.metrics)
      : (result.environmental ?? null);
  const overall = environmental ?? temporal ?? base;
  return {
    version,
    vector: vector.vector,
    base: positiveZero(base),
    temporal: temporal === null ? null : positiveZero(temporal),
    environmental: environmental === null ? null : positiveZero(environmental),
    threat: null,
    overall: positiveZero(overall),
    severity: severityOfScore(overall, version),
    nomenclature: null,
  };
}

/** The v2 equations yield -0 for a vector without impact ((… - 1.5) × 0); nobody wants to see "-0". */
function positiveZero(score: number): number {
  return score === 0 ? 0 : score;
}
