import type { CvssVersion } from './metrics.js';

export type CvssSeverity = 'none' | 'low' | 'medium' | 'high' | 'critical';

/**
 * v3.0, v3.1 and v4.0 share FIRST's scale: None 0.0, Low 0.1–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0.
 * v2 has no official scale; NVD's convention is Low 0.0–3.9, Medium 4.0–6.9, High 7.0–10.0. We follow NVD, so a
 * v2 score of 0.0 is 'low' (as in NVD's v2 data) and v2 is never 'none' or 'critical'.
 */
export function severityOfScore(score: number, version: CvssVersion): CvssSeverity {
  if (!(score >= 0 && score <= 10)) throw new RangeError(`a CVSS score lies between 0 and 10, got ${score}`);
  if (version === '2.0') return score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
  if (score === 0) return 'none';
  return score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
}
