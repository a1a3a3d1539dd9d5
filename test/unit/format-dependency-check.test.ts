import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dependencyCheckFormat, dependencyFile } from '../../src/vulns/formats/dependency-check.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import { sniff } from '../../src/vulns/ingest/sniff.js';
import { emptyLocation } from '../../src/vulns/model.js';
import { allFixtureFiles, fixturePath, fixturesIn, readWith, recognisedFixtures, rejectsAt, severities, truncated } from '../support/report-fixtures.js';

const FIXTURE = fixturePath('dependency-check/PR6439.xml');
const SCANNER = { id: 'dependency_check', name: 'OWASP Dependency-Check', version: '7.3.0', vendor: 'OWASP' };
const DEPENDENCY = '/analysis/dependencies/dependency[1]';

const read = (input: string | Buffer): Promise<ParsedReport> => readWith([dependencyCheckFormat], input);
const rejects = (input: Buffer, pointer: string, message: string | RegExp) => rejectsAt(read(input), pointer, message);

/** A report with these `<dependency>` bodies (and attributes). */
function xml(...dependencies: [string, string?][]): Buffer {
  const body = dependencies.map(([inner, attrs = 'isVirtual="false"']) => `<dependency ${attrs}>${inner}</dependency>`).join('');
  return Buffer.from(
    `<?xml version="1.0"?><analysis xmlns="https://jeremylong.github.io/DependencyCheck/dependency-check.3.0.xsd"><scanInfo><engineVersion>8.4.0</engineVersion></scanInfo><dependencies>${body}</dependencies></analysis>`,
  );
}

const PURL = '<identifiers><package confidence="HIGH"><id>pkg:maven/org.yaml/snakeyaml@1.33</id></package></identifiers>';
const vulnerability = (inner: string, source = 'NVD') => `<vulnerabilities><vulnerability source="${source}">${inner}</vulnerability></vulnerabilities>`;
const jar = (inner: string, file = '/src/lib/snakeyaml-1.33.jar') => `<fileName>snakeyaml-1.33.jar</fileName><filePath>${file}</filePath>${PURL}${inner}`;

