import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { cyclonedxJsonFormat, cyclonedxXmlFormat, parsePurl } from '../../src/vulns/formats/cyclonedx.js';
import { TRUNCATION_MARKER } from '../../src/vulns/formats/limits.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import { emptyLocation, type Finding } from '../../src/vulns/model.js';
import { allFixtureFiles, fixturePath, readWith, recognisedFixtures, rejectsAt, tally, truncated } from '../support/report-fixtures.js';

const FORMATS = [cyclonedxJsonFormat, cyclonedxXmlFormat];
const FALLBACK_SCANNER = { id: 'cyclonedx', name: 'CycloneDX', version: null, vendor: null };

const cache = new Map<string, Promise<ParsedReport>>();
function fixture(name: string): Promise<ParsedReport> {
  if (!cache.has(name)) {
    cache.set(name, readWith(FORMATS, fixturePath(`cyclonedx/${name}`)));
  }
  return cache.get(name)!;
}

/** Reads a document given as its text (or bytes). */
function read(text: string | Buffer): Promise<ParsedReport> {
  return readWith(FORMATS, Buffer.from(text));
}

/** A JSON BOM around the given vulnerabilities (and components, metadata, …). */
function bom(parts: Record<string, unknown>): string {
  return JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, ...parts });
}

const EMPTY_LOCATION = emptyLocation();

// ---------------------------------------------------------------------------------------------------------------

