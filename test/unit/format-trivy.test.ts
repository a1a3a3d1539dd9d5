import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { trivyFormat } from '../../src/vulns/formats/trivy.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import { allFixtureFiles, fixturePath, fixturesIn, readWith, recognisedFixtures, rejectsAt, tally, truncated, type ReportInput } from '../support/report-fixtures.js';

const fixture = (name: string) => fixturePath(`trivy/${name}`);

const read = (input: ReportInput): Promise<ParsedReport> => readWith([trivyFormat], input);

const rejects = (source: string | object, pointer: string, message: string | RegExp) => rejectsAt(read(source), pointer, message);

/** Every string anywhere in a value. */
const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value !== null && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];

/** A schema-2 filesystem report with one result. */
const fsReport = (result: object) => ({ SchemaVersion: 2, ArtifactName: '.', ArtifactType: 'filesystem', Results: [{ Target: 'package-lock.json', Class: 'lang-pkgs', Type: 'npm', ...result }] });
const vuln = (extra: object = {}) => ({ VulnerabilityID: 'CVE-2021-23337', PkgName: 'lodash', InstalledVersion: '4.17.20', Severity: 'HIGH', ...extra });

describe('Trivy JSON fixtures', () => {
  test('detection: true for the four Trivy fixtures, false for every other fixture', () => {
    assert.equal(allFixtureFiles().length, 70);
    assert.deepEqual(recognisedFixtures(trivyFormat), fixturesIn('trivy'));
  });

  // Counts (python): every element of Results[].Vulnerabilities / Misconfigurations (Status FAIL) / Secrets, for
  // Kubernetes over Vulnerabilities[].Results[] and Misconfigurations[].Results[]; severities lower-cased.
  test('kubernetes.json: 10 vulnerabilities (cluster_image_scanning) + 10 misconfigurations (iac)', async () => {
    const report = await read(fixture('kubernetes.json'));
    assert.equal(report.format, 'trivy');
    assert.equal(report.findings.length, 20);
    assert.deepEqual(tally(report.findings, (f) => f.reportType), { cluster_image_scanning: 10, iac: 10 });
    assert.deepEqual(tally(report.findings, (f) => f.severity), { medium: 6, low: 14 });
    assert.deepEqual(report.reportTypes, ['cluster_image_scanning', 'iac']);
    assert.deepEqual(report.scanners, [{ id: 'trivy', name: 'Trivy', version: null, vendor: 'Aqua Security' }]);
    assert.equal(report.formatVersion, null);
    // Images from each resource's OS result: 5 vulnerabilities each.
    assert.deepEqual(tally(report.findings.filter((f) => f.reportType !== 'iac'), (f) => f.location.image!), {
      'gcr.io/google_samples/gb-redis-follower:v2': 5,
      'docker.io/redis:6.0.5': 5,
    });

    const apt = report.findings[0]!;
    assert.equal(apt.title, 'apt: integer overflows and underflows while parsing .deb packages');
    assert.equal(apt.severity, 'medium');
    assert.deepEqual(apt.identifiers, [
      { type: 'cve', value: 'CVE-2020-27350', name: null, url: 'https://avd.aquasec.com/nvd/cve-2020-27350' },
      { type: 'trivy', value: 'DSA-4808-1', name: null, url: null },
      { type: 'cwe', value: 'CWE-190', name: null, url: null },
    ]);
    assert.equal(apt.location.image, 'gcr.io/google_samples/gb-redis-follower:v2');
    assert.equal(apt.location.operatingSystem, 'debian 10.4');
    assert.equal(apt.location.file, null);
    assert.deepEqual(apt.location.package, { name: 'apt', version: '1.8.2.1', ecosystem: 'debian', purl: null, fixedVersions: ['1.8.2.2'] });
    assert.equal(apt.solution, 'Upgrade apt to 1.8.2.2.');
    assert.deepEqual(apt.cvssVectors, [
      { vendor: 'nvd', vector: 'CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:L/I:L/A:L' },
      { vendor: 'nvd', vector: 'AV:L/AC:L/Au:N/C:P/I:P/A:P' },
      { vendor: 'redhat', vector: 'CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:L/I:L/A:L' },
    ]);
    assert.equal(apt.links[0]!.url, 'https://avd.aquasec.com/nvd/cve-2020-27350');
    assert.equal(apt.links.at(-1)!.url, 'https://salsa.debian.org/security-tracker-team/security-tracker');
    assert.deepEqual(apt.tracking, []);

    const ksv = report.findings[10]!;
    assert.equal(ksv.reportType, 'iac');
    assert.equal(ksv.title, 'Process can elevate its own privileges');
    assert.deepEqual(ksv.identifiers, [{ type: 'trivy_misconfig', value: 'KSV001', name: null, url: 'https://avd.aquasec.com/misconfig/ksv001' }]);
    assert.equal(ksv.location.file, 'default/Deployment/redis-follower');
    assert.deepEqual([ksv.location.startLine, ksv.location.endLine], [132, 143]);
    assert.equal(ksv.location.image, null);
    assert.match(ksv.description!, /^Container 'follower' of Deployment 'redis-follower' should set/);
    assert.equal(ksv.solution, "Set 'set containers[].securityContext.allowPrivilegeEscalation' to 'false'.");
    // The IsCause lines 132–140 as written; line 141 (not a cause) is left out.
    assert.equal(ksv.snippet!.split('\n').length, 9);
    assert.equal(ksv.snippet!.split('\n')[0], '                - image: gcr.io/google_samples/gb-redis-follower:v2');
    assert.deepEqual(tally(report.findings.filter((f) => f.reportType === 'iac'), (f) => f.location.file!), {
      'default/Deployment/redis-follower': 5,
      'default/Deployment/redis-leader': 5,
    });
  });

  test('legacy_many_vulns.json: 93 vulnerabilities of the image "debian"', async () => {
    const report = await read(fixture('legacy_many_vulns.json'));
    assert.equal(report.findings.length, 93);
    // python: Counter(v['Severity'] for v in doc[0]['Vulnerabilities'])
    assert.deepEqual(tally(report.findings, (f) => f.severity), { low: 65, high: 18, medium: 9, unknown: 1 });
    assert.deepEqual(report.reportTypes, ['container_scanning']);
    assert.ok(report.findings.every((f) => f.reportType === 'container_scanning' && f.location.image === 'debian' && f.location.operatingSystem === 'debian 10.8'));
    const first = report.findings[0]!;
    // No Title: the id and the package.
    assert.equal(first.title, 'CVE-2011-3374 in apt');
    assert.deepEqual(first.location.package, { name: 'apt', version: '1.8.2.2', ecosystem: 'debian', purl: null, fixedVersions: [] });
    assert.equal(first.solution, null);
  });

  test('misconfigurations_and_secrets.json: 2 vulnerabilities + 1 misconfiguration + 2 secrets of a filesystem', async () => {
    const report = await read(fixture('misconfigurations_and_secrets.json'));
    assert.equal(report.findings.length, 5);
    assert.deepEqual(tally(report.findings, (f) => f.reportType), { dependency_scanning: 2, iac: 1, secret_detection: 2 });
    assert.deepEqual(tally(report.findings, (f) => f.severity), { high: 2, medium: 1, critical: 2 });
    assert.deepEqual(report.reportTypes, ['dependency_scanning', 'iac', 'secret_detection']);
    assert.equal(report.formatVersion, '2');

    const [urllib3, , ds002, pat1, pat2] = report.findings;
    assert.equal(urllib3!.title, 'python-urllib3: ReDoS in the parsing of authority part of URL');
    assert.equal(urllib3!.severity, 'high');
    assert.equal(urllib3!.location.file, 'requirements.txt');
    assert.equal(urllib3!.location.image, null);
    assert.deepEqual(urllib3!.location.package, { name: 'urllib3', version: '1.26.3', ecosystem: 'pypi', purl: null, fixedVersions: ['1.26.5'] });
    assert.deepEqual(urllib3!.identifiers.map((i) => i.value), ['CVE-2021-33503', 'CWE-400']);

    assert.equal(ds002!.reportType, 'iac');
    assert.equal(ds002!.title, "Image user should not be 'root'");
    assert.equal(ds002!.location.file, 'Dockerfile');
    assert.equal(ds002!.location.startLine, null);
    assert.equal(ds002!.snippet, null);
    assert.equal(ds002!.severity, 'high');

    assert.equal(pat1!.title, 'GitHub Personal Access Token');
    assert.deepEqual(pat1!.identifiers, [{ type: 'trivy_secret', value: 'github-pat', name: 'GitHub Personal Access Token', url: null }]);
    assert.deepEqual([pat1!.location.file, pat1!.location.startLine, pat1!.location.endLine], ['Dockerfile', 24, 24]);
    assert.equal(pat1!.snippet, 'ENV GITHUB_PAT=*****');
    assert.deepEqual([pat2!.location.file, pat2!.location.startLine, pat2!.snippet], ['secret.txt', 1, 'GITHUB_PAT=*****']);
  });

  test('scheme_2_many_vulns.json: 5 vulnerabilities of the image teamdojo:latest, OS and jar packages alike', async () => {
    const report = await read(fixture('scheme_2_many_vulns.json'));
    assert.equal(report.findings.length, 5);
    assert.deepEqual(tally(report.findings, (f) => f.severity), { medium: 3, high: 1, critical: 1 });
    // Image scans look for secrets by default: the scope says so even when none was found.
    assert.deepEqual(report.reportTypes, ['container_scanning', 'secret_detection']);
    assert.ok(report.findings.every((f) => f.reportType === 'container_scanning' && f.location.image === 'teamdojo:latest'));
    const [freetype, , , compress] = report.findings;
    assert.deepEqual(freetype!.location.package, { name: 'freetype', version: '2.9.1-r2', ecosystem: 'alpine', purl: null, fixedVersions: ['2.9.1-r3'] });
    assert.equal(freetype!.location.operatingSystem, 'alpine 3.9.4');
    assert.equal(freetype!.location.file, null);
    assert.equal(compress!.title, 'apache-commons-compress: ZipArchiveInputStream.read() fails to identify correct EOF allowing for DoS via crafted zip');
    assert.equal(compress!.location.file, 'app/libs/commons-compress-1.14.jar');
    assert.equal(compress!.location.operatingSystem, null);
    assert.deepEqual(compress!.location.package, {
      name: 'org.apache.commons:commons-compress',
      version: '1.14',
      ecosystem: 'maven',
      purl: null,
      fixedVersions: ['1.18'],
    });
  });

  test('a truncated fixture (the first 60% of its bytes) is refused as ending early', async () => {
    for (const name of ['kubernetes.json', 'legacy_many_vulns.json', 'scheme_2_many_vulns.json']) {
      await rejectsAt(read(truncated(fixture(name))), '', /ends early|truncated/);
    }
  });
});

