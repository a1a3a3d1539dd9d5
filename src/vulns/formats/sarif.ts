import {
  emptyLocation,
  type Finding,
  type Identifier,
  type Location,
  type ReportType,
  type Scanner,
  type Severity,
  type Suppression,
  type TrackingSignature,
} from '../model.js';
import { normaliseRepoPath, relativeTo } from '../paths.js';
import type { ReportFormat } from './format.js';
import { isCve, isGhsa } from './advisory.js';
import { headline, mitreCwe, uniqueIdentifiers } from './finding-parts.js';
import { FIELD_LIMITS, clip } from './limits.js';
import {
  at,
  isObject,
  lineNumber,
  object,
  objectList,
  optionalArray,
  optionalObject,
  prose,
  requiredObject,
  text,
  UNCLIPPED,
  withoutNul,
  type Json,
} from './json-read.js';
import { ReportError } from './report-error.js';

/**
 * SARIF 2.1.0 (OASIS), read the way GitHub code scanning reads it. The driver hands over each run's `tool`,
 * `originalUriBaseIds` and `automationDetails` (→ `sarifRun`), then each element of that run's `results`
 * (→ `sarifResult`). Field names and enumerations follow `sarif-schema-2.1.0.json`.
 *
 * Policy:
 * - A value of the wrong JSON type at a field Vigil reads is a ReportError at its pointer; so is a value outside
 *   an enumeration Vigil acts on (`level`, `kind`, `suppressions[].kind/status`). An absent, `null` or blank
 *   optional value is null. Long strings are clipped, never rejected; NULs are removed from every string.
 *   `baselineState` is display-only: any string is kept as given.
 * - `kind`: `fail` (the default), `review` and `open` are findings; `pass`, `notApplicable` and `informational`
 *   say "no problem here" and give null. As the spec says (§3.27.10), a result whose kind is not `fail` has the
 *   level `none` unless it names one.
 * - Severity: the rule's `properties["security-severity"]` (GitHub's bands: ≥ 9.0 critical, ≥ 7.0 high,
 *   ≥ 4.0 medium, ≥ 0.1 low; 0, out of range or not a number means "none given"), else the level
 *   (`result.level` → rule `defaultConfiguration.level` → `warning`): error high, warning medium, note low,
 *   none info.
 * - Rule: by `ruleId`/`rule.id` (a hierarchical `a/b` falls back to `a`), else by `ruleIndex`/`rule.index`, in
 *   the tool component `rule.toolComponent` names, else the driver (and, by id, the extensions). A result with
 *   no rule id at all is rejected — except that Gitleaks 7 writes none and starts its message with the rule id
 *   (`"AWS Access Key secret detected"`), so a message that starts with one of the run's rule ids (longest wins)
 *   names that rule.
 * - Text: title = the first sentence of rule `shortDescription` → rule `name` → message → rule id; description =
 *   message (`{n}` arguments filled in) + rule `fullDescription`; solution = rule `help` (text, else markdown).
 * - Paths: repo-relative via `originalUriBaseIds` (see `filePath`). `artifactLocation.index` is not followed.
 *   The snippet is `region.snippet`, else the region's lines cut out of `contextRegion.snippet`.
 * - Identifiers: `{type: 'rule', value: ruleId}` first, then CVE/GHSA ids (rule id, tags), then CWE ids (tags
 *   `external/cwe/cwe-079`, `CWE-79`, `cwe-89: …`).
 * - Tracking: every `fingerprints` entry (priority 5) and `partialFingerprints` entry (priority 4) except
 *   placeholders (`PLACEHOLDER_FINGERPRINT`: Semgrep OSS writes "requires login"; blank values) and the keys in
 *   `NOT_AN_IDENTITY`, which do not identify a result on their own: GitHub's column offset, ShiftLeft scan's
 *   whole-file hash, and the commit metadata Gitleaks 8 writes there (its `commitSha` becomes the location's
 *   commit).
 */


const LEVELS = ['none', 'note', 'warning', 'error'] as const;
type Level = (typeof LEVELS)[number];
const LEVEL_SEVERITY: Record<Level, Severity> = { error: 'high', warning: 'medium', note: 'low', none: 'info' };

const KINDS = ['notApplicable', 'pass', 'fail', 'review', 'open', 'informational'] as const;
/** Kinds that say the rule found nothing to act on. */
const NOT_A_PROBLEM = new Set<string>(['pass', 'notApplicable', 'informational']);

