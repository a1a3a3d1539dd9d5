import { emptyLocation, type Finding, type Identifier, type PackageRef, type Scanner, type Severity } from '../model.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { at, object, objectList, optionalArray, optionalObject, withoutNul, type Json } from './json-read.js';
import { ReportError } from './report-error.js';

/**
 * What npm audit (npm 6 `advisories`, npm 7+ `via` objects) and yarn 1 audit (`auditAdvisory` records) share: the
 * npm advisory object, npm's severity scale, CWE lists in their several spellings, GHSA ids in advisory URLs, and
 * the canonical package finding they all become. Plus the typed text reads the package-audit formats use
 * (pip-audit too): a value of the wrong JSON type is a ReportError at its pointer; absent, null or blank is null;
 * NULs are removed and long strings clipped, nothing else is changed.
 */

/** npm's advisory severities, lowest first (as the error message lists them). */
export const NPM_SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'] as const;
const NPM_SEVERITY = new Map<string, Severity>([
  ['info', 'info'],
  ['low', 'low'],
  ['moderate', 'medium'],
  ['high', 'high'],
  ['critical', 'critical'],
]);

/** A value as an error message shows it: JSON, cut short. */
export function shown(value: unknown): string {
  return clip(JSON.stringify(value) ?? String(value), 100);
}

