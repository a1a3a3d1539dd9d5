import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { yarnAuditFormat } from '../../src/vulns/formats/yarn-audit.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import { emptyLocation } from '../../src/vulns/model.js';
import { allFixtureFiles, detectsText, fixturePath, fixturesIn, jsonLines, readWith, recognisedFixtures, rejectsAt, truncated } from '../support/report-fixtures.js';

const FIXTURE = fixturePath('yarn-audit/yarn_audit_multiple_cwes.json');
const SCANNER = { id: 'yarn_audit', name: 'yarn audit', version: null, vendor: 'Yarn' };
const SUMMARY = { type: 'auditSummary', data: { vulnerabilities: {}, dependencies: 1 } };

/** A file path, or JSON Lines made of these records (strings are written as they are). */
function read(source: string | Buffer | unknown[]): Promise<ParsedReport> {
  return readWith([yarnAuditFormat], Array.isArray(source) ? jsonLines(source, { rawStrings: true }) : source);
}

const rejects = (source: Buffer | unknown[], pointer: string, message: string | RegExp) => rejectsAt(read(source), pointer, message);

/** An auditAdvisory record for minimist (advisory 1179) reached through `path`, with advisory overrides. */
function advisoryRecord(path: string, advisory: Record<string, unknown> = {}): object {
  return {
    type: 'auditAdvisory',
    data: {
      resolution: { id: 1179, path, dev: false, optional: false, bundled: false },
      advisory: {
        id: 1179,
        title: 'Prototype Pollution',
        module_name: 'minimist',
        severity: 'low',
        cves: [],
        cwe: 'CWE-471',
        url: 'https://github.com/advisories/GHSA-vh95-rmgr-6w4m',
        patched_versions: '>=1.2.3',
        findings: [
          { version: '0.0.8', paths: ['mkdirp>minimist'] },
          { version: '1.2.0', paths: ['optimist>minimist', 'rc>minimist'] },
        ],
        ...advisory,
      },
    },
  };
}