const SUPPRESSION_KINDS = ['inSource', 'external'] as const;
const SUPPRESSION_STATUSES = ['accepted', 'underReview', 'rejected'] as const;

const FINGERPRINT_PRIORITY = 5;
const PARTIAL_FINGERPRINT_PRIORITY = 4;
/** Fingerprint values that are no identity at all. */
const PLACEHOLDER_FINGERPRINT = /^(requires[ _-]?login|n\/a|none|null|undefined)$/i;
/** `partialFingerprints` keys (lower-cased) that are metadata or too coarse to identify a result. */
const NOT_AN_IDENTITY = new Set([
  'primarylocationstartcolumnfingerprint',
  'scanfilehash',
  'commitsha',
  'author',
  'email',
  'date',
  'commitmessage',
]);

/** Tools whose every result is a secret (scanner ids with everything but letters and digits removed). */
const SECRET_SCANNERS =
  /^(gitleaks|betterleaks|trufflehog\d*|detectsecrets|ggshield|gitguardian|secretlint|noseyparker|gitsecrets|talisman|whispers|kingfisher)$/;
const SECRET_TAGS = new Set(['secret', 'secrets']);

const CWE_TAG = /^(?:external\/cwe\/)?cwe[-_ ]?0*(\d+)(?![\d])/i;
const COMMIT_SHA = /^[0-9a-f]{7,64}$/i;

/** Related locations kept per result; beyond this they are noise and bulk. */
const MAX_RELATED_LOCATIONS = 100;
/** How deep `originalUriBaseIds` entries may refer to one another. */
const MAX_BASE_DEPTH = 16;

/** A rule (`reportingDescriptor`), digested once per run. */
export interface SarifRule {
  id: string;
  name: string | null;
  shortDescription: string | null;
  fullDescription: string | null;
  /** `help.text`, else `help.markdown`. */
  help: string | null;
  helpUri: string | null;
  /** `defaultConfiguration.level`. */
  level: Level | null;
  /** From `properties["security-severity"]`; null when absent or not a usable score. */
  securitySeverity: Severity | null;
  precision: string | null;
  /** CVE/GHSA then CWE identifiers taken from the rule's tags. */
  identifiers: Identifier[];
  /** Tagged `secret`/`secrets`. */
  secret: boolean;
  /** `messageStrings` by id, for results whose message is given by `id`. */
  messageStrings: ReadonlyMap<string, string>;
}

/** The driver or one of `tool.extensions`, with its rules. */
export interface SarifComponent {
  name: string | null;
  guid: string | null;
  rules: readonly SarifRule[];
  byId: ReadonlyMap<string, SarifRule>;
}

interface UriBase {
  uri: string | null;
  uriBaseId: string | null;
}

