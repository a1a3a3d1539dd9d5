import type { Finding, Scanner } from '../model.js';
import type { ReportFormat } from './format.js';
import { FIELD_LIMITS } from './limits.js';
import { cweIdentifiersIn, ghsaIn, packageFinding } from './advisory.js';
import { at, isObject, object, optionalArray, requiredText, scalarText, type Json } from './json-read.js';
import { advisoryIdentifiers, cvssVector, installedVersions, npmAdvisory, npmPurl, npmSeverity } from './npm-advisory.js';
import { ReportError } from './report-error.js';

/**
 * `npm audit --json`, both shapes:
 *
 * - npm 6: `{actions, advisories: {<id>: advisory}, muted, metadata, runId}`. One finding per advisory and
 *   distinct installed version (`findings[].version`): npm lists a version once per group of dependency paths, so
 *   `ansi-regex` 3.0.0, 3.0.0, 4.1.0, 4.1.0 is two findings. fixedVersions is `patched_versions` as written.
 * - npm 7+ (`auditReportVersion: 2`): `{vulnerabilities: {<package>: {name, severity, via[], effects[], range,
 *   nodes[], fixAvailable}}, metadata}`. One finding per (package, advisory) from the advisory OBJECTS in `via`.
 *   A string in `via` names a dependency that is itself vulnerable ("vulnerable because of a dependency"): it is
 *   not a finding, because that advisory is reported on its own package's entry (where its object is) and would
 *   otherwise be counted once more for every package above it. A package whose `via` holds only strings (a
 *   parent such as `vercel` above a vulnerable `debug`) therefore gives no finding. npm 7+ does not say which
 *   version is installed (`nodes` are lock-file paths), so the version is null; fixedVersions is the
 *   `fixAvailable` version when the fix is an upgrade of this very package; otherwise (the fix npm proposes is an
 *   upgrade of a parent, which the solution text names) the versions above the advisory's vulnerable range. npm 7+ advisories carry no CVE ids, only the GHSA URL.
 *
 * Identifiers: CVEs (npm 6 `cves`), the GHSA (npm 6 `github_advisory_id`, else the advisory URL), npm's advisory
 * id (`id` / `source`, type `npm`), then CWEs. Severity: npm's scale, `moderate` is medium. File: npm audit
 * reads the lock file, and the report does not name it: `package-lock.json` (the same for an
 * `npm-shrinkwrap.json` project, so identity stays the same whichever lock file the project has).
 */

const NPM_SCANNER: Scanner = { id: 'npm_audit', name: 'npm audit', version: null, vendor: 'npm' };
const LOCK_FILE = 'package-lock.json';

/** npm 6 top-level keys besides `advisories`: one of them beside `advisories` makes it npm's. */
const NPM6_KEYS = ['actions', 'muted', 'metadata', 'runId'];

/** npm 6: one `advisories` value → a finding per installed version. */
function npm6Findings(raw: unknown, pointer: string): Finding[] {
  const advisory = npmAdvisory(raw, pointer);
  return installedVersions(advisory.installs).map((version) =>
    packageFinding(
      advisory,
      { name: advisory.moduleName, version, ecosystem: 'npm', purl: npmPurl(advisory.moduleName, version), fixedVersions: advisory.fixedVersions },
      LOCK_FILE,
      NPM_SCANNER,
    ),
  );
}

interface Fix {
  /** The package to upgrade and the version that fixes it (null for `fixAvailable: true`). */
  name: string | null;
  version: string | null;
  solution: string;
}

/** `fixAvailable`: `true`, `false`, or `{name, version, isSemVerMajor}`. */
function fixAvailable(value: unknown, pointer: string): Fix | null {
  if (value == null || value === false) return null;
  if (value === true) return { name: null, version: null, solution: 'Run `npm audit fix`.' };
  if (!isObject(value)) throw new ReportError(pointer, 'must be true, false or {name, version, isSemVerMajor}');
  const name = requiredText(value, 'name', pointer, FIELD_LIMITS.other, scalarText);
  const version = requiredText(value, 'version', pointer, FIELD_LIMITS.other, scalarText);
  const major = value.isSemVerMajor;
  if (major != null && typeof major !== 'boolean') throw new ReportError(at(pointer, 'isSemVerMajor'), 'must be a boolean');
  const how = major ? 'a SemVer-major change: `npm audit fix --force`' : '`npm audit fix`';
  return { name, version, solution: `Upgrade ${name} to ${version} (${how}).` };
}

/**
 * npm 7+: one `vulnerabilities` value → a finding per advisory object in its `via` not already seen (`seen` holds
 * package + advisory keys across the document).
 */
function npm7Findings(raw: unknown, key: string, pointer: string, seen: Set<string>): Finding[] {
  const entry = object(raw, pointer);
  const name = scalarText(entry, 'name', pointer) ?? key;
  const fix = fixAvailable(entry.fixAvailable, at(pointer, 'fixAvailable'));
  const viaPointer = at(pointer, 'via');
  const findings: Finding[] = [];
  (optionalArray(entry.via, viaPointer) ?? []).forEach((item, i) => {
    const p = at(viaPointer, i);
    if (typeof item === 'string') return;
    if (!isObject(item)) throw new ReportError(p, 'must be an advisory object or the name of a vulnerable dependency');
    const finding = viaFinding(item, p, name, fix);
    const id = `${finding.location.package!.name}\u0000${finding.identifiers[0]!.type}:${finding.identifiers[0]!.value}`;
    if (seen.has(id)) return;
    seen.add(id);
    findings.push(finding);
  });
  return findings;
}

