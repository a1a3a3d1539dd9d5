import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PartialFinding } from '../../src/vulns/formats/contract.js';
import { gitlabHeader, gitlabVulnerability, looksLikeGitlab } from '../../src/vulns/formats/gitlab.js';
import { FIELD_LIMITS, TRUNCATION_MARKER } from '../../src/vulns/formats/limits.js';
import { REPORT_TYPES } from '../../src/vulns/model.js';
import { fixturesIn, reportFile, reportJson, tally, throwsAt } from '../support/report-fixtures.js';

interface Doc {
  version?: unknown;
  scan?: unknown;
  vulnerabilities: unknown[];
}

function load(name: string): Doc {
  return reportJson(name) as Doc;
}

function parseAll(name: string): PartialFinding[] {
  return load(name).vulnerabilities.map((v, i) => gitlabVulnerability(v, `/vulnerabilities/${i}`));
}

function header(name: string) {
  const doc = load(name);
  return gitlabHeader({ version: doc.version, scan: doc.scan });
}

/** Every string anywhere in a value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(strings);
}

/** A minimal valid vulnerability, with overrides. */
function vuln(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'a-report-local-id',
    name: 'SQL injection',
    severity: 'High',
    identifiers: [{ type: 'semgrep_id', name: 'rule', value: 'python.sqli' }],
    location: { file: 'app/db.py', start_line: 10, end_line: 12 },
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------------------------

describe('every GitLab fixture', () => {
  /** The README's table: `| \`gitlab/…json\` | … | N vulnerabilities … |`. */
  const readme = reportFile('README.md').toString('utf8');
  const counts = new Map<string, number>();
  for (const match of readme.matchAll(/^\| `(gitlab(?:-branches)?\/[^`]+)` \|.*\| (\d+) vulnerabilit[^|]*\|$/gm)) {
    counts.set(match[1]!, Number(match[2]));
  }
  const onDisk = [...fixturesIn('gitlab'), ...fixturesIn('gitlab-branches')].sort();

  test('the README lists exactly the 31 files on disk, 1,140 vulnerabilities in all', () => {
    assert.deepEqual([...counts.keys()].sort(), onDisk);
    assert.equal(onDisk.length, 31);
    assert.equal([...counts.values()].reduce((a, b) => a + b, 0), 1140);
  });

  /** The one element that breaks the schema (identifiers: [], minItems 1) and is refused. */
  const refused = new Map([['gitlab-branches/master/gl-common-scanning-report.json', 2]]);

  for (const name of onDisk) {
    test(`${name}: the README's count, each element parses, header and sniffing`, () => {
      const doc = load(name);
      assert.equal(doc.vulnerabilities.length, counts.get(name));
      doc.vulnerabilities.forEach((raw, i) => {
        const pointer = `/vulnerabilities/${i}`;
        if (refused.get(name) === i) {
          const parse = () => gitlabVulnerability(raw, pointer);
          throwsAt(parse, `${pointer}/identifiers`, 'at least one identifier is required');
          return;
        }
        const finding = gitlabVulnerability(raw, pointer);
        assert.ok(finding.title.length > 0);
        assert.ok(finding.identifiers.length > 0);
        assert.ok(!strings(finding).some((s) => s.includes('\u0000')), 'no NUL survives');
        // The report's own `id` is never kept (container scanning ids are CVE ids, which are kept as identifiers).
        const id = (raw as { id?: string }).id;
        if (id && /^[0-9a-f-]{16,}$/.test(id)) {
          assert.ok(!strings(finding).some((s) => s.includes(id)), `id ${id} leaked`);
        }
        assert.equal(finding.suppression, null);
        assert.equal(finding.baselineState, null);
        assert.deepEqual(finding.relatedLocations, []);
      });
      gitlabHeader({ version: doc.version, scan: doc.scan });
      assert.equal(looksLikeGitlab({ version: doc.version, scan: doc.scan, hasVulnerabilities: true }), true);
    });
  }
});

