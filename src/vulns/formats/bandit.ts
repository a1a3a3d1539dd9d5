import type { Finding, Scanner, Severity } from '../model.js';
import type { ReportFormat } from './format.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { cweIdentifier, fileLocation, headline, uniqueIdentifiers } from './finding-parts.js';
import { at, clippedText, lineNumber, namedSeverity, object, optionalArray, optionalObject, prose, requiredText, UNCLIPPED, type SeverityScale } from './json-read.js';
import { listReader } from './list-reader.js';
import { ReportError } from './report-error.js';

/**
 * Bandit JSON (`bandit -f json`): `{errors, generated_at, metrics, results: [{test_id, test_name, issue_text,
 * issue_severity, issue_confidence, issue_cwe: {id, link}, filename, line_number, line_range, col_offset, code,
 * more_info}]}`. Each element of `results` is one SAST finding. Bandit writes no version of itself.
 *
 * Policy as in semgrep.ts, with the same reads (wrong types → ReportError at the pointer, absent/blank → null, clipped, NULs removed).
 * - Severity: HIGH, MEDIUM, LOW as such; UNDEFINED and absent are unknown; anything else is a ReportError.
 * - Identifiers: `bandit_test_id` (B303, named by the test name), then the CWE of `issue_cwe` (Bandit ≥ 1.7.5).
 * - Location: `filename` normalised (Bandit on Windows writes `dojo/benchmark\views.py`), lines `line_number` to the
 *   last of `line_range`.
 * - Snippet: the lines of `line_range` cut out of `code`, which Bandit writes with context lines, each prefixed with
 *   its number and a space (`"25         x = 1\n26 …"`); the prefix is removed, the code kept as is.
 * - No tracking: Bandit has no id for a result.
 */

const SEVERITY = new Map<string, Severity>([
  ['HIGH', 'high'],
  ['MEDIUM', 'medium'],
  ['LOW', 'low'],
  ['UNDEFINED', 'unknown'],
]);
const SEVERITY_SCALE: SeverityScale = { table: SEVERITY, upperCase: true, names: [...SEVERITY.keys()], noun: 'a Bandit severity', quoteInFull: true };
const BANDIT: Scanner = { id: 'bandit', name: 'Bandit', version: null, vendor: 'PyCQA' };
/** `12 code` (Bandit's `"%i %s"`; a tab in its tabbed form). */
const NUMBERED_LINE = /^(\d+)[ \t]?(.*)$/s;

/** One element of `results` → Finding. Throws ReportError under `pointer`. */
export function banditResult(raw: unknown, pointer: string): Finding {
  const result = object(raw, pointer);
  const testId = requiredText(result, 'test_id', pointer, FIELD_LIMITS.identifier, clippedText);
  const testName = clippedText(result, 'test_name', pointer, FIELD_LIMITS.identifier);
  const text = prose(result, 'issue_text', pointer, FIELD_LIMITS.description);
  const cwePointer = at(pointer, 'issue_cwe');
  const cwe = optionalObject(result.issue_cwe, cwePointer);
  const cweId = cwe && cweNumber(cwe.id, at(cwePointer, 'id'));
  const cweLink = cwe && clippedText(cwe, 'link', cwePointer);
  const cweEntry = cweId === null ? null : cweIdentifier(`CWE-${cweId}`);

  const range = lineRange(result.line_range, at(pointer, 'line_range'));
  const startLine = lineNumber(result, 'line_number', pointer) ?? range[0] ?? null;
  const location = fileLocation(requiredText(result, 'filename', pointer, FIELD_LIMITS.path, clippedText), startLine, range.length > 0 ? Math.max(...range) : null);

  const code = prose(result, 'code', pointer, UNCLIPPED);
  const moreInfo = clippedText(result, 'more_info', pointer);
  return {
    title: text === null ? (testName ?? testId) : clip(headline(text), FIELD_LIMITS.title),
    description: text?.trim() ?? null,
    severity: namedSeverity(result.issue_severity, at(pointer, 'issue_severity'), SEVERITY_SCALE),
    confidence: clippedText(result, 'issue_confidence', pointer),
    reportType: 'sast',
    scanner: BANDIT,
    identifiers: uniqueIdentifiers([
      { type: 'bandit_test_id', value: testId, name: testName, url: moreInfo },
      cweEntry && cweLink ? { ...cweEntry, url: cweLink } : cweEntry,
    ]),
    location,
    solution: null,
    links: moreInfo === null ? [] : [{ name: 'Bandit documentation', url: moreInfo }],
    cvssVectors: [],
    tracking: [],
    snippet: code === null ? null : flaggedLines(code, location.startLine, location.endLine),
    suppression: null,
    baselineState: null,
    relatedLocations: [],
  };
}

/** `issue_cwe.id`: a number (or digits); Bandit's 0 means "no CWE". */
function cweNumber(value: unknown, pointer: string): number | null {
  if (value == null) return null;
  const id = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw new ReportError(pointer, 'must be a CWE number');
  return id === 0 ? null : id;
}

function lineRange(value: unknown, pointer: string): number[] {
  return (optionalArray(value, pointer) ?? []).flatMap((item, i) => {
    if (typeof item !== 'number' || !Number.isInteger(item)) throw new ReportError(at(pointer, i), 'must be an integer');
    return item > 0 ? [item] : [];
  });
}

/** The numbered lines of `code` from `start` to `end`, without their numbers; null when none is there. */
function flaggedLines(code: string, start: number | null, end: number | null): string | null {
  if (start === null) return null;
  const lines: string[] = [];
  for (const line of code.split(/\r?\n/)) {
    const match = NUMBERED_LINE.exec(line);
    const number = match ? Number(match[1]) : NaN;
    if (number >= start && number <= (end ?? start)) lines.push(match![2]!);
  }
  const snippet = lines.join('\n');
  return snippet.trim() === '' ? null : clip(snippet, FIELD_LIMITS.snippet);
}

function looksLikeBandit(keys: string[], generatedAt: unknown): boolean {
  // Bandit sorts its keys: errors, generated_at, metrics (per-file, can be long), results.
  return typeof generatedAt === 'string' && (keys.includes('metrics') || keys.includes('results'));
}

/** Bandit's native JSON output. */
export const banditFormat: ReportFormat = {
  id: 'bandit',
  name: 'Bandit JSON',
  container: 'json',
  detection: 'a JSON object with "generated_at" and "metrics" or "results" (bandit -f json)',
  reportTypes: ['sast'],
  detect(opening) {
    return opening.container === 'json' && opening.rootKind === 'object' && looksLikeBandit(opening.keys, opening.values.generated_at);
  },
  reader() {
    return listReader('$.results.*', banditResult, (findings) => ({ formatVersion: null, scanners: [BANDIT], reportTypes: ['sast'], findings }));
  },
};
