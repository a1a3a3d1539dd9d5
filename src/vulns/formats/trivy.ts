import type { Finding, ReportType, Scanner, Severity } from '../model.js';
import { normaliseRepoPath } from '../paths.js';
import type { ReportFormat } from './format.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { arrayIndex, at, child, lineNumber, namedSeverity, object, objectList, optionalObject, prose, requiredText, stringValue, text, textList, type Json, type SeverityScale } from './json-read.js';
import { ReportError } from './report-error.js';
import {
  advisoryIdentifier,
  advisoryIdentifiers,
  cweIdentifiers,
  distinct,
  ecosystemName,
  finding,
  isLanguageType,
  linkList,
  packageRef,
  purlEcosystem,
  upgradeAdvice,
} from './advisory.js';

/**
 * Trivy JSON (`trivy image|fs|repo|rootfs|vm --format json`), in its three shapes:
 *
 * - Schema 2 (`SchemaVersion: 2`): `ArtifactName`, `ArtifactType`, `Metadata.OS`, `Trivy.Version` (newer releases)
 *   and `Results[]` of `{Target, Class, Type, Vulnerabilities[], Misconfigurations[], Secrets[]}`.
 * - Legacy (Trivy before 0.20): a top-level array of `{Target, Type, Vulnerabilities}`.
 * - Kubernetes (`trivy k8s --format json`): `ClusterName` with resources `{Namespace, Kind, Name, Results[]}`,
 *   under `Resources` (`--report all`), `Findings` (consolidated) or, in the summary report of older releases (the
 *   fixture's shape), under `Vulnerabilities` and `Misconfigurations`.
 *
 * Mapping:
 * - Vulnerabilities are package findings. In a container image (schema 2 `ArtifactType: container_image`; legacy
 *   reports with an OS result) every one — OS or language package — is `container_scanning` with image =
 *   `ArtifactName` (legacy: the OS result's target without its `(os version)`), so identity is image + package; a
 *   language package's target (a path inside the image) is kept as the file. Elsewhere (filesystem, repository,
 *   rootfs, vm, SBOM) they are `dependency_scanning` with file = the target (the manifest or lock file).
 * - Kubernetes vulnerabilities are `cluster_image_scanning` (GitLab's type for exactly this), which keeps a cluster
 *   scan's scope apart from the CI image scans of the same images. The image is the one the resource's OS result
 *   names (`gcr.io/…/redis:v2 (debian 10.4)` → `gcr.io/…/redis:v2`); when a resource has no single such image, the
 *   `namespace/kind/name` of the resource stands in for it.
 * - Misconfigurations (`Status` FAIL or absent; PASS and EXCEPTION are no finding) are `iac`: identifier
 *   `{type: 'trivy_misconfig', value: ID}` (then `AVDID`), file = target (Kubernetes: `namespace/kind/name`), lines
 *   from `CauseMetadata`, snippet = the cause lines of `CauseMetadata.Code`.
 * - Secrets are `secret_detection`: identifier `{type: 'trivy_secret', value: RuleID}`, file = target, lines.
 *   The matched text (`Match`, else the cause lines of `Code`) is the snippet and nothing else: Vigil hashes the
 *   snippet for identity and redacts it for display; title and description come from the rule only.
 * - Severity: CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN (case-insensitive); absent is unknown; anything else is a
 *   ReportError.
 * - Identifiers: `VulnerabilityID` (cve / ghsa / osv by its prefix, else `trivy`), then `VendorIDs`, then `CweIDs`.
 *   Links: `PrimaryURL`, `References`, `DataSource.URL`. CVSS: every source's V40/V3/V2 vector, vendor = source.
 * - Scope (`reportTypes`): what the document shows was scanned — the package type when there are package results
 *   (Trivy writes one per scanned manifest or OS, vulnerable or not) and always for an image, `iac` when there are
 *   config results (one per checked file, failed or not), `secret_detection` when there are secret results — plus
 *   `secret_detection` for every schema-2 image, filesystem, repository, rootfs or vm scan: secret scanning is on by
 *   default there and Trivy writes a secret result only where it found something, so without it the scope of the
 *   same command would change with its findings.
 */

const KINDS = ['Vulnerabilities', 'Misconfigurations', 'Secrets'] as const;
type Kind = (typeof KINDS)[number];
const K8S_SECTIONS = ['Resources', 'Findings', 'Vulnerabilities', 'Misconfigurations'];
const RESULT_FIELDS = ['Target', 'Class', 'Type'] as const;
const RESOURCE_FIELDS = ['Namespace', 'Kind', 'Name'] as const;

