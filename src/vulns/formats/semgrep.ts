import { emptyLocation, type Finding, type Identifier, type Location, type Scanner, type Severity, type TrackingSignature } from '../model.js';
import { normaliseRepoPath } from '../paths.js';
import type { ReadResult, ReportFormat, ReportReader } from './format.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { at, object, optionalObject, withoutNul, type Json } from './json-read.js';
import { ReportError } from './report-error.js';

/**
 * Semgrep JSON (`semgrep --json`, semgrep_output_v1): `{version, results: [{check_id, path, start, end, extra}],
 * errors, paths, …}`. Each element of `results` is one finding; `version` (Semgrep 1.x writes it first) names the
 * scanner's version. `errors`, `paths` and the taint traces are not read.
 *
 * Policy (shared with the Bandit, Gitleaks and TruffleHog modules, which use the typed reads exported here): a value
 * of the wrong JSON type at a field Vigil reads is a ReportError at its pointer, and so is a severity outside the
 * tool's names; an absent, `null` or blank optional value is null; long strings are clipped; NULs are removed.
 *
 * - Severity: ERROR high, WARNING medium, INFO low; the newer CRITICAL/HIGH/MEDIUM/LOW map to themselves;
 *   INVENTORY and EXPERIMENT (rules that inventory code or are being tried out) are info; absent is unknown.
 * - Identifiers: `semgrep_id` (the check id) first, then the Bandit test id the `bandit-code` metadata names (rules
 *   ported from Bandit), then CWE ids parsed from `metadata.cwe` ("CWE-89: Improper …") and OWASP Top 10 entries from
 *   `metadata.owasp` ("A03:2021 - Injection" → `A03:2021`); metadata values may be a string or a list of strings.
 * - Text: title = the first sentence of `extra.message` (else the check id); description = the whole message;
 *   solution = the autofix (`extra.fix`, or `fix_regex`); links = `metadata.references`, then the rule's page.
 * - Snippet: `extra.lines`, the matched lines, unless it is the placeholder "requires login" that Semgrep writes
 *   when not logged in.
 * - Tracking: `extra.fingerprint` is Semgrep's match-based id (a hash of the rule, the file and the matched code,
 *   with an index among equal matches): it survives moved lines, so it is a tracking signature (priority 5) — except
 *   the "requires login" placeholder. Identity's matcher does not let it veto a weaker match (see match.ts): a
 *   fingerprint that differs while rule, file and code stay the same still matches by content.
 * - `extra.is_ignored` (a `nosemgrep` comment, reported with `--disable-nosem`) is an accepted in-source suppression.
 */

const SEVERITY: Record<string, Severity> = {
  ERROR: 'high',
  WARNING: 'medium',
  INFO: 'low',
  INVENTORY: 'info',
  EXPERIMENT: 'info',
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
};

/** What Semgrep writes instead of a fingerprint or the matched lines when the CLI is not logged in. */
const PLACEHOLDER = /^requires[ _-]?login$/i;
const FINGERPRINT_PRIORITY = 5;

const CWE = /^CWE-0*(\d+)\b\s*:?\s*(.*)$/i;
/** `A03:2021 - Injection`, `A1: Injection`, `A01:2021-Broken Access Control`. */
const OWASP = /^(A\d{1,2})(?::(\d{4}))?\b\s*[-:–]?\s*(.*)$/;

const SEMGREP: Scanner = { id: 'semgrep', name: 'Semgrep', version: null, vendor: 'Semgrep' };

/** One element of `results` → Finding (scanner completed by the reader). Throws ReportError under `pointer`. */
export function semgrepResult(raw: unknown, pointer: string, scanner: Scanner): Finding {
  const result = object(raw, pointer);
  const checkId = requiredText(result, 'check_id', pointer, FIELD_LIMITS.identifier);
  const extraPointer = at(pointer, 'extra');
  const extra = object(result.extra, extraPointer);
  const metadataPointer = at(extraPointer, 'metadata');
  const metadata = optionalObject(extra.metadata, metadataPointer) ?? {};
  const startPointer = at(pointer, 'start');
  if (result.start == null) throw new ReportError(startPointer, 'is required');
  const startLine = lineNumber(object(result.start, startPointer), 'line', startPointer);
  const end = optionalObject(result.end, at(pointer, 'end'));
  const endLine = end && lineNumber(end, 'line', at(pointer, 'end'));

  const location = fileLocation(requiredText(result, 'path', pointer, FIELD_LIMITS.path), startLine, endLine);

  const message = optionalString(extra, 'message', extraPointer, FIELD_LIMITS.description);
  const lines = optionalString(extra, 'lines', extraPointer, FIELD_LIMITS.snippet);
  const banditCode = optionalText(metadata, 'bandit-code', metadataPointer);
  return {
    title: clip(message === null ? checkId : headline(message), FIELD_LIMITS.title),
    description: message?.trim() ?? null,
    severity: toolSeverity(extra.severity, at(extraPointer, 'severity'), SEVERITY, 'Semgrep'),
    confidence: optionalText(metadata, 'confidence', metadataPointer),
    reportType: 'sast',
    scanner,
    identifiers: [
      { type: 'semgrep_id', value: checkId, name: checkId, url: null },
      ...(banditCode === null ? [] : [{ type: 'bandit_test_id', value: banditCode, name: null, url: null }]),
      ...unique(textList(metadata.cwe, at(metadataPointer, 'cwe')).map(cweIdentifier)),
      ...unique(textList(metadata.owasp, at(metadataPointer, 'owasp')).map(owaspIdentifier)),
    ],
    location,
    solution: fixOf(extra, extraPointer),
    links: linksOf(metadata, metadataPointer),
    cvssVectors: [],
    tracking: trackingOf(extra, extraPointer),
    snippet: lines === null || PLACEHOLDER.test(lines.trim()) ? null : lines,
    suppression: booleanField(extra, 'is_ignored', extraPointer) ? { kind: 'inSource', status: 'accepted', justification: 'nosemgrep' } : null,
    baselineState: null,
    relatedLocations: [],
  };
}