describe('yarn audit: yarn-audit/yarn_audit_multiple_cwes.json', () => {
  // Derived with Python: records = [json.loads(l) for l in f if l.strip()] → 11 auditAdvisory + 1 auditSummary.
  // Keys (advisory.id, advisory.module_name, the findings[].version whose paths include resolution.path):
  // (1028248, nth-check, 1.0.2) × 1, (1028029, node-fetch, 2.6.5) × 5, (1028226, ansi-regex, 4.1.0) × 5
  // → 3 findings; severities moderate, high, moderate → medium 2, high 1.
  test('one finding per advisory, package and installed version', async () => {
    const report = await read(FIXTURE);
    assert.equal(report.format, 'yarn_audit');
    assert.equal(report.formatVersion, null);
    assert.deepEqual(report.scanners, [SCANNER]);
    assert.deepEqual(report.reportTypes, ['dependency_scanning']);
    assert.deepEqual(
      report.findings.map((f) => [f.location.package?.name, f.location.package?.version, f.severity]),
      [
        ['nth-check', '1.0.2', 'medium'],
        ['node-fetch', '2.6.5', 'high'],
        ['ansi-regex', '4.1.0', 'medium'],
      ],
    );
  });

  test('a whole finding: ansi-regex, CWEs merged over its five records (one writes cwe "[]")', async () => {
    const ansiRegex = (await read(FIXTURE)).findings[2]!;
    assert.deepEqual(ansiRegex, {
      title: 'Inefficient Regular Expression Complexity in chalk/ansi-regex', // written with a leading space
      description: 'ansi-regex is vulnerable to Inefficient Regular Expression Complexity',
      severity: 'medium',
      confidence: null,
      reportType: 'dependency_scanning',
      scanner: SCANNER,
      identifiers: [
        { type: 'cve', value: 'CVE-2021-3807', name: null, url: null },
        { type: 'ghsa', value: 'GHSA-93q8-gq69-wqmw', name: null, url: 'https://github.com/advisories/GHSA-93q8-gq69-wqmw' },
        { type: 'npm', value: '1028226', name: null, url: null },
        { type: 'cwe', value: 'CWE-918', name: null, url: null },
        { type: 'cwe', value: 'CWE-1333', name: null, url: null },
      ],
      location: { ...emptyLocation(), file: 'yarn.lock', package: { name: 'ansi-regex', version: '4.1.0', ecosystem: 'npm', purl: 'pkg:npm/ansi-regex@4.1.0', fixedVersions: ['>=5.0.1'] } },
      solution: 'Upgrade to version 5.0.1 or later',
      // `url`, then the URLs of the `references` Markdown list (the advisory URL, last there, only once).
      links: [
        'https://github.com/advisories/GHSA-93q8-gq69-wqmw',
        'https://nvd.nist.gov/vuln/detail/CVE-2021-3807',
        'https://github.com/chalk/ansi-regex/commit/8d1d7cdb586269882c4bdc1b7325d0c58c8f76f9',
        'https://huntr.dev/bounties/5b3cf33b-ede0-4398-9974-800876dfd994',
        'https://github.com/chalk/ansi-regex/issues/38#issuecomment-924086311',
        'https://app.snyk.io/vuln/SNYK-JS-ANSIREGEX-1583908',
        'https://github.com/chalk/ansi-regex/issues/38#issuecomment-925924774',
      ].map((url) => ({ name: null, url })),
      cvssVectors: [{ vendor: null, vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
      tracking: [],
      snippet: null,
      suppression: null,
      baselineState: null,
      relatedLocations: [],
    });
  });

  test('the installed version is the one the resolution path reaches', async () => {
    const report = await read([advisoryRecord('rc>minimist'), advisoryRecord('optimist>minimist'), advisoryRecord('mkdirp>minimist'), SUMMARY]);
    assert.deepEqual(report.findings.map((f) => f.location.package?.version), ['1.2.0', '0.0.8']);
    // A path that no findings entry lists: every version the advisory names.
    assert.deepEqual((await read([advisoryRecord('elsewhere>minimist'), SUMMARY])).findings.map((f) => f.location.package?.version), ['0.0.8', '1.2.0']);
  });

  test('log lines before the audit records are recognised and skipped', async () => {
    const report = await read(['{"type":"warning","data":"package.json: No license field"}', advisoryRecord('rc>minimist'), SUMMARY]);
    assert.equal(report.findings.length, 1);
  });
});

describe('yarn audit: detection', () => {
  test('recognises exactly the yarn-audit fixture among all fixtures', () => {
    assert.ok(allFixtureFiles().length >= 70);
    assert.deepEqual(recognisedFixtures(yarnAuditFormat), fixturesIn('yarn-audit'));
  });

  test('other JSON Lines are not yarn audit', () => {
    const detect = (text: string) => detectsText(yarnAuditFormat, text);
    assert.equal(detect('{"type":"auditSummary","data":{}}\n{"type":"auditSummary","data":{}}'), true);
    assert.equal(detect('{"type":"finding","data":{}}\n{"type":"finding","data":{}}'), false);
    assert.equal(detect('{"type":"warning","data":"x","extra":1}\n{}'), false);
    assert.equal(detect('{"type":"auditAdvisory","data":"x"}\n{}'), false);
  });
});

describe('yarn audit: bad input', () => {
  test('truncated: the first 60% of the fixture (mid-line), or cut at a line boundary before the summary', async () => {
    await rejects(truncated(FIXTURE), '', /ends early.*truncated/);
    const lines = fs.readFileSync(FIXTURE, 'utf8').split('\n');
    await rejects(Buffer.from(lines.slice(0, 6).join('\n')), '', 'the yarn audit stream ends before its auditSummary record (truncated?)');
  });

  test('yarn reported an error', async () => {
    await rejects(['{"type":"info","data":"fetching"}', '{"type":"error","data":"Request failed \\"500 Internal Server Error\\""}'], '', 'yarn audit failed: "Request failed \\"500 Internal Server Error\\""');
  });

  test('wrong values, at /<record>/… pointers', async () => {
    const good = advisoryRecord('rc>minimist');
    await rejects([good, [1], SUMMARY], '/1', 'must be an object');
    await rejects([good, { data: {} }, SUMMARY], '/1/type', 'must be a non-empty string');
    await rejects([good, { type: 'auditAdvisory', data: 'x' }, SUMMARY], '/1/data', 'must be an object');
    await rejects([good, { type: 'auditAdvisory', data: { resolution: {} } }, SUMMARY], '/1/data/advisory', 'must be an object');
    await rejects([good, advisoryRecord('a', { severity: 'severe' }), SUMMARY], '/1/data/advisory/severity', '"severe" is not an npm severity; must be one of info, low, moderate, high, critical');
    await rejects([good, advisoryRecord('a', { findings: [{ version: '1', paths: [1, {}] }] }), SUMMARY], '/1/data/advisory/findings/0/paths/1', 'must be a string');
    await rejects([good, { type: 'auditAdvisory', data: { resolution: { path: [] }, advisory: good } }, SUMMARY], '/1/data/advisory/id', 'must be a non-empty string');
    await rejects([good, { ...good, data: { ...(good as { data: object }).data, resolution: 'x' } }, SUMMARY], '/1/data/resolution', 'must be an object');
    await rejects([good, { type: 'auditSummary', data: [] }], '/1/data', 'must be an object');
  });
});