const SEVERITY_SCALE: SeverityScale = {
  table: new Map<string, Severity>([
    ['critical', 'critical'],
    ['high', 'high'],
    ['medium', 'medium'],
    ['low', 'low'],
    ['unknown', 'unknown'],
  ]),
  names: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'],
  noun: 'a severity',
  blankIsUnknown: true,
};
const MISCONFIG_STATUSES = ['FAIL', 'PASS', 'EXCEPTION'];
/** Artifact types whose scans look for secrets by default. */
const SECRET_SCANNED = new Set(['container_image', 'filesystem', 'repository', 'rootfs', 'vm']);
/** `debian:10 (debian 10.4)` → image and operating system. */
const OS_TARGET = /^(.*\S)\s+\(([^()]+)\)$/;

// ---------------------------------------------------------------------------------------------------------------
// Elements

type Common = Pick<Finding, 'title' | 'description' | 'severity' | 'identifiers' | 'links'>;

interface Vulnerability extends Common {
  kind: 'Vulnerabilities';
  pkg: { name: string; version: string | null; purl: string | null; fixedVersions: string[] };
  solution: string | null;
  cvssVectors: Finding['cvssVectors'];
}

interface Misconfiguration extends Common {
  kind: 'Misconfigurations';
  solution: string | null;
  startLine: number | null;
  endLine: number | null;
  snippet: string | null;
}

interface Secret extends Common {
  kind: 'Secrets';
  startLine: number | null;
  endLine: number | null;
  snippet: string | null;
}

type Element = Vulnerability | Misconfiguration | Secret;

function severityOf(raw: Json, pointer: string): Severity {
  return namedSeverity(raw.Severity, at(pointer, 'Severity'), SEVERITY_SCALE);
}

export function trivyVulnerability(value: unknown, pointer: string): Vulnerability {
  const raw = object(value, pointer);
  const id = requiredText(raw, 'VulnerabilityID', pointer, FIELD_LIMITS.identifier);
  const name = requiredText(raw, 'PkgName', pointer);
  const primaryUrl = text(raw, 'PrimaryURL', pointer);
  const [pkgIdentifier, pkgPointer] = child(raw, 'PkgIdentifier', pointer);
  const [dataSource, dataSourcePointer] = child(raw, 'DataSource', pointer);
  // Several fixed versions are written as one string: "1.2.5, 1.3.1".
  const fixedVersions = distinct(text(raw, 'FixedVersion', pointer)?.split(/\s*,\s*/).filter((v) => v !== '') ?? []);
  const primary = advisoryIdentifier(id, 'trivy', primaryUrl);
  const vendorIds = advisoryIdentifiers(textList(raw, 'VendorIDs', pointer, FIELD_LIMITS.identifier), 'trivy').filter(
    (i) => i.value.toLowerCase() !== primary.value.toLowerCase(),
  );
  return {
    kind: 'Vulnerabilities',
    title: text(raw, 'Title', pointer, FIELD_LIMITS.title) ?? clip(`${id} in ${name}`, FIELD_LIMITS.title),
    description: prose(raw, 'Description', pointer, FIELD_LIMITS.description),
    severity: severityOf(raw, pointer),
    identifiers: [primary, ...vendorIds, ...cweIdentifiers(textList(raw, 'CweIDs', pointer))],
    links: linkList([primaryUrl, ...textList(raw, 'References', pointer), dataSource && text(dataSource, 'URL', dataSourcePointer)]),
    pkg: {
      name,
      version: text(raw, 'InstalledVersion', pointer),
      purl: pkgIdentifier && text(pkgIdentifier, 'PURL', pkgPointer),
      fixedVersions,
    },
    solution: upgradeAdvice(name, fixedVersions),
    cvssVectors: cvssVectors(raw.CVSS, at(pointer, 'CVSS')),
  };
}

/** `CVSS: {nvd: {V3Vector, V2Vector}, redhat: {…}}` → one vector per source and version, newest version first. */
function cvssVectors(value: unknown, pointer: string): Finding['cvssVectors'] {
  const bySource = optionalObject(value, pointer) ?? {};
  return Object.entries(bySource).flatMap(([source, entry]) => {
    const p = at(pointer, source);
    const vectors = object(entry, p);
    return ['V40Vector', 'V3Vector', 'V2Vector'].flatMap((key) => {
      const vector = text(vectors, key, p);
      return vector === null ? [] : [{ vendor: clip(source, FIELD_LIMITS.other), vector }];
    });
  });
}

