import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { fingerprintsOf } from '../../src/vulns/fingerprint.js';
import { SECRET_SOLUTION } from '../../src/vulns/formats/gitleaks.js';
import { trufflehogFormat } from '../../src/vulns/formats/trufflehog.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import { emptyLocation, type Finding } from '../../src/vulns/model.js';
import { fixturePath, jsonLines, readWith, recognisedFixtures, rejectsAt, truncated } from '../support/report-fixtures.js';

const GITHUB = fixturePath('trufflehog/v3_github.json');
const FORMATS = [trufflehogFormat];

type Json = Record<string, unknown>;

/**
 * Reads JSON Lines from records (objects) or lines (strings), or a file, through the driver; checks every finding
 * against every raw secret of the input.
 */
async function read(source: string | Buffer | (Json | string)[]): Promise<ParsedReport> {
  const bytes = typeof source === 'string' ? fs.readFileSync(source) : Buffer.isBuffer(source) ? source : jsonLines(source, { rawStrings: true });
  const report = await readWith(FORMATS, bytes);
  const input = bytes.toString('utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
  const secrets = input.flatMap((r) => (r !== null && typeof r === 'object' ? secretsOf(r as Json) : []));
  for (const finding of report.findings) assertNoSecretOutsideSnippet(finding, secrets);
  return report;
}

const rejects = (source: Buffer | (Json | string)[], pointer: string, message: string | RegExp) => rejectsAt(read(source), pointer, message);

const records = (): Json[] =>
  fs
    .readFileSync(GITHUB, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Json);

/** The raw secret as written and, when it is base64, decoded (computed here independently of the module). */
function secretsOf(record: Json): string[] {
  return [record.Raw, record.RawV2].flatMap((raw) => (typeof raw === 'string' && raw !== '' ? [raw, Buffer.from(raw, 'base64').toString('utf8')] : []));
}

/** Fails when any field but `snippet` holds one of the secrets. */
function assertNoSecretOutsideSnippet(finding: Finding, secrets: string[]): void {
  const shown = JSON.stringify({ ...finding, snippet: null });
  for (const secret of secrets) if (secret.length >= 8) assert.ok(!shown.includes(secret), `the secret ${secret.slice(0, 12)}… is outside the snippet`);
}

const RECORD: Json = {
  SourceMetadata: { Data: { Git: { commit: 'b'.repeat(40), file: 'config/.env', line: 7, email: 'Dev <dev@example.com>', repository: 'https://example.com/r.git', timestamp: '2024-01-01 00:00:00 +0000' } } },
  SourceID: 1,
  SourceType: 16,
  SourceName: 'trufflehog - git',
  DetectorType: 9,
  DetectorName: 'Slack',
  DecoderName: 'PLAIN',
  Verified: false,
  Raw: 'xoxb-1234567890-abcdefghij',
  RawV2: '',
  Redacted: 'xoxb-****',
  ExtraData: null,
  StructuredData: null,
};

async function one(record: Json = {}): Promise<Finding> {
  const merged = { ...RECORD, ...record };
  const { findings } = await read([merged]);
  assert.equal(findings.length, 1);
  return findings[0]!;
}

const LOG_START = { level: 'info-0', ts: '2024-10-18T04:59:55Z', logger: 'trufflehog', msg: 'running source', source_manager_worker_id: 'ei5cp', with_units: true };
const LOG_END = { level: 'info-0', ts: '2024-10-18T05:00:01Z', logger: 'trufflehog', msg: 'finished scanning', chunks: 2, verified_secrets: 0, unverified_secrets: 1, trufflehog_version: '3.82.11' };

describe('TruffleHog v3 JSON Lines: fixture', () => {
  test('v3_github.json: 4 findings, all verified (critical), and no secret outside the snippet', async () => {
    // python: 4 non-empty lines, each a record with DetectorName (AWS, URI, PrivateKey, URI) and Verified true.
    const report = await read(GITHUB);
    assert.equal(report.format, 'trufflehog');
    assert.equal(report.findings.length, 4);
    assert.deepEqual(report.findings.map((f) => f.severity), ['critical', 'critical', 'critical', 'critical']);
    assert.deepEqual(report.findings.map((f) => f.identifiers[0]!.value), ['AWS', 'URI', 'PrivateKey', 'URI']);
    assert.deepEqual(report.scanners, [{ id: 'trufflehog', name: 'TruffleHog', version: null, vendor: 'Truffle Security' }]);
    assert.deepEqual(report.reportTypes, ['secret_detection']);
    assert.equal(report.formatVersion, null);
    const raw = records();
    report.findings.forEach((f, i) => {
      assert.equal(f.snippet, raw[i]!.Raw);
      assert.deepEqual(f.tracking, []);
    });
    // read() has checked every finding against every Raw/RawV2 of the file (as written and base64-decoded).
    assert.ok(!JSON.stringify(report.findings.map((f) => ({ ...f, snippet: null }))).includes('AKIAYVP4CIPPERUVIFXG'));
  });

  test('v3_github.json: findings checked in full', async () => {
    const { findings } = await read(GITHUB);
    const aws = findings[0]!;
    assert.equal(aws.title, 'AWS secret');
    assert.deepEqual(aws.identifiers, [{ type: 'trufflehog_detector', value: 'AWS', name: 'AWS', url: null }]);
    assert.deepEqual(aws.location, { ...emptyLocation(), file: 'keys', startLine: 4, endLine: 4, commitSha: 'fbc14303ffbf8fb1c2c1914e8dda7d0121633aca' });
    assert.equal(aws.snippet, 'QUtJQVlWUDRDSVBQRVJVVklGWEc=');
    // `Redacted` is the key id, which `Raw` holds in base64: it is left out.
    assert.equal(
      aws.description,
      [
        "TruffleHog's AWS detector found a secret in keys, line 4.",
        'TruffleHog verified that the secret is live.',
        'Repository: https://github.com/trufflesecurity/test_keys.git',
        'Commit: fbc14303ffbf8fb1c2c1914e8dda7d0121633aca (2022-06-16 10:17:40 -0700 -0700)',
        'Author: counter <counter@counters-MacBook-Air.local>',
        'Source: trufflehog - github',
        'account: 595918472158',
        'arn: arn:aws:iam::595918472158:user/canarytokens.com@@mirux23ppyky6hx3l6vclmhnj',
        'user_id: AIDAYVP4CIPPJ5M54LRCY',
      ].join('\n'),
    );
    assert.deepEqual(aws.links, [{ name: 'Secret location', url: 'https://github.com/trufflesecurity/test_keys/blob/fbc14303ffbf8fb1c2c1914e8dda7d0121633aca/keys' }]);
    assert.equal(aws.solution, SECRET_SOLUTION);
    assert.equal(aws.reportType, 'secret_detection');

    const uri = findings[1]!;
    assert.equal(uri.title, 'URI secret');
    assert.ok(uri.description!.includes('Redacted: https://*****:*****@the-internet.herokuapp.com/basic_auth'));
    assert.deepEqual([uri.location.file, uri.location.startLine, uri.location.commitSha], ['keys', 3, '77b2a3e56973785a52ba4ae4b8dac61d4bac016f']);
  });

  test('records 2 and 4 are the same secret: same fingerprints, so ingest keeps one finding', async () => {
    const { findings } = await read(GITHUB);
    assert.deepEqual(fingerprintsOf(findings[1]!), fingerprintsOf(findings[3]!));
    assert.notDeepEqual(fingerprintsOf(findings[1]!), fingerprintsOf(findings[2]!));
  });
});

describe('TruffleHog v3 JSON Lines: detection', () => {
  test('recognises the TruffleHog fixture and no other; the single-record format recognises none of them', () => {
    assert.deepEqual(recognisedFixtures(trufflehogFormat), ['trufflehog/v3_github.json']);
  });

  test('one secret is one JSON object: the driver reads it as a one-record stream, the same finding', async () => {
    const first = fs.readFileSync(GITHUB, 'utf8').split('\n')[0]!;
    const single = await read(Buffer.from(`${first}\n`));
    assert.equal(single.format, 'trufflehog');
    const stream = await read(GITHUB);
    assert.deepEqual(single.findings, [stream.findings[0]]);
  });

  test('log lines (stderr captured with &>) are skipped; "finished scanning" gives the version', async () => {
    const report = await read([LOG_START, RECORD, LOG_END]);
    assert.equal(report.format, 'trufflehog');
    assert.equal(report.findings.length, 1);
    assert.deepEqual(report.scanners[0], { id: 'trufflehog', name: 'TruffleHog', version: '3.82.11', vendor: 'Truffle Security' });
    assert.equal(report.findings[0]!.scanner.version, '3.82.11');
    // Only log lines: a scan that found nothing.
    assert.equal((await read([LOG_START, LOG_END])).findings.length, 0);
  });
});

describe('TruffleHog v3 JSON Lines: values', () => {
  test('an unverified secret is high; plain Raw; Git source', async () => {
    const f = await one();
    assert.equal(f.severity, 'high');
    assert.equal(f.title, 'Slack secret');
    assert.equal(f.snippet, 'xoxb-1234567890-abcdefghij');
    assert.deepEqual(f.location, { ...emptyLocation(), file: 'config/.env', startLine: 7, endLine: 7, commitSha: 'b'.repeat(40) });
    assert.ok(f.description!.includes('TruffleHog did not verify the secret.'));
    assert.ok(f.description!.includes('Redacted: xoxb-****'));
  });

  test('RawV2 is the snippet when given; Redacted equal to the secret is left out', async () => {
    const f = await one({ Raw: 'AKIAEXAMPLEKEYID0000', RawV2: 'AKIAEXAMPLEKEYID0000:wJalrXUtnFEMI/K7MDENG', Redacted: 'AKIAEXAMPLEKEYID0000' });
    assert.equal(f.snippet, 'AKIAEXAMPLEKEYID0000:wJalrXUtnFEMI/K7MDENG');
    assert.ok(!f.description!.includes('Redacted'));
  });

  test('Filesystem and Docker sources; a decoder other than PLAIN is said', async () => {
    const fsSource = await one({ SourceMetadata: { Data: { Filesystem: { file: './deploy/../app/key.pem', line: 1 } } }, DecoderName: 'BASE64' });
    assert.deepEqual(fsSource.location, { ...emptyLocation(), file: 'app/key.pem', startLine: 1, endLine: 1 });
    assert.ok(fsSource.description!.includes('Found after decoding: BASE64'));
    const docker = await one({ SourceMetadata: { Data: { Docker: { image: 'registry.example.com/app:1.2', file: '/etc/app.conf', layer: 'sha256:abc' } } } });
    assert.deepEqual([docker.location.image, docker.location.file, docker.location.startLine], ['registry.example.com/app:1.2', '/etc/app.conf', null]);
  });
});

describe('TruffleHog v3 JSON Lines: bad input', () => {
  test('a truncated report ends early', async () => {
    await rejects(truncated(GITHUB), '', /ends early after \d+ bytes \(truncated\?\)/);
  });

  test('wrong values name their pointer (record index first)', async () => {
    await rejects([RECORD, { ...RECORD, Verified: 'true' }], '/1/Verified', 'must be true or false');
    await rejects([RECORD, { ...RECORD, DetectorName: '' }], '/1/DetectorName', 'must be a non-empty string');
    await rejects([RECORD, { ...RECORD, Raw: 5 }], '/1/Raw', 'must be a string');
    await rejects([RECORD, { ...RECORD, SourceMetadata: undefined }], '/1/SourceMetadata', 'is required');
    await rejects([RECORD, { ...RECORD, SourceMetadata: { Data: [] } }], '/1/SourceMetadata/Data', 'must be an object');
    await rejects([RECORD, { ...RECORD, SourceMetadata: { Data: { Git: { line: '7' } } } }], '/1/SourceMetadata/Data/Git/line', 'must be an integer');
    await rejects([RECORD, { ...RECORD, ExtraData: 'x' }], '/1/ExtraData', 'must be an object');
    await rejects([RECORD, { hello: 'world' }], '/1', 'is neither a TruffleHog finding (SourceMetadata, DetectorName) nor a TruffleHog log line (level, msg)');
    await rejects([RECORD, '[1, 2]'], '/1', 'must be an object');
  });

  test('a single record is record 0, like the first line of a longer file', async () => {
    await rejects(Buffer.from(JSON.stringify({ ...RECORD, Verified: 1 })), '/0/Verified', 'must be true or false');
  });
});
