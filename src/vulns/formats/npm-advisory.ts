import type { Finding, Identifier, Severity } from '../model.js';
import { cweIdentifiersIn, ghsaIn, isCve, type AdvisoryText } from './advisory.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { at, namedSeverity, object, objectList, optionalObject, requiredText, scalarProse, scalarText, scalarValue, textList, type Json, type SeverityScale } from './json-read.js';

/**
 * What npm audit (npm 6 `advisories`, npm 7+ `via` objects) and yarn 1 audit (`auditAdvisory` records) share: the
 * npm advisory object, npm's severity scale, and the identifiers and CVSS vector npm writes. The package finding
 * they become, CVE/GHSA/CWE parsing and the typed reads are advisory.ts's and json-read.ts's; npm's text fields may
 * be written as numbers (`"id": 1179`), so they are read with the `scalar…` reads.
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

const NPM_SCALE: SeverityScale = { table: NPM_SEVERITY, names: NPM_SEVERITIES, noun: 'an npm severity' };

/** npm's scale → Vigil's (`moderate` is medium); absent is unknown; anything else is a ReportError. */
export function npmSeverity(value: unknown, pointer: string): Severity {
  return namedSeverity(value, pointer, NPM_SCALE);
}

// ---------------------------------------------------------------------------------------------------------------
// Advisory identifiers

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
  const vector = cvss && scalarText(cvss, 'vectorString', pointer);
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
function referenceUrls(advisory: Json, pointer: string): string[] {
  const value = advisory.references;
  const texts = Array.isArray(value)
    ? textList(advisory, 'references', pointer, FIELD_LIMITS.other, scalarValue)
    : [scalarValue(value, at(pointer, 'references'), FIELD_LIMITS.description, false) ?? ''];
  return texts.flatMap((text) => text.match(/https?:\/\/[^\s<>()\]"']+/g) ?? []).map((url) => clip(url, FIELD_LIMITS.other));
}

/** One npm 6 `advisories` value or yarn `auditAdvisory` `data.advisory`. Throws ReportError under `pointer`. */
export function npmAdvisory(raw: unknown, pointer: string): NpmAdvisory {
  const advisory = object(raw, pointer);
  const id = requiredText(advisory, 'id', pointer, FIELD_LIMITS.identifier, scalarText);
  const moduleName = requiredText(advisory, 'module_name', pointer, FIELD_LIMITS.other, scalarText);
  const url = scalarText(advisory, 'url', pointer);
  const ghsa = ghsaIn(scalarText(advisory, 'github_advisory_id', pointer, FIELD_LIMITS.identifier)) ?? ghsaIn(url);
  const cves = textList(advisory, 'cves', pointer, FIELD_LIMITS.identifier, scalarValue).filter(isCve);
  const identifiers = advisoryIdentifiers({ cves, ghsa, npmId: id, url, cwes: cweIdentifiersIn(advisory.cwe, at(pointer, 'cwe')) });
  const patched = scalarText(advisory, 'patched_versions', pointer);
  const links = [...new Set([...(url ? [url] : []), ...referenceUrls(advisory, pointer)])];
  return {
    id,
    moduleName,
    title: scalarText(advisory, 'title', pointer, FIELD_LIMITS.title) ?? `${identifiers[0]!.value} in ${moduleName}`,
    description: scalarProse(advisory, 'overview', pointer, FIELD_LIMITS.description),
    severity: npmSeverity(advisory.severity, at(pointer, 'severity')),
    identifiers,
    links: links.map((link) => ({ name: null, url: link })),
    cvssVectors: cvssVector(advisory.cvss, at(pointer, 'cvss')),
    solution: scalarProse(advisory, 'recommendation', pointer, FIELD_LIMITS.solution),
    fixedVersions: patched === null || patched === '<0.0.0' ? [] : [patched],
    installs: objectList(advisory.findings, at(pointer, 'findings')).map(([finding, p]) => ({
      version: scalarText(finding, 'version', p),
      paths: textList(finding, 'paths', p, FIELD_LIMITS.other, scalarValue),
    })),
  };
}

/** The distinct installed versions an advisory names (`null` when it names none). */
export function installedVersions(installs: NpmAdvisory['installs']): (string | null)[] {
  const versions = [...new Set(installs.map((i) => i.version))];
  return versions.length > 0 ? versions : [null];
}

// ---------------------------------------------------------------------------------------------------------------
// Package URLs

/** `pkg:npm/%40scope/name@1.2.3` (the version left out when unknown). */
export function npmPurl(name: string, version: string | null): string {
  const path = name.split('/').map(encodeURIComponent).join('/');
  return `pkg:npm/${path}${version === null ? '' : `@${encodeURIComponent(version)}`}`;
}
