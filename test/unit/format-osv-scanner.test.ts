import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { cvss3BaseScore } from '../../src/vulns/formats/advisory.js';
import { osvScannerFormat } from '../../src/vulns/formats/osv-scanner.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import type { Finding } from '../../src/vulns/model.js';
import { allFixtureFiles, fixturePath, fixturesIn, readWith, recognisedFixtures, rejectsAt, severities, truncated, type ReportInput } from '../support/report-fixtures.js';

const FIXTURE = fixturePath('osv-scanner/many_findings.json');

const read = (input: ReportInput): Promise<ParsedReport> => readWith([osvScannerFormat], input);

const ids = (finding: Finding) => finding.identifiers.map((i) => `${i.type}:${i.value}`);

const rejects = (source: object, pointer: string, message: string) => rejectsAt(read(source), pointer, message);

/** An OSV record. */
const record = (id: string, extra: object = {}) => ({
  id,
  summary: `${id} summary`,
  details: `${id} details`,
  affected: [{ package: { name: 'flask', ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.2.5' }] }] }],
  ...extra,
});
/** A report of one package of one lock file. */
const report = (pkg: object) => ({
  results: [{ source: { path: '/src/app/requirements.txt', type: 'lockfile' }, packages: [{ package: { name: 'flask', version: '2.2.2', ecosystem: 'PyPI' }, ...pkg }] }],
});

describe('OSV-Scanner JSON fixture', () => {
  test('detection: true for the OSV-Scanner fixture, false for every other fixture', () => {
    assert.equal(allFixtureFiles().length, 70);
    assert.deepEqual(recognisedFixtures(osvScannerFormat), fixturesIn('osv-scanner'));
  });

  /**
   * 66 OSV records in 11 packages of 6 sources collapse into 37 groups (python: sum(len(p['groups']) for every
   * package)). Severity per group (python, same rules written again): the worst of its records'
   * database_specific.severity (CRITICAL/HIGH/MODERATE/LOW), else of the CVSS 3 base score of their severity
   * vectors — 36 records have a database severity, 8 only a vector, 22 neither; no group has max_severity.
   */
  test('many_findings.json: 37 findings, one per package and vulnerability group', async () => {
    const parsed = await read(FIXTURE);
    assert.equal(parsed.format, 'osv-scanner');
    assert.equal(parsed.findings.length, 37);
    assert.deepEqual(severities(parsed.findings), { high: 20, medium: 12, critical: 5 });
    assert.deepEqual(parsed.reportTypes, ['dependency_scanning']);
    assert.deepEqual(parsed.scanners, [{ id: 'osv-scanner', name: 'OSV-Scanner', version: null, vendor: 'Google' }]);
    // python: Counter(source.path per group)
    const byFile = parsed.findings.reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.location.file!]: (acc[f.location.file!] ?? 0) + 1 }), {});
    assert.deepEqual(byFile, {
      '/tmpcardmarket-api/composer.lock': 6,
      '/tmpgapps/requirements.txt': 3,
      '/tmphumble/requirements.txt': 1,
      '/tmprengine': 1,
      '/tmprengine/web/requirements.txt': 22,
      '/tmptrivy-dojo-report-operator/poetry.lock': 4,
    });

    const guzzle = parsed.findings[0]!;
    assert.equal(guzzle.title, 'CURLOPT_HTTPAUTH option not cleared on change of origin');
    assert.match(guzzle.description!, /^### Impact\n\n`Authorization` headers on requests are sensitive information\./);
    assert.equal(guzzle.severity, 'high');
    assert.equal(guzzle.reportType, 'dependency_scanning');
    assert.deepEqual(ids(guzzle), ['cve:CVE-2022-31090', 'ghsa:GHSA-25MQ-V84Q-4J7R']);
    assert.deepEqual(guzzle.location.package, { name: 'guzzlehttp/guzzle', version: '6.3.3', ecosystem: 'composer', purl: null, fixedVersions: ['6.5.8', '7.4.5'] });
    assert.equal(guzzle.solution, 'Upgrade guzzlehttp/guzzle to 6.5.8 or 7.4.5.');
    assert.deepEqual(guzzle.cvssVectors, [{ vendor: null, vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N' }]);

    // Two GHSA records in one group: one finding, every alias, CVEs first.
    const psr7 = parsed.findings[5]!;
    assert.deepEqual(ids(psr7), [
      'cve:CVE-2022-24775',
      'cve:CVE-2023-29197',
      'cve:CVE-2023-29530',
      'ghsa:GHSA-Q7RV-6HP3-VH96',
      'ghsa:GHSA-WXMH-65F7-JCVW',
      'ghsa:GHSA-XV3H-4844-9H36',
      'osv:BIT-drupal-2022-24775',
    ]);
    assert.equal(psr7.severity, 'medium');
    assert.deepEqual(psr7.location.package!.fixedVersions, ['1.8.4', '2.1.1', '1.9.1', '2.4.5']);

    // A PyPI package's GIT ranges (upstream commits) are not fixed versions of it.
    const urllib3 = parsed.findings[7]!;
    assert.deepEqual(ids(urllib3), ['cve:CVE-2023-45803', 'ghsa:GHSA-G4MX-Q9VG-27P4', 'osv:PYSEC-2023-212']);
    assert.deepEqual(urllib3.location.package!.fixedVersions, ['2.0.7', '1.26.18']);

    // Matched by commit: the repository and commit stand in for the package; severity from the CVSS vector (8.8).
    const rengine = parsed.findings[10]!;
    assert.deepEqual(ids(rengine), ['cve:CVE-2023-50094']);
    assert.equal(rengine.severity, 'high');
    assert.equal(rengine.title, 'reNgine through 2.0.2 allows OS Command Injection if an adversary has a valid session ID. The attack places shell metacharacters in an api/tools/waf_detector/?url= string. The commands are executed as root via subprocess.check_output.');
    assert.deepEqual(rengine.location.package, {
      name: 'https://github.com/yogeshojha/rengine',
      version: 'f5f3c22f3ed5a6804a2a8d9ee9fa43044cfa24a6',
      ecosystem: null,
      purl: null,
      fixedVersions: [],
    });

    // PYSEC only, no database severity: CVSS:3.1/…/C:N/I:N/A:H is 7.5, high; no summary, so the first line of details.
    const selenium = parsed.findings.find((f) => f.location.package!.name === 'selenium')!;
    assert.equal(selenium.severity, 'high');
    assert.equal(selenium.title, 'NULL Pointer Dereference in GitHub repository seleniumhq/selenium prior to 4.14.0.');
    assert.deepEqual(ids(selenium), ['cve:CVE-2023-5590', 'osv:PYSEC-2023-206']);
  });

  test('a truncated fixture (the first 60% of its bytes) is refused as ending early', async () => {
    await rejectsAt(read(truncated(FIXTURE)), '', /ends early|truncated/);
  });
});

describe('OSV-Scanner JSON mapping', () => {
  test('CVSS 3 base scores agree with the scores NVD published (every V3Vector/V3Score pair in the Trivy fixtures)', () => {
    const pairs = new Map<string, number>();
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object') {
        const { V3Vector, V3Score } = value as { V3Vector?: string; V3Score?: number };
        if (typeof V3Vector === 'string' && typeof V3Score === 'number') pairs.set(V3Vector, V3Score);
        Object.values(value).forEach(collect);
      }
    };
    for (const file of fixturesIn('trivy')) collect(JSON.parse(readFileSync(fixturePath(file), 'utf8')));
    assert.ok(pairs.size >= 40, `${pairs.size} distinct vectors`);
    for (const [vector, score] of pairs) assert.equal(cvss3BaseScore(vector), score, vector);
    assert.equal(cvss3BaseScore('AV:N/AC:M/Au:N/C:P/I:N/A:N'), null);
    assert.equal(cvss3BaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), null);
    assert.equal(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N'), 0);
  });

  test('max_severity wins; reports without groups get one finding per record', async () => {
    const grouped = await read(report({ vulnerabilities: [record('GHSA-m2qf-hxjv-5gpq', { database_specific: { severity: 'MODERATE' } })], groups: [{ ids: ['GHSA-m2qf-hxjv-5gpq'], aliases: ['CVE-2023-30861'], max_severity: '9.8' }] }));
    assert.equal(grouped.findings[0]!.severity, 'critical');
    assert.deepEqual(ids(grouped.findings[0]!), ['cve:CVE-2023-30861', 'ghsa:GHSA-M2QF-HXJV-5GPQ']);
    assert.equal(grouped.findings[0]!.location.file, '/src/app/requirements.txt');

    const ungrouped = await read(report({ vulnerabilities: [record('PYSEC-2023-62', { aliases: ['CVE-2023-30861'] }), record('GHSA-xxxx-xxxx-xxxx', { database_specific: { severity: 'LOW' } })] }));
    assert.deepEqual(ungrouped.findings.map((f) => [ids(f), f.severity, f.location.package!.fixedVersions]), [
      [['cve:CVE-2023-30861', 'osv:PYSEC-2023-62'], 'unknown', ['2.2.5']],
      [['ghsa:GHSA-XXXX-XXXX-XXXX'], 'low', ['2.2.5']],
    ]);
    // A record that no group names is still a finding.
    const stray = await read(report({ vulnerabilities: [record('PYSEC-1'), record('PYSEC-2')], groups: [{ ids: ['PYSEC-1'], aliases: [], max_severity: '' }] }));
    assert.deepEqual(stray.findings.map((f) => f.identifiers[0]!.value), ['PYSEC-1', 'PYSEC-2']);
  });

  test('wrong values are refused at their pointer', async () => {
    await rejects(report({ vulnerabilities: [{ summary: 'x' }] }), '/results/0/packages/0/vulnerabilities/0/id', 'must be a non-empty string');
    await rejects(report({ vulnerabilities: [record('A-1', { severity: [{ type: 'CVSS_V3', score: 9.8 }] })] }), '/results/0/packages/0/vulnerabilities/0/severity/0/score', 'must be a string');
    await rejects(report({ vulnerabilities: [record('A-1', { affected: [{ ranges: [{ events: [{ fixed: 2 }] }] }] })] }), '/results/0/packages/0/vulnerabilities/0/affected/0/ranges/0/events/0/fixed', 'must be a string');
    await rejects(report({ vulnerabilities: [record('A-1', { aliases: 'CVE-1' })] }), '/results/0/packages/0/vulnerabilities/0/aliases', 'must be an array');
    await rejects(report({ vulnerabilities: { a: record('A-1') } }), '/results/0/packages/0/vulnerabilities', 'must be an array');
    await rejects(report({ groups: [{ ids: [] }] }), '/results/0/packages/0/groups/0/ids', 'must list at least one id');
    await rejects(report({ groups: [{ ids: ['A-1'], max_severity: 'high' }] }), '/results/0/packages/0/groups/0/max_severity', '"high" is not a CVSS score (0 to 10)');
    await rejects(report({ groups: {} }), '/results/0/packages/0/groups', 'must be an array');
    await rejects(report({ package: { name: ['flask'] } }), '/results/0/packages/0/package/name', 'must be a string');
    await rejects({ results: [{ source: { path: 1 }, packages: [] }] }, '/results/0/source/path', 'must be a string');
    await rejects({ results: [{ packages: { a: { package: {} } } }] }, '/results/0/packages', 'must be an array');
    await rejects({ results: { a: { source: {} } } }, '/results', 'must be an array');
  });
});
