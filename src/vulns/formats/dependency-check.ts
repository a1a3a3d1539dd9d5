import type { Finding, Identifier, PackageRef, Scanner, Severity } from '../model.js';
import { normaliseRepoPath } from '../paths.js';
import type { ReportFormat, XmlElement } from './format.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { cweIdentifiersIn, ghsaIn, isCve, packageFinding } from './advisory.js';
import { namedSeverity, type SeverityScale } from './json-read.js';
import { attr, child, children, ownText, requiredTextOf, textOf, xmlNode, type XmlNode } from './xml-read.js';

/**
 * OWASP Dependency-Check XML (`analysis`, namespace `https://jeremylong.github.io/DependencyCheck/dependency-check.X.Y.xsd`).
 * The driver hands over each `analysis/dependencies/dependency` whole (its evidence included: a few KB) and
 * `analysis/scanInfo/engineVersion`.
 *
 * - One finding per (dependency, `vulnerabilities/vulnerability`). `suppressedVulnerability` elements are not
 *   findings: the project's suppression file has already dismissed them, and Vigil treats them as not reported.
 * - Package: from the first `identifiers/package/id` that is a purl (Maven `group:artifact`, npm `@scope/name`,
 *   others `namespace/name`; ecosystem = purl type, `golang` → `go`); without one, the `fileName`, no version.
 * - Severity: the vulnerability's `severity`, else `cvssV3/baseSeverity`, else `cvssV2/severity`; CRITICAL,
 *   HIGH, MEDIUM (MODERATE), LOW, INFO, NONE (CVSS "none", info) and UNKNOWN, in any case; another value is a
 *   ReportError at its element. Absent everywhere: unknown.
 * - Identifiers: the vulnerability `name` (CVE-… → `cve`, GHSA-… → `ghsa`, anything else typed by its `source`
 *   attribute, lower-case: `ossindex`, `npm`, `retirejs`), then the CWE ids in `cwes/cwe` (or an old single `cwe`).
 * - CVSS vectors: `vectorString` where given; else rebuilt from the metric elements Dependency-Check writes
 *   instead (CVSS 3 only with its `version`; a vector is only made when every metric is present and valid), vendor =
 *   the `source` attribute.
 * - Solution: Dependency-Check names no fix. When the CPE range that matched (`vulnerableSoftware/software` with
 *   `vulnerabilityIdMatched="true"`) has an end (`versionEndExcluding` / `versionEndIncluding`), the solution says
 *   so, naming the CPE product. fixedVersions stays empty: the range is the CPE's, which is not always the
 *   package (CVE-2021-37533 of `apache:commons_net` is matched to commons-io, whose versions never reach 3.9.0).
 * - File: `filePath` is where the scanned artifact was on the scanning machine. A virtual dependency
 *   (`isVirtual="true"`, `lockfile?package`) is located at its lock file. An artifact in a local package cache
 *   (`~/.m2`, `~/.gradle`, `~/.ivy2`, `~/.sbt`, `~/.nuget`, `~/.cache`) is not in the repository at all: file is
 *   null and identity is the package alone (the cache path holds the version and the agent's home directory,
 *   neither of which may be identity). Otherwise a recognised CI checkout root is stripped (see CHECKOUT_ROOTS);
 *   `projectInfo` names the project but never its directory, so nothing better can be inferred.
 */

const SEVERITY_SCALE: SeverityScale = {
  table: new Map<string, Severity>([
    ['critical', 'critical'],
    ['high', 'high'],
    ['medium', 'medium'],
    ['moderate', 'medium'],
    ['low', 'low'],
    ['info', 'info'],
    ['none', 'info'],
    ['unknown', 'unknown'],
  ]),
  names: ['CRITICAL', 'HIGH', 'MEDIUM', 'MODERATE', 'LOW', 'INFO', 'NONE', 'UNKNOWN'],
  noun: 'a severity',
};

