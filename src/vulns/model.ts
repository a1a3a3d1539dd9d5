import type { DismissalReason } from './triage-states.js';

/**
 * The canonical finding: what every report format is turned into before identity, matching and storage.
 * Nothing here knows about a particular scanner or file format.
 */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info', 'unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse; used for sorting and for `--fail-on`. */
export function severityRank(severity: Severity): number {
  return { critical: 5, high: 4, medium: 3, low: 2, info: 1, unknown: 0 }[severity];
}

export const REPORT_TYPES = [
  'sast',
  'dependency_scanning',
  'container_scanning',
  'cluster_image_scanning',
  'dast',
  'api_fuzzing',
  'coverage_fuzzing',
  'secret_detection',
  'iac',
] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

export interface Scanner {
  /** Stable machine name, lower-case (e.g. `semgrep`, `find_sec_bugs`, `codeql`). */
  id: string;
  name: string;
  version: string | null;
  vendor: string | null;
}

/** For reports that name no scanner anywhere (the upload's `scanner` parameter can name it). */
export const UNKNOWN_SCANNER: Scanner = { id: 'unknown', name: 'unknown scanner', version: null, vendor: null };

/**
 * A classification or identity reference, in report order: the first non-classification one is the primary
 * identifier. `type` is lower-case: `cve`, `ghsa`, `cwe`, `owasp`, `wasc`, or a scanner's rule namespace
 * (`semgrep_id`, `find_sec_bugs_type`, `sarif_rule`, …).
 */
export interface Identifier {
  type: string;
  value: string;
  name: string | null;
  url: string | null;
}

/** Types that classify a weakness rather than identify a finding: kept, but never used as identity. */
export const CLASSIFICATION_TYPES = new Set(['cwe', 'owasp', 'wasc', 'capec']);

export interface PackageRef {
  name: string;
  /** The installed version: an attribute, never identity. */
  version: string | null;
  /** `npm`, `pypi`, `maven`, `go`, `alpine`, `debian`, … (lower-case), where the report says. */
  ecosystem?: string | null;
  /** Package URL (pkg:npm/lodash@4.17.20) where known. */
  purl?: string | null;
  /** Versions that fix it, as the report lists them. */
  fixedVersions?: string[];
}

/** Where the finding is. Which fields are set depends on the report type. */
export interface Location {
  /** Repo-relative POSIX path of the source file, manifest or lock file. */
  file: string | null;
  startLine: number | null;
  endLine: number | null;
  className: string | null;
  method: string | null;
  /** Dependency and container scanning. */
  package: PackageRef | null;
  /** Container scanning: the image reference as scanned (tag included) and the OS. */
  image: string | null;
  operatingSystem: string | null;
  /** DAST / API fuzzing. */
  hostname: string | null;
  path: string | null;
  httpMethod: string | null;
  param: string | null;
  /** Secret detection: the commit the secret was found in. */
  commitSha: string | null;
}

/** A scanner-provided stable identity (SARIF fingerprints, GitLab tracking signatures). */
export interface TrackingSignature {
  /** e.g. `gitlab:scope_offset`, `sarif:primaryLocationLineHash`, `sarif-fingerprint:matchHash/v1`. */
  algorithm: string;
  value: string;
  /** Higher means more specific/stable; matching goes from the highest down. */
  priority: number;
}

export interface Suppression {
  kind: 'inSource' | 'external';
  status: 'accepted' | 'underReview' | 'rejected' | null;
  justification: string | null;
}

/**
 * What the report's producer says about the finding (a CycloneDX VEX analysis, an accepted SARIF suppression):
 * applied to a vulnerability that nobody has triaged yet, recorded as an event, never over a person's decision.
 */
export interface Assessment {
  state: 'dismissed' | 'resolved' | 'confirmed';
  reason: DismissalReason | null;
  comment: string | null;
}

export interface Finding {
  title: string;
  description: string | null;
  severity: Severity;
  confidence: string | null;
  /** Filled from the report's scan metadata when the finding itself does not say. */
  reportType: ReportType;
  scanner: Scanner;
  identifiers: Identifier[];
  location: Location;
  solution: string | null;
  links: { name: string | null; url: string }[];
  cvssVectors: { vendor: string | null; vector: string }[];
  tracking: TrackingSignature[];
  /** Source code at the location, as the report gives it: feeds the content signature. */
  snippet: string | null;
  suppression: Suppression | null;
  /** SARIF `baselineState`, kept for display only: identity is Vigil's own. */
  baselineState: string | null;
  assessment?: Assessment | null;
  relatedLocations: Location[];
}

export function emptyLocation(): Location {
  return {
    file: null,
    startLine: null,
    endLine: null,
    className: null,
    method: null,
    package: null,
    image: null,
    operatingSystem: null,
    hostname: null,
    path: null,
    httpMethod: null,
    param: null,
    commitSha: null,
  };
}

/**
 * For reports that do not say what they are (old GitLab reports without `scan.type` or `category`): the shape
 * of the location tells.
 */
export function reportTypeFromLocation(location: Location): ReportType {
  if (location.image || location.operatingSystem) return 'container_scanning';
  if (location.package) return 'dependency_scanning';
  if (location.hostname || location.httpMethod || location.param) return 'dast';
  if (location.commitSha) return 'secret_detection';
  return 'sast';
}
