import { emptyLocation, type Assessment, type Finding, type Identifier, type Scanner, type Severity } from '../model.js';
import type { ReportFormat, XmlElement } from './format.js';
import { mitreCwe } from './finding-parts.js';
import { htmlToText, urlsIn, webLocation } from './html-text.js';
import { at, object, objectList, scalarText, UNCLIPPED, withoutNul, type Json } from './json-read.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { ReportError } from './report-error.js';
import { child, children, textOf, xmlNode, type XmlNode } from './xml-read.js';

/**
 * OWASP ZAP reports: the XML report (`<OWASPZAPReport version generated><site name host port ssl><alerts>
 * <alertitem>…`) and the "traditional" JSON report (`{"@version", "@generated", "site": [{"@name", …, "alerts":
 * [{…, "instances": [{uri, method, param, attack, evidence, otherinfo}]}]}]}`). Both carry the same alert fields
 * as text (the JSON writes numbers as strings; numbers are read too).
 *
 * Findings: one per distinct (alert, URL path, HTTP method, parameter) of an alert item — the DAST identity
 * (fingerprint.ts: path + method + param, never the host). ZAP lists an alert once per URL it was raised on, so
 * `product.jsp?prodid=22` and `product.jsp?prodid=18` with parameter `prodid` are one finding: the query string is
 * a value, the parameter names what is vulnerable. The first instance supplies the URL, attack and evidence shown;
 * the description says how many more URLs were merged. An alert item without instances (current ZAP always writes
 * some; the format does not require them) is one finding at the site root `/`, with no method or parameter. An
 * item of the older shape with `uri`/`param`/`attack`/`evidence` on the alert item itself is its own one instance.
 * The finding limit counts alert items (the elements the driver hands over), not the findings they expand to.
 *
 * - Severity from `riskcode`: 3 high, 2 medium, 1 low, 0 info; absent is unknown; anything else is an error.
 * - `confidence` 0–4 → False Positive, Low, Medium, High, Confirmed. 0 and 4 are what a person sets in ZAP when
 *   triaging an alert, so they are also the producer's assessment: "dismissed as a false positive" / "confirmed".
 * - Identifiers: `{type: 'zaproxy_pluginid', value}` (GitLab's DAST type for the same ids) where value is the
 *   `alertRef` when it refines the plugin id (`10020-1` vs `10020-2`: two alerts of one plugin), else `pluginid`;
 *   then `CWE-<cweid>` and `WASC-<wascid>` (-1 and 0 mean none).
 * - Location: `hostname` is the origin (scheme://host[:port], GitLab DAST's meaning) of the instance URI, else of
 *   the site (`name`, or `ssl`/`host`/`port`); `path` the URI path without query or fragment.
 * - `desc`, `solution`, `otherinfo` and `reference` are HTML paragraphs: reduced to text; links are the URLs in
 *   `reference`. The evidence is the snippet. No tracking: `sourceid` and instance ids are per ZAP session.
 * - XML pointers are element paths (xml-read.ts): `/OWASPZAPReport/site/alerts/alertitem[3]/instances/instance[2]/uri`.
 */

const RISK_SEVERITY: Record<string, Severity> = { '0': 'info', '1': 'low', '2': 'medium', '3': 'high' };
const RISK_NAMES = '0 (Informational), 1 (Low), 2 (Medium), 3 (High)';
const CONFIDENCE_NAMES = ['False Positive', 'Low', 'Medium', 'High', 'Confirmed'];

/** One alert item, whichever container it came in: its scalar fields and its instances, with their pointers. */
interface ZapAlert {
  fields: Json;
  pointer: string;
  instances: [Json, string][];
}

