import {
  emptyLocation,
  severityRank,
  type Assessment,
  type Finding,
  type Identifier,
  type Location,
  type PackageRef,
  type ReportType,
  type Scanner,
  type Severity,
} from '../model.js';
import { normaliseRepoPath } from '../paths.js';
import type { ReadResult, ReportFormat, ReportReader, XmlElement } from './format.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { isCve, isGhsa } from './advisory.js';
import { mitreCwe } from './finding-parts.js';
import { arrayIndex, at, isObject, namedSeverity, objectList, optionalArray, optionalObject, scalarValue, UNCLIPPED, type Json, type SeverityScale } from './json-read.js';
import { ReportError } from './report-error.js';
import { attr, attrPointer, child, children, ownText, textOf, xmlNode, type XmlNode } from './xml-read.js';

/**
 * CycloneDX BOMs with vulnerabilities (JSON and XML, spec 1.4–1.6; older XML with the vulnerability extension
 * `http://cyclonedx.org/schema/ext/vulnerability/1.0` inside components, as Grype 0.7 wrote it), including VEX
 * documents. Field names and enumerations follow `bom-1.6.schema.json` and the 1.6 XSD.
 *
 * Streaming: each element of `vulnerabilities` is a finding element and is digested at once (errors carry its
 * pointer); `components` (and their nested `components`), `dependencies` and `metadata` arrive as header values and
 * only a small PackageRef per `bom-ref` is kept. Everything is joined in finish(), because a BOM may list its
 * vulnerabilities before its components.
 *
 * Mapping:
 * - One finding per (vulnerability, distinct `affects[].ref`); a legacy extension vulnerability belongs to the
 *   component it is written in. A vulnerability without `affects` is about the BOM's subject
 *   (`metadata.component`), or, when there is none, about no package.
 * - `affects[].ref` is resolved by `bom-ref` among `components` (at any depth) and `metadata.component`. A BOM-Link
 *   (`urn:cdx:<serial>/<version>#<bom-ref>`) is resolved by its fragment when this BOM has that `bom-ref`; otherwise
 *   (a VEX about another BOM) the package is read from the ref itself when it is a purl (`pkg:npm/a@1` → name,
 *   version, ecosystem), else it is a pseudo package named by the ref (the fragment of a BOM-Link). The ref is a
 *   stable string of the document, so identity stays stable across uploads of it.
 * - Report type: `container_scanning` when `metadata.component.type` is `container` (image = its `name`, with
 *   `:version`, or `@version` for a digest, unless the name already carries a tag), else `dependency_scanning`.
 * - File (identity for dependency scanning): the package's own path property (`aquasecurity:trivy:FilePath`,
 *   `syft:location:0:path`, cdxgen's `SrcFile`), else the manifest component it is nested in or reached from through
 *   `dependencies` (a component of type `file`, a Trivy `lang-pkgs` application, or one named like a manifest or lock
 *   file: its name is the path), else `metadata.component` when it is such a manifest, else the constant `sbom`:
 *   one SBOM describes one project, so a package in it is the same package in every upload. Container findings
 *   keep a path only when the BOM gives one (the image is their identity).
 * - Identifiers: `id` (typed `cve`/`ghsa` by its shape, else by `source.name`: GitHub → `ghsa`, OSV → `osv`,
 *   anything else lower-cased with `_` for other characters, `cyclonedx` when there is no source), then
 *   `references[].id` typed the same way, then `cwes` as `CWE-n`. A vulnerability with neither `id` nor a reference
 *   is rejected: nothing would identify it.
 * - Severity: the highest `ratings[].severity` (`none` → info; the extension's capitalised names are accepted);
 *   no rating → `unknown`; any other value → ReportError naming the allowed values. Vectors of CVSS ratings (or of
 *   ratings that name no method) → cvssVectors with the rating's source as vendor.
 * - Fixed versions: `affects[].versions[]` with `status: unaffected`: a `version`, or the bound of a one-constraint
 *   `>=` range (`vers:npm/>=2.0.0`); other ranges are not versions and are left out.
 * - Text: title = `<id> in <package>` (the first sentence of `description` when there is no `id`); description =
 *   `description` + `detail`; solution = `recommendation` (extension: `recommendations`) + `workaround`, or
 *   "Upgrade <package> to <fixed versions>" when there is no recommendation.
 * - VEX `analysis.state` → assessment: `not_affected` → dismissed (`mitigating_control` when the justification is
 *   one of the `protected_*` ones, else `not_applicable`), `false_positive` → dismissed/false_positive,
 *   `resolved`/`resolved_with_pedigree` → resolved, `exploitable` → confirmed, `in_triage` or none → no
 *   assessment. The comment is the justification, the detail and the responses (`Response: update, …`).
 * - Scanner: the first of `metadata.tools` (1.4 array of tools, or 1.5+ `{components, services}`); without one
 *   `{id: 'cyclonedx'}`. Per-vulnerability `tools` are not used, so an empty BOM names the same scanner as a full
 *   one from the same producer.
 * - Tracking: none. A vulnerability's `bom-ref` is usually a fresh UUID per generation, not a stable id.
 *
 * Policy as elsewhere: a value of the wrong JSON type at a field read here is a ReportError at its pointer (XML: the
 * element path of xml-read.ts, `/bom/vulnerabilities/vulnerability[3]/analysis/state`, an element where text is
 * expected is an error too); an absent or blank optional value is null; long strings are clipped; NULs are removed.
 */