const NAMESPACE = /^https?:\/\/jeremylong\.github\.io\/DependencyCheck\/dependency-check\.(\d+(?:\.\d+)*)\.xsd$/i;

/** Local package caches: an artifact under one is not a file of the repository. */
const PACKAGE_CACHE = /(^|\/)\.(m2|gradle|ivy2|sbt|nuget|cache)\//;

/** Checkout roots of common CI runners and of Dependency-Check's Docker image (`--scan /src`). */
const CHECKOUT_ROOTS = [
  /^\/home\/runner\/work\/[^/]+\/[^/]+\//, // GitHub Actions hosted runners
  /^\/github\/workspace\//, // GitHub Actions container actions
  /^\/builds\/[^/]+\/[^/]+\//, // GitLab Docker executor (/builds/<namespace>/<project>)
  /^(?:[A-Za-z]:)?(?:\/.*?)?\/workspace\/[^/]+\//, // Jenkins (…/workspace/<job>)
  /^\/src\//, // owasp/dependency-check Docker image
];

/** Metric element → vector abbreviation and the values (first letters) it may take. */
const CVSS3_METRICS: [string, string, string][] = [
  ['attackVector', 'AV', 'NALP'],
  ['attackComplexity', 'AC', 'LH'],
  ['privilegesRequired', 'PR', 'NLH'],
  ['userInteraction', 'UI', 'NR'],
  ['scope', 'S', 'UC'],
  ['confidentialityImpact', 'C', 'NLH'],
  ['integrityImpact', 'I', 'NLH'],
  ['availabilityImpact', 'A', 'NLH'],
];
const CVSS2_METRICS: [string, string, string][] = [
  ['accessVector', 'AV', 'LAN'],
  ['accessComplexity', 'AC', 'HML'],
  ['authenticationr', 'Au', 'MSN'], // sic: Dependency-Check's element name
  ['confidentialImpact', 'C', 'NPC'],
  ['integrityImpact', 'I', 'NPC'],
  ['availabilityImpact', 'A', 'NPC'],
];

function severityOf(node: XmlNode | null): Severity | null {
  const text = node && ownText(node);
  return text === null ? null : namedSeverity(text, node!.pointer, SEVERITY_SCALE);
}

function vulnerabilitySeverity(vuln: XmlNode): Severity {
  const v3 = child(vuln, 'cvssV3');
  const v2 = child(vuln, 'cvssV2');
  return severityOf(child(vuln, 'severity')) ?? severityOf(v3 && child(v3, 'baseSeverity')) ?? severityOf(v2 && child(v2, 'severity')) ?? 'unknown';
}

/** A vector from metric elements (`NETWORK` or `N`), or null when one is missing or not a valid value. */
function builtVector(node: XmlNode, metrics: [string, string, string][]): string | null {
  const parts: string[] = [];
  for (const [element, abbreviation, allowed] of metrics) {
    const letter = textOf(node, element)?.trim().charAt(0).toUpperCase();
    if (!letter || !allowed.includes(letter)) return null;
    parts.push(`${abbreviation}:${letter}`);
  }
  return parts.join('/');
}

function cvssVectors(vuln: XmlNode, vendor: string | null): Finding['cvssVectors'] {
  const out: Finding['cvssVectors'] = [];
  const v3 = child(vuln, 'cvssV3');
  if (v3) {
    const version = textOf(v3, 'version')?.trim() ?? null;
    const built = version !== null && /^3\.[01]$/.test(version) ? builtVector(v3, CVSS3_METRICS) : null;
    const vector = textOf(v3, 'vectorString') ?? (built && `CVSS:${version}/${built}`);
    if (vector) out.push({ vendor, vector: clip(vector.trim(), FIELD_LIMITS.other) });
  }
  const v2 = child(vuln, 'cvssV2');
  if (v2) {
    const vector = textOf(v2, 'vectorString') ?? builtVector(v2, CVSS2_METRICS);
    if (vector) out.push({ vendor, vector: clip(vector.trim(), FIELD_LIMITS.other) });
  }
  return out;
}