export interface SarifRunContext {
  /** e.g. `/runs/0`. */
  pointer: string;
  scanner: Scanner;
  /** `secret_detection` for secret scanners, else `sast`; a rule tagged as a secret makes its results secrets. */
  reportType: ReportType;
  /** `components[0]` is the driver, `components[1 + i]` is `tool.extensions[i]`. */
  components: readonly SarifComponent[];
  /** `originalUriBaseIds`, as given (each base may refer to another). */
  uriBases: ReadonlyMap<string, UriBase>;
  /** The absolute bases (checkout roots), longest first: an absolute result URI under one is made relative. */
  roots: readonly string[];
  /**
   * `automationDetails.id` as given, and its category (GitHub: everything before the last `/`; an id without `/`
   * is all category).
   */
  automationId: string | null;
  category: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Exported API

export function sarifRun(
  parts: { tool: unknown; originalUriBaseIds: unknown; automationDetails: unknown },
  pointer: string,
): SarifRunContext {
  const toolPointer = at(pointer, 'tool');
  const tool = requiredObject(parts.tool, toolPointer);
  const driverPointer = at(toolPointer, 'driver');
  const driver = requiredObject(tool.driver, driverPointer);
  const name = prose(driver, 'name', driverPointer, UNCLIPPED);
  if (name === null) throw new ReportError(at(driverPointer, 'name'), 'is required');
  const scanner: Scanner = {
    id: clip(name.trim().toLowerCase().replace(/\s+/g, '_'), FIELD_LIMITS.other),
    name: clip(name.trim(), FIELD_LIMITS.other),
    version: text(driver, 'semanticVersion', driverPointer) ?? text(driver, 'version', driverPointer),
    vendor: text(driver, 'organization', driverPointer),
  };

  const components = [componentOf(driver, driverPointer)];
  const extensionsPointer = at(toolPointer, 'extensions');
  for (const [extension, p] of objectList(tool.extensions, extensionsPointer)) components.push(componentOf(extension, p));

  const uriBases = uriBasesOf(parts.originalUriBaseIds, at(pointer, 'originalUriBaseIds'));
  const roots = [...uriBases.values()]
    .flatMap((base) => (base.uri !== null && isAbsoluteUri(base.uri) ? [base.uri] : []))
    .sort((a, b) => b.length - a.length);

  const automationPointer = at(pointer, 'automationDetails');
  const automation = optionalObject(parts.automationDetails, automationPointer);
  const automationId = automation && text(automation, 'id', automationPointer);
  const slash = automationId?.lastIndexOf('/') ?? -1;
  const category = automationId === null || slash < 0 ? automationId : automationId.slice(0, slash) || null;

  return {
    pointer,
    scanner,
    reportType: SECRET_SCANNERS.test(scanner.id.replace(/[^a-z0-9]/g, '')) ? 'secret_detection' : 'sast',
    components,
    uriBases,
    roots,
    automationId,
    category,
  };
}

export function sarifResult(raw: unknown, pointer: string, run: SarifRunContext): Finding | null {
  const result = object(raw, pointer);
  const kind = enumValue(result, 'kind', pointer, KINDS) ?? 'fail';
  const explicitLevel = enumValue(result, 'level', pointer, LEVELS);
  if (NOT_A_PROBLEM.has(kind)) return null;

  const messagePointer = at(pointer, 'message');
  const message = optionalObject(result.message, messagePointer);
  const { rule, ruleId } = ruleOf(result, pointer, run, message && prose(message, 'text', messagePointer, UNCLIPPED));
  const messageText = message && messageOf(message, messagePointer, rule);

  const level: Level = explicitLevel ?? (kind === 'fail' ? (rule?.level ?? 'warning') : 'none');
  const severity = rule?.securitySeverity ?? LEVEL_SEVERITY[level];

  const titleSource = [rule?.shortDescription, rule?.name, messageText, ruleId].find((t) => t && headline(t) !== '');
  const description = unique([messageText?.trim(), rule?.fullDescription?.trim()]).join('\n\n');

  const locationsPointer = at(pointer, 'locations');
  const locations = optionalArray(result.locations, locationsPointer);
  const first = locations && locations.length > 0 ? locationOf(locations[0], at(locationsPointer, 0), run) : null;
  const location = first?.location ?? emptyLocation();
  const reportType = rule?.secret ? 'secret_detection' : run.reportType;
  if (reportType === 'secret_detection') location.commitSha = commitOf(result, pointer);

  return {
    title: clip(headline(titleSource!), FIELD_LIMITS.title),
    description: description === '' ? null : clip(description, FIELD_LIMITS.description),
    severity,
    confidence: rule?.precision ?? null,
    reportType,
    scanner: run.scanner,
    identifiers: identifiersOf(ruleId, rule),
    location,
    solution: rule?.help ? clip(rule.help, FIELD_LIMITS.solution) : null,
    links: rule?.helpUri ? [{ name: null, url: rule.helpUri }] : [],
    cvssVectors: [],
    tracking: [
      ...trackingOf(result.fingerprints, at(pointer, 'fingerprints'), 'sarif-fingerprint', FINGERPRINT_PRIORITY),
      ...trackingOf(result.partialFingerprints, at(pointer, 'partialFingerprints'), 'sarif-partial', PARTIAL_FINGERPRINT_PRIORITY),
    ],
    snippet: first?.snippet ?? null,
    suppression: suppressionOf(result.suppressions, at(pointer, 'suppressions')),
    baselineState: text(result, 'baselineState', pointer),
    relatedLocations: relatedLocationsOf(result.relatedLocations, at(pointer, 'relatedLocations'), run),
  };
}

/** The result keys `sarifResult` reads; everything else (codeFlows, stacks, graphs, fixes, …) is dropped. */
const RESULT_KEYS = new Set([
  'ruleId',
  'ruleIndex',
  'rule',
  'kind',
  'level',
  'message',
  'locations',
  'relatedLocations',
  'fingerprints',
  'partialFingerprints',
  'suppressions',
  'baselineState',
  'properties',
]);
const LOCATION_KEYS = new Set(['physicalLocation', 'logicalLocations']);
const PHYSICAL_LOCATION_KEYS = new Set(['artifactLocation', 'region', 'contextRegion']);

export function slimSarifResult(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  keepOnly(raw, RESULT_KEYS);
  if (Array.isArray(raw.locations)) raw.locations = raw.locations.slice(0, 1).map(slimLocation);
  if (Array.isArray(raw.relatedLocations)) {
    raw.relatedLocations = raw.relatedLocations.slice(0, MAX_RELATED_LOCATIONS).map(slimLocation);
  }
  if (Array.isArray(raw.suppressions)) raw.suppressions = raw.suppressions.slice(0, 1);
  if (isObject(raw.properties)) raw.properties = 'commit' in raw.properties ? { commit: raw.properties.commit } : {};
  return raw;
}

/**
 * `version: "2.1.0"` with runs, or with a SARIF `$schema` (a log with no runs); without `version`, a `$schema` that
 * names SARIF 2.1.0. Any other `version` is not SARIF 2.1.0 (GitLab reports have versions too, never with runs).
 */
export function looksLikeSarif(values: { version: unknown; schema: unknown; hasRuns: boolean }): boolean {
  const schema = typeof values.schema === 'string' ? values.schema : '';
  const sarifSchema = /sarif/i.test(schema);
  if (typeof values.version === 'string') return values.version.trim() === '2.1.0' && (values.hasRuns || sarifSchema);
  return values.version == null && sarifSchema && /2\.1\.0/.test(schema);
}

// ---------------------------------------------------------------------------------------------------------------
// Run: tool components and rules, URI bases

function componentOf(raw: Json, pointer: string): SarifComponent {
  const rules = objectList(raw.rules, at(pointer, 'rules')).map(([rule, p]) => ruleDescriptor(rule, p));
  const byId = new Map<string, SarifRule>();
  for (const rule of rules) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  return { name: text(raw, 'name', pointer), guid: text(raw, 'guid', pointer), rules, byId };
}

function ruleDescriptor(raw: Json, pointer: string): SarifRule {
  const id = text(raw, 'id', pointer);
  if (id === null) throw new ReportError(at(pointer, 'id'), 'is required');
  const propertiesPointer = at(pointer, 'properties');
  const properties = optionalObject(raw.properties, propertiesPointer) ?? {};
  const tags = stringList(properties.tags, at(propertiesPointer, 'tags')).map((tag) => tag.trim());
  const configurationPointer = at(pointer, 'defaultConfiguration');
  const configuration = optionalObject(raw.defaultConfiguration, configurationPointer);
  const help = multiformat(raw, 'help', pointer);

  const messageStrings = new Map<string, string>();
  const stringsPointer = at(pointer, 'messageStrings');
  for (const [key, value] of Object.entries(optionalObject(raw.messageStrings, stringsPointer) ?? {})) {
    const text = multiformat({ [key]: value }, key, stringsPointer);
    if (text !== null) messageStrings.set(key, text);
  }

  return {
    id,
    name: text(raw, 'name', pointer),
    shortDescription: multiformat(raw, 'shortDescription', pointer),
    fullDescription: multiformat(raw, 'fullDescription', pointer),
    help,
    helpUri: text(raw, 'helpUri', pointer),
    level: configuration && enumValue(configuration, 'level', configurationPointer, LEVELS),
    securitySeverity: securitySeverity(properties['security-severity'], at(propertiesPointer, 'security-severity')),
    precision: text(properties, 'precision', propertiesPointer),
    identifiers: tagIdentifiers([id, ...tags]),
    secret: tags.some((tag) => SECRET_TAGS.has(tag.toLowerCase())),
    messageStrings,
  };
}

/** GitHub's bands over a CVSS-like score in (0, 10]; anything else is no security severity. */
function securitySeverity(value: unknown, pointer: string): Severity | null {
  if (value == null) return null;
  if (typeof value !== 'string' && typeof value !== 'number') throw new ReportError(pointer, 'must be a string or a number');
  const score = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value.trim());
  if (!Number.isFinite(score) || score < 0.1 || score > 10) return null;
  return score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
}

