import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FIELD_LIMITS, TRUNCATION_MARKER } from '../../src/vulns/formats/limits.js';
import { npmAuditFormat } from '../../src/vulns/formats/npm-audit.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import { emptyLocation } from '../../src/vulns/model.js';
import { allFixtureFiles, detectsText, fixturePath, fixturesIn, readWith, recognisedFixtures, rejectsAt, severities, truncated, type ReportInput } from '../support/report-fixtures.js';

const V6 = fixturePath('npm-audit/multiple_cwes.json');
const V7 = fixturePath('npm-audit/many_vulns.json');
const SCANNER = { id: 'npm_audit', name: 'npm audit', version: null, vendor: 'npm' };

const read = (input: ReportInput): Promise<ParsedReport> => readWith([npmAuditFormat], input);
const rejects = (input: Buffer | object, pointer: string, message: string | RegExp) => rejectsAt(read(input), pointer, message);

/** A minimal npm 6 report with one advisory (id 1), with overrides. */
function v6(advisory: Record<string, unknown> = {}): object {
  const base = { id: 1, title: 'Prototype Pollution', module_name: 'lodash', severity: 'high', cves: ['CVE-2020-8203'], cwe: 'CWE-1321', findings: [{ version: '4.17.15', paths: ['lodash'] }], patched_versions: '>=4.17.19', url: 'https://npmjs.com/advisories/1523' };
  return { actions: [], advisories: { '1': { ...base, ...advisory } }, muted: [], metadata: { vulnerabilities: {} } };
}

/** A minimal npm 7+ report with the package `debug`, with overrides of its entry and of its advisory. */
function v7(entry: Record<string, unknown> = {}, advisory: Record<string, unknown> = {}): object {
  const via = { source: 1094219, name: 'debug', dependency: 'debug', title: 'ReDoS in debug', url: 'https://github.com/advisories/GHSA-gxpj-cx7g-858c', severity: 'moderate', cwe: ['CWE-400'], cvss: { score: 5.3, vectorString: null }, range: '>=4.0.0 <4.3.1', ...advisory };
  return { auditReportVersion: 2, vulnerabilities: { debug: { name: 'debug', severity: 'moderate', isDirect: true, via: [via], effects: [], range: '4.0.0 - 4.3.0', nodes: ['node_modules/debug'], fixAvailable: true, ...entry } }, metadata: {} };
}