/** The lines of `Code.Lines` Trivy marks as the cause, joined; null when there are none. */
function causeLines(parent: Json | null, pointer: string): string | null {
  if (!parent) return null;
  const [code, codePointer] = child(parent, 'Code', pointer);
  if (!code) return null;
  // As written (indentation included): the content signature ignores whitespace, display does not.
  const lines = objectList(code.Lines, at(codePointer, 'Lines')).flatMap(([line, p]) =>
    line.IsCause === true ? [prose(line, 'Content', p, FIELD_LIMITS.snippet) ?? ''] : [],
  );
  const snippet = lines.join('\n');
  return snippet.trim() === '' ? null : clip(snippet, FIELD_LIMITS.snippet);
}

/** A failed check, or null for PASS / EXCEPTION (written with `--include-non-failures`). */
export function trivyMisconfiguration(value: unknown, pointer: string): Misconfiguration | null {
  const raw = object(value, pointer);
  const status = text(raw, 'Status', pointer);
  if (status !== null && !MISCONFIG_STATUSES.includes(status.toUpperCase())) {
    throw new ReportError(at(pointer, 'Status'), `${JSON.stringify(status)} is not a status; must be one of ${MISCONFIG_STATUSES.join(', ')}`);
  }
  const ids = distinct([text(raw, 'ID', pointer, FIELD_LIMITS.identifier), text(raw, 'AVDID', pointer, FIELD_LIMITS.identifier)].filter((i) => i !== null));
  if (ids.length === 0) throw new ReportError(at(pointer, 'ID'), 'must be a non-empty string (or AVDID must be)');
  const severity = severityOf(raw, pointer);
  if (status !== null && status.toUpperCase() !== 'FAIL') return null;
  const message = prose(raw, 'Message', pointer, FIELD_LIMITS.description);
  const [cause, causePointer] = child(raw, 'CauseMetadata', pointer);
  const primaryUrl = text(raw, 'PrimaryURL', pointer);
  return {
    kind: 'Misconfigurations',
    title: text(raw, 'Title', pointer, FIELD_LIMITS.title) ?? clip(message?.trim() ?? ids[0]!, FIELD_LIMITS.title),
    description: joined([message, prose(raw, 'Description', pointer, FIELD_LIMITS.description)]),
    severity,
    identifiers: ids.map((id, i) => ({ type: 'trivy_misconfig', value: id, name: null, url: i === 0 ? primaryUrl : null })),
    links: linkList([primaryUrl, ...textList(raw, 'References', pointer)]),
    solution: prose(raw, 'Resolution', pointer, FIELD_LIMITS.solution),
    startLine: cause && lineNumber(cause, 'StartLine', causePointer),
    endLine: cause && lineNumber(cause, 'EndLine', causePointer),
    snippet: causeLines(cause, causePointer),
  };
}

export function trivySecret(value: unknown, pointer: string): Secret {
  const raw = object(value, pointer);
  const ruleId = requiredText(raw, 'RuleID', pointer, FIELD_LIMITS.identifier);
  const category = text(raw, 'Category', pointer);
  const title = text(raw, 'Title', pointer, FIELD_LIMITS.title) ?? ruleId;
  return {
    kind: 'Secrets',
    title,
    // From the rule only: the matched text goes nowhere but the snippet.
    description: category === null ? null : `${title} (${category}), found by Trivy's rule ${ruleId}.`,
    severity: severityOf(raw, pointer),
    identifiers: [{ type: 'trivy_secret', value: ruleId, name: title, url: null }],
    links: [],
    startLine: lineNumber(raw, 'StartLine', pointer),
    endLine: lineNumber(raw, 'EndLine', pointer),
    snippet: prose(raw, 'Match', pointer, FIELD_LIMITS.snippet) ?? causeLines(raw, pointer),
  };
}

function joined(parts: (string | null)[]): string | null {
  const kept = distinct(parts.filter((p): p is string => p !== null));
  return kept.length === 0 ? null : clip(kept.join('\n\n'), FIELD_LIMITS.description);
}