/** CVE and GHSA ids among the rule id and tags, then CWE ids among the tags; without repeats. */
function tagIdentifiers(values: string[]): Identifier[] {
  const advisories: Identifier[] = [];
  const cwes: Identifier[] = [];
  for (const value of values) {
    if (isCve(value) || isGhsa(value)) {
      const id = value.toUpperCase();
      advisories.push({ type: id.startsWith('CVE') ? 'cve' : 'ghsa', value: id, name: null, url: null });
    }
    const cwe = CWE_TAG.exec(value);
    if (cwe) cwes.push(mitreCwe(cwe[1]!));
  }
  return uniqueIdentifiers([...advisories, ...cwes]);
}

function uriBasesOf(value: unknown, pointer: string): Map<string, UriBase> {
  const bases = new Map<string, UriBase>();
  for (const [key, entry] of Object.entries(optionalObject(value, pointer) ?? {})) {
    const p = at(pointer, key);
    const base = object(entry, p);
    bases.set(key, { uri: prose(base, 'uri', p, UNCLIPPED), uriBaseId: prose(base, 'uriBaseId', p, UNCLIPPED) });
  }
  return bases;
}

// ---------------------------------------------------------------------------------------------------------------
// Result parts

function ruleOf(
  result: Json,
  pointer: string,
  run: SarifRunContext,
  messageText: string | null,
): { rule: SarifRule | null; ruleId: string } {
  const refPointer = at(pointer, 'rule');
  const ref = optionalObject(result.rule, refPointer);
  let ruleId = text(result, 'ruleId', pointer) ?? (ref && text(ref, 'id', refPointer));
  const [index, indexPointer] =
    result.ruleIndex != null
      ? [ruleIndex(result.ruleIndex, at(pointer, 'ruleIndex')), at(pointer, 'ruleIndex')]
      : [ref && ruleIndex(ref.index, at(refPointer, 'index')), at(refPointer, 'index')];
  const explicit = ref?.toolComponent == null ? null : componentRef(ref.toolComponent, at(refPointer, 'toolComponent'), run);
  const home = explicit ?? run.components[0]!;

  let rule: SarifRule | null = null;
  if (ruleId !== null) {
    rule = findRule(home, ruleId);
    if (rule === null && explicit === null) {
      for (const component of run.components.slice(1)) rule ??= findRule(component, ruleId);
    }
  }
  if (rule === null && index !== null) {
    rule = home.rules[index] ?? null;
    if (rule === null) {
      throw new ReportError(indexPointer, `no rule at index ${index} (the tool component has ${home.rules.length} rules)`);
    }
  }
  if (ruleId === null && rule === null && messageText !== null) rule = ruleNamedByMessage(messageText, run);
  ruleId ??= rule?.id ?? null;
  if (ruleId === null) throw new ReportError(at(pointer, 'ruleId'), 'a result needs a rule id');
  return { rule, ruleId };
}

