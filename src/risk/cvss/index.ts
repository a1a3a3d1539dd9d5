/** CVSS 2.0, 3.0, 3.1 and 4.0: parse and canonicalise vectors, merge environmental metrics, score. Pure, no I/O. */
export { withEnvironmental } from './environmental.js';
export { CvssError } from './errors.js';
export type { CvssVersion } from './metrics.js';
export { parseCvss, type CvssVector, type ParseOptions } from './parse.js';
export { scoreCvss, type CvssScores } from './score.js';
export { severityOfScore, type CvssSeverity } from './severity.js';
