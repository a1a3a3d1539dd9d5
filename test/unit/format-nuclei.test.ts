import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { fingerprintsOf } from '../../src/vulns/fingerprint.js';
import { nucleiFormat, nucleiJsonFormat } from '../../src/vulns/formats/nuclei.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import type { Finding } from '../../src/vulns/model.js';
import { allFixtureFiles, fixturePath, jsonLines, openingOfText, readWith, recognisedFixtures, rejectsAt, severities, truncated } from '../support/report-fixtures.js';

const FIXTURE = fixturePath('nuclei/many_findings.json');
const FORMATS = [nucleiFormat, nucleiJsonFormat];
const NUCLEI = { id: 'nuclei', name: 'Nuclei', version: null, vendor: 'ProjectDiscovery' };

const read = (input: string | Buffer): Promise<ParsedReport> => readWith(FORMATS, input);

/** JSON Lines of these records (strings written as JSON strings), ending in a newline. */
const lines = (...records: unknown[]): Buffer => jsonLines(records, { finalNewline: true });

const rejects = (input: Buffer, pointer: string, message: string | RegExp) => rejectsAt(read(input), pointer, message);

function where(f: Finding): [string | null, string | null, string | null, string | null] {
  return [f.location.hostname, f.location.path, f.location.httpMethod, f.location.param];
}