/** The exact id, else its hierarchical parents (`a/b/c` → `a/b` → `a`). */
function findRule(component: SarifComponent, ruleId: string): SarifRule | null {
  for (let id = ruleId; ; id = id.slice(0, id.lastIndexOf('/'))) {
    const rule = component.byId.get(id);
    if (rule) return rule;
    if (!id.includes('/')) return null;
  }
}

/** Gitleaks 7: no rule id, a message `"<rule id> secret detected"`. The longest rule id that starts the message. */
function ruleNamedByMessage(text: string, run: SarifRunContext): SarifRule | null {
  let best: SarifRule | null = null;
  for (const component of run.components) {
    for (const rule of component.rules) {
      const named = text === rule.id || text.startsWith(`${rule.id} `);
      if (named && (best === null || rule.id.length > best.id.length)) best = rule;
    }
  }
  return best;
}

function ruleIndex(value: unknown, pointer: string): number | null {
  if (value == null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -1) {
    throw new ReportError(pointer, 'must be an integer of -1 or more');
  }
  return value === -1 ? null : value;
}

/** `rule.toolComponent`: by `index` into `tool.extensions`, else by `guid` or `name` (driver included). */
function componentRef(value: unknown, pointer: string, run: SarifRunContext): SarifComponent {
  const ref = object(value, pointer);
  const index = ruleIndex(ref.index, at(pointer, 'index'));
  if (index !== null) {
    const component = run.components[index + 1];
    if (!component) throw new ReportError(at(pointer, 'index'), `no tool extension at index ${index}`);
    return component;
  }
  const guid = text(ref, 'guid', pointer);
  const name = text(ref, 'name', pointer);
  const component = run.components.find((c) =>
    guid !== null ? c.guid?.toLowerCase() === guid.toLowerCase() : name !== null && c.name === name,
  );
  if (!component) throw new ReportError(pointer, 'names no tool component of this run');
  return component;
}