describe('Dependency-Check: dependency-check/PR6439.xml', () => {
  // Derived with Python (xml.etree, namespace dependency-check.2.5.xsd): the `vulnerabilities/vulnerability`
  // elements of every `dependencies/dependency` → 26 (on 16 of 191 dependencies; the 8 `suppressedVulnerability`
  // elements are not counted). Their `severity` texts: MEDIUM 16, HIGH 8, CRITICAL 2.
  test('one finding per dependency and vulnerability; severities; scope', async () => {
    const report = await read(FIXTURE);
    assert.equal(report.format, 'dependency_check');
    assert.equal(report.formatVersion, '2.5');
    assert.deepEqual(report.scanners, [SCANNER]);
    assert.deepEqual(report.reportTypes, ['dependency_scanning']);
    assert.equal(report.findings.length, 26);
    assert.deepEqual(severities(report.findings), { medium: 16, high: 8, critical: 2 });
    assert.equal(new Set(report.findings.map((f) => f.location.package?.purl)).size, 16);
    // Every artifact is in the Jenkins agent's ~/.m2 cache: no repository file.
    assert.ok(report.findings.every((f) => f.location.file === null && f.location.package?.ecosystem === 'maven'));
    assert.ok(!report.findings.some((f) => f.identifiers[0]!.value === 'CVE-2015-3208'), 'suppressed vulnerabilities are not findings');
  });

  test('a whole finding: CVE-2020-15522 on bcprov-jdk15on (dependency 10)', async () => {
    const finding = (await read(FIXTURE)).findings[0]!;
    assert.deepEqual(finding, {
      title: 'CVE-2020-15522 in org.bouncycastle:bcprov-jdk15on',
      // As written in the file (the pretty-printer's line breaks kept; only the ends trimmed).
      description:
        'Bouncy Castle BC Java before 1.66, BC C# .NET before 1.8.7, BC-FJA before\n            1.0.1.2, 1.0.2.1, and BC-FNA before 1.0.1.1 have a timing issue within the EC math\n            library that can expose information about the private key when an attacker is able to\n            observe timing information for the generation of multiple deterministic ECDSA\n            signatures.',
      severity: 'medium',
      confidence: null,
      reportType: 'dependency_scanning',
      scanner: SCANNER,
      identifiers: [
        { type: 'cve', value: 'CVE-2020-15522', name: null, url: null },
        { type: 'cwe', value: 'CWE-362', name: null, url: null },
      ],
      location: {
        ...emptyLocation(),
        file: null,
        package: { name: 'org.bouncycastle:bcprov-jdk15on', version: '1.64', ecosystem: 'maven', purl: 'pkg:maven/org.bouncycastle/bcprov-jdk15on@1.64', fixedVersions: [] },
      },
      solution: 'Versions of bouncycastle:the_bouncy_castle_crypto_package_for_java before 1.66 are affected (the CPE range Dependency-Check matched): upgrade to 1.66 or later.',
      links: [
        'https://github.com/bcgit/bc-csharp/wiki/CVE-2020-15522',
        'https://www.bouncycastle.org/releasenotes.html',
        'https://security.netapp.com/advisory/ntap-20210622-0007/',
        'https://github.com/bcgit/bc-java/wiki/CVE-2020-15522',
      ].map((url) => ({ name: null, url })),
      // Rebuilt from the metric elements: cvssV3 (version 3.1) and cvssV2.
      cvssVectors: [
        { vendor: 'NVD', vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N' },
        { vendor: 'NVD', vector: 'AV:N/AC:M/Au:N/C:P/I:N/A:N' },
      ],
      tracking: [],
      snippet: null,
      suppression: null,
      baselineState: null,
      relatedLocations: [],
    });
  });

  test('OSS Index entries, a shaded dependency, NVD-CWE-noinfo', async () => {
    const findings = (await read(FIXTURE)).findings;
    const ossIndex = findings[1]!;
    assert.equal(ossIndex.identifiers[0]!.value, 'CVE-2020-0187');
    assert.deepEqual(ossIndex.cvssVectors, [], 'cvssV2 without authentication: no vector');
    assert.equal(ossIndex.solution, null, 'the matched CPE names one version, no range');
    assert.deepEqual(ossIndex.links[2], {
      name: '[CVE-2020-0187] CWE-310',
      url: 'https://ossindex.sonatype.org/vulnerability/CVE-2020-0187?component-type=maven&component-name=org.bouncycastle%2Fbcprov-jdk15on&utm_source=dependency-check&utm_medium=integration&utm_content=7.3.0',
    });
    const shaded = findings.find((f) => f.location.package?.purl === 'pkg:maven/commons-io/commons-io@2.11.0')!;
    assert.deepEqual([shaded.title, shaded.severity, shaded.location.package?.version], ['CVE-2021-37533 in commons-io:commons-io', 'medium', '2.11.0']);
    const noinfo = findings.find((f) => f.identifiers[0]!.value === 'CVE-2021-41033')!;
    assert.deepEqual(noinfo.identifiers.map((i) => i.type), ['cve']);
  });
});

describe('Dependency-Check: synthetic reports', () => {
  test('severity falls back to cvssV3 baseSeverity, then cvssV2; none is unknown; source-typed ids', async () => {
    const report = await read(
      xml(
        [jar(vulnerability('<name>CVE-2022-1471</name><cvssV3><baseSeverity>HIGH</baseSeverity></cvssV3><cvssV2><severity>MEDIUM</severity></cvssV2>'))],
        [jar(vulnerability('<name>CVE-2022-1472</name><cvssV2><severity>low</severity></cvssV2>'))],
        [jar(vulnerability('<name>sonatype-2021-4682</name><cwes><cwe>CWE-79</cwe><cwe>NVD-CWE-Other</cwe></cwes>', 'OSSINDEX'))],
        [jar(vulnerability('<name>GHSA-mjmj-j48q-9wg2</name><severity>moderate</severity>', 'GHSA'))],
      ),
    );
    assert.equal(report.formatVersion, '3.0');
    assert.equal(report.scanners[0]!.version, '8.4.0');
    assert.deepEqual(report.findings.map((f) => f.severity), ['high', 'low', 'unknown', 'medium']);
    assert.deepEqual(report.findings[2]!.identifiers.map((i) => `${i.type}:${i.value}`), ['ossindex:sonatype-2021-4682', 'cwe:CWE-79']);
    assert.deepEqual(report.findings[3]!.identifiers.map((i) => `${i.type}:${i.value}`), ['ghsa:GHSA-mjmj-j48q-9wg2']);
    assert.equal(report.findings[0]!.location.file, 'lib/snakeyaml-1.33.jar');
  });

  test('virtual dependencies are located at their lock file; no purl means the file name', async () => {
    const npm = `<fileName>lodash:4.17.20</fileName><filePath>/home/runner/work/app/app/package-lock.json?lodash</filePath><identifiers><package><id>pkg:npm/%40types/lodash@4.17.20</id></package></identifiers>${vulnerability('<name>CVE-2021-23337</name><severity>HIGH</severity>')}`;
    const bare = `<fileName>legacy.dll</fileName><filePath>C:\\jenkins\\workspace\\build@2\\bin\\legacy.dll</filePath>${vulnerability('<name>CVE-2020-1</name><severity>LOW</severity>')}`;
    const [scoped, dll] = (await read(xml([npm, 'isVirtual="true"'], [bare]))).findings;
    assert.deepEqual(scoped!.location.package, { name: '@types/lodash', version: '4.17.20', ecosystem: 'npm', purl: 'pkg:npm/%40types/lodash@4.17.20', fixedVersions: [] });
    assert.equal(scoped!.location.file, 'package-lock.json');
    assert.deepEqual(dll!.location.package, { name: 'legacy.dll', version: null, ecosystem: null, purl: null, fixedVersions: [] });
    assert.equal(dll!.location.file, 'bin/legacy.dll');
  });

  test('files: caches are not in the repository, CI checkout roots are stripped', () => {
    assert.equal(dependencyFile('/root/.m2/repository/a/b/1.0/b-1.0.jar', false), null);
    assert.equal(dependencyFile('/home/gradle/.gradle/caches/modules-2/files-2.1/a/b.jar', false), null);
    assert.equal(dependencyFile('/builds/group/project/target/lib/x.jar', false), 'target/lib/x.jar');
    assert.equal(dependencyFile('/github/workspace/lib/x.jar', false), 'lib/x.jar');
    assert.equal(dependencyFile('/var/lib/jenkins/workspace/job/lib/x.jar', false), 'lib/x.jar');
    assert.equal(dependencyFile('/src/yarn.lock?lodash', true), 'yarn.lock');
    assert.equal(dependencyFile('/opt/app/lib/x.jar', false), '/opt/app/lib/x.jar');
    assert.equal(dependencyFile(null, false), null);
  });
  // (XML 1.0 cannot carry a NUL character, raw or as &#0;: the parser refuses it; xml-read strips them regardless.)
});

describe('Dependency-Check: detection', () => {
  test('recognises exactly the dependency-check fixture among all fixtures', () => {
    assert.ok(allFixtureFiles().length >= 70);
    assert.deepEqual(recognisedFixtures(dependencyCheckFormat), fixturesIn('dependency-check'));
  });

  test('an <analysis> root in another namespace is not Dependency-Check', () => {
    const opening = sniff('<analysis xmlns="urn:other"><dependencies/></analysis>');
    assert.ok(opening && !('invalid' in opening));
    assert.equal(dependencyCheckFormat.detect(opening), false);
  });
});

describe('Dependency-Check: bad input', () => {
  test('truncated: the first 60% of the fixture', async () => {
    // The XML driver reports saxes' "unclosed tag" before its own "ends early inside <…> (truncated?)".
    await rejects(truncated(FIXTURE), '', /^\/: not valid XML: .*(unclosed tag|ends early)/);
  });

  test('wrong values, at their element paths', async () => {
    const severity = (value: string) => xml([jar(vulnerability(`<name>CVE-2022-1471</name><severity>${value}</severity>`))]);
    await rejects(severity('SEVERE'), `${DEPENDENCY}/vulnerabilities/vulnerability/severity`, '"SEVERE" is not a severity; must be one of CRITICAL, HIGH, MEDIUM, MODERATE, LOW, INFO, NONE, UNKNOWN');
    await rejects(severity('<b>HIGH</b>'), `${DEPENDENCY}/vulnerabilities/vulnerability/severity`, 'must be text, not elements');
    await rejects(
      xml([jar(vulnerability('<name>CVE-1</name><cvssV3><baseSeverity>9.8</baseSeverity></cvssV3>'))]),
      `${DEPENDENCY}/vulnerabilities/vulnerability/cvssV3/baseSeverity`,
      '"9.8" is not a severity; must be one of CRITICAL, HIGH, MEDIUM, MODERATE, LOW, INFO, NONE, UNKNOWN',
    );
    const twoVulns = `<vulnerabilities><vulnerability source="NVD"><name>CVE-1</name></vulnerability><vulnerability source="NVD"><severity>LOW</severity></vulnerability></vulnerabilities>`;
    await rejects(xml([jar('')], [jar(twoVulns)]), '/analysis/dependencies/dependency[2]/vulnerabilities/vulnerability[2]/name', 'must be non-empty text');
    await rejects(xml([`<filePath>/src/x.jar</filePath>${vulnerability('<name>CVE-1</name>')}`]), `${DEPENDENCY}/fileName`, 'must be non-empty text');
    await rejects(xml([jar(vulnerability('<name><id>CVE-1</id></name>'))]), `${DEPENDENCY}/vulnerabilities/vulnerability/name`, 'must be text, not elements');
  });
});
