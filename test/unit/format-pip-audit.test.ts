import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pipAuditFormat } from '../../src/vulns/formats/pip-audit.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import { emptyLocation } from '../../src/vulns/model.js';
import { allFixtureFiles, detectsText, fixturePath, fixturesIn, readWith, recognisedFixtures, rejectsAt, truncated, type ReportInput } from '../support/report-fixtures.js';

const FIXTURE = fixturePath('pip-audit/many_vulns_new.json');
const SCANNER = { id: 'pip_audit', name: 'pip-audit', version: null, vendor: 'PyPA' };

const read = (input: ReportInput): Promise<ParsedReport> => readWith([pipAuditFormat], input);
const rejects = (input: Buffer | object, pointer: string, message: string | RegExp) => rejectsAt(read(input), pointer, message);

/** A pip-audit 2 report with one vulnerable dependency, with overrides of it and of its vuln. */
function report(dependency: Record<string, unknown> = {}, vuln: Record<string, unknown> = {}): object {
  const v = { id: 'PYSEC-2023-74', fix_versions: ['2.31.0'], aliases: ['GHSA-j8r2-6x86-q33q', 'CVE-2023-32681'], description: 'Leaks Proxy-Authorization headers.', ...vuln };
  return { dependencies: [{ name: 'requests', version: '2.30.0', vulns: [v], ...dependency }], fixes: [] };
}

describe('pip-audit: pip-audit/many_vulns_new.json', () => {
  // Derived with Python: sum(len(d.get('vulns', [])) for d in doc['dependencies']) = 7 — aiohttp 1, django 1,
  // lxml 1, twisted 4; adal and alabaster have none, azure-devops is skipped. pip-audit rates nothing: 7 unknown.
  test('one finding per dependency and vuln', async () => {
    const result = await read(FIXTURE);
    assert.equal(result.format, 'pip_audit');
    assert.equal(result.formatVersion, null);
    assert.deepEqual(result.scanners, [SCANNER]);
    assert.deepEqual(result.reportTypes, ['dependency_scanning']);
    assert.deepEqual(
      result.findings.map((f) => `${f.location.package?.name}@${f.location.package?.version} ${f.identifiers[0]!.value}`),
      ['aiohttp@3.6.2 PYSEC-2021-76', 'django@3.2.9 PYSEC-2021-439', 'lxml@4.6.4 PYSEC-2021-852', 'twisted@18.9.0 PYSEC-2019-128', 'twisted@18.9.0 PYSEC-2020-260', 'twisted@18.9.0 PYSEC-2019-129', 'twisted@18.9.0 PYSEC-2020-259'],
    );
    assert.ok(result.findings.every((f) => f.severity === 'unknown'));
    // lxml's fix_versions is []: no solution.
    assert.equal(result.findings[2]!.solution, null);
  });

  test('a whole finding: django', async () => {
    assert.deepEqual((await read(FIXTURE)).findings[1], {
      title: 'PYSEC-2021-439 in django',
      description: 'In Django 2.2 before 2.2.25, 3.1 before 3.1.14, and 3.2 before 3.2.10, HTTP requests for URLs with trailing newlines could bypass upstream access control based on URL paths.',
      severity: 'unknown',
      confidence: null,
      reportType: 'dependency_scanning',
      scanner: SCANNER,
      identifiers: [{ type: 'osv', value: 'PYSEC-2021-439', name: null, url: null }],
      location: { ...emptyLocation(), file: 'requirements.txt', package: { name: 'django', version: '3.2.9', ecosystem: 'pypi', purl: 'pkg:pypi/django@3.2.9', fixedVersions: ['2.2.25', '3.1.14', '3.2.10'] } },
      solution: 'Upgrade django to one of 2.2.25, 3.1.14, 3.2.10.',
      links: [{ name: null, url: 'https://osv.dev/vulnerability/PYSEC-2021-439' }],
      cvssVectors: [],
      tracking: [],
      snippet: null,
      suppression: null,
      baselineState: null,
      relatedLocations: [],
    });
  });

  test('aliases: the id first, then CVEs, then the rest, without repeats', async () => {
    const [finding] = (await read(report({}, { aliases: ['GHSA-J8R2-6X86-Q33Q', 'CVE-2023-32681', 'PYSEC-2023-74'] }))).findings;
    assert.deepEqual(finding!.identifiers, [
      { type: 'osv', value: 'PYSEC-2023-74', name: null, url: null },
      { type: 'cve', value: 'CVE-2023-32681', name: null, url: null },
      { type: 'ghsa', value: 'GHSA-j8r2-6x86-q33q', name: null, url: null },
    ]);
    assert.equal(finding!.solution, 'Upgrade requests to 2.31.0.');
  });

  test('pip-audit 1.x: a top-level array of dependencies', async () => {
    const legacy = [{ name: 'flask', version: '0.5', vulns: [{ id: 'PYSEC-2019-179', fix_versions: ['1.0'] }] }, { name: 'x', skip_reason: 'not on PyPI' }];
    const result = await read(legacy);
    assert.equal(result.format, 'pip_audit');
    assert.deepEqual(result.findings.map((f) => [f.title, f.location.package?.purl, f.description]), [['PYSEC-2019-179 in flask', 'pkg:pypi/flask@0.5', null]]);
    await rejects([{ name: 'a', version: '1', vulns: [] }, { version: '1', vulns: [{ id: 'X' }] }], '/1/name', 'must be a non-empty string');
  });
});