describe('detection', () => {
  test('true for exactly the CycloneDX fixtures, false for every other fixture', () => {
    const files = allFixtureFiles();
    assert.ok(files.length >= 70, `only ${files.length} fixtures found`);
    assert.deepEqual(recognisedFixtures(cyclonedxJsonFormat), [
      'cyclonedx/issue_9277.json',
      'cyclonedx/valid-vulnerability-1.4.json',
      'cyclonedx/vex-affected.json',
      'cyclonedx/vex-fixed.json',
      'cyclonedx/vex-not_affected.json',
      'cyclonedx/vex-under_investigation.json',
      'cyclonedx/vex.json',
    ]);
    assert.deepEqual(recognisedFixtures(cyclonedxXmlFormat), ['cyclonedx/grype.xml']);
  });

  test('other shapes are rejected: another namespace, another root, a JSON object without bomFormat', () => {
    const xml = (root: string, ns: string) => cyclonedxXmlFormat.detect({ container: 'xml', root, namespace: ns, attributes: {} });
    assert.equal(xml('bom', 'http://cyclonedx.org/schema/bom/1.6'), true);
    assert.equal(xml('bom', 'http://cyclonedx.org/schema/bom/1.0'), true);
    assert.equal(xml('bom', 'http://example.com/bom/1.6'), false);
    assert.equal(xml('bom', ''), false);
    assert.equal(xml('analysis', 'http://cyclonedx.org/schema/bom/1.6'), false);
    const json = (values: Record<string, string>) =>
      cyclonedxJsonFormat.detect({ container: 'json', rootKind: 'object', keys: Object.keys(values), values, firstElementKeys: [] });
    assert.equal(json({ bomFormat: 'CycloneDX', specVersion: '1.5' }), true);
    assert.equal(json({ bomFormat: 'SPDX' }), false);
    assert.equal(json({ specVersion: '1.5' }), false);
    assert.equal(cyclonedxJsonFormat.detect({ container: 'json', rootKind: 'array', keys: [], values: {}, firstElementKeys: ['bomFormat'] }), false);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('fixtures', () => {
  // Counts: python3 over each file. JSON: one finding per (vulnerability, affects[].ref) —
  // sum(len(v['affects']) for v in d['vulnerabilities']); XML (grype.xml, vulnerability extension 1.0): one per
  // v:vulnerability element (ElementTree findall('b:components/b:component/v:vulnerabilities/v:vulnerability')).
  // Severity: the highest ratings[].severity per vulnerability (none → info, no rating → unknown), counted per
  // finding.
  const expected: Record<string, { count: number; severities: Record<string, number> }> = {
    'grype.xml': { count: 327, severities: { critical: 5, high: 24, medium: 155, low: 133, unknown: 10 } },
    // 10 vulnerabilities, 14 affects refs: CVE-2016-20013 ×2 (high), CVE-2022-27943 ×3 (medium), CVE-2023-29383 ×2
    // (medium), one each for the rest.
    'issue_9277.json': { count: 14, severities: { high: 5, medium: 7, low: 2 } },
    'valid-vulnerability-1.4.json': { count: 1, severities: { critical: 1 } },
    'vex-affected.json': { count: 1, severities: { unknown: 1 } },
    'vex-fixed.json': { count: 1, severities: { unknown: 1 } },
    'vex-not_affected.json': { count: 1, severities: { unknown: 1 } },
    'vex-under_investigation.json': { count: 1, severities: { unknown: 1 } },
    // 19 vulnerabilities with one rating each: critical 2, high 2, medium 6, none 9.
    'vex.json': { count: 19, severities: { critical: 2, high: 2, medium: 6, info: 9 } },
  };

  for (const [name, { count, severities }] of Object.entries(expected)) {
    test(`${name}: ${count} findings, severities ${JSON.stringify(severities)}`, async () => {
      const report = await fixture(name);
      assert.equal(report.findings.length, count);
      assert.deepEqual(tally(report.findings, (f) => f.severity), severities);
      for (const finding of report.findings) {
        assert.ok(finding.identifiers.length > 0);
        assert.deepEqual(finding.tracking, []);
        assert.equal(finding.suppression, null);
        assert.deepEqual(finding.relatedLocations, []);
      }
    });
  }

  test('formats, versions, scanners and report types', async () => {
    const summary: Record<string, unknown> = {};
    for (const name of Object.keys(expected)) {
      const r = await fixture(name);
      summary[name] = [r.format, r.formatVersion, r.scanners, r.reportTypes];
    }
    const vex = ['cyclonedx-json', '1.4', [FALLBACK_SCANNER], ['dependency_scanning']];
    assert.deepEqual(summary, {
      'grype.xml': ['cyclonedx-xml', '1.2', [{ id: 'grype', name: 'grype', version: '0.7.0', vendor: 'anchore' }], ['container_scanning']],
      'issue_9277.json': ['cyclonedx-json', '1.5', [{ id: 'trivy', name: 'trivy', version: '0.48.1', vendor: 'aquasecurity' }], ['container_scanning']],
      'valid-vulnerability-1.4.json': vex,
      'vex-affected.json': vex,
      'vex-fixed.json': vex,
      'vex-not_affected.json': vex,
      'vex-under_investigation.json': vex,
      'vex.json': vex,
    });
  });

  test('grype.xml: the first extension vulnerability, in full', async () => {
    const { findings } = await fixture('grype.xml');
    assert.deepEqual(findings[0], {
      title: 'CVE-2011-3374 in apt',
      description: null,
      severity: 'low',
      confidence: null,
      reportType: 'container_scanning',
      scanner: { id: 'grype', name: 'grype', version: '0.7.0', vendor: 'anchore' },
      identifiers: [
        { type: 'cve', value: 'CVE-2011-3374', name: 'CVE-2011-3374', url: 'http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2011-3374' },
      ],
      location: {
        ...EMPTY_LOCATION,
        package: { name: 'apt', version: '1.8.2.1', ecosystem: null, purl: null, fixedVersions: [] },
        image: 'defectdojo/defectdojo-django:1.13.1@sha256:91bc0f1478c6d26e04da5c2a59ac20262ec2661942418e2a3e7c77245d872658',
      },
      solution: null,
      links: [{ name: null, url: 'https://security-tracker.debian.org/tracker/CVE-2011-3374' }],
      cvssVectors: [{ vendor: null, vector: 'AV:N/AC:M/Au:N/C:N/I:P/A:N' }],
      tracking: [],
      snippet: null,
      suppression: null,
      baselineState: null,
      assessment: null,
      relatedLocations: [],
    });
    // 108 of the 327 carry a v:description; all ids are CVEs (python: count of v:description, ids not starting CVE-).
    assert.equal(findings.filter((f) => f.description !== null).length, 108);
    assert.deepEqual(tally(findings, (f) => f.identifiers[0]!.type), { cve: 327 });
    // 62 components carry vulnerabilities.
    assert.equal(new Set(findings.map((f) => `${f.location.package!.name}@${f.location.package!.version}`)).size, 62);
  });

  test('issue_9277.json: a resolved component, and a ref no component has (package read from its purl)', async () => {
    const { findings } = await fixture('issue_9277.json');
    const image = 'ubuntu:latest@sha256:6042500cf4b44023ea1894effe7890666b0c5c7871ed83a97c36c76ae560bb9b';
    const first = findings[0]!;
    assert.equal(first.title, 'CVE-2016-2781 in coreutils');
    assert.equal(first.severity, 'medium'); // ratings: medium, info, medium, medium, medium (redhat 8.6 says medium), low
    assert.deepEqual(first.identifiers, [
      { type: 'cve', value: 'CVE-2016-2781', name: 'CVE-2016-2781', url: 'https://git.launchpad.net/ubuntu-cve-tracker' },
      { type: 'cwe', value: 'CWE-20', name: 'CWE-20', url: 'https://cwe.mitre.org/data/definitions/20.html' },
    ]);
    assert.deepEqual(first.location, {
      ...EMPTY_LOCATION,
      package: {
        name: 'coreutils',
        version: '8.32-4.1ubuntu1',
        ecosystem: 'ubuntu',
        purl: 'pkg:deb/ubuntu/coreutils@8.32-4.1ubuntu1?arch=amd64&distro=ubuntu-22.04',
        fixedVersions: [],
      },
      image,
      operatingSystem: 'ubuntu 22.04',
    });
    assert.equal(first.links.length, 10);
    assert.deepEqual(first.cvssVectors, [
      { vendor: 'nvd', vector: 'AV:L/AC:L/Au:N/C:N/I:P/A:N' },
      { vendor: 'nvd', vector: 'CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:C/C:N/I:H/A:N' },
      { vendor: 'redhat', vector: 'AV:L/AC:H/Au:N/C:C/I:C/A:C' },
      { vendor: 'redhat', vector: 'CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H' },
    ]);

    const tar = findings[1]!;
    assert.equal(tar.title, 'TEMP-0290435-0B57B5 in tar');
    assert.equal(tar.severity, 'low');
    assert.deepEqual(tar.identifiers, [
      { type: 'debian', value: 'TEMP-0290435-0B57B5', name: 'TEMP-0290435-0B57B5', url: 'https://salsa.debian.org/security-tracker-team/security-tracker' },
    ]);
    assert.deepEqual(tar.location.package, {
      name: 'tar',
      version: '1.30+dfsg-6',
      ecosystem: 'debian',
      purl: 'pkg:deb/debian/tar@1.30%2Bdfsg-6?arch=amd64&distro=debian-10.12',
      fixedVersions: [],
    });
    assert.equal(tar.description, null);

    // CVE-2022-27943 affects three packages: three findings, same advisory.
    assert.deepEqual(
      findings.filter((f) => f.identifiers[0]!.value === 'CVE-2022-27943').map((f) => f.location.package!.name),
      ['gcc-12-base', 'libgcc-s1', 'libstdc++6'],
    );
    assert.ok(findings.every((f) => f.location.image === image && f.location.file === null));
  });

  test('valid-vulnerability-1.4.json, in full', async () => {
    const { findings } = await fixture('valid-vulnerability-1.4.json');
    assert.deepEqual(findings, [
      {
        title: 'SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111 in com.fasterxml.jackson.core:jackson-databind',
        description:
          'FasterXML jackson-databind before 2.7.9.3, 2.8.x before 2.8.11.1 and 2.9.x before 2.9.5 allows unauthenticated remote code execution because of an incomplete fix for the CVE-2017-7525 deserialization flaw. This is exploitable by sending maliciously crafted JSON input to the readValue method of the ObjectMapper, bypassing a blacklist that is ineffective if the c3p0 libraries are available in the classpath.',
        severity: 'critical',
        confidence: null,
        reportType: 'dependency_scanning',
        scanner: FALLBACK_SCANNER,
        identifiers: [
          {
            type: 'snyk',
            value: 'SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111',
            name: 'SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111',
            url: 'https://snyk.io/vuln/SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111',
          },
          { type: 'cve', value: 'CVE-2018-7489', name: 'CVE-2018-7489', url: 'https://nvd.nist.gov/vuln/detail/CVE-2019-9997' },
          { type: 'cwe', value: 'CWE-184', name: 'CWE-184', url: 'https://cwe.mitre.org/data/definitions/184.html' },
          { type: 'cwe', value: 'CWE-502', name: 'CWE-502', url: 'https://cwe.mitre.org/data/definitions/502.html' },
        ],
        location: {
          ...EMPTY_LOCATION,
          file: 'sbom',
          package: {
            name: 'com.fasterxml.jackson.core:jackson-databind',
            version: '2.9.4',
            ecosystem: 'maven',
            purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4',
            // the affects versions are all `affected` ranges: no fixed version is given
            fixedVersions: [],
          },
        },
        solution: 'Upgrade com.fasterxml.jackson.core:jackson-databind to version 2.6.7.5, 2.8.11.1, 2.9.5 or higher.',
        links: [
          { name: 'GitHub Commit', url: 'https://github.com/FasterXML/jackson-databind/commit/6799f8f10cc78e9af6d443ed6982d00a13f2e7d2' },
          { name: 'GitHub Issue', url: 'https://github.com/FasterXML/jackson-databind/issues/1931' },
        ],
        cvssVectors: [{ vendor: 'NVD', vector: 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
        tracking: [],
        snippet: null,
        suppression: null,
        baselineState: null,
        assessment: {
          state: 'dismissed',
          reason: 'not_applicable',
          comment: 'code_not_reachable\nAn optional explanation of why the application is not affected by the vulnerable component.\nResponse: will_not_fix, update',
        },
        relatedLocations: [],
      },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('VEX analysis → assessment', () => {
  const expected: Record<string, Finding['assessment']> = {
    'vex-affected.json': {
      state: 'confirmed',
      reason: null,
      comment:
        'This version of Product DEF is affected by the vulnerability. Customers are advised to upgrade to the latest release.\nResponse: will_not_fix, update',
    },
    'vex-fixed.json': { state: 'resolved', reason: null, comment: 'This version of Product DEF has been fixed.' },
    'vex-not_affected.json': {
      state: 'dismissed',
      reason: 'not_applicable',
      comment:
        'code_not_present\nThis version of Product ABC is not affected by the vulnerability. Class with vulnerable code was removed before shipping.\nResponse: will_not_fix',
    },
    'vex-under_investigation.json': null,
  };
  const products: Record<string, [string, string]> = {
    'vex-affected.json': ['DEF', '1.0'],
    'vex-fixed.json': ['DEF', '1.1'],
    'vex-not_affected.json': ['ABC', '4.2'],
    'vex-under_investigation.json': ['GHI', '17.4'],
  };

  for (const [name, assessment] of Object.entries(expected)) {
    test(`${name}: ${assessment?.state ?? 'no assessment'}`, async () => {
      const { findings } = await fixture(name);
      const [product, version] = products[name]!;
      assert.equal(findings.length, 1);
      const finding = findings[0]!;
      assert.deepEqual(finding.assessment, assessment);
      // The affects ref is the BOM's own subject (metadata.component).
      assert.equal(finding.title, `CVE-2021-44228 in ${product}`);
      assert.deepEqual(finding.location, {
        ...EMPTY_LOCATION,
        file: 'sbom',
        package: { name: product, version, ecosystem: null, purl: null, fixedVersions: [] },
      });
      assert.deepEqual(finding.identifiers, [
        { type: 'cve', value: 'CVE-2021-44228', name: 'CVE-2021-44228', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228' },
      ]);
    });
  }

  test('vex.json: 5 exploitable → confirmed, 6 not_affected → dismissed, 3 resolved → resolved, 5 in_triage → none', async () => {
    const { findings } = await fixture('vex.json');
    assert.deepEqual(tally(findings, (f) => f.assessment?.state ?? 'none'), { none: 5, dismissed: 6, confirmed: 5, resolved: 3 });
    const byId = new Map(findings.map((f) => [f.identifiers[0]!.value, f]));
    assert.deepEqual(byId.get('CVE-2020-11897')!.assessment, {
      state: 'dismissed',
      reason: 'not_applicable',
      comment: 'code_not_present\nIPv6 is not supported and code is not present.',
    });
    assert.deepEqual(byId.get('CVE-2020-11898')!.assessment, {
      state: 'confirmed',
      reason: null,
      comment: 'We are working to integrate the upstream patches in our code.',
    });
    assert.deepEqual(byId.get('CVE-2020-11901')!.assessment, { state: 'resolved', reason: null, comment: null });
    assert.equal(byId.get('CVE-2020-11896')!.assessment, null);
    // severity none → info; the vector is kept as given (this one is malformed in the fixture: "AAV:")
    assert.equal(byId.get('CVE-2020-11897')!.severity, 'info');
    assert.deepEqual(byId.get('CVE-2020-11898')!.cvssVectors, [{ vendor: 'NVD', vector: 'AAV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H' }]);
  });

  test('false_positive, resolved_with_pedigree and protected_* justifications', async () => {
    const vuln = (id: string, analysis: Record<string, unknown>) => ({ id, analysis, affects: [{ ref: 'app' }] });
    const { findings } = await read(
      bom({
        components: [{ 'bom-ref': 'app', type: 'library', name: 'app' }],
        vulnerabilities: [
          vuln('CVE-2024-0001', { state: 'false_positive', detail: 'Scanner confused two packages.' }),
          vuln('CVE-2024-0002', { state: 'resolved_with_pedigree' }),
          vuln('CVE-2024-0003', { state: 'not_affected', justification: 'protected_at_perimeter' }),
          vuln('CVE-2024-0004', { state: 'in_triage', detail: 'looking' }),
          vuln('CVE-2024-0005', {}),
        ],
      }),
    );
    assert.deepEqual(
      findings.map((f) => f.assessment),
      [
        { state: 'dismissed', reason: 'false_positive', comment: 'Scanner confused two packages.' },
        { state: 'resolved', reason: null, comment: null },
        { state: 'dismissed', reason: 'mitigating_control', comment: 'protected_at_perimeter' },
        null,
        null,
      ],
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

/** valid-vulnerability-1.4.json written as CycloneDX 1.4 XML, field for field. */
const VALID_VULNERABILITY_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">
  <components>
    <component type="library" bom-ref="pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4">
      <group>com.fasterxml.jackson.core</group>
      <name>jackson-databind</name>
      <version>2.9.4</version>
      <purl>pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4</purl>
    </component>
  </components>
  <vulnerabilities>
    <vulnerability bom-ref="6eee14da-8f42-4cc4-bb65-203235f02415">
      <id>SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111</id>
      <source><name>Snyk</name><url>https://snyk.io/vuln/SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111</url></source>
      <references>
        <reference><id>CVE-2018-7489</id><source><name>NVD</name><url>https://nvd.nist.gov/vuln/detail/CVE-2019-9997</url></source></reference>
      </references>
      <ratings>
        <rating>
          <source><name>NVD</name><url>https://nvd.nist.gov/vuln-metrics/cvss/v3-calculator?vector=AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H&amp;version=3.0</url></source>
          <score>9.8</score>
          <severity>critical</severity>
          <method>CVSSv3</method>
          <vector>AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</vector>
          <justification>An optional reason for rating the vulnerability as it was</justification>
        </rating>
      </ratings>
      <cwes><cwe>184</cwe><cwe>502</cwe></cwes>
      <description>FasterXML jackson-databind before 2.7.9.3, 2.8.x before 2.8.11.1 and 2.9.x before 2.9.5 allows unauthenticated remote code execution because of an incomplete fix for the CVE-2017-7525 deserialization flaw. This is exploitable by sending maliciously crafted JSON input to the readValue method of the ObjectMapper, bypassing a blacklist that is ineffective if the c3p0 libraries are available in the classpath.</description>
      <detail></detail>
      <recommendation>Upgrade com.fasterxml.jackson.core:jackson-databind to version 2.6.7.5, 2.8.11.1, 2.9.5 or higher.</recommendation>
      <advisories>
        <advisory><title>GitHub Commit</title><url>https://github.com/FasterXML/jackson-databind/commit/6799f8f10cc78e9af6d443ed6982d00a13f2e7d2</url></advisory>
        <advisory><title>GitHub Issue</title><url>https://github.com/FasterXML/jackson-databind/issues/1931</url></advisory>
      </advisories>
      <tools><tool><vendor>Snyk</vendor><name>Snyk CLI (Linux)</name><version>1.729.0</version></tool></tools>
      <analysis>
        <state>not_affected</state>
        <justification>code_not_reachable</justification>
        <responses><response>will_not_fix</response><response>update</response></responses>
        <detail>An optional explanation of why the application is not affected by the vulnerable component.</detail>
      </analysis>
      <affects>
        <target>
          <ref>pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4</ref>
          <versions>
            <version><range>vers:semver/&lt;2.6.7.5</range><status>affected</status></version>
            <version><range>vers:semver/2.7.0|&lt;2.8.11.1</range><status>affected</status></version>
            <version><range>vers:semver/2.9.0|&lt;2.9.5</range><status>affected</status></version>
          </versions>
        </target>
      </affects>
    </vulnerability>
  </vulnerabilities>
</bom>
`;

/** vex-not_affected.json as CycloneDX 1.4 XML. */
const VEX_NOT_AFFECTED_XML = `<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">
  <metadata>
    <timestamp>2022-03-03T00:00:00Z</timestamp>
    <component type="application" bom-ref="product-ABC"><name>ABC</name><version>4.2</version></component>
  </metadata>
  <vulnerabilities>
    <vulnerability>
      <id>CVE-2021-44228</id>
      <source><name>NVD</name><url>https://nvd.nist.gov/vuln/detail/CVE-2021-44228</url></source>
      <analysis>
        <state>not_affected</state>
        <justification>code_not_present</justification>
        <responses><response>will_not_fix</response></responses>
        <detail>This version of Product ABC is not affected by the vulnerability. Class with vulnerable code was removed before shipping.</detail>
      </analysis>
      <affects><target><ref>product-ABC</ref></target></affects>
    </vulnerability>
  </vulnerabilities>
</bom>
`;

describe('JSON and XML give the same findings', () => {
  test('valid-vulnerability-1.4 as XML equals the JSON fixture', async () => {
    const xml = await read(VALID_VULNERABILITY_XML);
    const json = await fixture('valid-vulnerability-1.4.json');
    assert.equal(xml.format, 'cyclonedx-xml');
    assert.equal(xml.formatVersion, '1.4');
    assert.deepEqual(xml.findings, json.findings);
    assert.deepEqual([xml.scanners, xml.reportTypes], [json.scanners, json.reportTypes]);
  });

  test('vex-not_affected as XML equals the JSON fixture', async () => {
    const xml = await read(VEX_NOT_AFFECTED_XML);
    const json = await fixture('vex-not_affected.json');
    assert.deepEqual(xml.findings, json.findings);
    assert.deepEqual([xml.scanners, xml.reportTypes], [json.scanners, json.reportTypes]);
  });

  test('1.5 tools: metadata.tools.components (JSON) and <tools><components> (XML)', async () => {
    const json = await read(
      bom({ metadata: { tools: { components: [{ type: 'application', group: 'aquasecurity', name: 'trivy', version: '0.50.0' }] } } }),
    );
    const xml = await read(`<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><metadata><tools><components>
      <component type="application"><group>aquasecurity</group><name>trivy</name><version>0.50.0</version></component>
      </components></tools></metadata></bom>`);
    const trivy = { id: 'trivy', name: 'trivy', version: '0.50.0', vendor: 'aquasecurity' };
    for (const report of [json, xml]) {
      assert.deepEqual(report.scanners, [trivy]);
      assert.deepEqual(report.reportTypes, ['dependency_scanning']);
      assert.deepEqual(report.findings, []);
    }
    const service = await read(bom({ metadata: { tools: { services: [{ provider: { name: 'Acme' }, name: 'Acme Analyzer' }] } } }));
    assert.deepEqual(service.scanners, [{ id: 'acme_analyzer', name: 'Acme Analyzer', version: null, vendor: 'Acme' }]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('packages, files and fixed versions', () => {
  test('BOM-Links: resolved by fragment when this BOM has it, else a purl package, else a pseudo package', async () => {
    const { findings } = await read(
      bom({
        components: [{ 'bom-ref': 'lib-1', type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }],
        vulnerabilities: [
          {
            id: 'GHSA-xxxx-xxxx-xxxx',
            source: { name: 'GitHub' },
            affects: [
              { ref: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#lib-1' },
              { ref: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:npm/%40babel/core@7.0.0' },
              { ref: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#component-42' },
              { ref: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#component-42' },
            ],
          },
        ],
      }),
    );
    assert.deepEqual(
      findings.map((f) => [f.title, f.location.package, f.location.file]),
      [
        ['GHSA-xxxx-xxxx-xxxx in left-pad', { name: 'left-pad', version: '1.3.0', ecosystem: 'npm', purl: 'pkg:npm/left-pad@1.3.0', fixedVersions: [] }, 'sbom'],
        // the fragment is the percent-encoded bom-ref, so it is decoded once
        ['GHSA-xxxx-xxxx-xxxx in @babel/core', { name: '@babel/core', version: '7.0.0', ecosystem: 'npm', purl: 'pkg:npm/@babel/core@7.0.0', fixedVersions: [] }, 'sbom'],
        ['GHSA-xxxx-xxxx-xxxx in component-42', { name: 'component-42', version: null, ecosystem: null, purl: null, fixedVersions: [] }, 'sbom'],
      ],
    );
    // not a GHSA-shaped id: typed by its source (GitHub → ghsa)
    assert.deepEqual(findings[0]!.identifiers[0], { type: 'ghsa', value: 'GHSA-XXXX-XXXX-XXXX', name: 'GHSA-XXXX-XXXX-XXXX', url: null });
  });

  test('a vulnerability without affects is about the BOM subject, or no package when there is none', async () => {
    const withSubject = await read(bom({ metadata: { component: { type: 'application', name: 'shop', version: '2' } }, vulnerabilities: [{ id: 'CVE-2024-1' }] }));
    assert.deepEqual(withSubject.findings[0]!.location.package, { name: 'shop', version: '2', ecosystem: null, purl: null, fixedVersions: [] });
    const without = await read(bom({ vulnerabilities: [{ id: 'CVE-2024-1', description: 'Bad. Very bad.' }] }));
    assert.equal(without.findings[0]!.location.package, null);
    assert.equal(without.findings[0]!.location.file, 'sbom');
    assert.equal(without.findings[0]!.title, 'CVE-2024-1');
  });

  test('no id: the title is the first sentence of the description, a reference identifies it', async () => {
    const { findings } = await read(
      bom({
        vulnerabilities: [{ references: [{ id: 'GHSA-jfh8-c2jp-5v3q', source: { name: 'GitHub' } }], description: 'Prototype pollution in x. More text here.' }],
      }),
    );
    assert.equal(findings[0]!.title, 'Prototype pollution in x.');
    assert.deepEqual(findings[0]!.identifiers, [{ type: 'ghsa', value: 'GHSA-JFH8-C2JP-5V3Q', name: 'GHSA-JFH8-C2JP-5V3Q', url: null }]);
  });

  test('identifier types from the source: OSV, NVD, none', async () => {
    const { findings } = await read(
      bom({
        vulnerabilities: [
          { id: 'PYSEC-2021-1', source: { name: 'OSV' }, references: [{ id: 'cve-2021-1234', source: { name: 'NVD' } }] },
          { id: 'ACME-1' },
        ],
      }),
    );
    assert.deepEqual(
      findings.map((f) => f.identifiers.map((i) => `${i.type}:${i.value}`)),
      [['osv:PYSEC-2021-1', 'cve:CVE-2021-1234'], ['cyclonedx:ACME-1']],
    );
  });

  test('the manifest: nested in a manifest component, reached through dependencies, or a path property', async () => {
    const { findings } = await read(
      bom({
        metadata: { component: { 'bom-ref': 'root', type: 'application', name: '.' } },
        components: [
          {
            'bom-ref': 'app-1',
            type: 'application',
            name: 'web/package-lock.json',
            properties: [{ name: 'aquasecurity:trivy:Class', value: 'lang-pkgs' }],
          },
          { 'bom-ref': 'pkg:npm/lodash@4.17.20', type: 'library', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' },
          { 'bom-ref': 'pkg:npm/minimist@1.2.0', type: 'library', name: 'minimist', version: '1.2.0', purl: 'pkg:npm/minimist@1.2.0' },
          {
            'bom-ref': 'req',
            type: 'file',
            name: './api/requirements.txt',
            components: [{ 'bom-ref': 'pkg:pypi/django@2.2', type: 'library', name: 'django', version: '2.2', purl: 'pkg:pypi/django@2.2' }],
          },
          {
            'bom-ref': 'jar',
            type: 'library',
            group: 'org.apache.logging.log4j',
            name: 'log4j-core',
            version: '2.14.1',
            purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
            properties: [{ name: 'aquasecurity:trivy:FilePath', value: 'lib/log4j-core-2.14.1.jar' }],
          },
          { 'bom-ref': 'loose', type: 'library', name: 'loose', version: '1' },
        ],
        dependencies: [
          { ref: 'root', dependsOn: ['app-1'] },
          { ref: 'app-1', dependsOn: ['pkg:npm/lodash@4.17.20'] },
          { ref: 'pkg:npm/lodash@4.17.20', dependsOn: ['pkg:npm/minimist@1.2.0'] },
        ],
        vulnerabilities: [
          {
            id: 'CVE-2021-0001',
            affects: [{ ref: 'pkg:npm/lodash@4.17.20' }, { ref: 'pkg:npm/minimist@1.2.0' }, { ref: 'pkg:pypi/django@2.2' }, { ref: 'jar' }, { ref: 'loose' }],
          },
        ],
      }),
    );
    assert.deepEqual(
      findings.map((f) => [f.location.package!.name, f.location.package!.ecosystem, f.location.file]),
      [
        ['lodash', 'npm', 'web/package-lock.json'],
        ['minimist', 'npm', 'web/package-lock.json'],
        ['django', 'pypi', 'api/requirements.txt'],
        ['org.apache.logging.log4j:log4j-core', 'maven', 'lib/log4j-core-2.14.1.jar'],
        ['loose', null, 'sbom'],
      ],
    );
  });

  test('a BOM about a manifest file: its path for every package', async () => {
    const { findings } = await read(
      bom({
        metadata: { component: { type: 'file', name: 'go.mod' } },
        components: [{ 'bom-ref': 'g', type: 'library', name: 'golang.org/x/net', version: 'v0.1.0', purl: 'pkg:golang/golang.org/x/net@v0.1.0' }],
        vulnerabilities: [{ id: 'GO-2023-1', source: { name: 'OSV' }, affects: [{ ref: 'g' }] }],
      }),
    );
    assert.deepEqual(findings[0]!.location.file, 'go.mod');
    assert.deepEqual(findings[0]!.location.package!.ecosystem, 'go');
  });

  test('fixed versions from unaffected versions and one-constraint >= ranges; solution from them', async () => {
    const { findings } = await read(
      bom({
        components: [{ 'bom-ref': 'a', name: 'a', version: '1.0.0', purl: 'pkg:npm/a@1.0.0' }],
        vulnerabilities: [
          {
            id: 'CVE-2024-2',
            workaround: 'Disable the feature.',
            affects: [
              {
                ref: 'a',
                versions: [
                  { version: '1.0.0', status: 'affected' },
                  { version: '1.0.1', status: 'unaffected' },
                  { range: 'vers:npm/>=2.0.0', status: 'unaffected' },
                  { range: 'vers:npm/>=3.0.0|<4', status: 'unaffected' },
                  { version: '0.9', status: 'unknown' },
                  { version: '1.0.1', status: 'unaffected' },
                ],
              },
            ],
          },
        ],
      }),
    );
    assert.deepEqual(findings[0]!.location.package!.fixedVersions, ['1.0.1', '2.0.0']);
    assert.equal(findings[0]!.solution, 'Upgrade a to 1.0.1, 2.0.0.\n\nWorkaround: Disable the feature.');
  });

  test('container: the image is name:version, the OS from the operating-system component', async () => {
    const { findings, reportTypes } = await read(
      bom({
        metadata: { component: { type: 'container', name: 'registry.example.com/app', version: '1.2.3' } },
        components: [
          { type: 'operating-system', name: 'alpine', version: '3.19.1' },
          { 'bom-ref': 'pkg:apk/alpine/openssl@3.1.4-r5', type: 'library', name: 'openssl', version: '3.1.4-r5', purl: 'pkg:apk/alpine/openssl@3.1.4-r5' },
        ],
        vulnerabilities: [{ id: 'CVE-2024-3', affects: [{ ref: 'pkg:apk/alpine/openssl@3.1.4-r5' }] }],
      }),
    );
    assert.deepEqual(reportTypes, ['container_scanning']);
    assert.deepEqual(findings[0]!.location, {
      ...EMPTY_LOCATION,
      package: { name: 'openssl', version: '3.1.4-r5', ecosystem: 'alpine', purl: 'pkg:apk/alpine/openssl@3.1.4-r5', fixedVersions: [] },
      image: 'registry.example.com/app:1.2.3',
      operatingSystem: 'alpine 3.19.1',
    });
  });

  test('parsePurl', () => {
    assert.deepEqual(parsePurl('pkg:maven/org.apache/commons-text@1.9?type=jar#sub'), { type: 'maven', namespace: 'org.apache', name: 'commons-text', version: '1.9' });
    assert.deepEqual(parsePurl('pkg:golang/github.com/a/b@v1.0.0'), { type: 'golang', namespace: 'github.com/a', name: 'b', version: 'v1.0.0' });
    assert.deepEqual(parsePurl('pkg:pypi/django'), { type: 'pypi', namespace: null, name: 'django', version: null });
    assert.equal(parsePurl('component-42'), null);
  });

  test('NUL characters are removed and long strings clipped', async () => {
    const { findings } = await read(
      bom({ vulnerabilities: [{ id: 'CVE-2024-\u00004', description: `x\u0000y ${'z'.repeat(70_000)}` }] }),
    );
    assert.equal(findings[0]!.identifiers[0]!.value, 'CVE-2024-4');
    assert.equal(findings[0]!.description!.length, 65_536);
    assert.ok(findings[0]!.description!.startsWith('xy z'));
    assert.ok(findings[0]!.description!.endsWith(TRUNCATION_MARKER));
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('bad input', () => {
  test('truncated documents (the first 60% of the bytes) end early', async () => {
    for (const name of ['issue_9277.json', 'vex.json']) {
      await rejectsAt(read(truncated(`cyclonedx/${name}`)), '', /ends early|truncated/);
    }
    // The XML driver reports saxes' own message for a document cut short ("unclosed tag: …") before its
    // "ends early" check can run.
    await rejectsAt(read(truncated('cyclonedx/grype.xml')), '', /not valid XML: .*(ends early|truncated|unclosed tag)/);
  });

  const cases: [string, Record<string, unknown>, string, string][] = [
    [
      'a severity outside the enumeration',
      { vulnerabilities: [{ id: 'CVE-2024-5', ratings: [{ severity: 'low' }, { severity: 'severe' }] }] },
      '/vulnerabilities/0/ratings/1/severity',
      '"severe" is not a severity; must be one of critical, high, medium, low, info, none, unknown',
    ],
    [
      'an unknown analysis state',
      { vulnerabilities: [{ id: 'CVE-2024-5', analysis: { state: 'affected' } }] },
      '/vulnerabilities/0/analysis/state',
      '"affected" is not allowed; must be one of resolved, resolved_with_pedigree, exploitable, in_triage, false_positive, not_affected',
    ],
    [
      'an unknown justification',
      { vulnerabilities: [{ id: 'CVE-2024-5', analysis: { state: 'not_affected', justification: 'because' } }] },
      '/vulnerabilities/0/analysis/justification',
      '"because" is not allowed; must be one of code_not_present, code_not_reachable, requires_configuration, requires_dependency, requires_environment, protected_by_compiler, protected_at_runtime, protected_at_perimeter, protected_by_mitigating_control',
    ],
    [
      'an unknown affected status',
      { vulnerabilities: [{ id: 'CVE-2024-5', affects: [{ ref: 'x', versions: [{ version: '1', status: 'fixed' }] }] }] },
      '/vulnerabilities/0/affects/0/versions/0/status',
      '"fixed" is not allowed; must be one of affected, unaffected, unknown',
    ],
    [
      'an affects entry without ref',
      { vulnerabilities: [{ id: 'CVE-2024-5', affects: [{ ref: 'x' }, { versions: [] }] }] },
      '/vulnerabilities/0/affects/1/ref',
      'is required',
    ],
    [
      'a CWE that is not a number',
      { vulnerabilities: [{ id: 'CVE-2024-5', cwes: [79, 'XSS'] }] },
      '/vulnerabilities/0/cwes/1',
      '"XSS" is not a CWE number',
    ],
    [
      'no id and no reference',
      { vulnerabilities: [{ id: 'CVE-2024-5' }, { description: 'anonymous', cwes: [79] }] },
      '/vulnerabilities/1/id',
      'is required (or a references[].id): nothing else identifies the vulnerability',
    ],
    ['ratings that are not an array', { vulnerabilities: [{ id: 'CVE-2024-5', ratings: { severity: 'high' } }] }, '/vulnerabilities/0/ratings', 'must be an array'],
    ['a description that is not a string', { vulnerabilities: [{ id: 'CVE-2024-5', description: ['a'] }] }, '/vulnerabilities/0/description', 'must be a string'],
    ['a vulnerability that is not an object', { vulnerabilities: ['CVE-2024-5'] }, '/vulnerabilities/0', 'must be an object'],
    ['components that are not an array', { components: { a: { name: 'a' } } }, '/components', 'must be an array'],
    ['a component name that is not a string', { components: [{ name: 'a' }, { name: 7.5e300, purl: {} }] }, '/components/1/purl', 'must be a string'],
    ['tools of the wrong type', { metadata: { tools: 'trivy' } }, '/metadata/tools', 'must be an object'],
    ['a specVersion that is not a string', { specVersion: true }, '/specVersion', 'must be a string'],
  ];
  for (const [what, parts, pointer, message] of cases) {
    test(`JSON: ${what} → ${pointer}`, () => rejectsAt(read(bom(parts)), pointer, message));
  }

  const grype = () => readFileSync(fixturePath('cyclonedx/grype.xml'), 'utf8');
  const xmlCases: [string, () => string, string, string][] = [
    [
      'an unknown analysis state',
      () => VEX_NOT_AFFECTED_XML.replace('<state>not_affected</state>', '<state>unaffected</state>'),
      '/bom/vulnerabilities/vulnerability[1]/analysis/state',
      '"unaffected" is not allowed; must be one of resolved, resolved_with_pedigree, exploitable, in_triage, false_positive, not_affected',
    ],
    [
      'a bad severity in an extension vulnerability (apt is the 16th component)',
      () => grype().replace('<v:severity>Low</v:severity>', '<v:severity>Negligible</v:severity>'),
      '/bom/components/component[16]/vulnerabilities/vulnerability[1]/ratings/rating/severity',
      '"Negligible" is not a severity; must be one of critical, high, medium, low, info, none, unknown',
    ],
    [
      'a CWE that is not a number',
      () => VALID_VULNERABILITY_XML.replace('<cwe>502</cwe>', '<cwe>deserialization</cwe>'),
      '/bom/vulnerabilities/vulnerability[1]/cwes/cwe[2]',
      '"deserialization" is not a CWE number',
    ],
    [
      'an affects target without ref',
      () => VEX_NOT_AFFECTED_XML.replace('<ref>product-ABC</ref>', ''),
      '/bom/vulnerabilities/vulnerability[1]/affects/target/ref',
      'is required',
    ],
  ];
  for (const [what, xml, pointer, message] of xmlCases) {
    test(`XML: ${what} → ${pointer}`, () => rejectsAt(read(xml()), pointer, message));
  }
});
