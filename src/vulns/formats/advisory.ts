import { emptyLocation, type Finding, type Identifier, type Location, type PackageRef, type ReportType, type Scanner, type Severity } from '../model.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { at, child, isObject, objectList, prose, requiredText, text, textList, withoutNul } from './json-read.js';
import { ReportError } from './report-error.js';

/**
 * What the package-vulnerability formats share — Trivy, Grype, OSV-Scanner and govulncheck, npm audit, yarn audit,
 * pip-audit and Dependency-Check: advisory ids and their types (CVE, GHSA), CWE ids, ecosystem names, package URLs,
 * OSV records (OSV-Scanner and govulncheck both embed them), CVSS scores → severity, and the canonical finding they
 * become. The typed reads they use are json-read.ts's.
 */

/** Values without repeats (compared case-insensitively), first spelling kept. */
export function distinct(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  return [...values].filter((v) => {
    const key = v.toLowerCase();
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Advisory identifiers

const CVE = /^CVE-\d{4}-\d{4,}$/i;
/** Any GHSA-shaped id (for typing an id a tool gives). */
const GHSA = /^GHSA(?:-[0-9a-z]{4}){3}$/i;
/** A GHSA id in GitHub's own alphabet (for finding one in a text, and for telling one from other ids). */
const GHSA_ID = /GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}/i;
const WHOLE_GHSA_ID = new RegExp(`^${GHSA_ID.source}$`, 'i');
/** Databases that publish in OSV format under their own prefix (osv.dev's list), as opposed to vendor advisories. */
const OSV_PREFIX =
  /^(GO|PYSEC|RUSTSEC|OSV|GSD|MAL|BIT|PSF|CURL|UVI|HSEC|OESA|RSEC|CGA|DRUPAL|JLSEC|LBSEC|MINI|ECHO|ROOT|CRAN)-/i;

/**
 * An advisory id as an identifier: `cve` and `ghsa` (upper-cased, as every Vigil format writes them), `osv` for
 * the ids of OSV-native databases (GO-, PYSEC-, RUSTSEC-, …), else the tool's own namespace.
 */
export function advisoryIdentifier(id: string, namespace: string, url: string | null = null): Identifier {
  const value = clip(id.trim(), FIELD_LIMITS.identifier);
  if (CVE.test(value)) return { type: 'cve', value: value.toUpperCase(), name: null, url };
  if (GHSA.test(value)) return { type: 'ghsa', value: value.toUpperCase(), name: null, url };
  return { type: OSV_PREFIX.test(value) ? 'osv' : namespace, value, name: null, url };
}

/** Advisory ids as identifiers, in the given order, without repeats. */
export function advisoryIdentifiers(ids: Iterable<string>, namespace: string): Identifier[] {
  return distinct(ids).map((id) => advisoryIdentifier(id, namespace));
}

export function isCve(text: string): boolean {
  return CVE.test(text);
}

/** A whole GHSA id (`GHSA-xxxx-xxxx-xxxx`, in GitHub's alphabet). */
export function isGhsa(text: string): boolean {
  return WHOLE_GHSA_ID.test(text);
}

/** The GHSA id in a text (an id, or an advisory URL `https://github.com/advisories/GHSA-…`), in GitHub's spelling. */
export function ghsaIn(text: string | null): string | null {
  const match = text === null ? null : GHSA_ID.exec(text);
  return match ? `GHSA${match[0].slice(4).toLowerCase()}` : null;
}

const ADVISORY_RANK: Record<string, number> = { cve: 0, ghsa: 1 };

/** CVE ids first, then GHSA, then the rest; report order within each. */
export function cveFirst(identifiers: Identifier[]): Identifier[] {
  return identifiers
    .map((identifier, i) => ({ identifier, i }))
    .sort((a, b) => (ADVISORY_RANK[a.identifier.type] ?? 2) - (ADVISORY_RANK[b.identifier.type] ?? 2) || a.i - b.i)
    .map((x) => x.identifier);
}

/** `CWE-79`, `cwe-079`, `79` → `{type: 'cwe', value: 'CWE-79'}`; NVD's `NVD-CWE-Other`/`noinfo` are no CWE. */
export function cweIdentifiers(values: string[]): Identifier[] {
  const ids = values.flatMap((v) => {
    const match = /^(?:CWE-)?0*(\d+)$/i.exec(v.trim());
    return match ? [`CWE-${match[1]}`] : [];
  });
  return distinct(ids).map((value) => ({ type: 'cwe', value, name: null, url: null }));
}

/**
 * The CWE ids written anywhere in a string or an array of strings (`CWE-400`, `["CWE-400"]`, the same array as a
 * JSON string `"[\"CWE-400\"]"`, `CWE-502 Deserialization of Untrusted Data`), without repeats. Texts without one
 * (`NVD-CWE-noinfo`, `[]`) give none.
 */
export function cweIdentifiersIn(value: unknown, pointer: string): Identifier[] {
  if (value == null) return [];
  let texts: string[];
  if (typeof value === 'string') texts = [value];
  else if (Array.isArray(value)) {
    texts = value.map((item, i) => {
      if (typeof item !== 'string') throw new ReportError(at(pointer, i), 'must be a string');
      return item;
    });
  } else throw new ReportError(pointer, 'must be a CWE id or an array of them');
  const ids = new Set<string>();
  for (const text of texts) {
    for (const match of withoutNul(text).matchAll(/CWE-0*(\d+)/gi)) ids.add(clip(`CWE-${match[1]}`, FIELD_LIMITS.identifier));
  }
  return [...ids].map((value) => ({ type: 'cwe', value, name: null, url: null }));
}

// ---------------------------------------------------------------------------------------------------------------
// Ecosystems and package URLs

/** Ecosystem names Vigil uses: purl types, except `go` for Go modules and the distribution for OS packages. */
const ECOSYSTEM_ALIASES: Record<string, string> = {
  // OSV ecosystem names
  pypi: 'pypi',
  go: 'go',
  golang: 'go',
  maven: 'maven',
  'crates.io': 'cargo',
  rubygems: 'gem',
  packagist: 'composer',
  nuget: 'nuget',
  hex: 'hex',
  pub: 'pub',
  swifturl: 'swift',
  conancenter: 'conan',
  'red hat': 'redhat',
  'rocky linux': 'rocky',
  almalinux: 'alma',
  'photon os': 'photon',
  // Trivy result types (language packages)
  'node-pkg': 'npm',
  yarn: 'npm',
  pnpm: 'npm',
  bun: 'npm',
  pip: 'pypi',
  pipenv: 'pypi',
  poetry: 'pypi',
  uv: 'pypi',
  'python-pkg': 'pypi',
  'conda-pkg': 'conda',
  'conda-environment': 'conda',
  gomod: 'go',
  gobinary: 'go',
  jar: 'maven',
  pom: 'maven',
  gradle: 'maven',
  sbt: 'maven',
  rustbinary: 'cargo',
  'rust-binary': 'cargo',
  cargo: 'cargo',
  composer: 'composer',
  'composer-vendor': 'composer',
  bundler: 'gem',
  gemspec: 'gem',
  'dotnet-core': 'nuget',
  'packages-props': 'nuget',
  'mix-lock': 'hex',
  swift: 'swift',
  cocoapods: 'cocoapods',
  conan: 'conan',
  npm: 'npm',
  // Grype artifact types
  python: 'pypi',
  'java-archive': 'maven',
  'jenkins-plugin': 'maven',
  'go-module': 'go',
  gem: 'gem',
  'rust-crate': 'cargo',
  dotnet: 'nuget',
  'php-composer': 'composer',
  'php-pecl': 'pecl',
  'dart-pub': 'pub',
  'erlang-otp': 'hex',
  apk: 'alpine',
  deb: 'debian',
};

/** Package types that say nothing about where a package comes from (Grype's `binary`, purl's `generic`). */
const NOT_AN_ECOSYSTEM = new Set(['binary', 'generic', 'unknown', 'git']);

/** Trivy's language-package result types (everything else with packages is an OS). */
export function isLanguageType(type: string): boolean {
  const key = type.trim().toLowerCase();
  return key in ECOSYSTEM_ALIASES && !['apk', 'deb', 'red hat', 'rocky linux', 'almalinux', 'photon os'].includes(key);
}

/**
 * A tool's ecosystem / package type name → Vigil's: OSV names (`PyPI`, `crates.io`, `Debian:10` → debian), Trivy
 * result types (`pip`, `gomod`, `jar`; OS types such as `alpine` as they are), Grype artifact types. Null when blank.
 */
export function ecosystemName(raw: string | null): string | null {
  if (raw === null || raw.trim() === '') return null;
  const base = raw.trim().split(':')[0]!.trim().toLowerCase();
  if (NOT_AN_ECOSYSTEM.has(base)) return null;
  return ECOSYSTEM_ALIASES[base] ?? clip(base.replace(/\s+/g, '-'), FIELD_LIMITS.other);
}

interface Purl {
  type: string;
  namespace: string | null;
  name: string;
}

/** `pkg:type/namespace/name@version?qualifiers#subpath` → type, namespace and name; null when it is not a purl. */
function parsePurl(value: string): Purl | null {
  const match = /^pkg:\/*([a-z][a-z0-9.+-]*)\/([^?#@]+)/i.exec(value.trim());
  if (!match) return null;
  const segments = match[2]!.replace(/\/+$/, '').split('/');
  const name = segments.pop()!;
  return { type: match[1]!.toLowerCase(), namespace: segments.length > 0 ? segments.join('/') : null, name };
}

const OS_PURL_TYPES = new Set(['deb', 'rpm', 'apk', 'alpm', 'qpkg']);

/** The ecosystem a purl names: the distribution for OS packages (`pkg:deb/ubuntu/…` → ubuntu), else its type. */
export function purlEcosystem(purl: string | null): string | null {
  const parsed = purl === null ? null : parsePurl(purl);
  if (!parsed || parsed.type === 'generic') return null;
  if (OS_PURL_TYPES.has(parsed.type)) return ecosystemName(parsed.namespace ?? parsed.type);
  return ecosystemName(parsed.type);
}

// ---------------------------------------------------------------------------------------------------------------
// Severity from scores

/** A CVSS base score → severity (NVD's bands): ≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low, 0 info. */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return score > 0 ? 'low' : 'info';
}

const CVSS3_WEIGHTS: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
};

/** CVSS 3.x "Roundup": the smallest number with one decimal that is not below the input. */
function roundUp(value: number): number {
  const scaled = Math.round(value * 100_000);
  return scaled % 10_000 === 0 ? scaled / 100_000 : (Math.floor(scaled / 10_000) + 1) / 10;
}

/** The base score of a CVSS 3.0/3.1 vector (specification §7.1); null when the vector is not one. */
export function cvss3BaseScore(vector: string): number | null {
  const metrics = new Map(
    vector
      .trim()
      .split('/')
      .slice(1)
      .map((part) => part.split(':') as [string, string]),
  );
  if (!/^CVSS:3\.[01]\//.test(vector.trim())) return null;
  const [av, ac, pr, ui, s, c, i, a] = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'].map((m) => metrics.get(m) ?? '');
  const changed = s === 'C';
  const prWeights: Record<string, number> = { N: 0.85, L: changed ? 0.68 : 0.62, H: changed ? 0.5 : 0.27 };
  const weights = [CVSS3_WEIGHTS.AV![av!], CVSS3_WEIGHTS.AC![ac!], prWeights[pr!], CVSS3_WEIGHTS.UI![ui!]];
  const cia = [c, i, a].map((x) => CVSS3_WEIGHTS.C![x!]);
  const known = (list: (number | undefined)[]): list is number[] => list.every((w) => w !== undefined);
  if ((s !== 'U' && !changed) || !known(weights) || !known(cia)) return null;
  const iss = 1 - cia.reduce((product, w) => product * (1 - w), 1);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * weights.reduce((product, w) => product * w, 1);
  if (impact <= 0) return 0;
  return roundUp(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));
}

const SEVERITY_ORDER: Severity[] = ['unknown', 'info', 'low', 'medium', 'high', 'critical'];

/** The worse of two severities (unknown is the least). */
export function worse(a: Severity, b: Severity): Severity {
  return SEVERITY_ORDER.indexOf(a) >= SEVERITY_ORDER.indexOf(b) ? a : b;
}

// ---------------------------------------------------------------------------------------------------------------
// OSV records (https://ossf.github.io/osv-schema/), as OSV-Scanner and govulncheck embed them

/** The parts of an OSV record Vigil reads, digested once. */
export interface OsvRecord {
  id: string;
  aliases: string[];
  summary: string | null;
  details: string | null;
  /** From `database_specific.severity` (GHSA's scale), else the worst CVSS 3 base score in `severity`. */
  severity: Severity;
  cvssVectors: Finding['cvssVectors'];
  /** `fixed` range events per affected package name (lower-cased); '' for entries without a package, fixed by commit. */
  fixed: Map<string, string[]>;
  /** The repository of `GIT` ranges, for records matched by commit. */
  repo: string | null;
  links: string[];
}

/** GitHub advisory database's severities (`database_specific.severity`), which OSV records carry through. */
const DATABASE_SEVERITY = new Map<string, Severity>([
  ['critical', 'critical'],
  ['high', 'high'],
  ['moderate', 'medium'],
  ['medium', 'medium'],
  ['low', 'low'],
]);

export function osvRecord(raw: unknown, pointer: string): OsvRecord {
  if (!isObject(raw)) throw new ReportError(pointer, 'must be an object');
  const [databaseSpecific, dbPointer] = child(raw, 'database_specific', pointer);
  // Database-specific values are free-form: a severity name Vigil does not know is no severity, not an error.
  const dbSeverity = databaseSpecific ? DATABASE_SEVERITY.get(text(databaseSpecific, 'severity', dbPointer)?.toLowerCase() ?? '') : undefined;

  const cvssVectors: Finding['cvssVectors'] = [];
  let scored: Severity = 'unknown';
  for (const [entry, p] of objectList(raw.severity, at(pointer, 'severity'))) {
    const type = requiredText(entry, 'type', p);
    const score = requiredText(entry, 'score', p);
    if (!/^CVSS_/i.test(type)) continue;
    cvssVectors.push({ vendor: null, vector: score });
    const base = cvss3BaseScore(score);
    if (base !== null) scored = worse(scored, severityFromScore(base));
  }

  const fixed = new Map<string, string[]>();
  let repo: string | null = null;
  for (const [affected, p] of objectList(raw.affected, at(pointer, 'affected'))) {
    const [pkg, pkgPointer] = child(affected, 'package', p);
    const name = (pkg && text(pkg, 'name', pkgPointer))?.toLowerCase() ?? '';
    const list = fixed.get(name) ?? [];
    for (const [range, rp] of objectList(affected.ranges, at(p, 'ranges'))) {
      repo ??= text(range, 'repo', rp);
      // A package's GIT ranges fix it by upstream commit, not by a version of the package.
      if (name !== '' && text(range, 'type', rp)?.toUpperCase() === 'GIT') continue;
      for (const [event, ep] of objectList(range.events, at(rp, 'events'))) {
        const version = text(event, 'fixed', ep);
        if (version !== null && !list.includes(version)) list.push(version);
      }
    }
    fixed.set(name, list);
  }

  const url = databaseSpecific && text(databaseSpecific, 'url', dbPointer);
  const references = objectList(raw.references, at(pointer, 'references')).flatMap(([ref, p]) => text(ref, 'url', p) ?? []);
  return {
    id: requiredText(raw, 'id', pointer, FIELD_LIMITS.identifier),
    aliases: textList(raw, 'aliases', pointer, FIELD_LIMITS.identifier),
    summary: text(raw, 'summary', pointer, FIELD_LIMITS.title),
    details: prose(raw, 'details', pointer, FIELD_LIMITS.description),
    severity: dbSeverity ?? scored,
    cvssVectors,
    fixed,
    repo,
    links: distinct([...(url ? [url] : []), ...references]),
  };
}

/** The versions that fix `packageName` according to some records (else their entries without a package: commits). */
export function osvFixedVersions(records: OsvRecord[], packageName: string): string[] {
  return distinct(
    records.flatMap((record) => record.fixed.get(packageName.toLowerCase()) ?? record.fixed.get('') ?? []),
  );
}

/** A title out of an advisory's prose: its first line, when there is no summary. */
export function firstLine(prose: string | null): string | null {
  const line = prose?.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? null;
  return line === null ? null : clip(line, FIELD_LIMITS.title);
}

// ---------------------------------------------------------------------------------------------------------------
// Findings

export function upgradeAdvice(name: string, fixedVersions: string[]): string | null {
  return fixedVersions.length === 0 ? null : clip(`Upgrade ${name} to ${fixedVersions.join(' or ')}.`, FIELD_LIMITS.solution);
}

export function linkList(urls: Iterable<string | null>): Finding['links'] {
  return distinct([...urls].filter((u): u is string => u !== null && u !== '')).map((url) => ({ name: null, url }));
}

/** A canonical finding with the fields these scanners never set at their defaults. */
export function finding(parts: {
  title: string;
  description: string | null;
  severity: Severity;
  reportType: ReportType;
  scanner: Scanner;
  identifiers: Identifier[];
  location: Partial<Location>;
  solution?: string | null;
  links?: Finding['links'];
  cvssVectors?: Finding['cvssVectors'];
  snippet?: string | null;
}): Finding {
  return {
    title: parts.title,
    description: parts.description,
    severity: parts.severity,
    confidence: null,
    reportType: parts.reportType,
    scanner: parts.scanner,
    identifiers: parts.identifiers,
    location: { ...emptyLocation(), ...parts.location },
    solution: parts.solution ?? null,
    links: parts.links ?? [],
    cvssVectors: parts.cvssVectors ?? [],
    // None of these tools gives a finding an id of its own that stays the same from scan to scan.
    tracking: [],
    snippet: parts.snippet ?? null,
    suppression: null,
    baselineState: null,
    relatedLocations: [],
  };
}

/** What a finding takes from an advisory, whatever report it comes from. */
export interface AdvisoryText {
  title: string;
  description: string | null;
  severity: Severity;
  identifiers: Identifier[];
  links: Finding['links'];
  cvssVectors: Finding['cvssVectors'];
  solution: string | null;
}

/**
 * A dependency-scanning finding: one advisory on one installed package, located at the manifest or lock file (the
 * package-audit formats: npm audit, yarn audit, pip-audit, Dependency-Check). Advisory ids name the advisory, not
 * this finding: package-audit tools give no per-finding stable id.
 */
export function packageFinding(advisory: AdvisoryText, pkg: PackageRef, file: string | null, scanner: Scanner): Finding {
  return finding({
    title: advisory.title,
    description: advisory.description,
    severity: advisory.severity,
    reportType: 'dependency_scanning',
    scanner,
    identifiers: [...advisory.identifiers],
    location: { file, package: { ...pkg, fixedVersions: [...(pkg.fixedVersions ?? [])] } },
    solution: advisory.solution,
    links: [...advisory.links],
    cvssVectors: [...advisory.cvssVectors],
  });
}

/** A package reference with the optional parts set only when known. */
export function packageRef(name: string, version: string | null, extra: { ecosystem?: string | null; purl?: string | null; fixedVersions?: string[] }): PackageRef {
  return { name, version, ecosystem: extra.ecosystem ?? null, purl: extra.purl ?? null, fixedVersions: extra.fixedVersions ?? [] };
}
