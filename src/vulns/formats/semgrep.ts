import type { Finding, Identifier, Scanner, Severity, TrackingSignature } from '../model.js';
import type { ReportFormat } from './format.js';
import { cweIdentifier, fileLocation, headline, uniqueIdentifiers } from './finding-parts.js';
import { FIELD_LIMITS, clip } from './limits.js';
import {
  at,
  clippedText,
  flag,
  lineNumber,
  namedSeverity,
  object,
  optionalObject,
  prose,
  requiredObject,
  requiredText,
  textOrList,
  type Json,
  type SeverityScale,
} from './json-read.js';
import { ReportError } from './report-error.js';

/**
 * Semgrep JSON (`semgrep --json`, semgrep_output_v1): `{version, results: [{check_id, path, start, end, extra}],
 * errors, paths, …}`. Each element of `results` is one finding; `version` (Semgrep 1.x writes it first) names the
 * scanner's version. `errors`, `paths` and the taint traces are not read.
 *
 * Policy (shared with the Bandit, Gitleaks and TruffleHog modules, which read with the same json-read.ts helpers:
 * `prose`, `clippedText`, `textOrList`, `lineNumber`): a value of the wrong JSON type at a field Vigil reads is a
 * ReportError at its pointer, and so is a severity outside the tool's names; an absent, `null` or blank optional
 * value is null; long strings are clipped; NULs are removed.
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

const SEVERITY = new Map<string, Severity>([
  ['ERROR', 'high'],
  ['WARNING', 'medium'],
  ['INFO', 'low'],
  ['INVENTORY', 'info'],
  ['EXPERIMENT', 'info'],
  ['CRITICAL', 'critical'],
  ['HIGH', 'high'],
  ['MEDIUM', 'medium'],
  ['LOW', 'low'],
]);
const SEVERITY_SCALE: SeverityScale = { table: SEVERITY, upperCase: true, names: [...SEVERITY.keys()], noun: 'a Semgrep severity', quoteInFull: true };

/** What Semgrep writes instead of a fingerprint or the matched lines when the CLI is not logged in. */
const PLACEHOLDER = /^requires[ _-]?login$/i;
const FINGERPRINT_PRIORITY = 5;

/** `A03:2021 - Injection`, `A1: Injection`, `A01:2021-Broken Access Control`. */
const OWASP = /^(A\d{1,2})(?::(\d{4}))?\b\s*[-:–]?\s*(.*)$/;

const SEMGREP: Scanner = { id: 'semgrep', name: 'Semgrep', version: null, vendor: 'Semgrep' };

/** One element of `results` → Finding (scanner completed by the reader). Throws ReportError under `pointer`. */
export function semgrepResult(raw: unknown, pointer: string, scanner: Scanner): Finding {
  const result = object(raw, pointer);
  const checkId = requiredText(result, 'check_id', pointer, FIELD_LIMITS.identifier, clippedText);
  const extraPointer = at(pointer, 'extra');
  const extra = object(result.extra, extraPointer);
  const metadataPointer = at(extraPointer, 'metadata');
  const metadata = optionalObject(extra.metadata, metadataPointer) ?? {};
  const startPointer = at(pointer, 'start');
  const startLine = lineNumber(requiredObject(result.start, startPointer), 'line', startPointer);
  const end = optionalObject(result.end, at(pointer, 'end'));
  const endLine = end && lineNumber(end, 'line', at(pointer, 'end'));

  const location = fileLocation(requiredText(result, 'path', pointer, FIELD_LIMITS.path, clippedText), startLine, endLine);

  const message = prose(extra, 'message', extraPointer, FIELD_LIMITS.description);
  const lines = prose(extra, 'lines', extraPointer, FIELD_LIMITS.snippet);
  const banditCode = clippedText(metadata, 'bandit-code', metadataPointer);
  return {
    title: clip(message === null ? checkId : headline(message), FIELD_LIMITS.title),
    description: message?.trim() ?? null,
    severity: namedSeverity(extra.severity, at(extraPointer, 'severity'), SEVERITY_SCALE),
    confidence: clippedText(metadata, 'confidence', metadataPointer),
    reportType: 'sast',
    scanner,
    identifiers: [
      { type: 'semgrep_id', value: checkId, name: checkId, url: null },
      ...(banditCode === null ? [] : [{ type: 'bandit_test_id', value: banditCode, name: null, url: null }]),
      ...uniqueIdentifiers(textOrList(metadata, 'cwe', metadataPointer).map(cweIdentifier)),
      ...uniqueIdentifiers(textOrList(metadata, 'owasp', metadataPointer).map(owaspIdentifier)),
    ],
    location,
    solution: fixOf(extra, extraPointer),
    links: linksOf(metadata, metadataPointer),
    cvssVectors: [],
    tracking: trackingOf(extra, extraPointer),
    snippet: lines === null || PLACEHOLDER.test(lines.trim()) ? null : lines,
    suppression: flag(extra, 'is_ignored', extraPointer) ? { kind: 'inSource', status: 'accepted', justification: 'nosemgrep' } : null,
    baselineState: null,
    relatedLocations: [],
  };
}

function trackingOf(extra: Json, pointer: string): TrackingSignature[] {
  const fingerprint = clippedText(extra, 'fingerprint', pointer, FIELD_LIMITS.identifier);
  if (fingerprint === null || PLACEHOLDER.test(fingerprint)) return [];
  return [{ algorithm: 'semgrep:fingerprint', value: fingerprint, priority: FINGERPRINT_PRIORITY }];
}

/** `extra.fix` (the replacement text of an autofix rule), else `extra.fix_regex`. */
function fixOf(extra: Json, pointer: string): string | null {
  const fix = prose(extra, 'fix', pointer, FIELD_LIMITS.solution);
  if (fix !== null) return clip(`Replace the matched code with:\n${fix}`, FIELD_LIMITS.solution);
  const regexPointer = at(pointer, 'fix_regex');
  const fixRegex = optionalObject(extra.fix_regex, regexPointer);
  const regex = fixRegex && prose(fixRegex, 'regex', regexPointer, FIELD_LIMITS.solution);
  if (regex === null) return null;
  const replacement = prose(fixRegex!, 'replacement', regexPointer, FIELD_LIMITS.solution) ?? '';
  return clip(`Replace what the regular expression ${regex} matches with: ${replacement}`, FIELD_LIMITS.solution);
}

function linksOf(metadata: Json, pointer: string): Finding['links'] {
  const references = textOrList(metadata, 'references', pointer).map((url) => ({ name: null, url }));
  const rule = clippedText(metadata, 'source', pointer) ?? clippedText(metadata, 'source-rule-url', pointer);
  const all = rule === null ? references : [...references, { name: 'Semgrep rule', url: rule }];
  return all.filter((link, i) => all.findIndex((l) => l.url === link.url) === i);
}

function owaspIdentifier(text: string): Identifier | null {
  const match = OWASP.exec(text);
  if (!match) return null;
  return { type: 'owasp', value: match[2] ? `${match[1]}:${match[2]}` : match[1]!, name: match[3] || null, url: null };
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
          version = clippedText({ version: value }, 'version', '');
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
