import type { Finding, Identifier, Location, Scanner } from '../model.js';
import type { ReportFormat } from './format.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { fileLocation } from './finding-parts.js';
import { at, clippedText, lineNumber, object, prose, requiredText, textOrList, UNCLIPPED, type Json } from './json-read.js';
import { listReader } from './list-reader.js';
import { ReportError } from './report-error.js';

/**
 * Gitleaks 8 JSON (`gitleaks detect --report-format json`): a top-level array of `{Description, StartLine, EndLine,
 * StartColumn, EndColumn, Match, Secret, File, SymlinkFile, Commit, Link, Entropy, Author, Email, Date, Message, Tags,
 * RuleID, Fingerprint}`, one secret each.
 *
 * Policy as in semgrep.ts, with the same reads (wrong types → ReportError at the pointer, absent/blank → null, clipped, NULs removed).
 * - The secret is never stored as such: `Secret` (else `Match`) is the snippet only — identity hashes it into the
 *   content fingerprint and ingest redacts it for display. No other field is built from `Secret` or `Match`, and any
 *   text from the report that contains one of them (a commit message, a tag) is left out.
 * - Severity: Gitleaks rates nothing. Every finding is `high`: a matched secret is a credential until shown otherwise,
 *   but Gitleaks does not check that it is live; `critical` is kept for secrets a scanner verified (TruffleHog's
 *   `Verified`), so the two secret scanners rank alike. (GitLab rates every Gitleaks finding Critical.)
 * - Identifier: `gitleaks_rule_id` (the RuleID, named by the Description), as GitLab's secret analyzer types it.
 * - Location: `File` normalised, `StartLine`–`EndLine`, `Commit` as the commit (`commitSha`).
 * - No tracking: Gitleaks' `Fingerprint` is `commit:file:rule:line` (`file:rule:line` without git): it changes with
 *   every moved line and names one commit, so it does not follow a secret across scans.
 */

const GITLEAKS: Scanner = { id: 'gitleaks', name: 'Gitleaks', version: null, vendor: null };

/** What to do about any leaked secret (Gitleaks and TruffleHog). */
export const SECRET_SOLUTION =
  'Revoke the secret and issue a new one, then remove it from the code and load it from a secret store. ' +
  'Removing it from the code or the git history does not make a leaked secret safe again.';

/** Placeholder written instead of the secret by `gitleaks detect --redact`. */
const REDACTED = 'REDACTED';

/**
 * Texts that contain none of the secrets: `text` itself, or null when it does. A guard for every field that is
 * displayed or stored in the clear.
 */
export function withoutSecrets(secrets: readonly string[]): (text: string | null) => string | null {
  const needles = secrets.filter((s) => s.trim() !== '');
  return (text) => (text === null || needles.some((s) => text.includes(s)) ? null : text);
}

/** What a secret finding is made of besides the constants (report type, solution, no tracking, no suppression). */
export interface SecretParts {
  title: string;
  description: string;
  severity: Finding['severity'];
  scanner: Scanner;
  identifier: Identifier;
  location: Location;
  /** Where the secret is on the web (a link to the file at the commit), already checked for the secret. */
  link: string | null;
  /** The secret itself: the snippet, and nothing else. */
  secret: string | null;
}

export function secretFinding(parts: SecretParts): Finding {
  return {
    title: clip(parts.title, FIELD_LIMITS.title),
    description: clip(parts.description, FIELD_LIMITS.description),
    severity: parts.severity,
    confidence: null,
    reportType: 'secret_detection',
    scanner: parts.scanner,
    identifiers: [parts.identifier],
    location: parts.location,
    solution: SECRET_SOLUTION,
    links: parts.link === null ? [] : [{ name: 'Secret location', url: parts.link }],
    cvssVectors: [],
    tracking: [],
    snippet: parts.secret === null ? null : clip(parts.secret, FIELD_LIMITS.snippet),
    suppression: null,
    baselineState: null,
    relatedLocations: [],
  };
}

