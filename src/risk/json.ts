import type { CveEpss, EpssPoint, KevView } from './cve-data.js';
import type { RiskExplanation } from './explain.js';

/** API (snake_case) shapes of the risk module's domain objects. */
export function epssJson(e: CveEpss | null) {
  return e && { cve: e.cve, probability: e.probability, percentile: e.percentile, score_date: e.scoreDate, model_version: e.modelVersion, change_7d: e.change7d, change_30d: e.change30d };
}

export function epssPointJson(p: EpssPoint) {
  return { date: p.date, probability: p.probability, percentile: p.percentile, model_version: p.modelVersion };
}

export function kevJson(k: KevView | null) {
  return (
    k && {
      cve: k.cve,
      vulnerability_name: k.vulnerabilityName,
      vendor_project: k.vendorProject,
      product: k.product,
      short_description: k.shortDescription,
      required_action: k.requiredAction,
      date_added: k.dateAdded,
      due_date: k.dueDate,
      known_ransomware: k.knownRansomware,
      notes: k.notes,
      cwes: k.cwes,
      removed_at: k.removedAt,
    }
  );
}

export function explanationJson(e: RiskExplanation) {
  const c = e.cvss;
  return {
    score: e.score,
    formula: e.formula,
    factors: e.factors,
    cvss: c && {
      version: c.version,
      vector: c.vector,
      base_vector: c.baseVector,
      environmental_from: c.environmentalFrom,
      base: c.base,
      temporal: c.temporal,
      threat: c.threat,
      environmental: c.environmental,
      overall: c.overall,
      severity: c.severity,
      nomenclature: c.nomenclature,
    },
    reported_vectors: e.reportedVectors,
    epss: epssJson(e.epss),
    kev: kevJson(e.kev),
    ssvc: { decision: e.ssvc.decision, label: e.ssvc.label, meaning: e.ssvc.meaning, version: e.ssvc.version, path: e.ssvc.path },
  };
}