/** npm's scale → Vigil's (`moderate` is medium); absent is unknown; anything else is a ReportError. */
export function npmSeverity(value: unknown, pointer: string): Severity {
  if (value == null) return 'unknown';
  const severity = typeof value === 'string' ? NPM_SEVERITY.get(value.trim().toLowerCase()) : undefined;
  if (severity) return severity;
  throw new ReportError(pointer, `${shown(value)} is not an npm severity; must be one of ${NPM_SEVERITIES.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Typed text reads

function textValue(value: unknown, pointer: string, max: number, trim: boolean): string | null {
  if (value == null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') throw new ReportError(pointer, 'must be a string');
  const text = withoutNul(value);
  if (text.trim() === '') return null;
  return clip(trim ? text.trim() : text, max);
}

/** A short field (id, name, version, URL): a string, or a number written as one; trimmed. */
export function optionalText(parent: Json, key: string, pointer: string, max: number = FIELD_LIMITS.other): string | null {
  return textValue(parent[key], at(pointer, key), max, true);
}

/** A prose field (description, recommendation): kept as written. */
export function optionalProse(parent: Json, key: string, pointer: string, max: number): string | null {
  return textValue(parent[key], at(pointer, key), max, false);
}

export function requiredText(parent: Json, key: string, pointer: string, max: number = FIELD_LIMITS.other): string {
  const text = optionalText(parent, key, pointer, max);
  if (text === null) throw new ReportError(at(pointer, key), 'must be a non-empty string');
  return text;
}

/** An optional array of short texts (versions, ids); blank entries are dropped. */
export function textList(value: unknown, pointer: string, max: number = FIELD_LIMITS.other): string[] {
  return (optionalArray(value, pointer) ?? []).flatMap((item, i) => textValue(item, at(pointer, i), max, true) ?? []);
}

// ---------------------------------------------------------------------------------------------------------------
// Advisory identifiers

const GHSA = /GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}/i;
const CVE = /^CVE-\d{4}-\d{4,}$/i;

/** The GHSA id in a text (an id, or an advisory URL `https://github.com/advisories/GHSA-…`), in GitHub's spelling. */
export function ghsaIn(text: string | null): string | null {
  const match = text === null ? null : GHSA.exec(text);
  return match ? `GHSA${match[0].slice(4).toLowerCase()}` : null;
}

export function isCve(text: string): boolean {
  return CVE.test(text);
}

/**
 * CWE ids from the spellings npm and yarn write: an array (`["CWE-400"]`, npm 7+), the same array as a JSON
 * string (`"[\"CWE-400\"]"`, npm 6 / yarn since 2021), or one id (`"CWE-400"`, older npm 6). Other entries
 * (`NVD-CWE-noinfo`, `[]`) give none.
 */
export function cweIdentifiers(value: unknown, pointer: string): Identifier[] {
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

/** An advisory's identifiers, most specific first: CVEs, the GHSA, the npm advisory id, then CWEs. */
export function advisoryIdentifiers(parts: { cves: string[]; ghsa: string | null; npmId: string | null; url: string | null; cwes: Identifier[] }): Identifier[] {
  const ghsaUrl = parts.url !== null && parts.ghsa !== null && ghsaIn(parts.url) === parts.ghsa ? parts.url : null;
  const out: Identifier[] = [...new Set(parts.cves.map((c) => c.toUpperCase()))].map((value) => ({ type: 'cve', value, name: null, url: null }));
  if (parts.ghsa) out.push({ type: 'ghsa', value: parts.ghsa, name: null, url: ghsaUrl });
  if (parts.npmId) out.push({ type: 'npm', value: parts.npmId, name: null, url: ghsaUrl === null ? parts.url : null });
  return [...out, ...parts.cwes];
}

/** A CVSS `{score, vectorString}` object → its vector, if it has one (npm writes `vectorString: null` for score 0). */
export function cvssVector(value: unknown, pointer: string): Finding['cvssVectors'] {
  const cvss = optionalObject(value, pointer);
  const vector = cvss && optionalText(cvss, 'vectorString', pointer);
  return vector ? [{ vendor: null, vector }] : [];
}

// ---------------------------------------------------------------------------------------------------------------
// The npm 6 / yarn advisory object

/** One npm 6 / yarn advisory, read. */
export interface NpmAdvisory extends AdvisoryText {
  /** npm's advisory id (`id`). */
  id: string;
  moduleName: string;
  /** `patched_versions` as written (a semver range); none when npm says `<0.0.0` (no patch exists). */
  fixedVersions: string[];
  /** `findings[]`: each installed version and the dependency paths (`a>b>c`) that reach it. */
  installs: { version: string | null; paths: string[] }[];
}

/** URLs in `references`: a Markdown list in one string (`- https://…\n- https://…`), or an array of them. */
function referenceUrls(value: unknown, pointer: string): string[] {
  const texts = Array.isArray(value) ? textList(value, pointer) : [textValue(value, pointer, FIELD_LIMITS.description, false) ?? ''];
  return texts.flatMap((text) => text.match(/https?:\/\/[^\s<>()\]"']+/g) ?? []).map((url) => clip(url, FIELD_LIMITS.other));
}

/** One npm 6 `advisories` value or yarn `auditAdvisory` `data.advisory`. Throws ReportError under `pointer`. */
export function npmAdvisory(raw: unknown, pointer: string): NpmAdvisory {
  const advisory = object(raw, pointer);
  const id = requiredText(advisory, 'id', pointer, FIELD_LIMITS.identifier);
  const moduleName = requiredText(advisory, 'module_name', pointer);
  const url = optionalText(advisory, 'url', pointer);
  const ghsa = ghsaIn(optionalText(advisory, 'github_advisory_id', pointer, FIELD_LIMITS.identifier)) ?? ghsaIn(url);
  const cves = textList(advisory.cves, at(pointer, 'cves'), FIELD_LIMITS.identifier).filter(isCve);
  const identifiers = advisoryIdentifiers({ cves, ghsa, npmId: id, url, cwes: cweIdentifiers(advisory.cwe, at(pointer, 'cwe')) });
  const patched = optionalText(advisory, 'patched_versions', pointer);
  const links = [...new Set([...(url ? [url] : []), ...referenceUrls(advisory.references, at(pointer, 'references'))])];
  return {
    id,
    moduleName,
    title: optionalText(advisory, 'title', pointer, FIELD_LIMITS.title) ?? `${identifiers[0]!.value} in ${moduleName}`,
    description: optionalProse(advisory, 'overview', pointer, FIELD_LIMITS.description),
    severity: npmSeverity(advisory.severity, at(pointer, 'severity')),
    identifiers,
    links: links.map((link) => ({ name: null, url: link })),
    cvssVectors: cvssVector(advisory.cvss, at(pointer, 'cvss')),
    solution: optionalProse(advisory, 'recommendation', pointer, FIELD_LIMITS.solution),
    fixedVersions: patched === null || patched === '<0.0.0' ? [] : [patched],
    installs: objectList(advisory.findings, at(pointer, 'findings')).map(([finding, p]) => ({
      version: optionalText(finding, 'version', p),
      paths: textList(finding.paths, at(p, 'paths')),
    })),
  };
}

/** The distinct installed versions an advisory names (`null` when it names none). */
export function installedVersions(installs: NpmAdvisory['installs']): (string | null)[] {
  const versions = [...new Set(installs.map((i) => i.version))];
  return versions.length > 0 ? versions : [null];
}

// ---------------------------------------------------------------------------------------------------------------
// The canonical finding

/** `pkg:npm/%40scope/name@1.2.3` (the version left out when unknown). */
export function npmPurl(name: string, version: string | null): string {
  const path = name.split('/').map(encodeURIComponent).join('/');
  return `pkg:npm/${path}${version === null ? '' : `@${encodeURIComponent(version)}`}`;
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

/** A dependency-scanning finding: one advisory on one installed package, located at the manifest or lock file. */
export function packageFinding(advisory: AdvisoryText, pkg: PackageRef, file: string | null, scanner: Scanner): Finding {
  return {
    title: advisory.title,
    description: advisory.description,
    severity: advisory.severity,
    confidence: null,
    reportType: 'dependency_scanning',
    scanner,
    identifiers: [...advisory.identifiers],
    location: { ...emptyLocation(), file, package: { ...pkg, fixedVersions: [...(pkg.fixedVersions ?? [])] } },
    solution: advisory.solution,
    links: [...advisory.links],
    cvssVectors: [...advisory.cvssVectors],
    // Advisory ids name the advisory, not this finding: package-audit tools give no per-finding stable id.
    tracking: [],
    snippet: null,
    suppression: null,
    baselineState: null,
    relatedLocations: [],
  };
}