describe('SAST', () => {
  test('gl-sast-report-many-vuln_v14.json: severities, category and scanners', () => {
    const doc = load('gitlab/gl-sast-report-many-vuln_v14.json');
    const findings = parseAll('gitlab/gl-sast-report-many-vuln_v14.json');
    assert.equal(findings.length, 467);
    const raw = tally(doc.vulnerabilities.map((v) => String((v as { severity: string }).severity).toLowerCase()));
    assert.deepEqual(tally(findings.map((f) => f.severity)), raw);
    const severities = { critical: 13, high: 4, medium: 143, low: 41, unknown: 266 };
    assert.deepEqual(tally(findings.map((f) => f.severity)), severities);
    assert.deepEqual(tally(findings.map((f) => f.reportType ?? 'null')), { sast: 467 });
    assert.deepEqual(tally(findings.map((f) => f.scanner?.id ?? 'null')), {
      trufflehog: 12,
      gitleaks: 1,
      bandit: 188,
      eslint: 266,
    });
    const noScan = { formatVersion: '2.3', scanner: null, reportType: null };
    assert.deepEqual(header('gitlab/gl-sast-report-many-vuln_v14.json'), noScan);
  });

  test('gl-sast-report-many-vuln_v14.json: two known findings', () => {
    const findings = parseAll('gitlab/gl-sast-report-many-vuln_v14.json');
    const first = findings[0]!;
    assert.equal(first.title, 'Password in URL');
    assert.equal(first.description, 'Password in URL detected; please remove and revoke it if this is a leak.');
    assert.equal(first.severity, 'critical');
    assert.equal(first.confidence, 'Unknown');
    assert.deepEqual(first.scanner, { id: 'trufflehog', name: 'TruffleHog', version: null, vendor: null });
    assert.deepEqual(first.identifiers, [
      { type: 'trufflehog_rule_id', value: 'Password in URL', name: 'TruffleHog rule ID Password in URL', url: null },
    ]);
    assert.equal(first.location.file, 'docker-compose.override.unit_tests.yml');
    assert.equal(first.location.startLine, 19);
    assert.equal(first.location.endLine, 19);
    assert.equal(first.location.package, null, 'an empty dependency.package is no package');

    // No `name`: the title is the message.
    const bandit = findings[100]!;
    assert.equal(bandit.title, 'Potential XSS on mark_safe function.');
    assert.equal(bandit.description, null);
    assert.equal(bandit.severity, 'medium');
    assert.equal(bandit.location.file, 'dojo/templatetags/display_tags.py');
    assert.equal(bandit.location.startLine, 594);
    assert.deepEqual(bandit.identifiers, [
      { type: 'bandit_test_id', value: 'B703', name: 'Bandit Test ID B703', url: null },
    ]);
  });

  test('gl-sast-report-many-vuln_v15.json: same findings without category, scanner, confidence, message', () => {
    const v14 = parseAll('gitlab/gl-sast-report-many-vuln_v14.json');
    const v15 = parseAll('gitlab/gl-sast-report-many-vuln_v15.json');
    assert.deepEqual(
      v15.map((f) => [f.severity, f.location, f.identifiers]),
      v14.map((f) => [f.severity, f.location, f.identifiers]),
    );
    assert.ok(v15.every((f) => f.reportType === null && f.scanner === null && f.confidence === null));
    // Neither name nor message: the primary identifier's name.
    assert.equal(v15[100]!.title, 'Bandit Test ID B703');
  });

  test('gl-sast-report-confidence_v14.json: v14 category, scanner and confidence as given', () => {
    const findings = parseAll('gitlab/gl-sast-report-confidence_v14.json');
    assert.deepEqual(
      findings.map((f) => f.confidence),
      [null, 'Ignore', 'Unkown', 'Experimental', 'Low', 'Medium', 'High', 'Confirmed'],
    );
    assert.ok(findings.every((f) => f.reportType === 'sast'));
    assert.deepEqual(findings[0]!.scanner, { id: 'nodejs-scan', name: 'NodeJsScan', version: null, vendor: null });
    assert.equal(findings[0]!.title, 'node_username');
    assert.equal(findings[0]!.location.file, 'data/datacreator.js');
    assert.equal(findings[0]!.location.startLine, 246);
    assert.deepEqual(
      findings[0]!.identifiers.map((i) => [i.type, i.name]),
      [
        ['njsscan_rule_type', 'node_username'],
        ['cwe', 'CWE-798'],
      ],
    );
    assert.deepEqual(header('gitlab/gl-sast-report-confidence_v14.json'), {
      formatVersion: '3.0.0',
      scanner: { id: 'njsscan', name: 'njsscan', version: '0.1.9', vendor: 'GitLab' },
      reportType: 'sast',
    });
  });

  test('gl-sast-report-cwe_v14.json: class, method, and a CWE value written as a number', () => {
    const [xss, sql, nosql] = parseAll('gitlab/gl-sast-report-cwe_v14.json');
    assert.equal(xss!.title, 'Servlet reflected cross site scripting vulnerability');
    assert.equal(xss!.location.file, 'src/main/java/servlets/module/lesson/XssLesson.java');
    assert.equal(xss!.location.className, 'servlets.module.lesson.XssLesson');
    assert.equal(xss!.location.method, 'doPost');
    assert.equal(xss!.location.httpMethod, null);
    assert.deepEqual(
      xss!.identifiers.map((i) => `${i.type}:${i.value}`),
      ['find_sec_bugs_type:XSS_REQUEST_PARAMETER_TO_SERVLET_WRITER', 'cwe:79'],
    );
    assert.equal(sql!.location.startLine, 136);
    assert.deepEqual(sql!.identifiers.at(-1), {
      type: 'cwe',
      value: '89',
      name: 'CWE-89',
      url: 'https://cwe.mitre.org/data/definitions/89.html',
    });
    assert.equal(nosql!.location.startLine, 13);
    assert.equal(nosql!.location.endLine, 56);
    assert.equal(nosql!.scanner!.id, 'nodejs-scan');
    const [fabricated] = parseAll('gitlab/gl-sast-report-multiple-cwe-fabricated_v15.json');
    assert.deepEqual(
      fabricated!.identifiers.map((i) => `${i.type}:${i.value}`),
      ['find_sec_bugs_type:XSS_REQUEST_PARAMETER_TO_SERVLET_WRITER', 'cwe:79', 'cwe:89'],
    );
  });

  test('gl-sast-report_issue4344: no severity is unknown', () => {
    for (const name of ['gitlab/gl-sast-report_issue4344_v14.json', 'gitlab/gl-sast-report_issue4344_v15.json']) {
      const [finding] = parseAll(name);
      assert.equal(finding!.severity, 'unknown');
    }
    const missing = parseAll('gitlab-branches/master/gl-sast-missing-scanner.json');
    assert.deepEqual(tally(missing.map((f) => f.severity)), { medium: 12, low: 17, unknown: 4 });
    assert.ok(missing.every((f) => f.scanner === null));
  });

  test('gl-sast-missing-scanner.json: the header falls back to scan.analyzer', () => {
    assert.deepEqual(header('gitlab-branches/master/gl-sast-missing-scanner.json'), {
      formatVersion: '15.0.0',
      scanner: { id: 'sast_analyzer', name: 'SAST Analyzer', version: '1.0.0', vendor: 'GitLab' },
      reportType: 'sast',
    });
  });

  test('gl-sast-report-gosec.json: snippet, tracking and an upper-case identifier type', () => {
    const [finding] = parseAll('gitlab-branches/master/gl-sast-report-gosec.json');
    assert.equal(finding!.snippet, '7: func foo() {\n8: \t_ = ssh.InsecureIgnoreHostKey()\n9: }\n');
    assert.deepEqual(finding!.tracking, [{ algorithm: 'gitlab:scope_offset', value: 'og.go|foo[0]:1', priority: 3 }]);
    assert.deepEqual(
      finding!.identifiers.map((i) => [i.type, i.value]),
      [
        ['gosec_rule_id', 'G106'],
        ['cwe', '322'],
      ],
    );
    assert.equal(finding!.location.file, 'og.go');
    assert.equal(finding!.location.startLine, 8);
    assert.equal(finding!.location.endLine, null);
    assert.equal(finding!.confidence, 'High');
  });

  test('gl-sast-report-minimal.json: tracking signatures with GitLab priorities', () => {
    const [finding] = parseAll('gitlab-branches/master/gl-sast-report-minimal.json');
    assert.deepEqual(finding!.tracking, [
      { algorithm: 'gitlab:hash', value: 'HASHVALUE', priority: 1 },
      {
        algorithm: 'gitlab:scope_offset',
        value: 'groovy/src/main/java/com/gitlab/security_products/tests/App.groovy:App[0]:insecureCypher[0]:2',
        priority: 3,
      },
    ]);
  });

  test('master vs feature branch: CIPHER_INTEGRITY only on master, ECB_MODE in App.groovy only on the branch', () => {
    const key = (f: PartialFinding) => `${f.identifiers[0]!.value}@${f.location.file}:${f.location.startLine}`;
    const master = parseAll('gitlab-branches/master/gl-sast-report.json').map(key);
    const branch = parseAll('gitlab-branches/feature-branch/gl-sast-report.json').map(key);
    assert.deepEqual(
      master.filter((k) => !branch.includes(k)),
      ['CIPHER_INTEGRITY@groovy/src/main/java/com/gitlab/security_products/tests/App.groovy:29'],
    );
    assert.deepEqual(
      branch.filter((k) => !master.includes(k)),
      ['ECB_MODE@app/src/main/groovy/com/gitlab/security_products/tests/App.groovy:29'],
    );
  });
});

