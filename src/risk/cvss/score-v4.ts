import cvssLibrary from 'ae-cvss-calculator';
import { definesAny, grammarOf, type MetricGroup } from './metrics.js';
import { buildVector, type CvssVector } from './parse.js';
import type { CvssScores } from './score.js';
import { severityOfScore } from './severity.js';

const { Cvss4P0 } = cvssLibrary;
const GRAMMAR = grammarOf('4.0');

/**
 * CVSS 4.0 has one score per vector; which metrics it covers is in its nomenclature. `overall` (and
 * `environmental`, when environmental metrics are set) is the score of the whole vector; `base` (CVSS-B) and
 * `threat` (CVSS-BT) are the scores of the vector cut down to those groups. Each library run costs about half a
 * millisecond, so the cut-down scores are computed on first read.
 */
export function scoreV4(vector: CvssVector): CvssScores {
  const hasThreat = definesAny(GRAMMAR, vector.metrics, 'threat');
  const hasEnvironmental = definesAny(GRAMMAR, vector.metrics, 'environmental');
  const overall = new Cvss4P0(vector.vector).calculateOverallScore();
  const base = hasThreat || hasEnvironmental ? once(() => scoreOf(vector, ['base'])) : () => overall;
  const threat = !hasThreat ? () => null : hasEnvironmental ? once(() => scoreOf(vector, ['base', 'threat'])) : () => overall;
  return {
    version: '4.0',
    vector: vector.vector,
    get base() {
      return base();
    },
    temporal: null,
    environmental: hasEnvironmental ? overall : null,
    get threat() {
      return threat();
    },
    overall,
    severity: severityOfScore(overall, '4.0'),
    nomenclature: `CVSS-B${hasThreat ? 'T' : ''}${hasEnvironmental ? 'E' : ''}`,
  };
}

/** The score of the vector with only the metrics of `groups` (supplemental metrics never change a score). */
function scoreOf(vector: CvssVector, groups: MetricGroup[]): number {
  const kept = Object.entries(vector.metrics).filter(([name]) => groups.includes(GRAMMAR.byName.get(name)!.group));
  return new Cvss4P0(buildVector(GRAMMAR, new Map(kept)).vector).calculateOverallScore();
}

function once<T>(compute: () => T): () => T {
  let value: { result: T } | null = null;
  return () => (value ??= { result: compute() }).result;
}
