import type { Finding, Location, Scanner } from '../model.js';
import type { ReportFormat, ReportReader } from './format.js';
import { FIELD_LIMITS } from './limits.js';
import { fileLocation } from './finding-parts.js';
import { at, clippedText, flag, isObject, lineNumber, object, optionalObject, prose, requiredObject, requiredText, UNCLIPPED, type Json } from './json-read.js';
import { ReportError } from './report-error.js';
import { secretFinding, withoutSecrets } from './gitleaks.js';

/**
 * TruffleHog v3 JSON (`trufflehog <source> --json`): JSON Lines, one record per secret: `{SourceMetadata: {Data:
 * {<Source>: {file, line, commit, email, repository, link, timestamp, …}}}, SourceID, SourceType, SourceName,
 * DetectorType, DetectorName, DetectorDescription, DecoderName, Verified, VerificationError, Raw, RawV2, Redacted,
 * ExtraData, StructuredData}`. The source kinds (`Git`, `Github`, `Gitlab`, `Filesystem`, `Docker`, `S3`, …) name
 * their fields alike; the first object under `Data` is read.
 *
 * Which records are findings: a record with `SourceMetadata` or `DetectorName` is one. A record with `level` and
 * `msg` and neither of those is one of TruffleHog's own log lines (its JSON logger writes them to stderr; `&>` puts
 * them in the file): it is skipped, except that "finished scanning" gives TruffleHog's version. Any other record is
 * a ReportError.
 *
 * Policy as in semgrep.ts, with the same reads (wrong types → ReportError at the pointer, absent/blank → null, clipped, NULs removed).
 * - The secret (`RawV2`, else `Raw`) is the snippet and nothing else: identity hashes it, ingest redacts it for
 *   display. `Redacted` is TruffleHog's display form and goes into the description — unless it contains the raw
 *   secret (for AWS keys it is the key id, which older versions also write as `Raw`); no other text that contains a
 *   raw secret (as written, or base64-decoded: some 3.x releases write `Raw` as Go's base64 `[]byte`) is kept.
 * - Severity: `Verified: true` — TruffleHog logged in with it — is `critical`; otherwise `high` (a credential-shaped
 *   string that could not be, or was not, checked), as Gitleaks' findings.
 * - Identifier: `trufflehog_detector` (the DetectorName). Location: file, line, commit and, for Docker, the image.
 * - No tracking: TruffleHog writes no id for a finding.
 */

const SCANNER: Scanner = { id: 'trufflehog', name: 'TruffleHog', version: null, vendor: 'Truffle Security' };

/** Fields of a source's metadata that locate the secret. */
interface Source {
  location: Location;
  repository: string | null;
  link: string | null;
  email: string | null;
  timestamp: string | null;
}