function vulnerabilityIdentifiers(vuln: XmlNode, name: string, source: string | null): Identifier[] {
  const ghsa = ghsaIn(name);
  const id: Identifier = isCve(name)
    ? { type: 'cve', value: name.toUpperCase(), name: null, url: null }
    : ghsa !== null && ghsa.length === name.length
      ? { type: 'ghsa', value: ghsa, name: null, url: null }
      : { type: (source ?? 'dependency_check').toLowerCase().replace(/[^a-z0-9]+/g, '_'), value: name, name: null, url: null };
  const cwes = child(vuln, 'cwes');
  const cweTexts = [...(cwes ? children(cwes, 'cwe') : []), ...children(vuln, 'cwe')].flatMap((c) => ownText(c) ?? []);
  return [id, ...cweIdentifiersIn(cweTexts, vuln.pointer)];
}

function referenceLinks(vuln: XmlNode): Finding['links'] {
  const references = child(vuln, 'references');
  const links: Finding['links'] = [];
  for (const reference of references ? children(references, 'reference') : []) {
    const url = textOf(reference, 'url')?.trim();
    if (!url || links.some((l) => l.url === url)) continue;
    const name = textOf(reference, 'name')?.trim() ?? null;
    links.push({ name: name === null || name === url ? null : clip(name, FIELD_LIMITS.other), url: clip(url, FIELD_LIMITS.other) });
  }
  return links;
}

/**
 * What the CPE range that matched says about a fix. The range is the CPE's (`apache:commons_net`), which need not
 * be the package's own name (Dependency-Check matches by evidence, and false matches happen), so its end is
 * quoted in the solution but not claimed as a fixed version of the package.
 */