/**
 * The versions of the package that fix an advisory, from its vulnerable range, when the range is one interval with
 * an upper bound ("<4.3.1", ">=4.0.0 <4.3.1", "<=5.28.2"): everything above it, as an npm range. A range of several
 * intervals or without an upper bound gives nothing: the fix is not one threshold.
 */
function fixedAbove(range: string | null): string[] {
  if (!range || range.includes('||')) return [];
  const upper = [...range.matchAll(/(<=?)\s*v?(\d+\.\d+\.\d+[\w.+-]*)/g)];
  if (upper.length !== 1) return [];
  const [, op, version] = upper[0]!;
  return [`${op === '<' ? '>=' : '>'}${version}`];
}

/** One advisory object in `via`: `{source, name, dependency, title, url, severity, cwe[], cvss, range}`. */
function viaFinding(advisory: Json, pointer: string, entryName: string, fix: Fix | null): Finding {
  const pkg = scalarText(advisory, 'name', pointer) ?? entryName;
  const url = scalarText(advisory, 'url', pointer);
  const identifiers = advisoryIdentifiers({
    cves: [],
    ghsa: ghsaIn(url),
    npmId: scalarText(advisory, 'source', pointer, FIELD_LIMITS.identifier),
    url,
    cwes: cweIdentifiersIn(advisory.cwe, at(pointer, 'cwe')),
  });
  if (identifiers.length === 0 || identifiers[0]!.type === 'cwe') {
    throw new ReportError(at(pointer, 'source'), 'an advisory needs its npm id ("source") or a GitHub advisory "url"');
  }
  const fixedVersions = fix && fix.name === pkg && fix.version !== null ? [fix.version] : fixedAbove(scalarText(advisory, 'range', pointer, FIELD_LIMITS.other));
  return packageFinding(
    {
      title: scalarText(advisory, 'title', pointer, FIELD_LIMITS.title) ?? `${identifiers[0]!.value} in ${pkg}`,
      description: null,
      severity: npmSeverity(advisory.severity, at(pointer, 'severity')),
      identifiers,
      links: url ? [{ name: null, url }] : [],
      cvssVectors: cvssVector(advisory.cvss, at(pointer, 'cvss')),
      solution: fix?.solution ?? null,
    },
    { name: pkg, version: null, ecosystem: 'npm', purl: npmPurl(pkg, null), fixedVersions },
    LOCK_FILE,
    NPM_SCANNER,
  );
}

/** npm audit JSON (npm 6 `advisories`, npm 7+ `auditReportVersion: 2`). */
export const npmAuditFormat: ReportFormat = {
  id: 'npm_audit',
  name: 'npm audit JSON',
  container: 'json',
  detection:
    'a JSON object with "auditReportVersion": 2 (npm 7+), or with "advisories" beside "actions"/"muted"/"metadata" and no "auditReportVersion" (npm 6)',
  reportTypes: ['dependency_scanning'],
  detect(opening) {
    if (opening.container !== 'json' || opening.rootKind !== 'object') return false;
    if (opening.keys.includes('auditReportVersion')) return opening.values.auditReportVersion === 2;
    if (opening.keys.includes('advisories')) return opening.keys.some((k) => NPM6_KEYS.includes(k));
    // npm 6 writes `actions` first; in a large project it alone can fill the part of the upload that is sniffed.
    return opening.keys.length === 1 && opening.keys[0] === 'actions';
  },
  reader() {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    let auditReportVersion: unknown;
    let shaped = false;
    return {
      elementPaths: ['$.advisories.*', '$.vulnerabilities.*'],
      headerPaths: ['$.auditReportVersion', '$.metadata'],
      take(keys, value, pointer) {
        const [top, key] = keys;
        if (top === 'advisories' || top === 'vulnerabilities') {
          if (typeof key !== 'string') throw new ReportError(`/${top}`, `must be an object keyed by ${top === 'advisories' ? 'advisory id' : 'package name'}`);
          shaped = true;
          findings.push(...(top === 'advisories' ? npm6Findings(value, pointer) : npm7Findings(value, key, pointer, seen)));
        } else if (top === 'auditReportVersion') auditReportVersion = value;
        else if (top === 'metadata') shaped = true;
      },
      finish() {
        // An npm 6 report recognised by its `actions` alone must still turn out to be one.
        if (!shaped) throw new ReportError('', 'not an npm audit report: it has no "advisories", "vulnerabilities" or "metadata"');
        return {
          formatVersion: typeof auditReportVersion === 'number' ? String(auditReportVersion) : null,
          scanners: [NPM_SCANNER],
          reportTypes: ['dependency_scanning'],
          findings,
        };
      },
    };
  },
};