// ---------------------------------------------------------------------------------------------------------------
// The document

interface ResultHead {
  Target: string | null;
  Class: string | null;
  Type: string | null;
}

interface ResourceHead {
  Namespace: string | null;
  Kind: string | null;
  Name: string | null;
}

interface Taken {
  element: Element;
  /** `section/resource` for Kubernetes, '' otherwise. */
  resource: string;
  /** `resource/result`. */
  result: string;
}

interface Header {
  schemaVersion: number | null;
  artifactName: string | null;
  artifactType: string | null;
  operatingSystem: string | null;
  version: string | null;
}

/** What a result holds, for the scope: packages, configuration checks or secrets. */
function resultClass(head: ResultHead | undefined, kinds: Set<Kind>): 'packages' | 'config' | 'secret' | null {
  const cls = head?.Class?.toLowerCase() ?? null;
  if (cls === 'os-pkgs' || cls === 'lang-pkgs' || kinds.has('Vulnerabilities')) return 'packages';
  if (cls === 'config' || kinds.has('Misconfigurations')) return 'config';
  if (cls === 'secret' || kinds.has('Secrets')) return 'secret';
  // Legacy results have no class: a typed result is a package result.
  return cls === null && head?.Type ? 'packages' : null;
}

function isOsResult(head: ResultHead | undefined): boolean {
  const cls = head?.Class?.toLowerCase();
  if (cls) return cls === 'os-pkgs';
  return !!head?.Type && !isLanguageType(head.Type);
}

class TrivyDocument {
  readonly header: Header = { schemaVersion: null, artifactName: null, artifactType: null, operatingSystem: null, version: null };
  readonly results = new Map<string, ResultHead>();
  readonly resources = new Map<string, ResourceHead>();
  readonly taken: Taken[] = [];
  shape: 'schema2' | 'legacy' | 'kubernetes' | null = null;

  take(keys: (string | number)[], value: unknown, pointer: string): void {
    const [first] = keys;
    if (typeof first === 'number') {
      this.shape = 'legacy';
      this.result('', first, keys.slice(1), value, pointer, '');
    } else if (first === 'Results') {
      this.shape ??= 'schema2';
      this.result('', arrayIndex(keys[1], '/Results'), keys.slice(2), value, pointer, '/Results');
    } else if (K8S_SECTIONS.includes(first!) && keys.length >= 3) {
      this.shape = 'kubernetes';
      const base = `/${first}`;
      const resource = `${first}/${arrayIndex(keys[1], base)}`;
      const resourcePointer = `${base}/${keys[1]}`;
      if (keys[2] === 'Results') {
        this.result(resource, arrayIndex(keys[3], `${resourcePointer}/Results`), keys.slice(4), value, pointer, `${resourcePointer}/Results`);
      } else {
        const head = this.resources.get(resource) ?? { Namespace: null, Kind: null, Name: null };
        head[keys[2] as (typeof RESOURCE_FIELDS)[number]] = stringValue(value, pointer);
        this.resources.set(resource, head);
      }
    } else {
      this.headerValue(keys.join('.'), value, pointer);
    }
  }

  private headerValue(path: string, value: unknown, pointer: string): void {
    const h = this.header;
    if (['SchemaVersion', 'ArtifactName', 'ArtifactType'].includes(path)) this.shape ??= 'schema2';
    if (path === 'SchemaVersion') {
      if (value != null && typeof value !== 'number') throw new ReportError(pointer, 'must be a number');
      h.schemaVersion = (value as number | null | undefined) ?? null;
    } else if (path === 'ArtifactName') h.artifactName = stringValue(value, pointer);
    else if (path === 'ArtifactType') h.artifactType = stringValue(value, pointer)?.toLowerCase() ?? null;
    else if (path === 'Trivy.Version') h.version = stringValue(value, pointer);
    else if (path === 'ClusterName') {
      stringValue(value, pointer);
      this.shape = 'kubernetes';
    } else if (path === 'Metadata.OS') {
      const os = optionalObject(value, pointer);
      const parts = os ? [text(os, 'Family', pointer), text(os, 'Name', pointer)].filter((p) => p !== null) : [];
      h.operatingSystem = parts.length > 0 ? parts.join(' ') : null;
    }
  }

