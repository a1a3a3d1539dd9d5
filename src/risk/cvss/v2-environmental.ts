/**
 * The CVSS v2 environmental score, computed here instead of by ae-cvss-calculator. The v2 specification defines
 * AdjustedTemporal as "TemporalScore recomputed with the BaseScore's Impact sub-equation replaced with the
 * AdjustedImpact equation", i.e. with the base and temporal equations' round_to_1_decimal steps. The library skips
 * both roundings and instead rounds the exploitability sub-score, so it is off by ±0.1 on about one vector in
 * seven — even when every environmental metric is neutral (CDP:N/TD:H/CR:M/IR:M/AR:M), where the specification
 * gives back the temporal score exactly. Red Hat's v2 files (normative for this) agree with the formula below.
 */
const WEIGHTS: Record<string, Record<string, number>> = {
  AV: { L: 0.395, A: 0.646, N: 1 },
  AC: { H: 0.35, M: 0.61, L: 0.71 },
  Au: { M: 0.45, S: 0.56, N: 0.704 },
  C: { N: 0, P: 0.275, C: 0.66 },
  I: { N: 0, P: 0.275, C: 0.66 },
  A: { N: 0, P: 0.275, C: 0.66 },
  E: { U: 0.85, POC: 0.9, F: 0.95, H: 1, ND: 1 },
  RL: { OF: 0.87, TF: 0.9, W: 0.95, U: 1, ND: 1 },
  RC: { UC: 0.9, UR: 0.95, C: 1, ND: 1 },
  CDP: { N: 0, L: 0.1, LM: 0.3, MH: 0.4, H: 0.5, ND: 0 },
  TD: { N: 0, L: 0.25, M: 0.75, H: 1, ND: 1 },
  CR: { L: 0.5, M: 1, H: 1.51, ND: 1 },
  IR: { L: 0.5, M: 1, H: 1.51, ND: 1 },
  AR: { L: 0.5, M: 1, H: 1.51, ND: 1 },
};

/** round_to_1_decimal in binary floating point, like the library's base and temporal scores (see score.ts). */
const round1 = (x: number) => Math.round(x * 10) / 10;

/** `metrics` is a parsed v2 vector's: every base metric set, "not defined" metrics absent. */
export function v2EnvironmentalScore(metrics: Readonly<Record<string, string>>): number {
  const weight = (metric: string) => WEIGHTS[metric]![metrics[metric] ?? 'ND']!;
  const adjustedImpact = Math.min(
    10,
    10.41 * (1 - (1 - weight('C') * weight('CR')) * (1 - weight('I') * weight('IR')) * (1 - weight('A') * weight('AR'))),
  );
  const exploitability = 20 * weight('AV') * weight('AC') * weight('Au');
  const adjustedBase = round1((0.6 * adjustedImpact + 0.4 * exploitability - 1.5) * (adjustedImpact === 0 ? 0 : 1.176));
  const adjustedTemporal = round1(adjustedBase * weight('E') * weight('RL') * weight('RC'));
  return round1((adjustedTemporal + (10 - adjustedTemporal) * weight('CDP')) * weight('TD'));
}
