import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { imageName, primaryIdentifier } from '../../src/vulns/fingerprint.js';
import { grypeFormat } from '../../src/vulns/formats/grype.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import { allFixtureFiles, fixturePath, fixturesIn, readWith, recognisedFixtures, rejectsAt, severities, truncated, type ReportInput } from '../support/report-fixtures.js';

const fixture = (name: string) => fixturePath(`grype/${name}`);
/** Each large fixture is parsed once for all the tests that look at it. */
const parsed = new Map<string, Promise<ParsedReport>>();
const readFixture = (name: string) => parsed.get(name) ?? parsed.set(name, read(fixture(name))).get(name)!;

/**
 * many_vulns.json (python:3.6) → many_vulns2.json (python:3.7.10) by container identity: the primary identifier
 * (CVE if any of vulnerability.id + relatedVulnerabilities ids is one, else GHSA, else the id), the package name and
 * the image name without its tag. Derived with Python, independently of this code:
 *
 *   key(m) = (primary(m).lower(), m.artifact.name.lower(), 'python')      # both images are python:<tag>
 *   first = {key(m) for m in many_vulns.matches}    → 1509 keys (every match is distinct)
 *   second = {key(m) for m in many_vulns2.matches}  → 1567 keys
 *   new = |second − first| = 104, fixed = |first − second| = 46, existing = |first ∩ second| = 1463
 */
export const GRYPE_RESCAN = { new: 104, fixed: 46, existing: 1463 };

const read = (input: ReportInput): Promise<ParsedReport> => readWith([grypeFormat], input);

const rejects = (source: object, pointer: string, message: string) => rejectsAt(read(source), pointer, message);

/** A current-format match, with overrides of its vulnerability and artifact. */
const match = (vulnerability: object = {}, artifact: object = {}, extra: object = {}) => ({
  vulnerability: { id: 'GHSA-35jh-r3h4-6jhm', severity: 'High', fix: { versions: ['4.17.21'], state: 'fixed' }, ...vulnerability },
  relatedVulnerabilities: [{ id: 'CVE-2021-23337', description: 'Command injection via template.', cvss: [{ source: 'nvd@nist.gov', vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }] }],
  artifact: { name: 'lodash', version: '4.17.20', type: 'npm', purl: 'pkg:npm/lodash@4.17.20', locations: [{ path: '/web/package-lock.json' }], ...artifact },
  ...extra,
});
const directory = (matches: object[]) => ({ matches, source: { type: 'directory', target: '/builds/shop' }, descriptor: { name: 'grype', version: '0.87.0' } });