describe('dependency scanning', () => {
  test('gl-dependency-scanning-report-many-vuln_v15.json: manifest, package, CVE, links', () => {
    const findings = parseAll('gitlab/gl-dependency-scanning-report-many-vuln_v15.json');
    assert.deepEqual(tally(findings.map((f) => f.severity)), { high: 5, unknown: 1 });
    const first = findings[0]!;
    assert.equal(first.title, 'Nil Pointer Dereference');
    assert.equal(first.severity, 'high');
    assert.equal(first.location.file, 'service/go.sum');
    assert.deepEqual(first.location.package, {
      name: 'golang.org/x/crypto',
      version: 'v0.0.0-20190219172222-a4c6cb3142f2',
    });
    assert.deepEqual(
      first.identifiers.map((i) => [i.type, i.value, i.name]),
      [
        ['gemnasium', 'ffb814a0-404c-11eb-b378-0242ac130002', 'Gemnasium-ffb814a0-404c-11eb-b378-0242ac130002'],
        ['cve', 'CVE-2020-29652', 'CVE-2020-29652'],
      ],
    );
    assert.equal(first.solution, 'Upgrade to version v0.0.0-20201216223049-8b5274cf687f or above.');
    assert.deepEqual(first.links, [
      { name: null, url: 'https://go-review.googlesource.com/c/crypto/+/278852' },
      { name: null, url: 'https://groups.google.com/g/golang-announce/c/ouZIlBimOsE?pli=1' },
      { name: null, url: 'https://nvd.nist.gov/vuln/detail/CVE-2020-29652' },
    ]);
    assert.equal(first.reportType, null);
    assert.equal(header('gitlab/gl-dependency-scanning-report-many-vuln_v15.json').reportType, 'dependency_scanning');
  });

  test('gl-common-scanning-report-names.json: title falls back to the primary (non-CWE) identifier', () => {
    const findings = parseAll('gitlab-branches/master/gl-common-scanning-report-names.json');
    assert.deepEqual(
      findings.map((f) => f.title),
      [
        'Vulnerabilities in libxml2',
        'Regular Expression Denial of Service',
        'CVE-2017-11429',
        'other-2017-11429',
        'other-2017-11429',
      ],
    );
    assert.deepEqual(findings[1]!.links, [
      { name: 'CVE-1030', url: 'https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2020-1030' },
    ]);
    assert.deepEqual(findings[0]!.location.package, { name: 'io.netty/netty', version: '3.9.1.Final' });
    assert.equal(findings[0]!.location.file, 'yarn/yarn.lock');
    assert.ok(findings.every((f) => f.reportType === 'dependency_scanning' && f.scanner?.id === 'gemnasium'));
  });

  test('the unicode-null fixture: the NUL is removed, an escaped "\\u0000" text is kept', () => {
    const name = 'gitlab-branches/master/gl-common-scanning-report-with-unicode-null-character.json';
    const [finding] = parseAll(name);
    assert.equal(finding!.solution, 'Upgrade to latest version.');
    assert.equal(finding!.description, 'This string does not contain a Unicode null character \\\\u0000');
    assert.deepEqual(finding!.cvssVectors, [
      { vendor: 'GitLab', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H' },
    ]);
    assert.deepEqual(finding!.identifiers, [{ type: 'gitlab', value: 'foo', name: 'Foo vulnerability', url: null }]);
    assert.deepEqual(finding!.location.package, { name: 'io.netty/netty', version: '3.9.1.Final' });
    assert.equal(finding!.location.file, 'some/kind/of/file.c');
    assert.deepEqual(header(name).scanner, {
      id: 'gemnasium',
      name: 'Gemnasium top-level',
      version: '2.18.0',
      vendor: 'GitLab',
    });
  });

  test('a report without `scan`: an empty location and a header of nulls', () => {
    const name = 'gitlab-branches/master/gl-common-scanning-report-without-top-level-scanner.json';
    const [finding] = parseAll(name);
    assert.equal(finding!.reportType, 'dependency_scanning');
    assert.deepEqual(finding!.scanner, { id: 'gemnasium', name: 'Gemnasium', version: null, vendor: null });
    assert.ok(Object.values(finding!.location).every((v) => v === null));
    assert.equal(finding!.description, null, 'an empty description is none');
    assert.deepEqual(header(name), { formatVersion: '14.0.2', scanner: null, reportType: null });
  });
});

describe('container scanning', () => {
  test('issue6639_v15.json: image, operating system, package, CVE', () => {
    const findings = parseAll('gitlab/issue6639_v15.json');
    assert.deepEqual(tally(findings.map((f) => f.severity)), { critical: 12, high: 58, medium: 26, low: 2 });
    const busybox = findings[0]!;
    assert.equal(busybox.title, 'CVE-2022-28391');
    assert.equal(busybox.severity, 'critical');
    assert.equal(busybox.location.image, 'XXXXXX.dkr.ecr.eu-west-3.amazonaws.com/XXX/admintools/tools:pipeline-ci');
    assert.equal(busybox.location.operatingSystem, 'Unknown');
    assert.deepEqual(busybox.location.package, { name: 'busybox', version: '1.34.1-r4' });
    assert.equal(busybox.location.file, null);
    assert.deepEqual(busybox.identifiers, [
      {
        type: 'cve',
        value: 'CVE-2022-28391',
        name: 'CVE-2022-28391',
        url: 'https://avd.aquasec.com/nvd/cve-2022-28391',
      },
    ]);
    assert.equal(busybox.solution, 'Upgrade busybox to 1.34.1-r5');
    assert.equal(busybox.links.length, 6);
    assert.ok(findings.every((f) => f.identifiers.length === 1 && f.identifiers[0]!.type === 'cve'));
    // Trivy puts GHSA ids under type `cve`: upper-cased like CVE ids.
    const values = findings.map((f) => f.identifiers[0]!.value);
    assert.equal(values.filter((v) => /^CVE-\d{4}-\d{4,}$/.test(v)).length, 96);
    assert.deepEqual(
      values.filter((v) => v.startsWith('GHSA-')),
      ['GHSA-5RRQ-PXF6-6JX5', 'GHSA-GF8Q-JRPM-JVXQ'],
    );
  });
});

describe('DAST', () => {
  test('gitlab_dast_many_vul_v15.json: hostname, path, method, param', () => {
    const findings = parseAll('gitlab/gitlab_dast_many_vul_v15.json');
    assert.deepEqual(tally(findings.map((f) => f.severity)), { high: 1, medium: 1, low: 8 });
    const pii = findings[0]!;
    assert.equal(pii.title, 'PII Disclosure');
    assert.equal(pii.severity, 'high');
    assert.equal(pii.location.hostname, 'http://api-server');
    assert.equal(pii.location.path, '/v1/trees');
    assert.equal(pii.location.httpMethod, 'GET');
    assert.equal(pii.location.method, null);
    assert.equal(pii.location.param, null, 'an empty param is none');
    assert.equal(pii.solution, null);
    assert.deepEqual(
      pii.identifiers.map((i) => [i.type, i.value]),
      [
        ['zaproxy_pluginid', '10062'],
        ['cwe', '359'],
      ],
    );
    const header8 = findings[8]!;
    assert.equal(header8.title, 'X-Content-Type-Options Header Missing');
    assert.equal(header8.location.param, 'X-Content-Type-Options');
    assert.deepEqual(
      findings.map((f) => f.location.httpMethod),
      ['GET', 'DELETE', 'DELETE', 'GET', 'GET', 'GET', 'GET', 'POST', 'GET', 'POST'],
    );
    assert.deepEqual(header('gitlab/gitlab_dast_many_vul_v15.json'), {
      formatVersion: '13.1.0',
      scanner: { id: 'zaproxy', name: 'OWASP Zed Attack Proxy (ZAP)', version: 'D-2020-08-26', vendor: 'GitLab' },
      reportType: 'dast',
    });
  });

  test('a v14 DAST/API-fuzzing category upper-cases the HTTP method', () => {
    const location = { hostname: 'https://api.example', path: '/v1/users', method: 'post', param: 'id' };
    for (const category of ['dast', 'api_fuzzing']) {
      const finding = gitlabVulnerability(vuln({ category, location }), '/vulnerabilities/0');
      assert.equal(finding.reportType, category);
      assert.equal(finding.location.httpMethod, 'POST');
      assert.equal(finding.location.method, null);
      assert.equal(finding.location.param, 'id');
    }
    const sast = gitlabVulnerability(vuln({ category: 'sast', location: { file: 'a.py', method: 'post' } }), '/v/0');
    assert.equal(sast.location.method, 'post');
    assert.equal(sast.location.httpMethod, null);
  });
});

describe('secret detection', () => {
  test('gitlab_secret_detection_report_1_vuln_v15.json: commit, file, line, snippet', () => {
    const [finding] = parseAll('gitlab/gitlab_secret_detection_report_1_vuln_v15.json');
    assert.equal(finding!.title, 'AWS');
    assert.equal(finding!.severity, 'critical');
    assert.equal(finding!.location.commitSha, '0000000');
    assert.equal(finding!.location.file, 'README.md');
    assert.equal(finding!.location.startLine, 5);
    assert.equal(finding!.location.endLine, 5);
    assert.equal(finding!.snippet, 'AKIAIOSFODNN7EXAMPLE');
    assert.deepEqual(finding!.identifiers, [
      { type: 'gitleaks_rule_id', value: 'AWS', name: 'Gitleaks rule ID AWS', url: null },
    ]);
    assert.deepEqual(header('gitlab/gitlab_secret_detection_report_1_vuln_v15.json'), {
      formatVersion: '14.0.0',
      scanner: { id: 'gitleaks', name: 'Gitleaks', version: 'v7.5.0', vendor: 'GitLab' },
      reportType: 'secret_detection',
    });
  });

  test('gl-secret-detection-report.json: category secret_detection although scan.type says sast', () => {
    const [finding] = parseAll('gitlab-branches/master/gl-secret-detection-report.json');
    assert.equal(finding!.reportType, 'secret_detection');
    assert.equal(finding!.location.commitSha, 'e9c3a56590d5bed4155c0d128f1552d52fdcc7ae');
    assert.equal(finding!.location.file, 'aws-key.py');
    assert.equal(finding!.location.package, null);
    assert.deepEqual(finding!.scanner, { id: 'gitleaks', name: 'Gitleaks', version: null, vendor: null });
    assert.equal(header('gitlab-branches/master/gl-secret-detection-report.json').reportType, 'sast');
    assert.equal(load('gitlab-branches/feature-branch/gl-secret-detection-report.json').vulnerabilities.length, 0);
  });

  test('gitlab_secret_detection_report_3_vuln_v15.json: three commits', () => {
    const findings = parseAll('gitlab/gitlab_secret_detection_report_3_vuln_v15.json');
    assert.equal(findings.length, 3);
    assert.ok(findings.every((f) => f.location.commitSha !== null && f.severity === 'critical'));
  });
});

describe('mapping rules on inline input', () => {
  test('severities are case-insensitive; missing and null are unknown', () => {
    const cases: Array<[unknown, string]> = [
      ['Critical', 'critical'],
      ['HIGH', 'high'],
      ['medium', 'medium'],
      ['Low', 'low'],
      ['Info', 'info'],
      ['Unknown', 'unknown'],
      [undefined, 'unknown'],
      [null, 'unknown'],
    ];
    for (const [severity, expected] of cases) {
      assert.equal(gitlabVulnerability(vuln({ severity }), '/vulnerabilities/0').severity, expected);
    }
  });

  test('identifiers: type lower-cased, values trimmed, CVE/GHSA upper-cased, order kept, NUL removed', () => {
    const finding = gitlabVulnerability(
      vuln({
        identifiers: [
          { type: 'Gemnasium', name: ' Gemnasium-x ', value: ' abc-DEF ' },
          { type: 'CVE', name: 'CVE-2020-29652', value: ' cve-2020-29652 ', url: 'https://nvd.nist.gov/x' },
          { type: 'ghsa', name: 'GHSA', value: 'ghsa-abcd-efgh-ijkl' },
          { type: 'CWE', name: 'CWE-79', value: '7\u00009' },
        ],
      }),
      '/vulnerabilities/0',
    );
    assert.deepEqual(finding.identifiers, [
      { type: 'gemnasium', value: 'abc-DEF', name: 'Gemnasium-x', url: null },
      { type: 'cve', value: 'CVE-2020-29652', name: 'CVE-2020-29652', url: 'https://nvd.nist.gov/x' },
      { type: 'ghsa', value: 'GHSA-ABCD-EFGH-IJKL', name: 'GHSA', url: null },
      { type: 'cwe', value: '79', name: 'CWE-79', url: null },
    ]);
  });

  test('line numbers that are not positive integers are no line', () => {
    for (const line of [0, -3, 1.5, '12', null, undefined, true]) {
      const location = { file: 'a.py', start_line: line, end_line: line };
      const finding = gitlabVulnerability(vuln({ location }), '/v/0');
      assert.equal(finding.location.startLine, null);
      assert.equal(finding.location.endLine, null);
    }
  });

  test('file paths are normalised', () => {
    const finding = gitlabVulnerability(vuln({ location: { file: './src\\app//main.py' } }), '/v/0');
    assert.equal(finding.location.file, 'src/app/main.py');
  });

  test('long strings are clipped, never refused', () => {
    const finding = gitlabVulnerability(
      vuln({ name: 'n'.repeat(5_000), description: 'd'.repeat(100_000), solution: 's'.repeat(20_000) }),
      '/v/0',
    );
    assert.equal(finding.title.length, FIELD_LIMITS.title);
    assert.ok(finding.title.endsWith(TRUNCATION_MARKER));
    assert.equal(finding.description!.length, FIELD_LIMITS.description);
    assert.equal(finding.solution!.length, FIELD_LIMITS.solution);
  });

  test('the report id is not kept; links, cvss vectors and snippet from location', () => {
    const finding = gitlabVulnerability(
      vuln({
        id: 'bb2fbeb1b71ea360ce3f86f001d4e84823c3ffe1',
        links: [{ name: 'NVD', url: 'https://nvd.example/1' }, { url: 'https://x.example/2' }, { url: '' }],
        cvss_vectors: [
          { vendor: 'NVD', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
          { vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
        ],
        location: { file: 'a.py', raw_source_code_extract: 'eval(x)' },
      }),
      '/v/0',
    );
    assert.ok(!JSON.stringify(finding).includes('bb2fbeb1'));
    assert.deepEqual(finding.links, [
      { name: 'NVD', url: 'https://nvd.example/1' },
      { name: null, url: 'https://x.example/2' },
    ]);
    assert.deepEqual(finding.cvssVectors, [
      { vendor: 'NVD', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
      { vendor: null, vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
    ]);
    assert.equal(finding.snippet, 'eval(x)');
  });

  test('tracking: every GitLab algorithm gets its priority, unknown ones 0, repeats dropped', () => {
    const signatures = ['hash', 'location', 'scope_offset', 'scope_offset_compressed', 'rule_value', 'Fancy'].map(
      (algorithm) => ({ algorithm, value: `v-${algorithm}` }),
    );
    const finding = gitlabVulnerability(
      vuln({
        tracking: {
          type: 'source',
          items: [{ file: 'a.py', signatures }, { signatures: [{ algorithm: 'hash', value: 'v-hash' }] }],
        },
      }),
      '/v/0',
    );
    assert.deepEqual(
      finding.tracking.map((t) => [t.algorithm, t.priority]),
      [
        ['gitlab:hash', 1],
        ['gitlab:location', 2],
        ['gitlab:scope_offset', 3],
        ['gitlab:scope_offset_compressed', 4],
        ['gitlab:rule_value', 5],
        ['gitlab:fancy', 0],
      ],
    );
  });

  test('coverage fuzzing and cluster image scanning categories are accepted', () => {
    const cluster = gitlabVulnerability(
      vuln({
        category: 'cluster_image_scanning',
        location: {
          image: 'nginx:1.21',
          operating_system: 'debian 11',
          dependency: { package: { name: 'openssl' }, version: '1.1.1k' },
          kubernetes_resource: { namespace: 'default', kind: 'Deployment', name: 'web', container_name: 'nginx' },
        },
      }),
      '/v/0',
    );
    assert.equal(cluster.reportType, 'cluster_image_scanning');
    assert.deepEqual(cluster.location.package, { name: 'openssl', version: '1.1.1k' });
    const crash = { crash_type: 'Heap-buffer-overflow' };
    const fuzz = gitlabVulnerability(vuln({ category: 'coverage_fuzzing', location: crash }), '/v/0');
    assert.equal(fuzz.reportType, 'coverage_fuzzing');
  });
});

describe('bad input', () => {
  test('a vulnerability that is not an object', () => {
    for (const raw of [null, [], 'x', 5]) {
      const parse = () => gitlabVulnerability(raw, '/vulnerabilities/7');
      throwsAt(parse, '/vulnerabilities/7', 'must be an object');
    }
  });

  test('a wrong severity names the allowed values', () => {
    for (const severity of ['Severe', '', 3]) {
      throwsAt(
        () => gitlabVulnerability(vuln({ severity }), '/vulnerabilities/3'),
        '/vulnerabilities/3/severity',
        `${JSON.stringify(severity)} is not a severity; must be one of Critical, High, Medium, Low, Info, Unknown`,
      );
    }
  });

  test('missing or empty identifiers', () => {
    for (const identifiers of [undefined, null, []]) {
      throwsAt(
        () => gitlabVulnerability(vuln({ identifiers }), '/vulnerabilities/4'),
        '/vulnerabilities/4/identifiers',
        'at least one identifier is required',
      );
    }
    throwsAt(
      () => gitlabVulnerability(vuln({ identifiers: { type: 'cve' } }), '/vulnerabilities/4'),
      '/vulnerabilities/4/identifiers',
      'must be an array',
    );
    throwsAt(
      () => gitlabVulnerability(vuln({ identifiers: [{ type: 'cve', name: 'x', value: 'CVE-1' }, 'CVE-2'] }), '/v/4'),
      '/v/4/identifiers/1',
      'must be an object',
    );
  });

  test('an identifier value or type that is not a non-empty string', () => {
    for (const value of [true, {}, [], '', '  ', undefined]) {
      throwsAt(
        () => gitlabVulnerability(vuln({ identifiers: [{ type: 'cve', name: 'x', value }] }), '/vulnerabilities/2'),
        '/vulnerabilities/2/identifiers/0/value',
        'must be a non-empty string',
      );
    }
    throwsAt(
      () => gitlabVulnerability(vuln({ identifiers: [{ name: 'x', value: 'y' }] }), '/vulnerabilities/2'),
      '/vulnerabilities/2/identifiers/0/type',
      'must be a non-empty string',
    );
    throwsAt(
      () => gitlabVulnerability(vuln({ identifiers: [{ type: 'cve', name: { en: 'x' }, value: 'y' }] }), '/v/2'),
      '/v/2/identifiers/0/name',
      'must be a string',
    );
  });

  test('a location that is not an object', () => {
    for (const location of [undefined, null, [], 'app.py', 3]) {
      throwsAt(
        () => gitlabVulnerability(vuln({ location }), '/vulnerabilities/1'),
        '/vulnerabilities/1/location',
        'must be an object',
      );
    }
  });

  test('wrong types deeper down give their exact pointer', () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ name: 5 }, '/vulnerabilities/0/name', 'must be a string'],
      [{ description: ['x'] }, '/vulnerabilities/0/description', 'must be a string'],
      [{ location: { file: 7 } }, '/vulnerabilities/0/location/file', 'must be a string'],
      [{ location: { dependency: 'x' } }, '/vulnerabilities/0/location/dependency', 'must be an object'],
      [
        { location: { dependency: { package: { name: {} } } } },
        '/vulnerabilities/0/location/dependency/package/name',
        'must be a string',
      ],
      [{ location: { commit: { sha: false } } }, '/vulnerabilities/0/location/commit/sha', 'must be a string'],
      [{ links: {} }, '/vulnerabilities/0/links', 'must be an array'],
      [{ links: [{ url: true }] }, '/vulnerabilities/0/links/0/url', 'must be a string'],
      [{ cvss_vectors: [{ vendor: 'NVD' }] }, '/vulnerabilities/0/cvss_vectors/0/vector', 'must be a non-empty string'],
      [{ scanner: 'semgrep' }, '/vulnerabilities/0/scanner', 'must be an object'],
      [{ scanner: { name: 'Semgrep' } }, '/vulnerabilities/0/scanner/id', 'must be a non-empty string'],
      [{ category: 'license_scanning' }, '/vulnerabilities/0/category', `"license_scanning" is not a report type; must be one of ${REPORT_TYPES.join(', ')}`],
      [{ tracking: [] }, '/vulnerabilities/0/tracking', 'must be an object'],
      [
        { tracking: { items: [{ signatures: [{ algorithm: 'hash', value: 'x' }, { algorithm: 'hash' }] }] } },
        '/vulnerabilities/0/tracking/items/0/signatures/1/value',
        'must be a non-empty string',
      ],
    ];
    for (const [overrides, pointer, message] of cases) {
      throwsAt(() => gitlabVulnerability(vuln(overrides), '/vulnerabilities/0'), pointer, message);
    }
  });
});

describe('gitlabHeader', () => {
  const scan = {
    scanner: { id: 'Semgrep', name: 'Semgrep', version: '1.2.3', vendor: { name: 'GitLab' } },
    analyzer: { id: 'semgrep-analyzer', name: 'Semgrep analyzer', version: '4.0.0', vendor: { name: 'GitLab' } },
    type: 'sast',
    status: 'success',
  };

  test('reads version, scan.type and scan.scanner (id lower-cased)', () => {
    assert.deepEqual(gitlabHeader({ version: '15.0.7', scan }), {
      formatVersion: '15.0.7',
      scanner: { id: 'semgrep', name: 'Semgrep', version: '1.2.3', vendor: 'GitLab' },
      reportType: 'sast',
    });
  });

  test('missing scan or version', () => {
    const nulls = { scanner: null, reportType: null };
    assert.deepEqual(gitlabHeader({ version: '14.0.0', scan: undefined }), { formatVersion: '14.0.0', ...nulls });
    assert.deepEqual(gitlabHeader({ version: undefined, scan: undefined }), { formatVersion: null, ...nulls });
    assert.deepEqual(gitlabHeader({ version: '15.0.7', scan: null }), { formatVersion: '15.0.7', ...nulls });
  });

  test('an unknown scan.type', () => {
    throwsAt(
      () => gitlabHeader({ version: '15.0.7', scan: { ...scan, type: 'license_scanning' } }),
      '/scan/type',
      `"license_scanning" is not a report type; must be one of ${REPORT_TYPES.join(', ')}`,
    );
    throwsAt(
      () => gitlabHeader({ version: '15.0.7', scan: { ...scan, type: 7 } }),
      '/scan/type',
      `7 is not a report type; must be one of ${REPORT_TYPES.join(', ')}`,
    );
  });

  test('other wrong types', () => {
    throwsAt(() => gitlabHeader({ version: 15, scan }), '/version', 'must be a string');
    throwsAt(() => gitlabHeader({ version: '15.0.7', scan: 'sast' }), '/scan', 'must be an object');
    throwsAt(
      () => gitlabHeader({ version: '15.0.7', scan: { ...scan, scanner: { name: 'x' } } }),
      '/scan/scanner/id',
      'must be a non-empty string',
    );
    throwsAt(
      () => gitlabHeader({ version: '15.0.7', scan: { ...scan, scanner: { ...scan.scanner, vendor: 'GitLab' } } }),
      '/scan/scanner/vendor',
      'must be an object',
    );
  });
});

describe('looksLikeGitlab', () => {
  test('GitLab shapes', () => {
    assert.equal(looksLikeGitlab({ version: '15.0.7', scan: { type: 'sast' }, hasVulnerabilities: true }), true);
    assert.equal(looksLikeGitlab({ version: '2.3', scan: undefined, hasVulnerabilities: true }), true);
    assert.equal(
      looksLikeGitlab({ version: undefined, scan: { type: 'sast', scanner: { id: 'x' } }, hasVulnerabilities: true }),
      true,
    );
  });

  test('a report that found nothing is recognised by its scan header', () => {
    const scan = { type: 'secret_detection', scanner: { id: 'gitleaks', name: 'Gitleaks' } };
    assert.equal(looksLikeGitlab({ version: '15.0.0', scan, hasVulnerabilities: false }), true);
    assert.equal(looksLikeGitlab({ version: undefined, scan: { type: 'sast', analyzer: { id: 'a' } }, hasVulnerabilities: false }), true);
  });

  test('other shapes', () => {
    // CycloneDX: numeric `version` and a `vulnerabilities` array.
    assert.equal(looksLikeGitlab({ version: 1, scan: undefined, hasVulnerabilities: true }), false);
    assert.equal(looksLikeGitlab({ version: '15.0.7', scan: undefined, hasVulnerabilities: false }), false);
    assert.equal(looksLikeGitlab({ version: '15.0.7', scan: { type: 'sast' }, hasVulnerabilities: false }), false, 'an empty report needs a scanner');
    assert.equal(looksLikeGitlab({ version: 'latest', scan: undefined, hasVulnerabilities: true }), false);
    assert.equal(looksLikeGitlab({ version: '15.0.7', scan: 'sast', hasVulnerabilities: true }), false);
    assert.equal(looksLikeGitlab({ version: undefined, scan: undefined, hasVulnerabilities: true }), false);
    const otherScan = { type: 'other', scanner: {} };
    assert.equal(looksLikeGitlab({ version: undefined, scan: otherScan, hasVulnerabilities: true }), false);
  });
});
