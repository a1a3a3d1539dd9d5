import type { Severity } from '../vulns/model.js';

/**
 * The one configurable risk score (standards.md §2, grype's fusion by default):
 *   risk = 100 × min(1, threat × weight × modifier)
 * where threat is 1 for a known-exploited vulnerability (KEV, or exploitation set to active by a person) and the
 * EPSS probability otherwise; weight is the CVSS score / 10 (or the severity's weight / 10 when there is no CVSS
 * score or a person overrode the severity); modifier rewards KEV and known ransomware use.
 */
export interface RiskPolicy {
  /** Threat of a vulnerability known to be exploited. */
  kevThreat: number;
  kevModifier: number;
  ransomwareModifier: number;
  /**
   * Threat of a vulnerability without an EPSS score (own code, no CVE, or a CVE the feed does not score). Not 0,
   * so a critical SQL injection does not sink below every scored CVE; 0.01 is roughly an 80th-percentile CVE.
   */
  missingEpssThreat: number;
  /** SSVC: an EPSS probability from which exploitation counts as "public PoC" (EPSS predicts, it does not observe). */
  pocEpss: number;
  /** Weights (0–10) standing in for a CVSS score: grype's string-severity scores. */
  severityWeights: Record<Severity, number>;
}

export const DEFAULT_RISK_POLICY: RiskPolicy = {
  kevThreat: 1,
  kevModifier: 1.05,
  ransomwareModifier: 1.1,
  missingEpssThreat: 0.01,
  pocEpss: 0.1,
  severityWeights: { critical: 9, high: 7.5, medium: 5, low: 3, info: 0.5, unknown: 5 },
};