function trackingOf(extra: Json, pointer: string): TrackingSignature[] {
  const fingerprint = optionalText(extra, 'fingerprint', pointer, FIELD_LIMITS.identifier);
  if (fingerprint === null || PLACEHOLDER.test(fingerprint)) return [];
  return [{ algorithm: 'semgrep:fingerprint', value: fingerprint, priority: FINGERPRINT_PRIORITY }];
}

/** `extra.fix` (the replacement text of an autofix rule), else `extra.fix_regex`. */
function fixOf(extra: Json, pointer: string): string | null {
  const fix = optionalString(extra, 'fix', pointer, FIELD_LIMITS.solution);
  if (fix !== null) return clip(`Replace the matched code with:\n${fix}`, FIELD_LIMITS.solution);
  const regexPointer = at(pointer, 'fix_regex');
  const fixRegex = optionalObject(extra.fix_regex, regexPointer);
  const regex = fixRegex && optionalString(fixRegex, 'regex', regexPointer, FIELD_LIMITS.solution);
  if (regex === null) return null;
  const replacement = optionalString(fixRegex!, 'replacement', regexPointer, FIELD_LIMITS.solution) ?? '';
  return clip(`Replace what the regular expression ${regex} matches with: ${replacement}`, FIELD_LIMITS.solution);
}

function linksOf(metadata: Json, pointer: string): Finding['links'] {
  const references = textList(metadata.references, at(pointer, 'references')).map((url) => ({ name: null, url }));
  const rule = optionalText(metadata, 'source', pointer) ?? optionalText(metadata, 'source-rule-url', pointer);
  const all = rule === null ? references : [...references, { name: 'Semgrep rule', url: rule }];
  return all.filter((link, i) => all.findIndex((l) => l.url === link.url) === i);
}

function owaspIdentifier(text: string): Identifier | null {
  const match = OWASP.exec(text);
  if (!match) return null;
  return { type: 'owasp', value: match[2] ? `${match[1]}:${match[2]}` : match[1]!, name: match[3] || null, url: null };
}