describe('npm 6 (advisories): npm-audit/multiple_cwes.json', () => {
  // Derived with Python: d = json.load(f); for each value a of d['advisories'] (41 advisories), one finding per
  // distinct a['findings'][].version → sum(len({f['version'] for f in a['findings']})) = 44 (three advisories name
  // two versions: ansi-regex 3.0.0/4.1.0, ajv 6.10.0/5.5.2, minimist 0.0.8/0.0.10). Severities of those 44:
  // moderate 25, high 15, critical 2, low 2. (The README's metadata totals, 75, count dependency paths.)
  test('one finding per advisory and installed version; severities; scope', async () => {
    const report = await read(V6);
    assert.equal(report.format, 'npm_audit');
    assert.equal(report.formatVersion, null);
    assert.deepEqual(report.scanners, [SCANNER]);
    assert.deepEqual(report.reportTypes, ['dependency_scanning']);
    assert.equal(report.findings.length, 44);
    assert.deepEqual(severities(report.findings), { medium: 25, high: 15, critical: 2, low: 2 });
    const ansiRegex = report.findings.filter((f) => f.identifiers.some((i) => i.type === 'npm' && i.value === '1059599'));
    assert.deepEqual(ansiRegex.map((f) => f.location.package?.version), ['3.0.0', '4.1.0']);
    assert.ok(report.findings.every((f) => f.location.file === 'package-lock.json' && f.location.package?.ecosystem === 'npm'));
    // 5 advisories have no CVE (cves: []): their first identifier is the GHSA.
    assert.equal(report.findings.filter((f) => f.identifiers[0]!.type === 'ghsa').length, 5);
  });

  test('a whole finding: ansi-html (advisory 1059337)', async () => {
    const finding = (await read(V6)).findings[0]!;
    assert.deepEqual(finding, {
      title: 'Uncontrolled Resource Consumption in ansi-html',
      description: 'This affects all versions of package ansi-html. If an attacker provides a malicious string, it will get stuck processing the input for an extremely long time.',
      severity: 'high',
      confidence: null,
      reportType: 'dependency_scanning',
      scanner: SCANNER,
      identifiers: [
        { type: 'cve', value: 'CVE-2021-23424', name: null, url: null },
        { type: 'ghsa', value: 'GHSA-whgm-jr23-g3j9', name: null, url: 'https://github.com/advisories/GHSA-whgm-jr23-g3j9' },
        { type: 'npm', value: '1059337', name: null, url: null },
        { type: 'cwe', value: 'CWE-400', name: null, url: null },
      ],
      location: {
        ...emptyLocation(),
        file: 'package-lock.json',
        package: { name: 'ansi-html', version: '0.0.7', ecosystem: 'npm', purl: 'pkg:npm/ansi-html@0.0.7', fixedVersions: ['>=0.0.8'] },
      },
      solution: 'Upgrade to version 0.0.8 or later',
      links: [
        'https://github.com/advisories/GHSA-whgm-jr23-g3j9',
        'https://nvd.nist.gov/vuln/detail/CVE-2021-23424',
        'https://github.com/Tjatse/ansi-html/issues/19',
        'https://snyk.io/vuln/SNYK-JS-ANSIHTML-1296849',
        'https://github.com/ioet/time-tracker-ui/security/advisories/GHSA-4fjc-8q3h-8r69',
        'https://github.com/Tjatse/ansi-html/commit/8142b25bca3133ea060bcc1889277dc482327a63',
      ].map((url) => ({ name: null, url })),
      cvssVectors: [{ vendor: null, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
      tracking: [],
      snippet: null,
      suppression: null,
      baselineState: null,
      relatedLocations: [],
    });
  });

  test('CWE lists written as a JSON string, and a CVSS vector of null', async () => {
    const findings = (await read(V6)).findings;
    const noCwe = findings.find((f) => f.identifiers.some((i) => i.type === 'npm' && i.value === '1059434'))!; // node-forge, cwe "[]"
    assert.deepEqual(noCwe.identifiers.map((i) => i.type), ['ghsa', 'npm']);
    const twoCwes = findings.find((f) => f.location.package?.name === 'ansi-regex')!;
    assert.deepEqual(twoCwes.identifiers.filter((i) => i.type === 'cwe').map((i) => i.value), ['CWE-918', 'CWE-1333']);
    const noVector = findings.find((f) => f.identifiers.some((i) => i.value === '1059412'))!; // shelljs, cvss {score: 0, vectorString: null}
    assert.deepEqual(noVector.cvssVectors, []);
  });

  test('an old npm 6 advisory: one CWE as text, an npmjs.com URL, no GHSA; "<0.0.0" means no patch', async () => {
    const [finding] = (await read(v6({ patched_versions: '<0.0.0' }))).findings;
    assert.deepEqual(finding!.identifiers, [
      { type: 'cve', value: 'CVE-2020-8203', name: null, url: null },
      { type: 'npm', value: '1', name: null, url: 'https://npmjs.com/advisories/1523' },
      { type: 'cwe', value: 'CWE-1321', name: null, url: null },
    ]);
    assert.deepEqual(finding!.location.package?.fixedVersions, []);
  });
});

describe('npm 7+ (auditReportVersion 2): npm-audit/many_vulns.json', () => {
  // Derived with Python: for v in d['vulnerabilities'].values() (6 packages), the `via` entries that are objects:
  // debug (moderate), semver (moderate), undici (low) → 3 findings, moderate 2 and low 1. The other three packages
  // (@vercel/fun, @vercel/node, vercel) have only strings in `via`: vulnerable through those three, no finding.
  test('one finding per advisory object in via; string entries are not findings', async () => {
    const report = await read(V7);
    assert.equal(report.formatVersion, '2');
    assert.deepEqual(report.scanners, [SCANNER]);
    assert.deepEqual(report.reportTypes, ['dependency_scanning']);
    assert.deepEqual(report.findings.map((f) => f.location.package?.name), ['debug', 'semver', 'undici']);
    assert.deepEqual(severities(report.findings), { medium: 2, low: 1 });
  });

  test('a whole finding: undici', async () => {
    const undici = (await read(V7)).findings[2]!;
    assert.deepEqual(undici, {
      title: 'Undici proxy-authorization header not cleared on cross-origin redirect in fetch',
      description: null,
      severity: 'low',
      confidence: null,
      reportType: 'dependency_scanning',
      scanner: SCANNER,
      identifiers: [
        { type: 'ghsa', value: 'GHSA-3787-6prv-h9w3', name: null, url: 'https://github.com/advisories/GHSA-3787-6prv-h9w3' },
        { type: 'npm', value: '1096586', name: null, url: null },
        { type: 'cwe', value: 'CWE-200', name: null, url: null },
      ],
      location: { ...emptyLocation(), file: 'package-lock.json', package: { name: 'undici', version: null, ecosystem: 'npm', purl: 'pkg:npm/undici', fixedVersions: ['>5.28.2'] } },
      solution: 'Upgrade vercel to 32.3.0 (a SemVer-major change: `npm audit fix --force`).',
      links: [{ name: null, url: 'https://github.com/advisories/GHSA-3787-6prv-h9w3' }],
      cvssVectors: [{ vendor: null, vector: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:L/A:L' }],
      tracking: [],
      snippet: null,
      suppression: null,
      baselineState: null,
      relatedLocations: [],
    });
  });

  test('fixAvailable: true, and an upgrade of the package itself (its fixed version)', async () => {
    const [auto] = (await read(v7())).findings;
    assert.equal(auto!.solution, 'Run `npm audit fix`.');
    // No version named: the versions above the vulnerable range ">=4.0.0 <4.3.1".
    assert.deepEqual(auto!.location.package?.fixedVersions, ['>=4.3.1']);
    const [several] = (await read(v7({}, { range: '<1.2.3 || >=2.0.0 <2.0.5' }))).findings;
    assert.deepEqual(several!.location.package?.fixedVersions, [], 'two vulnerable intervals: no single threshold');
    const [open] = (await read(v7({}, { range: '>=1.0.0' }))).findings;
    assert.deepEqual(open!.location.package?.fixedVersions, [], 'no upper bound: no fix');
    const [own] = (await read(v7({ fixAvailable: { name: 'debug', version: '4.3.1', isSemVerMajor: false } }))).findings;
    assert.equal(own!.solution, 'Upgrade debug to 4.3.1 (`npm audit fix`).');
    assert.deepEqual(own!.location.package?.fixedVersions, ['4.3.1']);
    const [none] = (await read(v7({ fixAvailable: false }))).findings;
    assert.equal(none!.solution, null);
  });

  test('an advisory listed again under another package is counted once', async () => {
    const doc = v7() as { vulnerabilities: Record<string, { via: unknown[] }> };
    doc.vulnerabilities.parent = { ...doc.vulnerabilities.debug!, via: ['debug', doc.vulnerabilities.debug!.via[0]] };
    assert.equal((await read(doc)).findings.length, 1);
  });

  test('scoped package names: purl and error pointers', async () => {
    const doc = { auditReportVersion: 2, vulnerabilities: { '@scope/pkg': { name: '@scope/pkg', via: [{ source: 7, name: '@scope/pkg', url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc', severity: 'high' }] } } };
    assert.equal((await read(doc)).findings[0]!.location.package?.purl, 'pkg:npm/%40scope/pkg');
    doc.vulnerabilities['@scope/pkg'].via[0]!.severity = 'severe';
    await rejects(doc, '/vulnerabilities/@scope~1pkg/via/0/severity', '"severe" is not an npm severity; must be one of info, low, moderate, high, critical');
  });
});

describe('npm audit: strings', () => {
  test('NULs are removed, long titles clipped', async () => {
    const [finding] = (await read(v6({ title: `Proto\u0000type ${'x'.repeat(2000)}`, overview: 'a\u0000b' }))).findings;
    assert.equal(finding!.title.length, FIELD_LIMITS.title);
    assert.ok(finding!.title.startsWith('Prototype xxx') && finding!.title.endsWith(TRUNCATION_MARKER));
    assert.equal(finding!.description, 'ab');
  });
});

describe('npm audit: detection', () => {
  test('recognises exactly the npm-audit fixtures among all fixtures', () => {
    assert.ok(allFixtureFiles().length >= 70);
    assert.deepEqual(recognisedFixtures(npmAuditFormat), fixturesIn('npm-audit'));
  });

  test('npm 6 whose `actions` fill the sniffed part; and it must turn out to be npm audit', async () => {
    assert.ok(detectsText(npmAuditFormat, `{"actions": [${'{"action":"install","resolves":[]},'.repeat(10_000)}`));
    await rejects({ actions: [] }, '', 'not an npm audit report: it has no "advisories", "vulnerabilities" or "metadata"');
    assert.equal((await read({ actions: [], advisories: {}, muted: [], metadata: { vulnerabilities: {} } })).findings.length, 0);
  });

  test('other auditReportVersions and objects with only "advisories" are not npm audit', () => {
    const detect = (text: string) => detectsText(npmAuditFormat, text);
    assert.equal(detect('{"auditReportVersion": 3, "vulnerabilities": {}}'), false);
    assert.equal(detect('{"advisories": {}}'), false);
    assert.equal(detect('{"auditReportVersion": 2, "vulnerabilities": {}}'), true);
  });
});

describe('npm audit: bad input', () => {
  test('truncated: the first 60% of each fixture', async () => {
    for (const file of [V6, V7]) {
      await rejects(truncated(file), '', /ends early.*truncated/);
    }
  });

  test('wrong values in npm 6 advisories, at their pointers', async () => {
    await rejects({ ...v6(), advisories: [{}] }, '/advisories', 'must be an object keyed by advisory id');
    await rejects({ ...v6(), advisories: { '1': 'x' } }, '/advisories/1', 'must be an object');
    await rejects(v6({ severity: 'urgent' }), '/advisories/1/severity', '"urgent" is not an npm severity; must be one of info, low, moderate, high, critical');
    await rejects(v6({ severity: 3 }), '/advisories/1/severity', '3 is not an npm severity; must be one of info, low, moderate, high, critical');
    await rejects(v6({ module_name: null }), '/advisories/1/module_name', 'must be a non-empty string');
    await rejects(v6({ id: {} }), '/advisories/1/id', 'must be a string');
    await rejects(v6({ findings: {} }), '/advisories/1/findings', 'must be an array');
    await rejects(v6({ findings: [{ version: [] }] }), '/advisories/1/findings/0/version', 'must be a string');
    await rejects(v6({ findings: [{ version: '1.0.0', paths: 'a>b' }] }), '/advisories/1/findings/0/paths', 'must be an array');
    await rejects(v6({ cwe: 79 }), '/advisories/1/cwe', 'must be a CWE id or an array of them');
    await rejects(v6({ cwe: ['CWE-79', 1] }), '/advisories/1/cwe/1', 'must be a string');
    await rejects(v6({ cves: [{}] }), '/advisories/1/cves/0', 'must be a string');
    await rejects(v6({ cvss: 'high' }), '/advisories/1/cvss', 'must be an object');
    await rejects(v6({ title: true }), '/advisories/1/title', 'must be a string');
  });

  test('wrong values in npm 7+ entries, at their pointers', async () => {
    await rejects({ auditReportVersion: 2, vulnerabilities: [{}], metadata: {} }, '/vulnerabilities', 'must be an object keyed by package name');
    await rejects(v7({ via: 'debug' }), '/vulnerabilities/debug/via', 'must be an array');
    await rejects(v7({ via: [5] }), '/vulnerabilities/debug/via/0', 'must be an advisory object or the name of a vulnerable dependency');
    await rejects(v7({ fixAvailable: 'yes' }), '/vulnerabilities/debug/fixAvailable', 'must be true, false or {name, version, isSemVerMajor}');
    await rejects(v7({ fixAvailable: { name: 'debug' } }), '/vulnerabilities/debug/fixAvailable/version', 'must be a non-empty string');
    await rejects(v7({ fixAvailable: { name: 'debug', version: '1', isSemVerMajor: 'no' } }), '/vulnerabilities/debug/fixAvailable/isSemVerMajor', 'must be a boolean');
    await rejects(v7({}, { source: null, url: 'https://example.com/x' }), '/vulnerabilities/debug/via/0/source', 'an advisory needs its npm id ("source") or a GitHub advisory "url"');
    await rejects(v7({}, { severity: 'urgent' }), '/vulnerabilities/debug/via/0/severity', '"urgent" is not an npm severity; must be one of info, low, moderate, high, critical');
    await rejects(v7({}, { cvss: [] }), '/vulnerabilities/debug/via/0/cvss', 'must be an object');
  });
});
