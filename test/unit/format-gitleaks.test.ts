import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { fingerprintsOf } from '../../src/vulns/fingerprint.js';
import { gitleaksFormat, SECRET_SOLUTION } from '../../src/vulns/formats/gitleaks.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import { emptyLocation, type Finding } from '../../src/vulns/model.js';
import { fixturePath, readWith, recognisedFixtures, rejectsAt, truncated } from '../support/report-fixtures.js';

const MANY = fixturePath('gitleaks/gitleaks8_many.json');

type Leak = Record<string, unknown>;

/** Reads through the driver, and checks every finding against every Secret and Match of the input. */
async function read(source: string | Buffer | unknown[]): Promise<ParsedReport> {
  const report = await readWith([gitleaksFormat], source);
  const leaks = (typeof source === 'string' ? JSON.parse(fs.readFileSync(source, 'utf8')) : Buffer.isBuffer(source) ? JSON.parse(source.toString('utf8')) : source) as Leak[];
  const secrets = leaks.flatMap((leak) => [leak.Secret, leak.Match]);
  for (const finding of report.findings) assertNoSecretOutsideSnippet(finding, secrets);
  return report;
}

const rejects = (source: Buffer | unknown[], pointer: string, message: string | RegExp) => rejectsAt(read(source), pointer, message);

/** Fails when any field but `snippet` holds one of the secrets. */
function assertNoSecretOutsideSnippet(finding: Finding, secrets: unknown[]): void {
  const shown = JSON.stringify({ ...finding, snippet: null });
  for (const secret of secrets) if (typeof secret === 'string' && secret !== '') assert.ok(!shown.includes(secret), `the secret ${secret} is outside the snippet`);
}

const LEAK: Leak = {
  Description: 'Generic API Key',
  StartLine: 4,
  EndLine: 4,
  StartColumn: 1,
  EndColumn: 30,
  Match: 'token = "s3cr3t-t0k3n-value"',
  Secret: 's3cr3t-t0k3n-value',
  File: 'src/settings.py',
  SymlinkFile: '',
  Commit: 'a'.repeat(40),
  Entropy: 3.5,
  Author: 'Dev',
  Email: 'dev@example.com',
  Date: '2024-01-01T00:00:00Z',
  Message: 'add settings',
  Tags: [],
  RuleID: 'generic-api-key',
  Fingerprint: `${'a'.repeat(40)}:src/settings.py:generic-api-key:4`,
};

async function one(leak: Leak = {}): Promise<Finding> {
  const { findings } = await read([{ ...LEAK, ...leak }]);
  assert.equal(findings.length, 1);
  return findings[0]!;
}

describe('Gitleaks JSON: fixture', () => {
  test('gitleaks8_many.json: 4 findings, all high secret detection, and no secret outside the snippet', async () => {
    // python: len(json.load(f)) = 4; RuleIDs aws-access-token ×2, RSA-PK, generic-api-key.
    const raw = JSON.parse(fs.readFileSync(MANY, 'utf8')) as Leak[];
    const report = await read(MANY);
    assert.equal(report.format, 'gitleaks');
    assert.equal(report.findings.length, 4);
    assert.deepEqual(report.findings.map((f) => f.severity), ['high', 'high', 'high', 'high']);
    assert.deepEqual(report.findings.map((f) => f.identifiers[0]!.value), ['aws-access-token', 'aws-access-token', 'RSA-PK', 'generic-api-key']);
    assert.deepEqual(report.reportTypes, ['secret_detection']);
    assert.deepEqual(report.scanners, [{ id: 'gitleaks', name: 'Gitleaks', version: null, vendor: null }]);
    assert.equal(report.formatVersion, null);
    report.findings.forEach((f, i) => {
      assert.equal(f.reportType, 'secret_detection');
      assert.equal(f.snippet, raw[i]!.Secret);
      assert.deepEqual(f.tracking, []);
    });
    // read() has checked that no field but the snippet holds any Secret or Match of the file.
    assert.ok(!JSON.stringify(report.findings.map((f) => ({ ...f, snippet: null }))).includes('secretAWSsecret'));
  });

  test('gitleaks8_many.json: findings checked in full', async () => {
    const { findings } = await read(MANY);
    const api = findings[3]!;
    assert.equal(api.title, 'Generic API Key');
    assert.deepEqual(api.identifiers, [{ type: 'gitleaks_rule_id', value: 'generic-api-key', name: 'Generic API Key', url: null }]);
    assert.deepEqual(api.location, {
      ...emptyLocation(),
      file: 'tests/api.py',
      startLine: 21,
      endLine: 21,
      commitSha: '69235ea9ea4d59e18e2cc3c295526de46aa1365c1f0c7a95a22ff1537acdf517',
    });
    assert.equal(
      api.description,
      [
        'Gitleaks rule generic-api-key (Generic API Key) matched a secret in tests/api.py, line 21.',
        'Commit: 69235ea9ea4d59e18e2cc3c295526de46aa1365c1f0c7a95a22ff1537acdf517 (2016-09-16T18:17:59Z)',
        'Author: John Doe <john.doe@example.com>',
        'Commit message: Lorem ipsum dolor sit amet,',
        'Entropy: 4.132944',
      ].join('\n'),
    );
    assert.equal(api.solution, SECRET_SOLUTION);
    assert.equal(api.snippet, 'dfjksdjfs3294dfjlsdaf213');
    assert.deepEqual(api.links, []);

    const rsa = findings[2]!;
    assert.deepEqual(rsa.location, { ...emptyLocation(), file: 'conf/rsa.pk', startLine: 57, endLine: 57 });
    assert.equal(rsa.description, 'Gitleaks rule RSA-PK (RSA private key) matched a secret in conf/rsa.pk, line 57.\nTags: tag1, tag2');
    // The file as Gitleaks wrote it (absolute here): no checkout root is known to strip.
    assert.equal(findings[0]!.location.file, '/conf/aws.tf');
  });

  test('the same secret in two commits has the same fingerprints: ingest keeps one finding', async () => {
    const { findings } = await read(MANY);
    assert.notEqual(findings[0]!.location.commitSha, findings[1]!.location.commitSha);
    assert.deepEqual(fingerprintsOf(findings[0]!), fingerprintsOf(findings[1]!));
    assert.deepEqual(fingerprintsOf(findings[0]!).map((f) => f.algorithm), ['content', 'location', 'coarse']);
  });
});

