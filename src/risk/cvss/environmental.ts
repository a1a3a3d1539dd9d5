import { CvssError } from './errors.js';
import { grammarOf, type MetricGroup } from './metrics.js';
import { buildVector, parseCvss, readMetrics, type CvssVector } from './parse.js';

/**
 * What a project or an assessor may set on top of a published vector: the environmental metrics, and the
 * exploit-maturity style metrics (v4 threat, v2/v3.x temporal), which describe the current threat rather than the
 * vulnerability. Base and v4 supplemental metrics belong to the vector's author.
 */
const ADJUSTABLE: ReadonlySet<MetricGroup> = new Set(['temporal', 'threat', 'environmental']);

/**
 * Merges `environmental` (metrics without prefix, e.g. `CR:H/IR:L/MAV:L`) into a vector of the same version. A
 * given value replaces the vector's; `X`/`ND` removes it. An empty string changes nothing.
 */
export function withEnvironmental(vector: CvssVector, environmental: string): CvssVector {
  // CvssVector is a plain interface: re-read the vector so a hand-made one cannot smuggle in bad metrics.
  const current = parseCvss(vector.vector);
  const grammar = grammarOf(current.version);
  const label = `CVSS ${current.version} environmental metrics`;
  const merged = new Map(Object.entries(current.metrics));
  for (const [name, value] of readMetrics(grammar, environmental.trim(), label, false)) {
    const group = grammar.byName.get(name)!.group;
    if (!ADJUSTABLE.has(group)) {
      const allowed = current.version === '4.0' ? 'threat and environmental' : 'temporal and environmental';
      throw new CvssError(`${label}: ${name} is a ${group} metric; only ${allowed} metrics can be set`, name);
    }
    merged.set(name, value);
  }
  return buildVector(grammar, merged);
}