/** A string that is base64 (as Go writes `[]byte`) and decodes to text: the decoded text; else null. */
function base64Text(value: string): string | null {
  if (value.length < 8 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
  const text = Buffer.from(value, 'base64').toString('utf8');
  return /^[\P{C}\t\r\n]+$/u.test(text) ? text : null;
}

function sourceOf(record: Json, pointer: string): Source {
  const metadataPointer = at(pointer, 'SourceMetadata');
  const dataPointer = at(metadataPointer, 'Data');
  const data = optionalObject(requiredObject(record.SourceMetadata, metadataPointer).Data, dataPointer) ?? {};
  const kind = Object.keys(data).find((k) => data[k] != null);
  const p = kind === undefined ? dataPointer : at(dataPointer, kind);
  const fields = kind === undefined ? {} : object(data[kind], p);
  const line = lineNumber(fields, 'line', p);
  const location = fileLocation(clippedText(fields, 'file', p, FIELD_LIMITS.path), line, line);
  location.commitSha = clippedText(fields, 'commit', p);
  location.image = clippedText(fields, 'image', p);
  return {
    location,
    repository: clippedText(fields, 'repository', p),
    link: clippedText(fields, 'link', p),
    email: clippedText(fields, 'email', p),
    timestamp: clippedText(fields, 'timestamp', p),
  };
}

/** `ExtraData`: what the detector learnt (account, ARN, rotation guide), scalar values only, as `key: value` lines. */
function extraLines(value: unknown, pointer: string): string[] {
  const extra = optionalObject(value, pointer) ?? {};
  return Object.entries(extra).flatMap(([key, v]) =>
    typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? [`${key}: ${String(v)}`] : [],
  );
}

/** One finding record → Finding. Throws ReportError under `pointer`. */
export function trufflehogRecord(record: Json, pointer: string): Finding {
  const raw = prose(record, 'Raw', pointer, UNCLIPPED);
  const rawV2 = prose(record, 'RawV2', pointer, UNCLIPPED);
  const secrets = [raw, rawV2].filter((s): s is string => s !== null);
  const safe = withoutSecrets([...secrets, ...secrets.map(base64Text).filter((s): s is string => s !== null)]);
  const detector = requiredText(record, 'DetectorName', pointer, FIELD_LIMITS.identifier, clippedText);
  const verified = flag(record, 'Verified', pointer);
  const source = sourceOf(record, pointer);
  const { file, startLine, commitSha } = source.location;

  const decoder = clippedText(record, 'DecoderName', pointer);
  const redacted = clippedText(record, 'Redacted', pointer);
  const sourceName = clippedText(record, 'SourceName', pointer);
  const parts = [
    safe(`TruffleHog's ${detector} detector found a secret${file === null ? '' : ` in ${file}${startLine === null ? '' : `, line ${startLine}`}`}.`) ??
      `TruffleHog's ${detector} detector found a secret.`,
    verified ? 'TruffleHog verified that the secret is live.' : 'TruffleHog did not verify the secret.',
    safe(clippedText(record, 'VerificationError', pointer)),
    safe(clippedText(record, 'DetectorDescription', pointer)),
    safe(redacted && `Redacted: ${redacted}`),
    decoder !== null && decoder.toUpperCase() !== 'PLAIN' ? `Found after decoding: ${decoder}` : null,
    safe(source.repository && `Repository: ${source.repository}`),
    safe(commitSha && `Commit: ${commitSha}${source.timestamp === null ? '' : ` (${source.timestamp})`}`),
    safe(source.email && `Author: ${source.email}`),
    safe(sourceName && `Source: ${sourceName}`),
    ...extraLines(record.ExtraData, at(pointer, 'ExtraData')).map(safe),
  ];
  return secretFinding({
    title: `${detector} secret`,
    description: parts.filter(Boolean).join('\n'),
    severity: verified ? 'critical' : 'high',
    scanner: SCANNER,
    identifier: { type: 'trufflehog_detector', value: detector, name: detector, url: null },
    location: source.location,
    link: safe(source.link),
    secret: rawV2 ?? raw,
  });
}

const isFinding = (record: Json) => record.SourceMetadata !== undefined || record.DetectorName !== undefined;
const isLogLine = (record: Json) => typeof record.level === 'string' && typeof record.msg === 'string';

/**
 * One top-level record: a Finding, or null for a log line. `version` receives TruffleHog's version when the
 * record is the "finished scanning" log line that names it.
 */
function trufflehogLine(value: unknown, pointer: string, version: (v: string) => void): Finding | null {
  const record = object(value, pointer);
  if (isFinding(record)) return trufflehogRecord(record, pointer);
  if (!isLogLine(record)) {
    throw new ReportError(pointer, 'is neither a TruffleHog finding (SourceMetadata, DetectorName) nor a TruffleHog log line (level, msg)');
  }
  const named = clippedText(record, 'trufflehog_version', pointer);
  if (named !== null) version(named);
  return null;
}


function reader(): ReportReader {
  const findings: Finding[] = [];
  let version: string | null = null;
  const setVersion = (v: string) => {
    version = v;
  };
  return {
    elementPaths: ['$'],
    headerPaths: [],
    take(_keys, value, pointer) {
      const finding = trufflehogLine(value, pointer, setVersion);
      if (finding) findings.push(finding);
    },
    finish() {
      const scanner = { ...SCANNER, version };
      return { formatVersion: null, scanners: [scanner], reportTypes: ['secret_detection'], findings: findings.map((f) => ({ ...f, scanner })) };
    },
  };
}

/** TruffleHog v3's `--json` output: JSON Lines of findings (and, when stderr was captured too, log lines). */
export const trufflehogFormat: ReportFormat = {
  id: 'trufflehog',
  name: 'TruffleHog v3 JSON Lines',
  container: 'json-stream',
  detection: 'JSON Lines whose first record has "SourceMetadata" and "DetectorName", or is a TruffleHog log line ("logger": "trufflehog")',
  reportTypes: ['secret_detection'],
  detect(opening) {
    if (opening.container !== 'json-stream' || !isObject(opening.first)) return false;
    const first = opening.first;
    return (isObject(first.SourceMetadata) && typeof first.DetectorName === 'string') || (isLogLine(first) && first.logger === 'trufflehog');
  },
  reader,
};