/** `message.text` (else `markdown`, else the rule's `messageStrings[id]`) with `{n}` replaced by `arguments[n]`. */
function messageOf(message: Json, pointer: string, rule: SarifRule | null): string | null {
  const id = text(message, 'id', pointer);
  const template =
    prose(message, 'text', pointer, UNCLIPPED) ??
    prose(message, 'markdown', pointer, UNCLIPPED) ??
    (id === null ? null : (rule?.messageStrings.get(id) ?? null));
  const args = stringList(message.arguments, at(pointer, 'arguments'));
  if (template === null) return null;
  if (args.length === 0 && !template.includes('{')) return template;
  return template.replace(/\{\{|\}\}|\{(\d+)\}/g, (match, n: string | undefined) =>
    n === undefined ? match[0]! : (args[Number(n)] ?? match),
  );
}

function identifiersOf(ruleId: string, rule: SarifRule | null): Identifier[] {
  const value = clip(ruleId, FIELD_LIMITS.identifier);
  const primary: Identifier = { type: 'rule', value, name: rule?.name ?? null, url: rule?.helpUri ?? null };
  const fromRule = rule?.identifiers ?? [];
  // The rule digest already looked at its own id; a result id that differs (hierarchical, or no rule) may be a CVE.
  const fromId =
    rule?.id === ruleId
      ? []
      : tagIdentifiers([ruleId]).filter((id) => !fromRule.some((o) => o.type === id.type && o.value === id.value));
  return [primary, ...fromId, ...fromRule];
}

/** One `location`: where it is, and the code there (see `snippetOf`). */
function locationOf(value: unknown, pointer: string, run: SarifRunContext): { location: Location; snippet: string | null } {
  const raw = object(value, pointer);
  const location = emptyLocation();
  let snippet: string | null = null;
  const physicalPointer = at(pointer, 'physicalLocation');
  const physical = optionalObject(raw.physicalLocation, physicalPointer);
  if (physical) {
    const artifactPointer = at(physicalPointer, 'artifactLocation');
    const artifact = optionalObject(physical.artifactLocation, artifactPointer);
    if (artifact) location.file = filePath(artifact, artifactPointer, run);
    const region = regionOf(physical, 'region', physicalPointer);
    location.startLine = region.startLine;
    location.endLine = region.startLine === null ? region.endLine : Math.max(region.endLine ?? region.startLine, region.startLine);
    snippet = snippetOf(region, location, regionOf(physical, 'contextRegion', physicalPointer));
  }
  Object.assign(location, codeUnit(raw.logicalLocations, at(pointer, 'logicalLocations')));
  return { location, snippet };
}

interface Region {
  startLine: number | null;
  endLine: number | null;
  snippet: string | null;
}

function regionOf(parent: Json, key: string, pointer: string): Region {
  const p = at(pointer, key);
  const region = optionalObject(parent[key], p);
  if (!region) return { startLine: null, endLine: null, snippet: null };
  const snippetPointer = at(p, 'snippet');
  const snippet = optionalObject(region.snippet, snippetPointer);
  return {
    startLine: lineNumber(region, 'startLine', p),
    endLine: lineNumber(region, 'endLine', p),
    snippet: snippet && prose(snippet, 'text', snippetPointer, UNCLIPPED),
  };
}

/**
 * `region.snippet.text`; else the location's lines cut out of `contextRegion.snippet.text` (CodeQL gives only
 * the context), so the content signature sees the flagged code and not its surroundings.
 */
function snippetOf(region: Region, location: Location, context: Region): string | null {
  if (region.snippet !== null) return clip(region.snippet, FIELD_LIMITS.snippet);
  const { startLine: start, endLine: end } = location;
  if (context.snippet === null || context.startLine === null || start === null || end === null) return null;
  const lines = context.snippet.split(/\r\n|\r|\n/);
  if (start < context.startLine || end - context.startLine >= lines.length) return null;
  const cut = lines.slice(start - context.startLine, end - context.startLine + 1).join('\n');
  return cut.trim() === '' ? null : clip(cut, FIELD_LIMITS.snippet);
}

/**
 * A repo-relative path. A relative URI is taken relative to the checkout root: its `uriBaseId` only adds the
 * relative part of that base's own chain (`SUB = {uri: "lib/", uriBaseId: "SRCROOT"}` puts `a.ts` at `lib/a.ts`).
 * An absolute URI under one of the run's absolute bases is made relative to it; any other is normalised as is.
 */