/** A `<site>` / `site[]` entry's attributes. */
interface ZapSite {
  name?: unknown;
  host?: unknown;
  port?: unknown;
  ssl?: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Text reads: the XML gives strings, the JSON strings (or numbers from other writers)

function html(fields: Json, key: string, pointer: string, max: number): string | null {
  const raw = scalarText(fields, key, pointer, UNCLIPPED);
  const plain = raw === null ? '' : htmlToText(raw);
  return plain === '' ? null : clip(plain, max);
}

/** An integer code (`riskcode`, `confidence`, `cweid`, `wascid`); absent or blank is null. */
function code(fields: Json, key: string, pointer: string, allowed: string): number | null {
  const value = scalarText(fields, key, pointer, FIELD_LIMITS.other);
  if (value === null) return null;
  if (!/^-?\d+$/.test(value)) throw new ReportError(at(pointer, key), `${JSON.stringify(value)} is not a number; must be ${allowed}`);
  return Number(value);
}

function severityOf(alert: ZapAlert): Severity {
  const risk = code(alert.fields, 'riskcode', alert.pointer, `one of ${RISK_NAMES}`);
  if (risk === null) return 'unknown';
  const severity = RISK_SEVERITY[String(risk)];
  if (!severity) throw new ReportError(at(alert.pointer, 'riskcode'), `${risk} is not a ZAP risk code; must be one of ${RISK_NAMES}`);
  return severity;
}

function confidenceOf(alert: ZapAlert): number | null {
  const allowed = `one of ${CONFIDENCE_NAMES.map((name, i) => `${i} (${name})`).join(', ')}`;
  const confidence = code(alert.fields, 'confidence', alert.pointer, allowed);
  if (confidence !== null && CONFIDENCE_NAMES[confidence] === undefined) {
    throw new ReportError(at(alert.pointer, 'confidence'), `${confidence} is not a ZAP confidence; must be ${allowed}`);
  }
  return confidence;
}

function assessmentOf(confidence: number | null): Assessment | null {
  if (confidence === 0) return { state: 'dismissed', reason: 'false_positive', comment: 'marked as a false positive in ZAP (confidence 0)' };
  if (confidence === 4) return { state: 'confirmed', reason: null, comment: 'confirmed by a user in ZAP (confidence 4)' };
  return null;
}

function identifiersOf(alert: ZapAlert, title: string): Identifier[] {
  const { fields, pointer } = alert;
  const pluginId = scalarText(fields, 'pluginid', pointer, FIELD_LIMITS.identifier);
  const alertRef = scalarText(fields, 'alertRef', pointer, FIELD_LIMITS.identifier);
  if (pluginId === null && alertRef === null) throw new ReportError(at(pointer, 'pluginid'), 'must be a non-empty string');
  const value = alertRef !== null && (pluginId === null || alertRef.startsWith(`${pluginId}-`)) ? alertRef : pluginId!;
  // ZAP's alert pages exist for its own (non-negative) plugin ids: https://www.zaproxy.org/docs/alerts/10020-1/
  const url = /^\d+(-\d+)?$/.test(value) ? `https://www.zaproxy.org/docs/alerts/${value}/` : null;
  const identifiers: Identifier[] = [{ type: 'zaproxy_pluginid', value, name: title, url }];
  const cwe = code(fields, 'cweid', pointer, 'a CWE number, or -1 for none');
  if (cwe !== null && cwe > 0) identifiers.push(mitreCwe(cwe));
  const wasc = code(fields, 'wascid', pointer, 'a WASC number, or -1 for none');
  if (wasc !== null && wasc > 0) identifiers.push({ type: 'wasc', value: `WASC-${wasc}`, name: null, url: null });
  return identifiers;
}

/** scheme://host[:port] of a site: its `name` (ZAP writes the origin there), else built from ssl/host/port. */
function siteOrigin(site: ZapSite): string | null {
  const name = typeof site.name === 'string' ? webLocation(site.name) : null;
  if (name) return name.origin;
  if (typeof site.host !== 'string' || site.host.trim() === '') return null;
  const scheme = String(site.ssl).trim().toLowerCase() === 'true' ? 'https' : 'http';
  const port = site.port == null || String(site.port).trim() === '' ? '' : `:${String(site.port).trim()}`;
  return webLocation(`${scheme}://${site.host.trim()}${port}`)?.origin ?? null;
}

interface Occurrence {
  instance: Json;
  pointer: string;
  uri: string;
  origin: string;
  path: string;
  method: string | null;
  param: string | null;
  more: number;
}

/** The alert's instances, one per (path, method, param), in report order. */
function occurrencesOf(alert: ZapAlert, siteBase: string | null): Occurrence[] {
  const byKey = new Map<string, Occurrence>();
  for (const [instance, pointer] of alert.instances) {
    const uri = scalarText(instance, 'uri', pointer, FIELD_LIMITS.path);
    if (uri === null) throw new ReportError(at(pointer, 'uri'), 'must be a non-empty string');
    const place = webLocation(uri, siteBase);
    if (!place) throw new ReportError(at(pointer, 'uri'), `${JSON.stringify(clip(uri, 200))} is not a URL${siteBase ? '' : ' (and the site names no origin to resolve it against)'}`);
    const method = scalarText(instance, 'method', pointer, FIELD_LIMITS.other)?.toUpperCase() ?? null;
    const param = scalarText(instance, 'param', pointer, FIELD_LIMITS.other);
    const key = JSON.stringify([place.path, method, param]);
    const seen = byKey.get(key);
    if (seen) seen.more++;
    else byKey.set(key, { instance, pointer, uri, origin: place.origin, path: place.path, method, param, more: 0 });
  }
  return [...byKey.values()];
}

function description(desc: string | null, occurrence: Occurrence | null, otherInfo: string | null): string | null {
  const parts = [desc];
  if (otherInfo) parts.push(`Other information:\n${otherInfo}`);
  if (occurrence) {
    const attack = scalarText(occurrence.instance, 'attack', occurrence.pointer, FIELD_LIMITS.other);
    const more = occurrence.more === 0 ? '' : ` (and ${occurrence.more} more URL${occurrence.more === 1 ? '' : 's'} with this path, method and parameter)`;
    parts.push(`URL: ${occurrence.uri}${more}`);
    if (attack) parts.push(`Attack: ${attack}`);
  }
  const joined = parts.filter((p): p is string => p !== null).join('\n\n');
  return joined === '' ? null : clip(joined, FIELD_LIMITS.description);
}

/** One alert item → its findings (one per distinct path, method and parameter). */
function zapAlertFindings(alert: ZapAlert, site: ZapSite, scanner: Scanner): Finding[] {
  const { fields, pointer } = alert;
  const pluginId = scalarText(fields, 'pluginid', pointer, FIELD_LIMITS.identifier);
  const title = scalarText(fields, 'alert', pointer, FIELD_LIMITS.title) ?? scalarText(fields, 'name', pointer, FIELD_LIMITS.title) ?? `ZAP alert ${pluginId ?? ''}`.trim();
  const severity = severityOf(alert);
  const confidence = confidenceOf(alert);
  const identifiers = identifiersOf(alert, title);
  const desc = html(fields, 'desc', pointer, FIELD_LIMITS.description);
  const alertOtherInfo = html(fields, 'otherinfo', pointer, FIELD_LIMITS.description);
  const reference = html(fields, 'reference', pointer, FIELD_LIMITS.description);
  const common = {
    title,
    severity,
    confidence: confidence === null ? null : CONFIDENCE_NAMES[confidence]!,
    reportType: 'dast' as const,
    scanner,
    identifiers,
    solution: html(fields, 'solution', pointer, FIELD_LIMITS.solution),
    links: reference === null ? [] : urlsIn(reference).map((url) => ({ name: null, url: clip(url, FIELD_LIMITS.other) })),
    cvssVectors: [],
    tracking: [],
    suppression: null,
    baselineState: null,
    assessment: assessmentOf(confidence),
    relatedLocations: [],
  };
  const origin = siteOrigin(site);
  const occurrences = occurrencesOf(alert, origin);
  if (occurrences.length === 0) {
    return [{ ...common, description: description(desc, null, alertOtherInfo), location: { ...emptyLocation(), hostname: origin, path: '/' }, snippet: null }];
  }
  // The alert's own `otherinfo` (ZAP 2.10 XML has no per-instance one) is written about its first instance.
  return occurrences.map((occurrence, i) => ({
    ...common,
    description: description(desc, occurrence, html(occurrence.instance, 'otherinfo', occurrence.pointer, FIELD_LIMITS.description) ?? (i === 0 ? alertOtherInfo : null)),
    location: { ...emptyLocation(), hostname: occurrence.origin, path: occurrence.path, httpMethod: occurrence.method, param: occurrence.param },
    snippet: scalarText(occurrence.instance, 'evidence', occurrence.pointer, FIELD_LIMITS.snippet),
  }));
}

function zapScanner(version: string | null): Scanner {
  return { id: 'zaproxy', name: 'OWASP ZAP', version, vendor: null };
}

// ---------------------------------------------------------------------------------------------------------------
// XML

/** The alert item and instance fields Vigil reads (ZAP may add others, of any shape). */
const ALERT_FIELDS = ['pluginid', 'alertRef', 'alert', 'name', 'riskcode', 'confidence', 'desc', 'solution', 'otherinfo', 'reference', 'cweid', 'wascid'];
const INSTANCE_FIELDS = ['uri', 'method', 'param', 'attack', 'evidence', 'otherinfo'];

function xmlFields(node: XmlNode, names: string[]): Json {
  return Object.fromEntries(names.map((name) => [name, textOf(node, name)]));
}

/** An `<alertitem>` element → ZapAlert; instances from `<instances><instance>`, or (older shape) the item itself. */
function zapXmlAlert(element: XmlElement, pointer: string): ZapAlert {
  const node = xmlNode(element, pointer);
  const list = child(node, 'instances');
  const fields = xmlFields(node, list ? ALERT_FIELDS : [...new Set([...ALERT_FIELDS, ...INSTANCE_FIELDS])]);
  const instances: [Json, string][] = list
    ? children(list, 'instance').map((instance) => [xmlFields(instance, INSTANCE_FIELDS), instance.pointer])
    : fields.uri != null
      ? [[fields, pointer]]
      : [];
  return { fields, pointer, instances };
}

export const zapXmlFormat: ReportFormat = {
  id: 'zap-xml',
  name: 'OWASP ZAP XML report',
  container: 'xml',
  detection: 'an XML document whose root element is <OWASPZAPReport>',
  reportTypes: ['dast'],
  detect(opening) {
    return opening.container === 'xml' && opening.root === 'OWASPZAPReport';
  },
  reader() {
    // The root's `version` arrives with the first alert item: an empty report names no ZAP version.
    let version: string | null = null;
    const findings: Finding[] = [];
    return {
      elementPaths: ['OWASPZAPReport/site/alerts/alertitem'],
      headerPaths: [],
      take(_keys, value, pointer, ancestors = []) {
        const root = ancestors[0]?.attributes ?? {};
        version ??= clip(withoutNul(root.version ?? '').trim(), FIELD_LIMITS.other) || null;
        const site = ancestors.find((a) => a.name === 'site')?.attributes ?? {};
        findings.push(...zapAlertFindings(zapXmlAlert(value as XmlElement, pointer), site, zapScanner(version)));
      },
      finish() {
        return { formatVersion: version, scanners: [zapScanner(version)], reportTypes: ['dast'], findings };
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// JSON

/** One element of `site[i].alerts` → ZapAlert. */
function zapJsonAlert(value: unknown, pointer: string): ZapAlert {
  const fields = object(value, pointer);
  const instances = fields.instances == null && fields.uri != null ? [[fields, pointer] as [Json, string]] : objectList(fields.instances, at(pointer, 'instances'));
  return { fields, pointer, instances };
}

const SITE_ATTRIBUTES: Record<string, keyof ZapSite> = { '@name': 'name', '@host': 'host', '@port': 'port', '@ssl': 'ssl' };

export const zapJsonFormat: ReportFormat = {
  id: 'zap-json',
  name: 'OWASP ZAP JSON report',
  container: 'json',
  detection: 'a JSON object with "site" and "@version" (ZAP\'s traditional JSON report), without GitLab\'s "version"/"scan"/"vulnerabilities"',
  reportTypes: ['dast'],
  detect(opening) {
    if (opening.container !== 'json' || opening.rootKind !== 'object' || !opening.keys.includes('site')) return false;
    // GitLab's DAST report embeds ZAP's JSON report (`@version`, `site`) next to its own `version`, `scan` and
    // `vulnerabilities`: that is a GitLab report.
    if (['version', 'scan', 'vulnerabilities', 'remediations'].some((key) => opening.keys.includes(key))) return false;
    return typeof opening.values['@version'] === 'string' || opening.values['@programName'] === 'ZAP';
  },
  reader() {
    let version: string | null = null;
    const sites: ZapSite[] = [];
    // Sites' attributes come before their alerts in ZAP's output, but nothing requires it: findings wait for finish().
    const alerts: { alert: ZapAlert; site: number }[] = [];
    return {
      elementPaths: ['$.site.*.alerts.*'],
      // `$.site.@name` is only there to catch a `site` that is an object, whose alerts would go unseen.
      headerPaths: ['$.@version', '$.site.@name', ...Object.keys(SITE_ATTRIBUTES).map((key) => `$.site.*.${key}`)],
      take(keys, value, pointer) {
        if (keys[0] === '@version') {
          version = scalarText({ '@version': value }, '@version', '', FIELD_LIMITS.other);
          return;
        }
        const index = keys[1];
        if (typeof index !== 'number') throw new ReportError('/site', 'must be an array');
        if (keys[2] === 'alerts') {
          if (typeof keys[3] !== 'number') throw new ReportError(`/site/${index}/alerts`, 'must be an array');
          alerts.push({ alert: zapJsonAlert(value, pointer), site: index });
        } else {
          const attribute = SITE_ATTRIBUTES[String(keys[2])];
          if (!attribute) return;
          if (value != null && !['string', 'number', 'boolean'].includes(typeof value)) throw new ReportError(pointer, 'must be a string');
          (sites[index] ??= {})[attribute] = value;
        }
      },
      finish() {
        const scanner = zapScanner(version);
        const findings = alerts.flatMap(({ alert, site }) => zapAlertFindings(alert, sites[site] ?? {}, scanner));
        return { formatVersion: version, scanners: [scanner], reportTypes: ['dast'], findings };
      },
    };
  },
};