const SEVERITY_TABLE = new Map<string, Severity>([
  ['critical', 'critical'],
  ['high', 'high'],
  ['medium', 'medium'],
  ['low', 'low'],
  ['info', 'info'],
  ['none', 'info'],
  ['unknown', 'unknown'],
]);
const SEVERITY_SCALE: SeverityScale = { table: SEVERITY_TABLE, names: [...SEVERITY_TABLE.keys()], noun: 'a severity', quoteInFull: true };

const ANALYSIS_STATES = ['resolved', 'resolved_with_pedigree', 'exploitable', 'in_triage', 'false_positive', 'not_affected'] as const;
type AnalysisState = (typeof ANALYSIS_STATES)[number];
const JUSTIFICATIONS = [
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const;
const AFFECTED_STATUSES = ['affected', 'unaffected', 'unknown'] as const;

/** Rating methods whose vectors are CVSS vectors (a rating without a method is taken as given). */
const CVSS_METHODS = new Set(['cvssv2', 'cvssv3', 'cvssv31', 'cvssv4']);

const CWE_VALUE = /^(?:CWE-)?0*(\d+)$/i;
const NAMESPACE = /^http:\/\/cyclonedx\.org\/schema\/bom\/(1\.\d+)$/;

/** purl types whose namespace is a distribution or vendor, not part of the package name. */
const DISTRO_TYPES = new Set(['deb', 'rpm', 'apk', 'alpm', 'qpkg']);
const DISTRO_DEFAULT: Record<string, string> = { deb: 'debian', apk: 'alpine' };
const ECOSYSTEM_OF_TYPE: Record<string, string> = { golang: 'go' };

/** Component properties that give the path the package was found in. */
const PATH_PROPERTIES = new Set(['aquasecurity:trivy:filepath', 'syft:location:0:path', 'srcfile']);

/** Manifest and lock file names: a component so named stands for that file. */
const MANIFEST_FILE =
  /(^|\/)(package(-lock)?\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|requirements[^/]*\.txt|Pipfile(\.lock)?|poetry\.lock|pyproject\.toml|uv\.lock|setup\.py|Gemfile(\.lock)?|go\.(mod|sum)|Cargo\.(toml|lock)|composer\.(json|lock)|pom\.xml|build\.gradle(\.kts)?|gradle\.lockfile|packages\.lock\.json|[^/]+\.csproj|packages\.config|mix\.lock|pubspec\.lock|Package\.resolved|Podfile\.lock|conan\.lock|[^/]+\.deps\.json)$/;

const REPORT_TYPES: ReportType[] = ['dependency_scanning', 'container_scanning'];
const FALLBACK_SCANNER: Scanner = { id: 'cyclonedx', name: 'CycloneDX', version: null, vendor: null };
const SBOM_FILE = 'sbom';

// ---------------------------------------------------------------------------------------------------------------
// One reading interface over JSON objects and XML elements

/**
 * A JSON object or an XML element, read the same way. JSON `a: [...]` is XML `<a><item/>…</a>` (`xmlKey` where the
 * wrapper is named otherwise, as `analysis.response` / `<responses>`); a JSON scalar is an XML child element's text
 * or, failing that, an attribute of that name (`bom-ref`, `type`, the extension's `source name`).
 */
interface Node {
  readonly pointer: string;
  /** The pointer of a scalar child. */
  at(key: string): string;
  /** A scalar child, NULs removed; absent or blank is null. JSON numbers are read as text. */
  text(key: string): string | null;
  field(key: string): Node | null;
  list(key: string, item: string): Node[];
  /** A list of scalars, each with its pointer; blank ones are left out. */
  texts(key: string, item: string, xmlKey?: string): [string, string][];
  /** XML only: the element's own character data. */
  own(): string | null;
  /** XML only: the child elements named `item` (JSON objects have no unnamed items). */
  items(item: string): Node[];
  /** JSON only: whether `key` holds an array (the 1.4 `tools`). */
  isArray(key: string): boolean;
  /** The `ref`s this `dependencies` entry depends on. */
  dependsOn(): string[];
}

/** A JSON scalar as given (NULs removed, not trimmed or clipped; numbers as text); absent or blank is null. */
function scalarAsGiven(value: unknown, pointer: string): string | null {
  return scalarValue(value, pointer, UNCLIPPED, false);
}

class JsonNode implements Node {
  constructor(
    private readonly raw: Json,
    readonly pointer: string,
  ) {}
  at(key: string): string {
    return at(this.pointer, key);
  }
  text(key: string): string | null {
    return scalarAsGiven(this.raw[key], this.at(key));
  }
  field(key: string): Node | null {
    const value = optionalObject(this.raw[key], this.at(key));
    return value && new JsonNode(value, this.at(key));
  }
  list(key: string): Node[] {
    return objectList(this.raw[key], this.at(key)).map(([raw, p]) => new JsonNode(raw, p));
  }
  texts(key: string): [string, string][] {
    const p = this.at(key);
    return (optionalArray(this.raw[key], p) ?? []).flatMap((value, i): [string, string][] => {
      const text = scalarAsGiven(value, at(p, i));
      return text === null ? [] : [[text, at(p, i)]];
    });
  }
  own(): string | null {
    return null;
  }
  items(): Node[] {
    return [];
  }
  isArray(key: string): boolean {
    return Array.isArray(this.raw[key]);
  }
  dependsOn(): string[] {
    return this.texts('dependsOn').map(([ref]) => ref.trim());
  }
}

/** An XML element, read with the shared element-path helpers (`<parent>/<name>[n]` only among several). */
class XmlElementNode implements Node {
  private readonly node: XmlNode;
  constructor(element: XmlElement, pointer: string) {
    this.node = xmlNode(element, pointer);
  }
  get pointer(): string {
    return this.node.pointer;
  }
  private static of(node: XmlNode): XmlElementNode {
    return new XmlElementNode(node.element, node.pointer);
  }
  at(key: string): string {
    return child(this.node, key) || attr(this.node, key) === null ? `${this.pointer}/${key}` : attrPointer(this.node, key);
  }
  text(key: string): string | null {
    return child(this.node, key) ? textOf(this.node, key) : attr(this.node, key);
  }
  field(key: string): Node | null {
    const found = child(this.node, key);
    return found && XmlElementNode.of(found);
  }
  list(key: string, item: string): Node[] {
    return this.field(key)?.items(item) ?? [];
  }
  texts(key: string, item: string, xmlKey = key): [string, string][] {
    return this.list(xmlKey, item).flatMap((node): [string, string][] => {
      const text = node.own();
      return text === null ? [] : [[text, node.pointer]];
    });
  }
  own(): string | null {
    return ownText(this.node);
  }
  items(item: string): Node[] {
    return children(this.node, item).map(XmlElementNode.of);
  }
  isArray(): boolean {
    return false;
  }
  dependsOn(): string[] {
    return this.items('dependency').flatMap((node) => node.text('ref')?.trim() ?? []);
  }
}

/** A short trimmed, clipped text (ids, names, versions, enumerations). */
function short(node: Node, key: string): string | null {
  const value = node.text(key)?.trim();
  return value ? clip(value, FIELD_LIMITS.other) : null;
}

function enumText<T extends string>(node: Node, key: string, allowed: readonly T[]): T | null {
  const value = node.text(key)?.trim();
  if (value === undefined) return null;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ReportError(node.at(key), `${JSON.stringify(value)} is not allowed; must be one of ${allowed.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Components

interface Component {
  ref: string | null;
  type: string | null;
  package: PackageRef;
  /** The package's own path property. */
  path: string | null;
  /** When this component stands for a manifest or lock file: its path. */
  manifest: string | null;
  /** The manifest component this one is nested in. */
  parentManifest: string | null;
}

interface Purl {
  type: string;
  namespace: string | null;
  name: string;
  version: string | null;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** `pkg:type/namespace/name@version?qualifiers#subpath` (percent-decoded); null when it is not a purl. */
export function parsePurl(value: string): Purl | null {
  const match = /^pkg:\/*([a-z][a-z0-9.+-]*)\/([^?#]+)/i.exec(value.trim());
  if (!match) return null;
  let rest = match[2]!.replace(/\/+$/, '');
  let version: string | null = null;
  const atSign = rest.lastIndexOf('@');
  if (atSign > rest.lastIndexOf('/')) {
    version = decode(rest.slice(atSign + 1)) || null;
    rest = rest.slice(0, atSign);
  }
  const segments = rest.split('/').map(decode);
  const name = segments.pop();
  if (!name) return null;
  return { type: match[1]!.toLowerCase(), namespace: segments.length > 0 ? segments.join('/') : null, name, version };
}

/** The ecosystem a purl names: the distribution for OS packages (`deb`/`ubuntu` → ubuntu), else its type. */
function ecosystemOf(purl: Purl): string {
  if (DISTRO_TYPES.has(purl.type)) return (purl.namespace ?? DISTRO_DEFAULT[purl.type] ?? purl.type).toLowerCase();
  return ECOSYSTEM_OF_TYPE[purl.type] ?? purl.type;
}

/** A package name as its ecosystem writes it: Maven `group:artifact`, npm `@scope/name`, Go `host/path/name`. */
function qualifiedName(group: string | null, name: string, type: string | null): string {
  if (!group || (type !== null && DISTRO_TYPES.has(type))) return name;
  return `${group}${type === 'maven' ? ':' : '/'}${name}`;
}

function packageFromPurl(value: string): PackageRef | null {
  const purl = parsePurl(value);
  if (!purl) return null;
  return {
    name: clip(qualifiedName(purl.namespace, purl.name, purl.type), FIELD_LIMITS.other),
    version: purl.version && clip(purl.version, FIELD_LIMITS.other),
    ecosystem: ecosystemOf(purl),
    purl: clip(value.trim(), FIELD_LIMITS.other),
  };
}

function repoPath(value: string): string | null {
  return normaliseRepoPath(value).replace(/^\/+/, '') || null;
}

function componentOf(node: Node, parentManifest: string | null): Component {
  const type = short(node, 'type');
  const purlText = short(node, 'purl');
  const purl = purlText === null ? null : parsePurl(purlText);
  const name = short(node, 'name') ?? purl?.name ?? short(node, 'bom-ref') ?? 'unnamed component';
  let path: string | null = null;
  let trivyApplication = false;
  for (const property of node.list('properties', 'property')) {
    const key = short(property, 'name')?.toLowerCase();
    const value = property.text('value') ?? property.own();
    if (key && PATH_PROPERTIES.has(key) && value && path === null) path = repoPath(value);
    if (key === 'aquasecurity:trivy:class' && value?.trim() === 'lang-pkgs') trivyApplication = true;
  }
  const manifestLike = type === 'file' || (type === 'application' && trivyApplication) || MANIFEST_FILE.test(name);
  return {
    ref: short(node, 'bom-ref'),
    type,
    package: {
      name: clip(qualifiedName(short(node, 'group'), name, purl?.type ?? null), FIELD_LIMITS.other),
      version: short(node, 'version') ?? purl?.version ?? null,
      ecosystem: purl ? ecosystemOf(purl) : null,
      purl: purlText,
    },
    path,
    manifest: manifestLike ? repoPath(name) : null,
    parentManifest,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Vulnerabilities

interface Affected {
  ref: string;
  fixedVersions: string[];
}

/** A vulnerability digested as it arrives, waiting for the components. */
interface Vulnerability {
  id: string | null;
  headline: string | null;
  identifiers: Identifier[];
  severity: Severity;
  description: string | null;
  recommendation: string | null;
  workaround: string | null;
  links: Finding['links'];
  cvssVectors: Finding['cvssVectors'];
  assessment: Assessment | null;
  /** `affects[]`, refs without repeats; empty for an extension vulnerability (see `component`). */
  affects: Affected[];
  /** The component an extension (1.0) vulnerability is written in. */
  component: Component | null;
}

function identifierType(id: string, source: string | null): string {
  if (isCve(id)) return 'cve';
  if (isGhsa(id)) return 'ghsa';
  const name = source?.trim().toLowerCase() ?? '';
  if (name === '') return 'cyclonedx';
  if (/^(github|ghsa)\b/.test(name)) return 'ghsa';
  if (/^osv\b/.test(name)) return 'osv';
  return clip(name.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'cyclonedx', FIELD_LIMITS.identifier);
}

function advisoryIdentifier(node: Node): Identifier | null {
  const value = node.text('id')?.trim();
  if (!value) return null;
  const source = node.field('source');
  const type = identifierType(value, source && short(source, 'name'));
  const clipped = clip(type === 'cve' || type === 'ghsa' ? value.toUpperCase() : value, FIELD_LIMITS.identifier);
  return { type, value: clipped, name: clipped, url: source && short(source, 'url') };
}

function cweIdentifiers(node: Node): Identifier[] {
  return node.texts('cwes', 'cwe').map(([value, pointer]) => {
    const match = CWE_VALUE.exec(value.trim());
    if (!match) throw new ReportError(pointer, `${JSON.stringify(value.trim())} is not a CWE number`);
    return mitreCwe(match[1]!, `CWE-${match[1]}`);
  });
}

/** The ratings: the extension writes them as `ratings/rating` (Grype) or, as its XSD says, `vulnerabilityScore/score`. */
function ratingsOf(node: Node): Node[] {
  return [...node.list('ratings', 'rating'), ...node.list('vulnerabilityScore', 'score')];
}

/** The highest `ratings[].severity`; `unknown` when no rating names one. */
function severityOf(ratings: Node[]): Severity {
  let worst: Severity = 'unknown';
  for (const rating of ratings) {
    const value = rating.text('severity')?.trim();
    if (value === undefined) continue;
    const severity = namedSeverity(value, rating.at('severity'), SEVERITY_SCALE);
    if (severityRank(severity) > severityRank(worst)) worst = severity;
  }
  return worst;
}

function cvssVectorsOf(ratings: Node[]): Finding['cvssVectors'] {
  const out: Finding['cvssVectors'] = [];
  for (const rating of ratings) {
    const vector = short(rating, 'vector');
    const method = short(rating, 'method')?.toLowerCase();
    if (vector === null || (method !== undefined && !CVSS_METHODS.has(method))) continue;
    const source = rating.field('source');
    const vendor = source && short(source, 'name');
    if (!out.some((v) => v.vector === vector && v.vendor === vendor)) out.push({ vendor, vector });
  }
  return out;
}

/** `advisories[]`: `{title, url}`, or (extension) the URL as the element's text. */
function linksOf(node: Node): Finding['links'] {
  const out: Finding['links'] = [];
  for (const advisory of node.list('advisories', 'advisory')) {
    const url = advisory.text('url')?.trim() ?? advisory.own()?.trim();
    if (url && !out.some((link) => link.url === url)) out.push({ name: short(advisory, 'title'), url: clip(url, FIELD_LIMITS.other) });
  }
  return out;
}

/** The VEX statement (`analysis`) → assessment; `in_triage` or no analysis is none. */
function assessmentOf(vulnerability: Node): Assessment | null {
  const analysis = vulnerability.field('analysis');
  if (!analysis) return null;
  const state: AnalysisState | null = enumText(analysis, 'state', ANALYSIS_STATES);
  const justification = enumText(analysis, 'justification', JUSTIFICATIONS);
  if (state === null || state === 'in_triage') return null;
  const responses = analysis.texts('response', 'response', 'responses').map(([value]) => value.trim());
  const comment = [
    state === 'not_affected' ? justification : null,
    analysis.text('detail')?.trim(),
    responses.length > 0 ? `Response: ${responses.join(', ')}` : null,
  ].filter((part): part is string => !!part);
  const assessment = (state: Assessment['state'], reason: Assessment['reason']): Assessment => ({
    state,
    reason,
    comment: comment.length > 0 ? clip(comment.join('\n'), FIELD_LIMITS.other) : null,
  });
  switch (state) {
    case 'not_affected':
      return assessment('dismissed', justification?.startsWith('protected_') ? 'mitigating_control' : 'not_applicable');
    case 'false_positive':
      return assessment('dismissed', 'false_positive');
    case 'resolved':
    case 'resolved_with_pedigree':
      return assessment('resolved', null);
    case 'exploitable':
      return assessment('confirmed', null);
  }
}

/** A fixed version from an `unaffected` entry: its `version`, or the bound of a one-constraint `>=` range. */
function fixedVersionOf(version: Node): string | null {
  const exact = short(version, 'version');
  if (exact !== null) return exact;
  const range = short(version, 'range');
  const bound = range === null ? null : /^vers:[^/]+\/\s*>=\s*([^|<>=!\s]+)\s*$/.exec(range);
  return bound ? decode(bound[1]!) : null;
}

function affectsOf(node: Node): Affected[] {
  const out: Affected[] = [];
  for (const target of node.list('affects', 'target')) {
    const ref = short(target, 'ref');
    if (ref === null) throw new ReportError(target.at('ref'), 'is required');
    const fixedVersions: string[] = [];
    for (const version of target.list('versions', 'version')) {
      if ((enumText(version, 'status', AFFECTED_STATUSES) ?? 'affected') !== 'unaffected') continue;
      const fixed = fixedVersionOf(version);
      if (fixed !== null && !fixedVersions.includes(fixed)) fixedVersions.push(fixed);
    }
    const seen = out.find((a) => a.ref === ref);
    if (seen) seen.fixedVersions.push(...fixedVersions.filter((v) => !seen.fixedVersions.includes(v)));
    else out.push({ ref, fixedVersions });
  }
  return out;
}

function vulnerabilityOf(node: Node, component: Component | null): Vulnerability {
  const references = node.list('references', 'reference');
  const identifiers: Identifier[] = [];
  for (const identifier of [advisoryIdentifier(node), ...references.map(advisoryIdentifier), ...cweIdentifiers(node)]) {
    if (identifier && !identifiers.some((i) => i.type === identifier.type && i.value === identifier.value)) identifiers.push(identifier);
  }
  if (!identifiers.some((i) => i.type !== 'cwe')) throw new ReportError(node.at('id'), 'is required (or a references[].id): nothing else identifies the vulnerability');
  const description = node.text('description');
  const detail = node.text('detail');
  const recommendations = node.texts('recommendations', 'recommendation').map(([text]) => text);
  const ratings = ratingsOf(node);
  return {
    id: short(node, 'id'),
    headline: description && untrimmedHeadline(description),
    identifiers,
    severity: severityOf(ratings),
    description: joined([description, detail], FIELD_LIMITS.description),
    recommendation: node.text('recommendation') ?? joined(recommendations, FIELD_LIMITS.solution),
    workaround: node.text('workaround'),
    links: linksOf(node),
    cvssVectors: cvssVectorsOf(ratings),
    assessment: assessmentOf(node),
    affects: affectsOf(node),
    component,
  };
}

/** Texts without repeats, one paragraph each; null when there are none. */
function joined(texts: (string | null | undefined)[], max: number): string | null {
  const parts = texts.map((t) => t?.trim()).filter((t, i, all): t is string => !!t && all.indexOf(t) === i);
  return parts.length > 0 ? clip(parts.join('\n\n'), max) : null;
}

/**
 * The first sentence of the first paragraph, on one line. Not finding-parts.ts's `headline`: the squeezed paragraph
 * is not trimmed again, so one whose first line ends in blanks keeps a trailing space (as CycloneDX titles always
 * have been).
 */
function untrimmedHeadline(text: string): string {
  const paragraph = text.trim().split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ');
  return /^.+?[.!?](?=\s+[A-Z])/.exec(paragraph)?.[0] ?? paragraph;
}

// ---------------------------------------------------------------------------------------------------------------
// Header: metadata and tools

/** A tool: 1.4 `{vendor, name, version}`, a 1.5+ component (`group`, `publisher`, …) or service (`provider`). */
function toolScanner(tool: Node): Scanner | null {
  const name = short(tool, 'name');
  if (name === null) return null;
  const provider = tool.field('provider') ?? tool.field('manufacturer') ?? tool.field('supplier');
  return {
    id: clip(name.toLowerCase().replace(/\s+/g, '_'), FIELD_LIMITS.other),
    name,
    version: short(tool, 'version'),
    vendor: short(tool, 'vendor') ?? short(tool, 'group') ?? short(tool, 'publisher') ?? (provider && short(provider, 'name')),
  };
}

function scannerOf(metadata: Node | null): Scanner {
  // 1.4: an array of tools (XML `<tools><tool>`); 1.5+: `{components, services}`.
  const tools = metadata && !metadata.isArray('tools') ? metadata.field('tools') : null;
  const candidates = tools
    ? [...tools.items('tool'), ...tools.list('components', 'component'), ...tools.list('services', 'service')]
    : (metadata?.list('tools', 'tool') ?? []);
  for (const tool of candidates) {
    const scanner = toolScanner(tool);
    if (scanner) return scanner;
  }
  return FALLBACK_SCANNER;
}

/** `name:version`, `name@version` for a digest; a name that already carries a tag gets no second one. */
function imageOf(component: Component): string {
  const { name, version } = component.package;
  if (!version || name.includes('@')) return name;
  if (/^sha\d+:/.test(version)) return `${name}@${version}`;
  return name.lastIndexOf(':') > name.lastIndexOf('/') ? name : `${name}:${version}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The reader

/** Everything a document says besides its vulnerabilities, gathered as it streams by. */
class Bom {
  formatVersion: string | null = null;
  metadata: Node | null = null;
  subject: Component | null = null;
  readonly components: Component[] = [];
  readonly byRef = new Map<string, Component>();
  /** By purl too: some producers point `affects[].ref` at the purl of a component whose bom-ref is a UUID. */
  readonly byPurl = new Map<string, Component>();
  readonly dependencies = new Map<string, string[]>();
  readonly vulnerabilities: Vulnerability[] = [];

  /** A component and the ones nested in it; extension vulnerabilities written in them are taken too. */
  addComponent(node: Node, parentManifest: string | null, subject = false): Component {
    const component = componentOf(node, parentManifest);
    if (subject) this.subject = component;
    else this.components.push(component);
    if (component.ref !== null && !this.byRef.has(component.ref)) this.byRef.set(component.ref, component);
    if (component.package.purl && !this.byPurl.has(component.package.purl)) this.byPurl.set(component.package.purl, component);
    for (const vulnerability of node.list('vulnerabilities', 'vulnerability')) {
      this.vulnerabilities.push(vulnerabilityOf(vulnerability, component));
    }
    for (const child of node.list('components', 'component')) this.addComponent(child, component.manifest ?? parentManifest);
    return component;
  }

  addMetadata(node: Node): void {
    this.metadata = node;
    const subject = node.field('component');
    if (subject) this.addComponent(subject, null, true);
  }

  /** The manifest each component is reached from: nested in one, or listed under one in `dependencies`. */
  manifests(): Map<string, string> {
    const out = new Map<string, string>();
    const queue: [string, string][] = [];
    for (const component of [this.subject, ...this.components]) {
      if (component?.ref && component.manifest !== null) queue.push([component.ref, component.manifest]);
    }
    for (let i = 0; i < queue.length; i++) {
      const [ref, manifest] = queue[i]!;
      for (const next of this.dependencies.get(ref) ?? []) {
        if (out.has(next)) continue;
        out.set(next, manifest);
        queue.push([next, this.byRef.get(next)?.manifest ?? manifest]);
      }
    }
    return out;
  }

  /** `affects[].ref` → the component, a package read from a purl ref, or a pseudo package named by the ref. */
  resolve(ref: string): Component {
    const local = this.byRef.get(ref);
    if (local) return local;
    const fragment = /^urn:cdx:[^#]*#(.+)$/i.exec(ref)?.[1];
    const target = fragment === undefined ? ref : decode(fragment);
    const linked = this.byRef.get(target) ?? this.byPurl.get(target);
    if (linked) return linked;
    const pkg = packageFromPurl(target) ?? { name: clip(target, FIELD_LIMITS.other), version: null, ecosystem: null, purl: null };
    return { ref, type: null, package: pkg, path: null, manifest: null, parentManifest: null };
  }

  finish(): ReadResult {
    const reportType: ReportType = this.subject?.type === 'container' ? 'container_scanning' : 'dependency_scanning';
    const scanner = scannerOf(this.metadata);
    const image = reportType === 'container_scanning' && this.subject ? clip(imageOf(this.subject), FIELD_LIMITS.other) : null;
    const os = this.components.find((c) => c.type === 'operating-system');
    const operatingSystem = image && os ? [os.package.name, os.package.version].filter(Boolean).join(' ') : null;
    const manifests = this.manifests();
    const fileOf = (component: Component | null): string | null =>
      (component && (component.path ?? component.parentManifest ?? manifests.get(component.ref ?? ''))) ??
      this.subject?.manifest ??
      (reportType === 'dependency_scanning' ? SBOM_FILE : null);

    const findings: Finding[] = [];
    for (const vulnerability of this.vulnerabilities) {
      const targets: [Component | null, string[]][] = vulnerability.component
        ? [[vulnerability.component, []]]
        : vulnerability.affects.length > 0
          ? vulnerability.affects.map((a): [Component, string[]] => [this.resolve(a.ref), a.fixedVersions])
          : [[this.subject, []]];
      for (const [component, fixedVersions] of targets) {
        const location: Location = { ...emptyLocation(), file: fileOf(component), image, operatingSystem };
        location.package = component && { ...component.package, fixedVersions };
        findings.push(findingOf(vulnerability, location, reportType, scanner));
      }
    }
    return { formatVersion: this.formatVersion, scanners: [scanner], reportTypes: [reportType], findings };
  }
}

function findingOf(vulnerability: Vulnerability, location: Location, reportType: ReportType, scanner: Scanner): Finding {
  const pkg = location.package;
  const name = vulnerability.id ?? vulnerability.headline ?? vulnerability.identifiers[0]!.value;
  const fixed = pkg?.fixedVersions?.length ? `Upgrade ${pkg.name} to ${pkg.fixedVersions.join(', ')}.` : null;
  return {
    title: clip(vulnerability.id && pkg ? `${name} in ${pkg.name}` : name, FIELD_LIMITS.title),
    description: vulnerability.description,
    severity: vulnerability.severity,
    confidence: null,
    reportType,
    scanner,
    identifiers: vulnerability.identifiers,
    location,
    solution: joined(
      [vulnerability.recommendation ?? fixed, vulnerability.workaround && `Workaround: ${vulnerability.workaround.trim()}`],
      FIELD_LIMITS.solution,
    ),
    links: vulnerability.links,
    cvssVectors: vulnerability.cvssVectors,
    // A vulnerability's bom-ref is usually a fresh UUID per generated BOM: no stable id to track by.
    tracking: [],
    snippet: null,
    suppression: null,
    baselineState: null,
    assessment: vulnerability.assessment,
    relatedLocations: [],
  };
}

/** CycloneDX JSON (1.4–1.6, `bomFormat: "CycloneDX"`) with `vulnerabilities`, including VEX documents. */
export const cyclonedxJsonFormat: ReportFormat = {
  id: 'cyclonedx-json',
  name: 'CycloneDX JSON',
  container: 'json',
  detection: 'a JSON object with "bomFormat": "CycloneDX" (a BOM or VEX document; findings from "vulnerabilities")',
  reportTypes: REPORT_TYPES,
  detect(opening) {
    if (opening.container !== 'json' || opening.rootKind !== 'object') return false;
    const bomFormat = opening.values.bomFormat;
    return typeof bomFormat === 'string' && bomFormat.trim().toLowerCase() === 'cyclonedx';
  },
  reader(): ReportReader {
    const bom = new Bom();
    return {
      elementPaths: ['$.vulnerabilities.*'],
      headerPaths: ['$.specVersion', '$.metadata', '$.components.*', '$.dependencies.*'],
      take(keys, value, pointer) {
        const [top] = keys;
        if (top === 'specVersion') {
          const version = scalarAsGiven(value, pointer);
          bom.formatVersion = version && clip(version.trim(), FIELD_LIMITS.other);
          return;
        }
        if (top === 'metadata') {
          const metadata = optionalObject(value, pointer);
          if (metadata) bom.addMetadata(new JsonNode(metadata, pointer));
          return;
        }
        arrayIndex(keys[1], `/${String(top)}`);
        if (!isObject(value)) throw new ReportError(pointer, 'must be an object');
        const node = new JsonNode(value, pointer);
        if (top === 'vulnerabilities') bom.vulnerabilities.push(vulnerabilityOf(node, null));
        else if (top === 'components') bom.addComponent(node, null);
        else if (top === 'dependencies') dependencyOf(bom, node);
      },
      finish: () => bom.finish(),
    };
  },
};

function dependencyOf(bom: Bom, node: Node): void {
  const ref = short(node, 'ref');
  if (ref !== null) bom.dependencies.set(ref, [...(bom.dependencies.get(ref) ?? []), ...node.dependsOn()]);
}

/**
 * CycloneDX XML (`<bom xmlns="http://cyclonedx.org/schema/bom/1.x">`): `<vulnerabilities>` (1.4+), or the
 * vulnerability extension 1.0 inside `<component>` (1.0–1.3). Extension vulnerabilities arrive inside their
 * component, a header value, so the driver does not count them against the finding limit.
 */
export const cyclonedxXmlFormat: ReportFormat = {
  id: 'cyclonedx-xml',
  name: 'CycloneDX XML',
  container: 'xml',
  detection: 'an XML document whose root is <bom> in the namespace http://cyclonedx.org/schema/bom/1.x',
  reportTypes: REPORT_TYPES,
  detect(opening) {
    return opening.container === 'xml' && opening.root === 'bom' && NAMESPACE.test(opening.namespace);
  },
  reader(): ReportReader {
    const bom = new Bom();
    return {
      elementPaths: ['bom/vulnerabilities/vulnerability'],
      headerPaths: ['bom/metadata', 'bom/components/component', 'bom/dependencies/dependency'],
      take(keys, value, pointer, ancestors) {
        const root = ancestors?.[0];
        if (bom.formatVersion === null && root) {
          bom.formatVersion = Object.values(root.attributes).map((v) => NAMESPACE.exec(v)?.[1]).find(Boolean) ?? null;
        }
        const node = new XmlElementNode(value as XmlElement, pointer);
        const path = keys.join('/');
        if (path === 'bom/vulnerabilities/vulnerability') bom.vulnerabilities.push(vulnerabilityOf(node, null));
        else if (path === 'bom/components/component') bom.addComponent(node, null);
        else if (path === 'bom/dependencies/dependency') dependencyOf(bom, node);
        else if (path === 'bom/metadata') bom.addMetadata(node);
      },
      finish: () => bom.finish(),
    };
  },
};