describe('Grype JSON fixtures', () => {
  test('detection: true for the three Grype fixtures, false for every other fixture', () => {
    assert.equal(allFixtureFiles().length, 70);
    assert.deepEqual(recognisedFixtures(grypeFormat), fixturesIn('grype'));
  });

  // Counts (python): len(doc['matches']); severities: Counter(m.vulnerability.severity), Negligible counted as low.
  test('many_vulns.json: 1509 matches of python:3.6 (681 Negligible + 107 Low = 788 low)', async () => {
    const report = await readFixture('many_vulns.json');
    assert.equal(report.format, 'grype');
    assert.equal(report.findings.length, 1509);
    assert.deepEqual(severities(report.findings), { medium: 613, low: 788, high: 32, unknown: 76 });
    assert.deepEqual(report.scanners, [{ id: 'grype', name: 'Grype', version: '0.7.0', vendor: 'Anchore' }]);
    assert.deepEqual(report.reportTypes, ['container_scanning']);
    assert.ok(report.findings.every((f) => f.reportType === 'container_scanning' && f.location.image === 'python:3.6' && f.location.operatingSystem === 'debian 10'));

    const first = report.findings[0]!;
    assert.equal(first.title, 'CVE-2011-3389 in libgnutls-openssl27');
    assert.equal(first.severity, 'medium');
    assert.deepEqual(first.identifiers, [{ type: 'cve', value: 'CVE-2011-3389', name: null, url: null }]);
    assert.equal(first.location.file, '/var/lib/dpkg/status');
    assert.deepEqual(first.location.package, {
      name: 'libgnutls-openssl27',
      version: '3.6.7-4+deb10u5',
      ecosystem: 'debian',
      purl: 'pkg:deb/debian/libgnutls-openssl27@3.6.7-4+deb10u5?arch=amd64',
      fixedVersions: [],
    });
    assert.deepEqual(first.cvssVectors, [{ vendor: null, vector: 'AV:N/AC:M/Au:N/C:P/I:N/A:N' }]);
    assert.deepEqual(first.links, [{ name: null, url: 'https://security-tracker.debian.org/tracker/CVE-2011-3389' }]);
    assert.equal(first.description, null);
    assert.equal(first.solution, null);

    // Grype 0.7's `fixedInVersion`.
    const ldap = report.findings[6]!;
    assert.equal(ldap.title, 'CVE-2020-36221 in libldap-2.4-2');
    assert.deepEqual(ldap.location.package!.fixedVersions, ['2.4.47+dfsg-3+deb10u5']);
    assert.equal(ldap.solution, 'Upgrade libldap-2.4-2 to 2.4.47+dfsg-3+deb10u5.');

    const pip = report.findings[1088]!;
    assert.equal(pip.severity, 'high');
    assert.deepEqual(pip.location.package, { name: 'pip', version: '20.3.3', ecosystem: 'pypi', purl: 'pkg:pypi/pip@20.3.3', fixedVersions: [] });
    assert.equal(pip.location.file, '/usr/local/lib/python3.6/site-packages/pip-20.3.3.dist-info/METADATA');
    assert.match(pip.description!, /^\*\* DISPUTED \*\* An issue was discovered in pip/);
    assert.deepEqual(pip.cvssVectors.map((v) => v.vector), ['CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 'AV:N/AC:M/Au:N/C:P/I:P/A:P']);
  });

  test('many_vulns2.json: 1567 matches of python:3.7.10 (688 Negligible + 112 Low = 800 low)', async () => {
    const report = await readFixture('many_vulns2.json');
    assert.equal(report.findings.length, 1567);
    assert.deepEqual(severities(report.findings), { low: 800, medium: 637, unknown: 104, high: 26 });
    assert.ok(report.findings.every((f) => f.location.image === 'python:3.7.10'));
  });

  test(`the rescan pair by identity: ${JSON.stringify(GRYPE_RESCAN)}`, async () => {
    const keys = async (name: string) =>
      new Set(
        (await readFixture(name)).findings.map((f) => {
          const primary = primaryIdentifier(f.identifiers, f.reportType);
          return JSON.stringify([`${primary.type}:${primary.value}`.toLowerCase(), f.location.package!.name.toLowerCase(), imageName(f.location.image!)]);
        }),
      );
    const [first, second] = [await keys('many_vulns.json'), await keys('many_vulns2.json')];
    assert.deepEqual(
      {
        new: [...second].filter((k) => !first.has(k)).length,
        fixed: [...first].filter((k) => !second.has(k)).length,
        existing: [...first].filter((k) => second.has(k)).length,
      },
      GRYPE_RESCAN,
    );
  });

  test('many_vulns_with_epss_values.json: 15 matches of a current Grype (0.94)', async () => {
    const report = await readFixture('many_vulns_with_epss_values.json');
    assert.equal(report.findings.length, 15);
    assert.deepEqual(severities(report.findings), { high: 10, critical: 1, medium: 2, low: 2 });
    assert.equal(report.scanners[0]!.version, '0.94.0');
    const first = report.findings[0]!;
    assert.equal(first.location.image, 'busybox:1.32.1');
    assert.equal(first.location.operatingSystem, 'busybox 1.32.1');
    // `pkg:generic/…` of a `binary` artifact names no ecosystem.
    assert.deepEqual(first.location.package, { name: 'busybox', version: '1.32.1', ecosystem: null, purl: 'pkg:generic/busybox@1.32.1', fixedVersions: [] });
    assert.equal(first.location.file, '/bin/[');
    // 6 urls with repeats + the data source → 4 distinct links.
    assert.equal(first.links.length, 4);
    assert.equal(first.links.at(-1)!.url, 'https://nvd.nist.gov/vuln/detail/CVE-2022-28391');
    assert.deepEqual(first.cvssVectors[0], { vendor: 'nvd@nist.gov', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H' });
    const fixed = report.findings[12]!;
    assert.equal(fixed.title, 'CVE-2021-42376 in busybox');
    assert.deepEqual(fixed.location.package!.fixedVersions, ['1.34.0']);
  });

  test('a truncated fixture (the first 60% of its bytes) is refused as ending early', async () => {
    await rejectsAt(read(truncated(fixture('many_vulns_with_epss_values.json'))), '', /ends early|truncated/);
  });
});

describe('Grype JSON mapping', () => {
  test('a directory scan: dependency_scanning, file relative to the scanned directory, the GHSA carries its CVE', async () => {
    const report = await read(directory([match(), match({ id: 'CVE-2020-8203', severity: 'Negligible', fix: { versions: [], state: 'not-fixed' } }, {}, { relatedVulnerabilities: [] })]));
    assert.deepEqual(report.reportTypes, ['dependency_scanning']);
    const [lodash, negligible] = report.findings;
    assert.equal(lodash!.reportType, 'dependency_scanning');
    assert.equal(lodash!.location.file, 'web/package-lock.json');
    assert.equal(lodash!.location.image, null);
    assert.deepEqual(lodash!.identifiers.map((i) => `${i.type}:${i.value}`), ['ghsa:GHSA-35JH-R3H4-6JHM', 'cve:CVE-2021-23337']);
    // Identity names it by its CVE.
    assert.equal(primaryIdentifier(lodash!.identifiers, lodash!.reportType).value, 'CVE-2021-23337');
    assert.equal(lodash!.description, 'Command injection via template.');
    assert.deepEqual(lodash!.cvssVectors, [{ vendor: 'nvd@nist.gov', vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }]);
    assert.deepEqual(lodash!.location.package, { name: 'lodash', version: '4.17.20', ecosystem: 'npm', purl: 'pkg:npm/lodash@4.17.20', fixedVersions: ['4.17.21'] });
    assert.equal(negligible!.severity, 'low');
  });

  test('an image given by tag only, and a source-less document', async () => {
    const tagged = await read({ matches: [match()], source: { type: 'image', target: { tags: ['registry.example.com/shop:2.1'] } } });
    assert.equal(tagged.findings[0]!.location.image, 'registry.example.com/shop:2.1');
    const bare = await read({ matches: [match()] });
    assert.equal(bare.findings[0]!.reportType, 'dependency_scanning');
    assert.equal(bare.findings[0]!.location.file, 'web/package-lock.json');
  });

  test('wrong values are refused at their pointer', async () => {
    await rejects(directory([match({ severity: 'Severe' })]), '/matches/0/vulnerability/severity', '"Severe" is not a severity; must be one of Critical, High, Medium, Low, Negligible, Unknown');
    await rejects(directory([match({ id: 5 })]), '/matches/0/vulnerability/id', 'must be a string');
    await rejects(directory([match({ fix: { versions: '1.0' } })]), '/matches/0/vulnerability/fix/versions', 'must be an array');
    await rejects(directory([match({ cvss: [{ vector: ['x'] }] })]), '/matches/0/vulnerability/cvss/0/vector', 'must be a string');
    await rejects(directory([match({}, { name: '' })]), '/matches/0/artifact/name', 'must be a non-empty string');
    await rejects(directory([match({}, { locations: [{ path: 1 }] })]), '/matches/0/artifact/locations/0/path', 'must be a string');
    await rejects(directory([match({}, {}, { relatedVulnerabilities: [{ id: null }] })]), '/matches/0/relatedVulnerabilities/0/id', 'must be a non-empty string');
    await rejects(directory([{ artifact: {} }]), '/matches/0/vulnerability', 'is required');
    await rejects(directory([match({}, {}, { artifact: 'lodash' })]), '/matches/0/artifact', 'must be an object');
    await rejects({ matches: { a: match() } }, '/matches', 'must be an array');
    await rejects({ matches: [], source: { type: 'image', target: { userInput: 3 } } }, '/source/target/userInput', 'must be a string');
    await rejects({ matches: [], descriptor: { version: 1 } }, '/descriptor/version', 'must be a string');
  });
});