function matchedRangeSolution(vuln: XmlNode): string | null {
  const software = child(vuln, 'vulnerableSoftware');
  const matched = (software ? children(software, 'software') : []).find((s) => attr(s, 'vulnerabilityIdMatched') === 'true');
  if (!matched) return null;
  const product = /^cpe:2\.3:[aho]:([^:]+):([^:]+)/.exec(ownText(matched)?.trim() ?? '');
  const what = product ? `${product[1]}:${product[2]}` : 'the matched product';
  const before = attr(matched, 'versionEndExcluding')?.trim();
  if (before) return `Versions of ${what} before ${before} are affected (the CPE range Dependency-Check matched): upgrade to ${before} or later.`;
  const upTo = attr(matched, 'versionEndIncluding')?.trim();
  if (upTo) return `Versions of ${what} up to ${upTo} are affected (the CPE range Dependency-Check matched): upgrade to a later version.`;
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// The dependency

/** `pkg:type/namespace/name@version?qualifiers#subpath` → its parts, or null when it is not one. */
function parsePurl(purl: string): { type: string; namespace: string[]; name: string; version: string | null } | null {
  const match = /^pkg:([a-z][a-z0-9.+-]*)\/([^?#]+)/i.exec(purl.trim());
  if (!match) return null;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const at = match[2]!.lastIndexOf('@');
  const path = at > match[2]!.lastIndexOf('/') ? match[2]!.slice(0, at) : match[2]!;
  const version = at > match[2]!.lastIndexOf('/') ? decode(match[2]!.slice(at + 1)) : null;
  const segments = path.split('/').filter(Boolean).map(decode);
  const name = segments.pop();
  return name ? { type: match[1]!.toLowerCase(), namespace: segments, name, version: version || null } : null;
}

function dependencyPackage(dependency: XmlNode): PackageRef {
  const identifiers = child(dependency, 'identifiers');
  const purl = (identifiers ? children(identifiers, 'package') : []).map((p) => textOf(p, 'id')?.trim() ?? '').find((id) => id.startsWith('pkg:'));
  const parsed = purl ? parsePurl(purl) : null;
  if (!purl || !parsed) return { name: clip(requiredTextOf(dependency, 'fileName').trim(), FIELD_LIMITS.other), version: null, ecosystem: null, purl: null, fixedVersions: [] };
  const separator = parsed.type === 'maven' ? ':' : '/';
  return {
    name: clip([...parsed.namespace, parsed.name].join(separator), FIELD_LIMITS.other),
    version: parsed.version && clip(parsed.version, FIELD_LIMITS.other),
    ecosystem: parsed.type === 'golang' ? 'go' : parsed.type,
    purl: clip(purl, FIELD_LIMITS.other),
    fixedVersions: [],
  };
}

/** The repo-relative file of a dependency, or null when it is not in the repository (see the module comment). */
export function dependencyFile(filePath: string | null, isVirtual: boolean): string | null {
  if (filePath === null) return null;
  const manifest = isVirtual && filePath.includes('?') ? filePath.slice(0, filePath.indexOf('?')) : filePath;
  const path = normaliseRepoPath(manifest);
  if (PACKAGE_CACHE.test(path)) return null;
  const root = CHECKOUT_ROOTS.map((r) => r.exec(path)?.[0]).find((m) => m !== undefined);
  return clip(root ? path.slice(root.length) : path, FIELD_LIMITS.path) || null;
}

function dependencyFindings(dependency: XmlNode, scanner: Scanner): Finding[] {
  const vulnerabilities = child(dependency, 'vulnerabilities');
  const vulns = vulnerabilities ? children(vulnerabilities, 'vulnerability') : [];
  if (vulns.length === 0) return [];
  const pkg = dependencyPackage(dependency);
  const file = dependencyFile(textOf(dependency, 'filePath')?.trim() ?? null, attr(dependency, 'isVirtual') === 'true');
  return vulns.map((vuln) => {
    const name = clip(requiredTextOf(vuln, 'name').trim(), FIELD_LIMITS.identifier);
    const source = attr(vuln, 'source')?.trim() ?? null;
    const solution = matchedRangeSolution(vuln);
    const description = textOf(vuln, 'description');
    return packageFinding(
      {
        title: clip(`${name} in ${pkg.name}`, FIELD_LIMITS.title),
        description: description && clip(description, FIELD_LIMITS.description),
        severity: vulnerabilitySeverity(vuln),
        identifiers: vulnerabilityIdentifiers(vuln, name, source),
        links: referenceLinks(vuln),
        cvssVectors: cvssVectors(vuln, source),
        solution: solution && clip(solution, FIELD_LIMITS.solution),
      },
      pkg,
      file,
      scanner,
    );
  });
}

/** OWASP Dependency-Check XML report. */
export const dependencyCheckFormat: ReportFormat = {
  id: 'dependency_check',
  name: 'OWASP Dependency-Check XML',
  container: 'xml',
  detection: 'XML with root <analysis> in the namespace https://jeremylong.github.io/DependencyCheck/dependency-check.X.Y.xsd',
  reportTypes: ['dependency_scanning'],
  detect(opening) {
    return opening.container === 'xml' && opening.root === 'analysis' && NAMESPACE.test(opening.namespace);
  },
  reader() {
    const scanner: Scanner = { id: 'dependency_check', name: 'OWASP Dependency-Check', version: null, vendor: 'OWASP' };
    const findings: Finding[] = [];
    let namespace: string | null = null;
    return {
      elementPaths: ['analysis/dependencies/dependency'],
      headerPaths: ['analysis/scanInfo/engineVersion'],
      take(keys, value, pointer, ancestors) {
        namespace ??= ancestors?.[0]?.attributes.xmlns ?? null;
        const node = xmlNode(value as XmlElement, pointer);
        if (keys[1] === 'scanInfo') {
          const version = ownText(node);
          scanner.version = version && clip(version.trim(), FIELD_LIMITS.other);
        }
        else findings.push(...dependencyFindings(node, scanner));
      },
      finish() {
        return { formatVersion: (namespace && NAMESPACE.exec(namespace.trim())?.[1]) ?? null, scanners: [scanner], reportTypes: ['dependency_scanning'], findings };
      },
    };
  },
};