/** One element of the top-level array → Finding. Throws ReportError under `pointer`. */
export function gitleaksLeak(raw: unknown, pointer: string): Finding {
  const leak = object(raw, pointer);
  const secret = prose(leak, 'Secret', pointer, UNCLIPPED);
  const match = prose(leak, 'Match', pointer, UNCLIPPED);
  const safe = withoutSecrets([secret, match].filter((s): s is string => s !== null));
  const ruleId = requiredText(leak, 'RuleID', pointer, FIELD_LIMITS.identifier, clippedText);
  const description = safe(clippedText(leak, 'Description', pointer, FIELD_LIMITS.identifier));
  const location = fileLocation(clippedText(leak, 'File', pointer, FIELD_LIMITS.path), lineNumber(leak, 'StartLine', pointer), lineNumber(leak, 'EndLine', pointer));
  location.commitSha = clippedText(leak, 'Commit', pointer);
  return secretFinding({
    title: description ?? ruleId,
    description: describe(leak, pointer, { ruleId, description, file: location.file, line: location.startLine, commit: location.commitSha }, safe),
    severity: 'high',
    scanner: GITLEAKS,
    identifier: { type: 'gitleaks_rule_id', value: ruleId, name: description, url: null },
    location,
    link: safe(clippedText(leak, 'Link', pointer)),
    secret: secret !== null && secret.trim() !== REDACTED ? secret : match,
  });
}

/** The leak in words: rule, place, commit and author, tags, entropy — each part only when it holds no secret. */
function describe(
  leak: Json,
  pointer: string,
  known: { ruleId: string; description: string | null; file: string | null; line: number | null; commit: string | null },
  safe: (text: string | null) => string | null,
): string {
  const where = known.file === null ? '' : ` in ${known.file}${known.line === null ? '' : `, line ${known.line}`}`;
  const author = clippedText(leak, 'Author', pointer);
  const email = clippedText(leak, 'Email', pointer);
  const date = clippedText(leak, 'Date', pointer);
  const message = clippedText(leak, 'Message', pointer)?.split(/\r?\n/)[0] ?? null;
  const symlink = clippedText(leak, 'SymlinkFile', pointer, FIELD_LIMITS.path);
  const tags = textOrList(leak, 'Tags', pointer);
  const entropy = leak.Entropy;
  if (entropy != null && typeof entropy !== 'number') throw new ReportError(at(pointer, 'Entropy'), 'must be a number');
  const parts = [
    safe(`Gitleaks rule ${known.ruleId}${known.description === null ? '' : ` (${known.description})`} matched a secret${where}.`) ??
      `Gitleaks rule ${known.ruleId} matched a secret.`,
    safe(symlink && `Found through the symbolic link ${symlink}.`),
    safe(known.commit && `Commit: ${known.commit}${date === null ? '' : ` (${date})`}`),
    safe(author || email ? `Author: ${[author, email && `<${email}>`].filter(Boolean).join(' ')}` : null),
    safe(message && `Commit message: ${message}`),
    safe(tags.length > 0 ? `Tags: ${tags.join(', ')}` : null),
    typeof entropy === 'number' && entropy > 0 ? `Entropy: ${entropy}` : null,
  ];
  return clip(parts.filter(Boolean).join('\n'), FIELD_LIMITS.description);
}

/** Gitleaks 8's JSON report: an array whose elements name a RuleID and carry the Secret or Match. */
export const gitleaksFormat: ReportFormat = {
  id: 'gitleaks',
  name: 'Gitleaks JSON',
  container: 'json',
  detection: 'a JSON array whose first element has "RuleID" and "Secret" or "Match" (gitleaks 8 --report-format json)',
  reportTypes: ['secret_detection'],
  detect(opening) {
    if (opening.container !== 'json' || opening.rootKind !== 'array') return false;
    const keys = opening.firstElementKeys;
    return keys.includes('RuleID') && (keys.includes('Secret') || keys.includes('Match'));
  },
  reader() {
    return listReader('$.*', gitleaksLeak, (findings) => ({ formatVersion: null, scanners: [GITLEAKS], reportTypes: ['secret_detection'], findings }));
  },
};