  private result(resource: string, result: number, rest: (string | number)[], value: unknown, pointer: string, base: string): void {
    const key = `${resource}/${result}`;
    const [field, item] = rest;
    if (rest.length === 1) {
      const head = this.results.get(key) ?? { Target: null, Class: null, Type: null };
      head[field as (typeof RESULT_FIELDS)[number]] = stringValue(value, pointer, field === 'Target' ? FIELD_LIMITS.path : FIELD_LIMITS.other);
      this.results.set(key, head);
      return;
    }
    arrayIndex(item, `${base}/${result}/${field}`);
    const element =
      field === 'Vulnerabilities' ? trivyVulnerability(value, pointer) : field === 'Misconfigurations' ? trivyMisconfiguration(value, pointer) : trivySecret(value, pointer);
    if (element) this.taken.push({ element, resource, result: key });
  }

  finish(): { scanner: Scanner; reportTypes: ReportType[]; findings: Finding[] } {
    const scanner: Scanner = { id: 'trivy', name: 'Trivy', version: this.header.version, vendor: 'Aqua Security' };
    const legacyImage = this.shape === 'legacy' ? this.legacyImage() : null;
    const imageScan = this.header.artifactType === 'container_image' || legacyImage !== null;
    const image = this.header.artifactType === 'container_image' ? this.header.artifactName : legacyImage;
    const packageType: ReportType = this.shape === 'kubernetes' ? 'cluster_image_scanning' : imageScan ? 'container_scanning' : 'dependency_scanning';

    const findings = this.taken.map(({ element, resource, result }) => {
      const head = this.results.get(result);
      const target = head?.Target ?? null;
      const resourceImage = this.shape === 'kubernetes' ? this.resourceImage(resource) : image;
      const file = target === null ? null : normaliseRepoPath(target) || null;
      const common = { title: element.title, description: element.description, severity: element.severity, identifiers: element.identifiers, links: element.links, scanner };
      if (element.kind === 'Vulnerabilities') {
        const os = isOsResult(head);
        const osOfTarget = target === null ? null : (OS_TARGET.exec(target)?.[2] ?? null);
        const ownImage = this.shape === 'kubernetes' && os && target !== null ? (OS_TARGET.exec(target)?.[1] ?? null) : null;
        const ecosystem = purlEcosystem(element.pkg.purl) ?? ecosystemName(head?.Type ?? null);
        return finding({
          ...common,
          reportType: packageType,
          location: {
            // An OS result's target names the image, not a file; a language result's is the manifest (or its path in the image).
            file: os && packageType !== 'dependency_scanning' ? null : file,
            image: packageType === 'dependency_scanning' ? null : (ownImage ?? resourceImage),
            operatingSystem: os ? (osOfTarget ?? this.header.operatingSystem) : null,
            package: packageRef(element.pkg.name, element.pkg.version, { ecosystem, purl: element.pkg.purl, fixedVersions: element.pkg.fixedVersions }),
          },
          solution: element.solution,
          cvssVectors: element.cvssVectors,
        });
      }
      const kubernetesFile = this.shape === 'kubernetes' && element.kind === 'Misconfigurations' ? this.resourcePath(resource) : null;
      return finding({
        ...common,
        reportType: element.kind === 'Misconfigurations' ? 'iac' : 'secret_detection',
        location: {
          file: kubernetesFile ?? file,
          startLine: element.startLine,
          endLine: element.endLine ?? element.startLine,
          image: element.kind === 'Secrets' || imageScan ? resourceImage : null,
        },
        solution: element.kind === 'Misconfigurations' ? element.solution : null,
        snippet: element.snippet,
      });
    });
    return { scanner, reportTypes: this.reportTypes(packageType), findings };
  }

  /** Legacy reports: an OS result's target `name (os version)` says the document is an image scan, and of which image. */
  private legacyImage(): string | null {
    for (const head of this.results.values()) {
      const match = head.Target === null || !isOsResult(head) ? null : OS_TARGET.exec(head.Target);
      if (match) return match[1]!;
    }
    return null;
  }

  /** The image of a Kubernetes resource: the one its OS results name, else the resource itself. */
  private resourceImage(resource: string): string | null {
    const images = new Set<string>();
    for (const [key, head] of this.results) {
      if (!key.startsWith(`${resource}/`) || !isOsResult(head) || head.Target === null) continue;
      const match = OS_TARGET.exec(head.Target);
      if (match) images.add(match[1]!);
    }
    return images.size === 1 ? [...images][0]! : this.resourcePath(resource);
  }