describe('Trivy JSON mapping', () => {
  test('fixed versions, purl, scanner version, NULs; the secret value is only ever the snippet', async () => {
    const secret = 'AKIAZZZZZZZZZZZZZZZZ';
    const report = await read({
      SchemaVersion: 2,
      Trivy: { Version: '0.58.1' },
      ArtifactName: '.',
      ArtifactType: 'filesystem',
      Results: [
        {
          Target: 'package-lock.json',
          Class: 'lang-pkgs',
          Type: 'npm',
          Vulnerabilities: [
            vuln({
              Title: 'Command\u0000 injection',
              Description: '  Lodash versions prior to 4.17.21 are vulnerable.\n',
              FixedVersion: '4.17.21, 5.0.1',
              PkgIdentifier: { PURL: 'pkg:npm/lodash@4.17.20' },
              CweIDs: ['NVD-CWE-Other', 'CWE-1321'],
            }),
          ],
        },
        {
          Target: 'config/.env',
          Class: 'secret',
          Secrets: [
            {
              RuleID: 'aws-access-key-id',
              Category: 'AWS',
              Severity: 'CRITICAL',
              Title: 'AWS Access Key ID',
              StartLine: 3,
              EndLine: 3,
              Code: { Lines: [{ Number: 3, Content: `AWS_KEY=${secret}`, IsCause: true }] },
              Match: `AWS_KEY=${secret}`,
            },
          ],
        },
      ],
    });
    assert.deepEqual(report.scanners, [{ id: 'trivy', name: 'Trivy', version: '0.58.1', vendor: 'Aqua Security' }]);
    const [lodash, key] = report.findings;
    assert.deepEqual(lodash!.location.package, {
      name: 'lodash',
      version: '4.17.20',
      ecosystem: 'npm',
      purl: 'pkg:npm/lodash@4.17.20',
      fixedVersions: ['4.17.21', '5.0.1'],
    });
    assert.equal(lodash!.solution, 'Upgrade lodash to 4.17.21 or 5.0.1.');
    // NULs are removed; prose is kept as written.
    assert.equal(lodash!.title, 'Command injection');
    assert.equal(lodash!.description, '  Lodash versions prior to 4.17.21 are vulnerable.\n');
    assert.deepEqual(lodash!.identifiers.map((i) => `${i.type}:${i.value}`), ['cve:CVE-2021-23337', 'cwe:CWE-1321']);
    assert.equal(key!.reportType, 'secret_detection');
    assert.equal(key!.snippet, `AWS_KEY=${secret}`);
    assert.deepEqual(strings({ ...key!, snippet: null }).filter((s) => s.includes(secret)), []);
  });

  test('misconfigurations: PASS and EXCEPTION are no finding; AVDID follows ID; cause lines are the snippet', async () => {
    const check = (extra: object) => ({ ID: 'DS026', AVDID: 'AVD-DS-0026', Title: 'No HEALTHCHECK defined', Severity: 'LOW', Status: 'FAIL', ...extra });
    const report = await read({
      SchemaVersion: 2,
      ArtifactName: 'repo',
      ArtifactType: 'repository',
      Results: [
        {
          Target: './docker/Dockerfile',
          Class: 'config',
          Type: 'dockerfile',
          Misconfigurations: [
            check({ Status: 'PASS' }),
            check({ Status: 'EXCEPTION' }),
            check({ CauseMetadata: { StartLine: 4, Code: { Lines: [{ Number: 4, Content: '  FROM alpine', IsCause: true }, { Number: 5, Content: 'RUN x', IsCause: false }] } } }),
          ],
        },
      ],
    });
    assert.equal(report.findings.length, 1);
    const [finding] = report.findings;
    assert.deepEqual(finding!.identifiers.map((i) => i.value), ['DS026', 'AVD-DS-0026']);
    assert.deepEqual([finding!.location.file, finding!.location.startLine, finding!.location.endLine], ['docker/Dockerfile', 4, 4]);
    assert.equal(finding!.snippet, '  FROM alpine');
    // No package results: the scope is configuration checks (and secrets, scanned by default).
    assert.deepEqual(report.reportTypes, ['iac', 'secret_detection']);
  });

  test('the scope of a scan does not change with its findings: a clean image covers what a vulnerable one does', async () => {
    const clean = await read({ SchemaVersion: 2, ArtifactName: 'alpine:3.19', ArtifactType: 'container_image', Results: [{ Target: 'alpine:3.19 (alpine 3.19.1)', Class: 'os-pkgs', Type: 'alpine' }] });
    const bare = await read({ SchemaVersion: 2, ArtifactName: 'scratch-app:1', ArtifactType: 'container_image' });
    assert.deepEqual([clean.findings, clean.reportTypes], [[], ['container_scanning', 'secret_detection']]);
    assert.deepEqual([bare.findings, bare.reportTypes], [[], ['container_scanning', 'secret_detection']]);
  });

  test('Kubernetes "Resources": the image of the resource\'s OS result, else namespace/kind/name', async () => {
    const report = await read({
      ClusterName: 'prod',
      Resources: [
        {
          Namespace: 'shop',
          Kind: 'Deployment',
          Name: 'api',
          Results: [
            { Target: 'registry.example.com/api:1.4 (alpine 3.18.2)', Class: 'os-pkgs', Type: 'alpine', Vulnerabilities: [vuln({ PkgName: 'musl' })] },
            { Target: 'app/package-lock.json', Class: 'lang-pkgs', Type: 'npm', Vulnerabilities: [vuln()] },
          ],
        },
        { Namespace: 'shop', Kind: 'Job', Name: 'migrate', Results: [{ Target: 'usr/bin/migrate', Class: 'lang-pkgs', Type: 'gobinary', Vulnerabilities: [vuln({ PkgName: 'golang.org/x/net' })] }] },
      ],
    });
    assert.deepEqual(
      report.findings.map((f) => [f.reportType, f.location.image, f.location.file, f.location.operatingSystem, f.location.package!.ecosystem]),
      [
        ['cluster_image_scanning', 'registry.example.com/api:1.4', null, 'alpine 3.18.2', 'alpine'],
        ['cluster_image_scanning', 'registry.example.com/api:1.4', 'app/package-lock.json', null, 'npm'],
        ['cluster_image_scanning', 'shop/Job/migrate', 'usr/bin/migrate', null, 'go'],
      ],
    );
    assert.deepEqual(report.reportTypes, ['cluster_image_scanning']);
  });

  test('wrong values are refused at their pointer', async () => {
    await rejects(fsReport({ Vulnerabilities: [vuln({ Severity: 'SEVERE' })] }), '/Results/0/Vulnerabilities/0/Severity', '"SEVERE" is not a severity; must be one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN');
    await rejects(fsReport({ Vulnerabilities: [vuln({ VulnerabilityID: '' })] }), '/Results/0/Vulnerabilities/0/VulnerabilityID', 'must be a non-empty string');
    await rejects(fsReport({ Vulnerabilities: [vuln({ PkgName: 42 })] }), '/Results/0/Vulnerabilities/0/PkgName', 'must be a string');
    await rejects(fsReport({ Vulnerabilities: [vuln({ CVSS: { nvd: 'x' } })] }), '/Results/0/Vulnerabilities/0/CVSS/nvd', 'must be an object');
    await rejects(fsReport({ Vulnerabilities: [vuln({ References: 'https://x' })] }), '/Results/0/Vulnerabilities/0/References', 'must be an array');
    await rejects(fsReport({ Vulnerabilities: { a: vuln() } }), '/Results/0/Vulnerabilities', 'must be an array');
    await rejects(fsReport({ Target: 7, Vulnerabilities: [] }), '/Results/0/Target', 'must be a string');
    await rejects({ SchemaVersion: 2, ArtifactName: '.', Results: { a: { Target: 'x' } } }, '/Results', 'must be an array');
    await rejects(fsReport({ Misconfigurations: [{ ID: 'DS1', Status: 'MAYBE' }] }), '/Results/0/Misconfigurations/0/Status', '"MAYBE" is not a status; must be one of FAIL, PASS, EXCEPTION');
    await rejects(fsReport({ Misconfigurations: [{ Title: 'x' }] }), '/Results/0/Misconfigurations/0/ID', 'must be a non-empty string (or AVDID must be)');
    await rejects(fsReport({ Misconfigurations: [{ ID: 'DS1', CauseMetadata: { StartLine: '3' } }] }), '/Results/0/Misconfigurations/0/CauseMetadata/StartLine', 'must be an integer');
    await rejects(fsReport({ Secrets: [{ Title: 'x' }] }), '/Results/0/Secrets/0/RuleID', 'must be a non-empty string');
    await rejects([{ Target: 'x (debian 10)', Type: 'debian', Vulnerabilities: [vuln({ Severity: 3 })] }], '/0/Vulnerabilities/0/Severity', '3 is not a severity; must be one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN');
    await rejects({ ClusterName: 'c', Resources: [{ Kind: 'Pod', Results: [{ Target: 't', Vulnerabilities: [vuln({ InstalledVersion: [] })] }] }] }, '/Resources/0/Results/0/Vulnerabilities/0/InstalledVersion', 'must be a string');
    await rejects({ SchemaVersion: '2', ArtifactName: '.', Results: [] }, '', /not a known report format/);
  });
});