function filePath(artifact: Json, pointer: string, run: SarifRunContext): string | null {
  const uri = prose(artifact, 'uri', pointer, UNCLIPPED);
  const baseId = prose(artifact, 'uriBaseId', pointer, UNCLIPPED);
  if (uri === null) return null;
  let path: string;
  if (isAbsoluteUri(uri)) {
    const root = run.roots.find((r) => relativeTo(uri, r) !== normaliseRepoPath(uri));
    path = root === undefined ? normaliseRepoPath(uri) : relativeTo(uri, root);
  } else {
    path = normaliseRepoPath(baseId === null ? uri : `${basePrefix(baseId, run)}${uri}`);
  }
  return path === '' ? null : clip(path, FIELD_LIMITS.path);
}

/** The relative part of a base's chain, ending in `/` (empty for an absolute or unknown base). */
function basePrefix(baseId: string, run: SarifRunContext): string {
  let prefix = '';
  let id: string | null = baseId;
  for (let depth = 0; id !== null && depth < MAX_BASE_DEPTH; depth++) {
    const base = run.uriBases.get(id);
    if (!base || base.uri === null || isAbsoluteUri(base.uri)) break;
    prefix = `${base.uri.replace(/\/?$/, '/')}${prefix}`;
    id = base.uriBaseId;
  }
  return prefix;
}

function isAbsoluteUri(uri: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/') || uri.startsWith('\\');
}

/**
 * Class and method from `logicalLocations`, best effort: a function/member (or an entry without kind) splits its
 * fully qualified name at the last `.`/`::`/`/` into class and method; a type is the class.
 */
