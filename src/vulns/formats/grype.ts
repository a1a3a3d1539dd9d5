import type { Finding, ReportType, Scanner, Severity } from '../model.js';
import { normaliseRepoPath, relativeTo } from '../paths.js';
import type { ReportFormat } from './format.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { at, child, isObject, namedSeverity, object, objectList, optionalArray, optionalObject, prose, requiredObject, requiredText, stringValue, text, textList, type Json, type SeverityScale } from './json-read.js';
import { ReportError } from './report-error.js';
import { advisoryIdentifiers, distinct, ecosystemName, finding, linkList, packageRef, purlEcosystem, upgradeAdvice } from './advisory.js';

/**
 * Anchore Grype JSON (`grype -o json`), old (0.7: `links`, `cvssV2`/`cvssV3`, `fixedInVersion`) and current
 * (`urls`, `cvss[]`, `fix.versions`, `relatedVulnerabilities`) alike.
 *
 * Grype writes `matches` first and `source`, `distro` and `descriptor` at the end, so each match is read into its
 * finding at once (errors carry its pointer) and placed when the document ends:
 * - `source.type: image` → `container_scanning`, image = `source.target.userInput` (else its first tag, else the
 *   image id), operating system = `distro` name and version; the package's first location (a path inside the
 *   image) is kept as the file. Identity is image name + package, so matches that differ only in version or
 *   location become one vulnerability at ingest, by design; every match is still returned.
 * - any other source (`directory`, `file`, `sbom`) → `dependency_scanning`, file = the package's first location,
 *   relative to the scanned directory (`source.target`).
 * - Identifiers: `vulnerability.id`, then every `relatedVulnerabilities[].id` (so a GHSA match carries its CVE);
 *   cve / ghsa / osv by prefix, else `grype`.
 * - Severity: Critical, High, Medium, Low, Negligible (→ low), Unknown (case-insensitive); absent is unknown;
 *   anything else is a ReportError.
 * - Text: title `<id> in <package>`; description from the vulnerability, else from the first related record that
 *   has one (Grype puts NVD's text there); CVSS vectors likewise, vendor = the record's `source`.
 * - `ignoredMatches` are not read: they are what the user told Grype to ignore.
 */

const SEVERITY_SCALE: SeverityScale = {
  table: new Map<string, Severity>([
    ['critical', 'critical'],
    ['high', 'high'],
    ['medium', 'medium'],
    ['low', 'low'],
    ['negligible', 'low'],
    ['unknown', 'unknown'],
  ]),
  names: ['Critical', 'High', 'Medium', 'Low', 'Negligible', 'Unknown'],
  noun: 'a severity',
  blankIsUnknown: true,
};

/** The top-level keys a Grype document has. */
const GRYPE_KEYS = new Set(['matches', 'ignoredMatches', 'source', 'distro', 'descriptor']);

/** One match, read as far as it can be without the document's `source`. */
export interface GrypeMatch extends Pick<Finding, 'title' | 'description' | 'severity' | 'identifiers' | 'links' | 'cvssVectors'> {
  pkg: { name: string; version: string | null; type: string | null; purl: string | null; fixedVersions: string[]; location: string | null };
}

/** `cvss[]` (current) or `cvssV3` / `cvssV2` (0.7) of a vulnerability record. */
function cvssOf(record: Json, pointer: string): Finding['cvssVectors'] {
  const vectors = objectList(record.cvss, at(pointer, 'cvss')).flatMap(([entry, p]) => {
    const vector = text(entry, 'vector', p);
    return vector === null ? [] : [{ vendor: text(entry, 'source', p), vector }];
  });
  for (const key of ['cvssV3', 'cvssV2']) {
    const [entry, p] = child(record, key, pointer);
    const vector = entry && text(entry, 'vector', p);
    if (vector) vectors.push({ vendor: null, vector });
  }
  return vectors;
}

/** `urls` (current) or `links` (0.7), then `dataSource`. */
function urlsOf(record: Json, pointer: string): string[] {
  return [...textList(record, 'urls', pointer), ...textList(record, 'links', pointer), ...[text(record, 'dataSource', pointer)].filter((u) => u !== null)];
}

export function grypeMatch(value: unknown, pointer: string): GrypeMatch {
  const raw = object(value, pointer);
  const vulnPointer = at(pointer, 'vulnerability');
  const vuln = requiredObject(raw.vulnerability, vulnPointer);
  const id = requiredText(vuln, 'id', vulnPointer, FIELD_LIMITS.identifier);
  const related = objectList(raw.relatedVulnerabilities, at(pointer, 'relatedVulnerabilities')).map(([record, p]) => ({
    id: requiredText(record, 'id', p, FIELD_LIMITS.identifier),
    description: prose(record, 'description', p, FIELD_LIMITS.description),
    cvss: cvssOf(record, p),
    urls: urlsOf(record, p),
  }));

  const artifactPointer = at(pointer, 'artifact');
  const artifact = requiredObject(raw.artifact, artifactPointer);
  const name = requiredText(artifact, 'name', artifactPointer);
  const locations = objectList(artifact.locations, at(artifactPointer, 'locations'));
  const location = locations.length > 0 ? text(locations[0]![0], 'path', locations[0]![1], FIELD_LIMITS.path) : null;

  const [fix, fixPointer] = child(vuln, 'fix', vulnPointer);
  const fixedVersions = distinct([...(fix ? textList(fix, 'versions', fixPointer) : []), ...[text(vuln, 'fixedInVersion', vulnPointer)].filter((v) => v !== null)]);

  const ownCvss = cvssOf(vuln, vulnPointer);
  return {
    title: clip(`${id} in ${name}`, FIELD_LIMITS.title),
    description: prose(vuln, 'description', vulnPointer, FIELD_LIMITS.description) ?? related.find((r) => r.description !== null)?.description ?? null,
    severity: namedSeverity(vuln.severity, at(vulnPointer, 'severity'), SEVERITY_SCALE),
    identifiers: advisoryIdentifiers([id, ...related.map((r) => r.id)], 'grype'),
    links: linkList([...urlsOf(vuln, vulnPointer), ...related.flatMap((r) => r.urls)]),
    cvssVectors: ownCvss.length > 0 ? ownCvss : (related.find((r) => r.cvss.length > 0)?.cvss ?? []),
    pkg: {
      name,
      version: text(artifact, 'version', artifactPointer),
      type: text(artifact, 'type', artifactPointer),
      purl: text(artifact, 'purl', artifactPointer),
      fixedVersions,
      location,
    },
  };
}

