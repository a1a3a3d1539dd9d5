import { CvssError } from './errors.js';
import { grammarOf, type CvssGrammar, type CvssVersion } from './metrics.js';

export interface CvssVector {
  version: CvssVersion;
  /** Only the metrics that are set: "not defined" (`X`, `ND`) values are left out. */
  metrics: Readonly<Record<string, string>>;
  /** canonical order, X/ND values left out, prefix for 3.x/4.0, none for 2.0 */
  vector: string;
}

export interface ParseOptions {
  /**
   * Also enforce FIRST's metric order. Only CVSS 4.0 has one (the `cvss-v4.0.json` pattern); FIRST's v2 and v3.x
   * schemas accept any order, so for them strict and lenient parsing are the same.
   */
  strict?: boolean;
}

const SUPPORTED: Record<string, CvssVersion> = { '2.0': '2.0', '3.0': '3.0', '3.1': '3.1', '4.0': '4.0' };

/**
 * Parses a vector in any metric order (or FIRST's strict v4 order) and returns it in canonical form. Rejects
 * unknown metrics and values, duplicates, empty parts, a trailing `/` and missing base metrics, with a message that
 * names the offending metric.
 */
export function parseCvss(text: string, options: ParseOptions = {}): CvssVector {
  const { version, body } = splitVersion(text.trim());
  const grammar = grammarOf(version);
  const label = `CVSS ${version} vector`;
  const metrics = readMetrics(grammar, body, label, options.strict === true);
  const missing = grammar.metrics.filter((m) => m.group === 'base' && !metrics.has(m.name)).map((m) => m.name);
  if (missing.length > 0) {
    throw new CvssError(`${label}: missing base metric${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, missing[0]!);
  }
  return buildVector(grammar, metrics);
}

/** `CVSS:4.0/`, `CVSS:3.1/`, `CVSS:3.0/`; v2 has no prefix but is also seen as `CVSS:2.0/…` and `(…)`. */
function splitVersion(text: string): { version: CvssVersion; body: string } {
  if (text === '') throw new CvssError('empty CVSS vector', null);
  const prefixed = /^CVSS:([^/]*)(?:\/|$)/.exec(text);
  if (prefixed) {
    const version = SUPPORTED[prefixed[1]!];
    if (!version) throw new CvssError(`unsupported CVSS version "${prefixed[1]}"`, null);
    return { version, body: text.slice(prefixed[0].length) };
  }
  const wrapped = /^\((.*)\)$/.exec(text);
  return { version: '2.0', body: wrapped ? wrapped[1]! : text };
}

/**
 * Reads `/`-separated `Metric:Value` pairs (without prefix), keeping "not defined" values so a caller can tell
 * "reset to X" from "absent". `strictOrder` applies the grammar's canonical order, which FIRST only requires of v4.
 */
export function readMetrics(grammar: CvssGrammar, body: string, label: string, strictOrder: boolean): Map<string, string> {
  const metrics = new Map<string, string>();
  if (body === '') return metrics;
  const enforceOrder = strictOrder && grammar.version === '4.0';
  const parts = body.split('/');
  let previous: { name: string; index: number } | null = null;
  for (let position = 0; position < parts.length; position++) {
    const part = parts[position]!;
    if (part === '') {
      if (position === parts.length - 1) throw new CvssError(`${label}: trailing "/"`, null);
      throw new CvssError(position === 0 ? `${label}: empty part at the start` : `${label}: empty part after "${parts[position - 1]}"`, null);
    }
    const colon = part.indexOf(':');
    const name = colon < 0 ? part : part.slice(0, colon);
    const value = colon < 0 ? '' : part.slice(colon + 1);
    if (name === '') throw new CvssError(`${label}: part "${part}" has no metric name`, null);
    const definition = grammar.byName.get(name);
    if (!definition) throw new CvssError(`${label}: unknown metric "${name}"`, name);
    if (metrics.has(name)) throw new CvssError(`${label}: metric ${name} appears twice`, name);
    if (value === '') throw new CvssError(`${label}: metric ${name} has no value`, name);
    if (!definition.values.includes(value)) {
      throw new CvssError(`${label}: unknown value "${value}" for metric ${name} (allowed: ${definition.values.join(', ')})`, name);
    }
    if (enforceOrder && previous && definition.index < previous.index) {
      throw new CvssError(`${label}: metric ${name} is out of order (strict CVSS ${grammar.version} order puts ${name} before ${previous.name})`, name);
    }
    previous = definition;
    metrics.set(name, value);
  }
  return metrics;
}

/** The canonical form: the specification's order, "not defined" values dropped. */
export function buildVector(grammar: CvssGrammar, metrics: ReadonlyMap<string, string>): CvssVector {
  const canonical: Record<string, string> = {};
  let vector = '';
  for (const { name } of grammar.metrics) {
    const value = metrics.get(name);
    if (value === undefined || value === grammar.notDefined) continue;
    canonical[name] = value;
    vector += `${vector === '' ? grammar.prefix : '/'}${name}:${value}`;
  }
  return { version: grammar.version, metrics: canonical, vector };
}