function codeUnit(value: unknown, pointer: string): Pick<Location, 'className' | 'method'> {
  const entries = objectList(value, pointer).map(([raw, p]) => ({
    kind: text(raw, 'kind', p)?.toLowerCase() ?? null,
    name: text(raw, 'fullyQualifiedName', p) ?? text(raw, 'name', p),
  }));
  const named = entries.filter((e) => e.name !== null);
  const member = named.find((e) => e.kind === 'function' || e.kind === 'member') ?? named.find((e) => e.kind === null);
  const type = named.find((e) => e.kind === 'type');
  if (member) {
    const bare = member.name!.replace(/\(.*$/s, '');
    const cut = Math.max(bare.lastIndexOf('.'), bare.lastIndexOf('::'), bare.lastIndexOf('/'));
    const separator = bare.startsWith('::', cut) ? 2 : 1;
    return {
      className: cut > 0 ? bare.slice(0, cut) : (type?.name ?? null),
      method: cut >= 0 ? bare.slice(cut + separator) || member.name : member.name,
    };
  }
  return { className: type?.name ?? null, method: null };
}

function relatedLocationsOf(value: unknown, pointer: string, run: SarifRunContext): Location[] {
  const list = optionalArray(value, pointer) ?? [];
  return list.slice(0, MAX_RELATED_LOCATIONS).flatMap((item, i) => {
    const { location } = locationOf(item, at(pointer, i), run);
    return location.file !== null || location.startLine !== null ? [location] : [];
  });
}

/** Secret scanners' commit: Gitleaks 7 `properties.commit`, Gitleaks 8 `partialFingerprints.commitSha`. */
function commitOf(result: Json, pointer: string): string | null {
  const properties = optionalObject(result.properties, at(pointer, 'properties'));
  const partial = optionalObject(result.partialFingerprints, at(pointer, 'partialFingerprints'));
  const commit =
    (properties && text(properties, 'commit', at(pointer, 'properties'))) ??
    (partial && text(partial, 'commitSha', at(pointer, 'partialFingerprints')));
  return commit !== null && COMMIT_SHA.test(commit) ? commit.toLowerCase() : null;
}

function trackingOf(value: unknown, pointer: string, namespace: string, priority: number): TrackingSignature[] {
  const out: TrackingSignature[] = [];
  for (const key of Object.keys(optionalObject(value, pointer) ?? {})) {
    const raw = text(value as Json, key, pointer);
    if (raw === null || PLACEHOLDER_FINGERPRINT.test(raw)) continue;
    if (namespace === 'sarif-partial' && NOT_AN_IDENTITY.has(key.toLowerCase())) continue;
    const algorithm = clip(`${namespace}:${withoutNul(key)}`, FIELD_LIMITS.identifier);
    out.push({ algorithm, value: clip(raw, FIELD_LIMITS.identifier), priority });
  }
  return out;
}

function suppressionOf(value: unknown, pointer: string): Suppression | null {
  const list = optionalArray(value, pointer);
  if (!list || list.length === 0) return null;
  const p = at(pointer, 0);
  const raw = object(list[0], p);
  const kind = enumValue(raw, 'kind', p, SUPPRESSION_KINDS);
  if (kind === null) throw new ReportError(at(p, 'kind'), 'is required');
  const justification = prose(raw, 'justification', p, UNCLIPPED);
  return {
    kind,
    status: enumValue(raw, 'status', p, SUPPRESSION_STATUSES),
    justification: justification === null ? null : clip(justification.trim(), FIELD_LIMITS.other),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Text helpers

/** Texts without empty ones and repeats (compared exactly), first kept. */
function unique(values: (string | null | undefined)[]): string[] {
  return values.filter((v, i): v is string => !!v && values.indexOf(v) === i);
}

// ---------------------------------------------------------------------------------------------------------------
// Typed reads with pointers

function stringList(value: unknown, pointer: string): string[] {
  return (optionalArray(value, pointer) ?? []).map((item, i) => {
    if (typeof item !== 'string') throw new ReportError(at(pointer, i), 'must be a string');
    return withoutNul(item);
  });
}

/** `{text, markdown}` (a multiformatMessageString or message): the text, else the markdown. */
function multiformat(parent: Json, key: string, pointer: string): string | null {
  const p = at(pointer, key);
  const value = optionalObject(parent[key], p);
  return value && (prose(value, 'text', p, UNCLIPPED) ?? prose(value, 'markdown', p, UNCLIPPED));
}

function enumValue<T extends string>(parent: Json, key: string, pointer: string, allowed: readonly T[]): T | null {
  const value = parent[key];
  if (value == null) return null;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ReportError(at(pointer, key), `must be one of ${allowed.join(', ')}`);
}

function keepOnly(raw: Json, keys: ReadonlySet<string>): void {
  for (const key of Object.keys(raw)) if (!keys.has(key)) delete raw[key];
}

function slimLocation(location: unknown): unknown {
  if (!isObject(location)) return location;
  keepOnly(location, LOCATION_KEYS);
  if (isObject(location.physicalLocation)) keepOnly(location.physicalLocation, PHYSICAL_LOCATION_KEYS);
  return location;
}

interface RunParts {
  tool: unknown;
  originalUriBaseIds: unknown;
  automationDetails: unknown;
  results: { raw: unknown; pointer: string }[];
}

/**
 * SARIF 2.1.0 (CodeQL, Semgrep, ShellCheck, Gitleaks, …). Results are held slimmed until the document ends,
 * because a run's tool description and URI bases may come after its results.
 */
export const sarifFormat: ReportFormat = {
  id: 'sarif',
  name: 'SARIF 2.1.0',
  container: 'json',
  detection: 'a JSON object with "runs" and "version": "2.1.0" (or a SARIF "$schema")',
  reportTypes: ['sast', 'secret_detection'],
  detect(opening) {
    if (opening.container !== 'json' || opening.rootKind !== 'object') return false;
    return looksLikeSarif({ version: opening.values.version, schema: opening.values.$schema, hasRuns: opening.keys.includes('runs') });
  },
  reader() {
    const runs: RunParts[] = [];
    return {
      elementPaths: ['$.runs.*.results.*'],
      headerPaths: ['$.runs.*.tool', '$.runs.*.originalUriBaseIds', '$.runs.*.automationDetails', '$.version'],
      take(keys, value, pointer) {
        if (keys[0] !== 'runs') return;
        const index = keys[1];
        if (typeof index !== 'number') throw new ReportError('/runs', 'must be an array');
        const run = (runs[index] ??= { tool: undefined, originalUriBaseIds: undefined, automationDetails: undefined, results: [] });
        const part = keys[2];
        if (part === 'results') {
          if (typeof keys[3] !== 'number') throw new ReportError(`/runs/${index}/results`, 'must be an array');
          run.results.push({ raw: slimSarifResult(value), pointer });
        } else if (part === 'tool' || part === 'originalUriBaseIds' || part === 'automationDetails') {
          run[part] = value;
        }
      },
      finish() {
        const findings: Finding[] = [];
        const scanners: Scanner[] = [];
        const reportTypes = new Set<ReportType>();
        runs.forEach((parts, i) => {
          const context = sarifRun(parts, `/runs/${i}`);
          for (const { raw, pointer } of parts.results) {
            const finding = sarifResult(raw, pointer, context);
            if (finding) findings.push(finding);
          }
          scanners.push(context.scanner);
          reportTypes.add(context.reportType);
        });
        return { formatVersion: '2.1.0', scanners, reportTypes: [...reportTypes], findings };
      },
    };
  },
};