describe('pip-audit: detection', () => {
  test('recognises exactly the pip-audit fixture among all fixtures', () => {
    assert.ok(allFixtureFiles().length >= 70);
    assert.deepEqual(recognisedFixtures(pipAuditFormat), fixturesIn('pip-audit'));
  });

  test('shapes that merely have "dependencies" or "name" are not pip-audit', () => {
    const detect = (text: string) => detectsText(pipAuditFormat, text);
    assert.equal(detect('{"dependencies": [], "fixes": []}'), true);
    assert.equal(detect('[{"name": "a", "version": "1", "vulns": []}]'), true);
    assert.equal(detect('{"bomFormat": "CycloneDX", "dependencies": []}'), false);
    assert.equal(detect('{"dependencies": [], "components": []}'), false);
    assert.equal(detect('[{"name": "a", "version": "1"}]'), false);
    assert.equal(detect('[{"name": "a", "vulns": [], "Target": "x"}]'), false);
  });
});

describe('pip-audit: bad input', () => {
  test('truncated: the first 60% of the fixture', async () => {
    await rejects(truncated(FIXTURE), '', /ends early.*truncated/);
  });

  test('wrong values, at their pointers', async () => {
    await rejects({ dependencies: { a: { name: 'x', vulns: [] } } }, '/dependencies', 'must be an array');
    await rejects(report({ vulns: { a: { id: 'X' } } }), '/dependencies/0/vulns', 'must be an array');
    await rejects(report({}, { id: null }), '/dependencies/0/vulns/0/id', 'must be a non-empty string');
    await rejects(report({}, { id: {} }), '/dependencies/0/vulns/0/id', 'must be a string');
    await rejects(report({}, { fix_versions: '2.31.0' }), '/dependencies/0/vulns/0/fix_versions', 'must be an array');
    await rejects(report({}, { aliases: ['CVE-2023-32681', {}] }), '/dependencies/0/vulns/0/aliases/1', 'must be a string');
    await rejects(report({}, { description: ['x'] }), '/dependencies/0/vulns/0/description', 'must be a string');
    await rejects(report({ name: [] }), '/dependencies/0/name', 'must be a string');
    await rejects(report({ name: undefined }), '/dependencies/0/name', 'must be a non-empty string');
    await rejects(report({ version: {} }), '/dependencies/0/version', 'must be a string');
    await rejects(report({ vulns: ['x'] }), '/dependencies/0/vulns/0', 'must be an object');
  });

  test('NULs are removed', async () => {
    const [finding] = (await read(report({ name: 'req\u0000uests' }, { description: 'a\u0000b' }))).findings;
    assert.equal(finding!.location.package?.name, 'requests');
    assert.equal(finding!.description, 'ab');
  });
});