function booleanField(parent: Json, key: string, pointer: string): boolean {
  const value = parent[key];
  if (value == null) return false;
  if (typeof value !== 'boolean') throw new ReportError(at(pointer, key), 'must be true or false');
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers shared with bandit.ts, gitleaks.ts and trufflehog.ts

/**
 * A tool's severity name (case-insensitive) through its table; absent is unknown, a name outside the table is a
 * ReportError listing the tool's names.
 */
export function toolSeverity(value: unknown, pointer: string, table: Readonly<Record<string, Severity>>, tool: string): Severity {
  if (value == null) return 'unknown';
  const severity = typeof value === 'string' ? table[value.trim().toUpperCase()] : undefined;
  if (severity) return severity;
  throw new ReportError(pointer, `${JSON.stringify(value)} is not a ${tool} severity; must be one of ${Object.keys(table).join(', ')}`);
}

/** A file location: the path normalised (blank is none), the end line only when it does not come before the start. */
export function fileLocation(file: string | null, startLine: number | null, endLine: number | null): Location {
  const location = emptyLocation();
  location.file = file === null ? null : clip(normaliseRepoPath(file), FIELD_LIMITS.path) || null;
  location.startLine = startLine;
  location.endLine = endLine !== null && startLine !== null && endLine >= startLine ? endLine : startLine;
  return location;
}

/**
 * A reader for formats whose findings are the elements of one array (`$.results.*`, or the root's `$.*`), each
 * converted as it arrives; `finish` completes the result.
 */
export function listReader(path: '$.*' | '$.results.*', convert: (value: unknown, pointer: string) => Finding, finish: (findings: Finding[]) => ReadResult): ReportReader {
  const findings: Finding[] = [];
  const parent = path === '$.*' ? [] : ['results'];
  return {
    elementPaths: [path],
    headerPaths: [],
    take(keys, value, pointer) {
      if (keys.length !== parent.length + 1 || parent.some((k, i) => keys[i] !== k)) return;
      if (typeof keys[parent.length] !== 'number') throw new ReportError(parent.map((k) => `/${k}`).join(''), 'must be an array');
      findings.push(convert(value, pointer));
    },
    finish: () => finish(findings),
  };
}

/** "CWE-89: Improper Neutralization …" or "CWE-89" → `{type: 'cwe', value: 'CWE-89', name}`; anything else is null. */
export function cweIdentifier(text: string): Identifier | null {
  const match = CWE.exec(text.trim());
  if (!match || match[1] === '0') return null;
  return { type: 'cwe', value: `CWE-${match[1]}`, name: match[2] || null, url: `https://cwe.mitre.org/data/definitions/${match[1]}.html` };
}

/** Identifiers without nulls and repeats (same type and value), first kept. */
export function unique(identifiers: (Identifier | null)[]): Identifier[] {
  const out: Identifier[] = [];
  for (const id of identifiers) if (id && !out.some((o) => o.type === id.type && o.value === id.value)) out.push(id);
  return out;
}

/** The first sentence of the first paragraph, on one line, clipped: a title out of a message. */
export function headline(value: string): string {
  const paragraph = value.trim().split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ').trim();
  return clip(/^.+?[.!?](?=\s+[A-Z])/.exec(paragraph)?.[0] ?? paragraph, FIELD_LIMITS.title);
}

/** An optional string as given (NULs removed, clipped, ends kept); absent or blank is null. */
export function optionalString(parent: Json, key: string, pointer: string, max: number): string | null {
  const value = parent[key];
  if (value == null) return null;
  if (typeof value !== 'string') throw new ReportError(at(pointer, key), 'must be a string');
  const text = withoutNul(value);
  return text.trim() === '' ? null : clip(text, max);
}

/** An optional short text, trimmed. */
export function optionalText(parent: Json, key: string, pointer: string, max: number = FIELD_LIMITS.other): string | null {
  return optionalString(parent, key, pointer, max)?.trim() ?? null;
}

export function requiredText(parent: Json, key: string, pointer: string, max: number = FIELD_LIMITS.other): string {
  const text = optionalText(parent, key, pointer, max);
  if (text === null) throw new ReportError(at(pointer, key), 'must be a non-empty string');
  return text;
}

/** A string or a list of strings (Semgrep metadata takes either), trimmed, blanks dropped. */
export function textList(value: unknown, pointer: string): string[] {
  if (value == null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((item, i) => {
    if (item == null) return [];
    if (typeof item !== 'string') throw new ReportError(Array.isArray(value) ? at(pointer, i) : pointer, 'must be a string');
    const text = clip(withoutNul(item).trim(), FIELD_LIMITS.other);
    return text === '' ? [] : [text];
  });
}

/** A line number: an integer; 0 and below are no line. */
export function lineNumber(parent: Json, key: string, pointer: string): number | null {
  const value = parent[key];
  if (value == null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new ReportError(at(pointer, key), 'must be an integer');
  return value > 0 ? value : null;
}

/** True when the opening's top-level keys show a Semgrep report and not one of the other `results` documents. */
function looksLikeSemgrep(keys: string[], version: unknown): boolean {
  if (!keys.includes('results') || keys.includes('metrics') || keys.includes('generated_at')) return false;
  // `errors` (every version) and the 1.x keys name Semgrep; OSV-Scanner's `results` comes alone.
  const marked = ['errors', 'paths', 'interfile_languages_used', 'skipped_rules'].some((k) => keys.includes(k));
  const semgrepVersion = typeof version === 'string' && /^\d+\.\d+\.\d+/.test(version) && keys[0] === 'version';
  return marked || semgrepVersion;
}

/** Semgrep's native JSON output. */
export const semgrepFormat: ReportFormat = {
  id: 'semgrep',
  name: 'Semgrep JSON',
  container: 'json',
  detection: 'a JSON object with "results" and "errors" (Semgrep 1.x also "version" first, "paths", "skipped_rules"), without Bandit\'s "metrics"/"generated_at"',
  reportTypes: ['sast'],
  detect(opening) {
    return opening.container === 'json' && opening.rootKind === 'object' && looksLikeSemgrep(opening.keys, opening.values.version);
  },
  reader() {
    const findings: Finding[] = [];
    let version: string | null = null;
    return {
      elementPaths: ['$.results.*'],
      headerPaths: ['$.version'],
      take(keys, value, pointer) {
        if (keys[0] === 'results') {
          if (typeof keys[1] !== 'number') throw new ReportError('/results', 'must be an array');
          findings.push(semgrepResult(value, pointer, SEMGREP));
        } else if (keys[0] === 'version') {
          version = optionalText({ version: value }, 'version', '');
        }
      },
      finish() {
        // `version` may come after the results (it comes first in Semgrep 1.x).
        const scanner = { ...SEMGREP, version };
        return { formatVersion: version, scanners: [scanner], reportTypes: ['sast'], findings: findings.map((f) => ({ ...f, scanner })) };
      },
    };
  },
};