/** A current (nuclei v3) result, with overrides. */
function result(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'template-id': 'CVE-2021-44228',
    'template-path': '/root/nuclei-templates/http/cves/2021/CVE-2021-44228.yaml',
    'template-url': 'https://cloud.projectdiscovery.io/public/CVE-2021-44228',
    info: {
      name: 'Apache Log4j2 - Remote Code Injection',
      author: ['melbadry9', 'dhiyaneshDK'],
      tags: ['cve', 'cve2021', 'rce', 'log4j'],
      description: 'Apache Log4j2 JNDI features do not protect against attacker-controlled LDAP endpoints.',
      reference: ['https://logging.apache.org/log4j/2.x/security.html', 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228'],
      severity: 'critical',
      classification: {
        'cve-id': ['cve-2021-44228'],
        'cwe-id': ['cwe-117', 'cwe-20'],
        'cvss-metrics': 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
        'cvss-score': 10,
      },
      remediation: 'Upgrade to Log4j 2.3.1, 2.12.3 or 2.17.0 or later.',
    },
    type: 'http',
    host: 'shop.example.com',
    port: '443',
    scheme: 'https',
    url: 'https://shop.example.com',
    'matched-at': 'https://shop.example.com/api/login?user=${jndi:ldap://x}',
    'extracted-results': ['172.16.0.1', 'x'],
    request: 'POST /api/login?user=${jndi:ldap://x} HTTP/1.1\r\nHost: shop.example.com\r\n\r\n',
    response: 'HTTP/1.1 200 OK\r\n\r\n',
    ip: '203.0.113.7',
    timestamp: '2024-01-01T10:00:00Z',
    'curl-command': 'curl -X POST https://shop.example.com/api/login',
    'matcher-name': 'dns',
    'matcher-status': true,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------------------------

describe('the nuclei fixture (JSON Lines, v2 field names)', () => {
  test('18 results are 18 findings: 16 info, 1 low, 1 medium', async () => {
    // python: json.loads of each non-blank line → 18 records; Counter(info.severity) = info 16, low 1, medium 1.
    const report = await read(FIXTURE);
    assert.equal(report.format, 'nuclei');
    assert.equal(report.formatVersion, null);
    assert.deepEqual(report.scanners, [NUCLEI]);
    assert.deepEqual(report.reportTypes, ['dast']);
    assert.equal(report.findings.length, 18);
    assert.deepEqual(severities(report.findings), { info: 16, low: 1, medium: 1 });
    assert.ok(report.findings.every((f) => f.reportType === 'dast' && f.identifiers[0]!.type === 'nuclei_template'));
    // python: (templateID, matched path or None, method None, matcher_name) is distinct for all 18 records, so
    // the matcher name (param) keeps tech-detect's technologies apart.
    assert.equal(new Set(report.findings.map((f) => fingerprintsOf(f).find((p) => p.algorithm === 'coarse')!.hash)).size, 18);
    // python: 11 records have templateID tech-detect.
    assert.equal(report.findings.filter((f) => f.identifiers[0]!.value === 'tech-detect').length, 11);
  });

  test('a network result: host and port as the hostname, no path; references as links', async () => {
    const ssh = (await read(FIXTURE)).findings[0]!;
    assert.equal(ssh.title, 'OpenSSH 5.3 Detection');
    assert.equal(ssh.severity, 'low');
    assert.deepEqual(ssh.identifiers, [{ type: 'nuclei_template', value: 'openssh5.3-detect', name: 'OpenSSH 5.3 Detection', url: null }]);
    assert.deepEqual(where(ssh), ['nuclei-example.com:22', null, null, null]);
    assert.equal(ssh.description, 'OpenSSH 5.3 is vulnerable to username enumeraiton and DoS vulnerabilities.\n\nMatched at: nuclei-example.com:22');
    assert.deepEqual(ssh.links.map((l) => l.url), [
      'http://seclists.org/fulldisclosure/2016/Jul/51',
      'https://security-tracker.debian.org/tracker/CVE-2016-6210',
      'http://openwall.com/lists/oss-security/2016/08/01/2',
    ]);
    assert.deepEqual([ssh.solution, ssh.snippet, ssh.confidence, ssh.cvssVectors, ssh.tracking], [null, null, null, [], []]);
  });

  test('http results: origin and path; matcher name as param and in the title; extracted results as the snippet', async () => {
    const findings = (await read(FIXTURE)).findings;
    const nginx = findings[1]!;
    assert.equal(nginx.title, 'nginx version detect');
    assert.deepEqual(where(nginx), ['https://nuclei-example.com', '/', null, null]);
    assert.equal(nginx.snippet, 'nginx/1.14.2');
    const setup = findings[2]!;
    assert.deepEqual([setup.title, setup.severity], ['phpMyAdmin setup page', 'medium']);
    assert.deepEqual(where(setup), ['https://nuclei-example.com', '/phpmyadmin/setup/index.php', null, null]);
    assert.deepEqual(setup.links, [{ name: null, url: 'https://hackerone.com/reports/297339' }]);
    const bootstrap = findings[4]!;
    assert.equal(bootstrap.title, 'Wappalyzer Technology Detection (bootstrap)');
    assert.deepEqual(where(bootstrap), ['http://127.0.0.1:8080', '/WebGoat', null, 'bootstrap']);
    assert.equal(bootstrap.description, 'Matched at: http://127.0.0.1:8080/WebGoat');
    const mysql = findings[17]!;
    assert.deepEqual([mysql.identifiers[0]!.value, ...where(mysql)], ['mysql-native-password-bruteforce', 'nuclei-example.com:3306', null, null, null]);
  });

  test('the same results as a -json-export array, and a one-result file (which is one JSON object)', async () => {
    const records = fs.readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const array = await read(Buffer.from(`[${records.join(',\n')}]`));
    assert.equal(array.format, 'nuclei-json');
    assert.equal(array.findings.length, 18);
    const streamed = await read(FIXTURE);
    assert.deepEqual(array.findings, streamed.findings);
    const single = await read(Buffer.from(records[2]! + '\n'));
    assert.equal(single.format, 'nuclei-json');
    assert.deepEqual(single.findings, [streamed.findings[2]]);
  });

  test('a file cut at 60% of its bytes ends early', async () => {
    await rejects(truncated(FIXTURE), '', /^\/: not valid JSON: the document ends early after 3609 bytes \(truncated\?\)$/);
  });
});

describe('current nuclei results (v3 field names)', () => {
  test('classification, remediation, references, the raw request\'s method', async () => {
    const report = await read(lines(result(), result({ 'template-id': 'tech-detect', 'matcher-status': false })));
    assert.equal(report.findings.length, 1, 'a result whose matcher did not match is no finding');
    const finding = report.findings[0]!;
    assert.equal(finding.title, 'Apache Log4j2 - Remote Code Injection (dns)');
    assert.equal(finding.severity, 'critical');
    assert.deepEqual(finding.identifiers, [
      { type: 'nuclei_template', value: 'CVE-2021-44228', name: 'Apache Log4j2 - Remote Code Injection', url: 'https://cloud.projectdiscovery.io/public/CVE-2021-44228' },
      { type: 'cve', value: 'CVE-2021-44228', name: null, url: null },
      { type: 'cwe', value: 'CWE-117', name: null, url: 'https://cwe.mitre.org/data/definitions/117.html' },
      { type: 'cwe', value: 'CWE-20', name: null, url: 'https://cwe.mitre.org/data/definitions/20.html' },
    ]);
    // The query is a value, not the place.
    assert.deepEqual(where(finding), ['https://shop.example.com', '/api/login', 'POST', 'dns']);
    assert.equal(finding.solution, 'Upgrade to Log4j 2.3.1, 2.12.3 or 2.17.0 or later.');
    assert.deepEqual(finding.cvssVectors, [{ vendor: null, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }]);
    assert.deepEqual(finding.links.map((l) => l.url), ['https://logging.apache.org/log4j/2.x/security.html', 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228']);
    assert.equal(finding.snippet, '172.16.0.1\nx');
    assert.match(finding.description!, /^Apache Log4j2 JNDI features .*\n\nMatched at: https:\/\/shop\.example\.com\/api\/login\?user=\$\{jndi:ldap:\/\/x\}$/);
  });

  test('absent severity is unknown; extractor name as param; a file result\'s target is its path; no info at all', async () => {
    const report = await read(
      lines(
        result({ info: { name: 'x' }, 'matcher-name': undefined, 'extractor-name': 'version', request: undefined }),
        result({ type: 'file', 'matched-at': '/src/app/.env', info: { name: 'secret', severity: 'HIGH' } }),
        { 'template-id': 'bare', host: 'dns.example.com', type: 'dns' },
      ),
    );
    const [noSeverity, file, bare] = report.findings;
    assert.equal(noSeverity!.severity, 'unknown');
    assert.deepEqual(where(noSeverity!), ['https://shop.example.com', '/api/login', null, 'version']);
    assert.deepEqual([file!.severity, ...where(file!)], ['high', null, '/src/app/.env', null, 'dns']);
    assert.deepEqual([bare!.title, bare!.severity, bare!.description, ...where(bare!)], ['bare', 'unknown', null, 'dns.example.com', null, null, null]);
  });

  test('each kind of bad value is a ReportError at /<record>/…', async () => {
    const good = result();
    await rejects(lines(good, result({ info: { severity: 'severe' } })), '/1/info/severity', '"severe" is not a Nuclei severity; must be one of info, low, medium, high, critical, unknown');
    await rejects(lines(good, good, result({ 'template-id': '' })), '/2/template-id', 'must be a non-empty string');
    await rejects(lines(good, result({ 'template-id': ['x'] })), '/1/template-id', 'must be a string');
    await rejects(lines(good, 'text'), '/1', 'must be an object');
    await rejects(lines(good, result({ info: 'x' })), '/1/info', 'must be an object');
    await rejects(lines(good, result({ info: { classification: [] } })), '/1/info/classification', 'must be an object');
    await rejects(lines(good, result({ info: { classification: { 'cve-id': {} } } })), '/1/info/classification/cve-id', 'must be an array of strings');
    await rejects(lines(good, result({ info: { reference: ['https://a', {}] } })), '/1/info/reference/1', 'must be a string');
    await rejects(lines(good, result({ 'matched-at': {} })), '/1/matched-at', 'must be a string');
    await rejects(lines(good, result({ 'matcher-name': 7.5, request: ['GET'] })), '/1/request', 'must be a string');
    await rejects(lines(good, result({ 'extracted-results': 'one', 'matcher-name': {} })), '/1/matcher-name', 'must be a string');
    // The JSON containers: an array's elements are `/<index>`, a lone result is the root.
    await rejects(Buffer.from(JSON.stringify([good, good, result({ info: { severity: 7 } })])), '/2/info/severity', '7 is not a Nuclei severity; must be one of info, low, medium, high, critical, unknown');
    await rejects(Buffer.from(JSON.stringify(result({ info: { severity: 'none' } }))), '/info/severity', '"none" is not a Nuclei severity; must be one of info, low, medium, high, critical, unknown');
  });
});

describe('nuclei detection', () => {
  test('the stream format recognises exactly the nuclei fixture; the JSON format none of the fixtures', () => {
    const fixtures = allFixtureFiles();
    assert.ok(fixtures.length >= 70, `all fixtures found (${fixtures.length})`);
    assert.deepEqual(recognisedFixtures(nucleiFormat), ['nuclei/many_findings.json']);
    assert.deepEqual(recognisedFixtures(nucleiJsonFormat), []);
  });

  test('other JSON Lines and JSON shapes are not nuclei', () => {
    assert.ok(nucleiFormat.detect(openingOfText(lines(result(), result()).toString())));
    assert.ok(!nucleiFormat.detect(openingOfText(lines({ 'template-id': 'x' }, { 'template-id': 'y' }).toString())), 'no info');
    assert.ok(!nucleiFormat.detect(openingOfText(lines({ info: {}, host: 'h' }, {}).toString())), 'no template id');
    assert.ok(nucleiJsonFormat.detect(openingOfText(JSON.stringify([result()]))));
    assert.ok(nucleiJsonFormat.detect(openingOfText(JSON.stringify(result()))));
    assert.ok(!nucleiJsonFormat.detect(openingOfText(JSON.stringify([{ id: 'x', info: {} }]))));
    assert.ok(!nucleiJsonFormat.detect(openingOfText(JSON.stringify({ 'template-id': 'x', results: [] }))));
  });
});
