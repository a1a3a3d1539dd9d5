import { createHash } from 'node:crypto';
import { CLASSIFICATION_TYPES, type Finding, type Identifier, type ReportType } from './model.js';

/**
 * Identity. Each finding gets several fingerprints, strongest first; matching compares fingerprints of the same
 * algorithm only, strongest algorithm first (see match.ts). Every fingerprint hashes a canonical JSON tuple —
 * never a raw concatenation — and leaves out everything volatile: description, severity, scanner version,
 * image tag, package version, DAST host. The version lets an algorithm change without losing history: old and
 * new fingerprints live side by side and only the same version is compared.
 *
 *   tracking:<algo>  scanner-provided stable ids (SARIF fingerprints, GitLab tracking signatures)
 *   content          rule + file + whitespace-free code at the location (survives moved lines)
 *   location         rule + file + line range
 *   coarse           rule + file / manifest+package / image+package / DAST path+method+param, no version or line
 */
export const FINGERPRINT_VERSION = 1;

export interface Fingerprint {
  algorithm: string;
  version: number;
  /** Larger is stronger. Tracking signatures keep the scanner's own order above content. */
  strength: number;
  hash: string;
}

const STRENGTH = { tracking: 100, content: 30, location: 20, coarse: 10 } as const;

function hashTuple(tuple: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(tuple)).digest('hex');
}

const ADVISORY_PREFERENCE = ['cve', 'ghsa'];
const PACKAGE_TYPES: ReadonlySet<ReportType> = new Set(['dependency_scanning', 'container_scanning', 'cluster_image_scanning']);

/**
 * The identifier that names the finding: the first one that is not a mere classification (CWE, OWASP, …). For
 * package findings an advisory is named by its CVE when it has one, else its GHSA: scanners disagree on which alias
 * comes first (Grype: GHSA, Trivy: CVE, Gemnasium: its own id), and one CVE on one package is one vulnerability.
 */
export function primaryIdentifier(identifiers: Identifier[], reportType?: ReportType): Identifier {
  if (reportType && PACKAGE_TYPES.has(reportType)) {
    for (const type of ADVISORY_PREFERENCE) {
      const alias = identifiers.find((i) => i.type === type);
      if (alias) return alias;
    }
  }
  const first = identifiers.find((i) => !CLASSIFICATION_TYPES.has(i.type)) ?? identifiers[0];
  if (!first) throw new Error('a finding needs at least one identifier');
  return first;
}

export function identifierKey(identifier: Identifier): string {
  return `${identifier.type.toLowerCase()}:${identifier.value.toLowerCase()}`;
}

/** `registry.example.com/app:1.2@sha256:…` → `registry.example.com/app`: the tag and digest are versions. */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0]!;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return (colon > lastSlash ? noDigest.slice(0, colon) : noDigest).toLowerCase();
}

const FILE_BASED: ReadonlySet<ReportType> = new Set(['sast', 'secret_detection', 'iac', 'coverage_fuzzing']);

/** The coarse key: what the finding is about, without line, version or host. */
function coarseKey(finding: Finding): unknown[] {
  const l = finding.location;
  switch (finding.reportType) {
    case 'dependency_scanning':
      return [l.file, l.package?.name.toLowerCase() ?? null];
    case 'container_scanning':
    case 'cluster_image_scanning':
      return [l.image ? imageName(l.image) : null, l.package?.name.toLowerCase() ?? null];
    case 'dast':
    case 'api_fuzzing':
      return [l.path, l.httpMethod?.toUpperCase() ?? null, l.param];
    default:
      return [l.file];
  }
}

function normaliseSnippet(snippet: string): string {
  return snippet.replace(/\s+/g, '');
}

export function fingerprintsOf(finding: Finding): Fingerprint[] {
  const primary = primaryIdentifier(finding.identifiers, finding.reportType);
  const rule = [primary.type.toLowerCase(), primary.value.toLowerCase()];
  const type = finding.reportType;
  const out: Fingerprint[] = [];
  const add = (algorithm: string, strength: number, tuple: unknown[]) =>
    out.push({ algorithm, version: FINGERPRINT_VERSION, strength, hash: hashTuple([algorithm, FINGERPRINT_VERSION, type, rule, ...tuple]) });

  for (const signature of finding.tracking) {
    add(`tracking:${signature.algorithm}`, STRENGTH.tracking + signature.priority, [signature.value]);
  }
  const l = finding.location;
  if (FILE_BASED.has(type) && l.file) {
    const code = finding.snippet ? normaliseSnippet(finding.snippet) : '';
    if (code.length > 0) add('content', STRENGTH.content, [l.file, code]);
    if (l.startLine !== null) add('location', STRENGTH.location, [l.file, l.startLine, l.endLine ?? l.startLine]);
  }
  add('coarse', STRENGTH.coarse, coarseKey(finding));
  return out.sort((a, b) => b.strength - a.strength);
}

/** Where a finding sits, for ordering findings that share a coarse key (so 1:1 assignment is stable). */
export function positionOf(finding: Finding): [string, number, number] {
  return [finding.location.file ?? '', finding.location.startLine ?? 0, finding.location.endLine ?? 0];
}