interface GrypeHeader {
  sourceType: string | null;
  /** The image reference (image scans) or the scanned path (directory / file scans). */
  target: string | null;
  operatingSystem: string | null;
  version: string | null;
}

/** `source.target`: an object for images (`userInput`, `tags`, `imageID`), the scanned path for directories. */
function targetOf(value: unknown, pointer: string): string | null {
  if (!isObject(value)) return stringValue(value, pointer, FIELD_LIMITS.path);
  const tags = optionalArray(value.tags, at(pointer, 'tags')) ?? [];
  return text(value, 'userInput', pointer) ?? (tags.length > 0 ? stringValue(tags[0], at(at(pointer, 'tags'), 0)) : null) ?? text(value, 'imageID', pointer) ?? text(value, 'path', pointer);
}

/** A package location as a repo-relative path: under the scanned directory, or with its leading `/` removed. */
function scannedFile(path: string | null, root: string | null): string | null {
  if (path === null) return null;
  const relative = root !== null && /^([a-z]:)?[\\/]/i.test(root) ? relativeTo(path, root) : normaliseRepoPath(path);
  return relative.replace(/^\/+/, '') || null;
}

export function grypeFindings(matches: GrypeMatch[], header: GrypeHeader): { scanner: Scanner; reportType: ReportType; findings: Finding[] } {
  const scanner: Scanner = { id: 'grype', name: 'Grype', version: header.version, vendor: 'Anchore' };
  const image = header.sourceType === 'image';
  const reportType: ReportType = image ? 'container_scanning' : 'dependency_scanning';
  const findings = matches.map((m) =>
    finding({
      title: m.title,
      description: m.description,
      severity: m.severity,
      reportType,
      scanner,
      identifiers: m.identifiers,
      location: {
        file: image ? (m.pkg.location && (normaliseRepoPath(m.pkg.location) || null)) : scannedFile(m.pkg.location, header.target),
        image: image ? header.target : null,
        operatingSystem: image ? header.operatingSystem : null,
        package: packageRef(m.pkg.name, m.pkg.version, {
          ecosystem: purlEcosystem(m.pkg.purl) ?? ecosystemName(m.pkg.type),
          purl: m.pkg.purl,
          fixedVersions: m.pkg.fixedVersions,
        }),
      },
      solution: upgradeAdvice(m.pkg.name, m.pkg.fixedVersions),
      links: m.links,
      cvssVectors: m.cvssVectors,
    }),
  );
  return { scanner, reportType, findings };
}

/** Grype JSON: every match of a container image or directory scan. */
export const grypeFormat: ReportFormat = {
  id: 'grype',
  name: 'Grype JSON',
  container: 'json',
  detection: 'a JSON object whose first key is "matches" and whose other keys are Grype\'s ("ignoredMatches", "source", "distro", "descriptor")',
  reportTypes: ['container_scanning', 'dependency_scanning'],
  detect(opening) {
    // Grype writes `matches` first; in a large report nothing else is seen in the opening.
    if (opening.container !== 'json' || opening.rootKind !== 'object') return false;
    return opening.keys[0] === 'matches' && opening.keys.every((k) => GRYPE_KEYS.has(k));
  },
  reader() {
    const matches: GrypeMatch[] = [];
    const header: GrypeHeader = { sourceType: null, target: null, operatingSystem: null, version: null };
    return {
      elementPaths: ['$.matches.*'],
      headerPaths: ['$.source.type', '$.source.target', '$.distro', '$.descriptor.version'],
      take(keys, value, pointer) {
        const path = keys.join('.');
        if (keys[0] === 'matches') {
          if (typeof keys[1] !== 'number') throw new ReportError('/matches', 'must be an array');
          matches.push(grypeMatch(value, pointer));
        } else if (path === 'source.type') header.sourceType = stringValue(value, pointer)?.toLowerCase() ?? null;
        else if (path === 'source.target') header.target = targetOf(value, pointer);
        else if (path === 'descriptor.version') header.version = stringValue(value, pointer);
        else if (path === 'distro') {
          const distro = optionalObject(value, pointer);
          const parts = distro ? [text(distro, 'name', pointer), text(distro, 'version', pointer)].filter((p) => p !== null) : [];
          header.operatingSystem = parts.length > 0 ? parts.join(' ') : null;
        }
      },
      finish() {
        const { scanner, reportType, findings } = grypeFindings(matches, header);
        const image = header.sourceType === 'image' ? header.target : null;
        return { formatVersion: null, scanners: [scanner], reportTypes: [reportType], ...(image && { targets: [image] }), findings };
      },
    };
  },
};