  private resourcePath(resource: string): string | null {
    const head = this.resources.get(resource);
    const parts = [head?.Namespace, head?.Kind, head?.Name].filter((p): p is string => !!p);
    return parts.length === 0 ? null : clip(parts.join('/'), FIELD_LIMITS.path);
  }

  private reportTypes(packageType: ReportType): ReportType[] {
    const kindsByResult = new Map<string, Set<Kind>>();
    for (const { element, result } of this.taken) kindsByResult.set(result, (kindsByResult.get(result) ?? new Set()).add(element.kind));
    const classes = new Set([...this.results.keys(), ...kindsByResult.keys()].map((key) => resultClass(this.results.get(key), kindsByResult.get(key) ?? new Set())));
    const types = new Set<ReportType>();
    // An image scan is a package scan even when the image has no OS or packages Trivy knows.
    if (classes.has('packages') || this.header.artifactType === 'container_image') types.add(packageType);
    if (classes.has('config')) types.add('iac');
    if (classes.has('secret') || (this.shape === 'schema2' && SECRET_SCANNED.has(this.header.artifactType ?? ''))) types.add('secret_detection');
    // A document with no result at all (an empty cluster) still covered its packages.
    return types.size > 0 ? [...types] : [packageType];
  }
}


/** The top-level keys a Kubernetes report may have. */
const K8S_KEYS = new Set(['SchemaVersion', 'Trivy', 'ReportID', 'CreatedAt', 'ClusterName', ...K8S_SECTIONS]);

function looksLikeTrivy(keys: string[], values: Record<string, unknown>, rootKind: 'object' | 'array', firstElementKeys: string[]): boolean {
  if (rootKind === 'array') return firstElementKeys.includes('Target') && [...KINDS, 'Type', 'Class'].some((k) => firstElementKeys.includes(k));
  if (keys.includes('ClusterName')) return typeof values.ClusterName === 'string' && keys.every((k) => K8S_KEYS.has(k));
  return typeof values.SchemaVersion === 'number' && ['ArtifactName', 'ArtifactType', 'Results'].some((k) => keys.includes(k));
}

/** Trivy JSON: schema 2, legacy (array) and Kubernetes reports; vulnerabilities, misconfigurations and secrets. */
export const trivyFormat: ReportFormat = {
  id: 'trivy',
  name: 'Trivy JSON',
  container: 'json',
  detection:
    'a JSON object with a numeric "SchemaVersion" and "ArtifactName"/"ArtifactType"/"Results"; a Kubernetes report (a "ClusterName" with "Resources", "Findings", "Vulnerabilities" or "Misconfigurations"); or a legacy array of {"Target", "Vulnerabilities"}',
  reportTypes: ['container_scanning', 'dependency_scanning', 'cluster_image_scanning', 'iac', 'secret_detection'],
  detect(opening) {
    if (opening.container !== 'json') return false;
    return looksLikeTrivy(opening.keys, opening.values, opening.rootKind, opening.firstElementKeys);
  },
  reader() {
    const document = new TrivyDocument();
    return {
      elementPaths: [
        ...KINDS.map((k) => `$.Results.*.${k}.*`),
        ...KINDS.map((k) => `$.*.${k}.*`),
        ...K8S_SECTIONS.flatMap((s) => KINDS.map((k) => `$.${s}.*.Results.*.${k}.*`)),
      ],
      headerPaths: [
        '$.SchemaVersion',
        '$.ArtifactName',
        '$.ArtifactType',
        '$.Metadata.OS',
        '$.Trivy.Version',
        '$.ClusterName',
        ...RESULT_FIELDS.flatMap((f) => [`$.Results.*.${f}`, `$.*.${f}`]),
        ...K8S_SECTIONS.flatMap((s) => [...RESOURCE_FIELDS.map((f) => `$.${s}.*.${f}`), ...RESULT_FIELDS.map((f) => `$.${s}.*.Results.*.${f}`)]),
      ],
      take(keys, value, pointer) {
        document.take(keys, value, pointer);
      },
      finish() {
        const { scanner, reportTypes, findings } = document.finish();
        const version = document.header.schemaVersion;
        const image = document.header.artifactType === 'container_image' ? document.header.artifactName : null;
        return { formatVersion: version === null ? null : String(version), scanners: [scanner], reportTypes, ...(image && { targets: [image] }), findings };
      },
    };
  },
};