describe('Gitleaks JSON: detection', () => {
  test('recognises the Gitleaks fixture and no other (Trivy legacy is an array too)', () => {
    assert.deepEqual(recognisedFixtures(gitleaksFormat), ['gitleaks/gitleaks8_many.json']);
  });

  test('an empty array cannot be told from any other empty array', async () => {
    await rejects(Buffer.from('[]'), '', 'not a known report format: a JSON array matches none of Gitleaks JSON');
  });
});

describe('Gitleaks JSON: values', () => {
  test('text that holds the secret is left out; the title falls back to the rule', async () => {
    const f = await one({ Message: 'oops, committed s3cr3t-t0k3n-value', Description: 'key s3cr3t-t0k3n-value', Tags: ['s3cr3t-t0k3n-value'] });
    assert.equal(f.title, 'generic-api-key');
    assert.equal(f.identifiers[0]!.name, null);
    assert.ok(!f.description!.includes('Commit message') && !f.description!.includes('Tags'));
  });

  test('--redact: the snippet is the Match; SymlinkFile and Link are kept; blank Commit is none', async () => {
    const f = await one({ Secret: 'REDACTED', Match: 'token = "REDACTED"', SymlinkFile: 'link.py', Link: 'https://example.com/r/blob/x/src/settings.py#L4', Commit: '' });
    assert.equal(f.snippet, 'token = "REDACTED"');
    assert.ok(f.description!.includes('Found through the symbolic link link.py.'));
    assert.deepEqual(f.links, [{ name: 'Secret location', url: 'https://example.com/r/blob/x/src/settings.py#L4' }]);
    assert.equal(f.location.commitSha, null);
  });

  test('no file and no lines (stdin): still a finding', async () => {
    const f = await one({ File: '', StartLine: 0, EndLine: 0 });
    assert.deepEqual([f.location.file, f.location.startLine, f.location.endLine], [null, null, null]);
    assert.equal(f.description!.split('\n')[0], 'Gitleaks rule generic-api-key (Generic API Key) matched a secret.');
  });
});

describe('Gitleaks JSON: bad input', () => {
  test('a truncated report ends early', async () => {
    await rejects(truncated(MANY), '', /ends early after \d+ bytes \(truncated\?\)/);
  });

  test('wrong values name their pointer', async () => {
    await rejects([LEAK, { ...LEAK, RuleID: '' }], '/1/RuleID', 'must be a non-empty string');
    await rejects([{ ...LEAK, StartLine: '4' }], '/0/StartLine', 'must be an integer');
    await rejects([{ ...LEAK, Secret: 42 }], '/0/Secret', 'must be a string');
    await rejects([{ ...LEAK, File: {} }], '/0/File', 'must be a string');
    await rejects([{ ...LEAK, Tags: [1] }], '/0/Tags/0', 'must be a string');
    await rejects([{ ...LEAK, Entropy: 'high' }], '/0/Entropy', 'must be a number');
    await rejects([LEAK, 'leak'], '/1', 'must be an object');
  });
});
