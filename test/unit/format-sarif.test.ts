import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FIELD_LIMITS, TRUNCATION_MARKER } from '../../src/vulns/formats/limits.js';
import { looksLikeSarif, sarifResult, sarifRun, slimSarifResult, type SarifRunContext } from '../../src/vulns/formats/sarif.js';
import type { Finding } from '../../src/vulns/model.js';
import { reportJson, tally, throwsAt } from '../support/report-fixtures.js';

type Json = Record<string, any>;

function fixture(name: string): Json {
  return reportJson(`sarif/${name}`) as Json;
}

function contextOf(run: Json, i = 0): SarifRunContext {
  return sarifRun({ tool: run.tool, originalUriBaseIds: run.originalUriBaseIds, automationDetails: run.automationDetails }, `/runs/${i}`);
}

/** Every result of every run, in order: a Finding or null. */
function readAll(doc: Json): (Finding | null)[] {
  return (doc.runs as Json[]).flatMap((run, i) => {
    const context = contextOf(run, i);
    return (run.results as unknown[]).map((raw, j) => sarifResult(raw, `/runs/${i}/results/${j}`, context));
  });
}

function findingsOf(name: string): Finding[] {
  return readAll(fixture(name)).filter((f): f is Finding => f !== null);
}

/** A one-run log around the given rules and results, read like the fixtures. */
function inline(results: unknown[], runExtra: Json = {}, driverExtra: Json = {}): (Finding | null)[] {
  return readAll({ runs: [{ tool: { driver: { name: 'Inline Tool', ...driverExtra } }, results, ...runExtra }] });
}

function one(result: Json, rules: Json[] = [{ id: 'R1' }], runExtra: Json = {}): Finding {
  const finding = inline([{ ruleId: 'R1', message: { text: 'Problem here.' }, ...result }], runExtra, { rules })[0];
  assert.ok(finding);
  return finding;
}

describe('SARIF fixtures', () => {
  // Result counts from the fixtures README; all of them are findings (no result has a kind other than fail).
  const counts: Array<[string, number]> = [
    ['bash-report.sarif', 27],
    ['codeQL-output.sarif', 72],
    ['gitleaks_7.5.0.sarif', 8],
    ['semgrepowasp-benchmark-sample.sarif', 1768],
    ['suppression_test.sarif', 5],
    ['bash-report-fabricated-no-internal-dupes.sarif', 5],
    ['bash-report-fabricated-no-internal-dupes-subset.sarif', 4],
  ];
  for (const [name, count] of counts) {
    test(`${name}: ${count} results, ${count} findings`, () => {
      const all = readAll(fixture(name));
      assert.equal(all.length, count);
      assert.equal(all.filter((f) => f !== null).length, count);
    });
  }

  test('severities (worked out from the rules with jq/python)', () => {
    // ShellCheck: every result has level "note", no rule has security-severity.
    assert.deepEqual(tally(findingsOf('bash-report.sarif').map((f) => f.severity)), { low: 27 });
    // CodeQL: no result level and no security-severity, so the rule's defaultConfiguration.level decides:
    // error = wrong-arguments 1 + wrong-named-argument 1 + flask-debug 4 + path-injection 1 + reflective-xss 2 +
    // sql-injection 2 = 11; warning = unreachable-statement 4; note = 3 + 7 + 1 + 3 + 40 + 3 = 57.
    assert.deepEqual(tally(findingsOf('codeQL-output.sarif').map((f) => f.severity)), { high: 11, medium: 4, low: 57 });
    // Semgrep: every reported rule has defaultConfiguration.level "warning".
    assert.deepEqual(tally(findingsOf('semgrepowasp-benchmark-sample.sarif').map((f) => f.severity)), { medium: 1768 });
    // Gitleaks and CodeScanner: no levels anywhere → "warning".
    assert.deepEqual(tally(findingsOf('gitleaks_7.5.0.sarif').map((f) => f.severity)), { medium: 8 });
    assert.deepEqual(tally(findingsOf('suppression_test.sarif').map((f) => f.severity)), { medium: 5 });
  });

  test('scanners from tool.driver', () => {
    const scanner = (name: string) => contextOf(fixture(name).runs[0]).scanner;
    assert.deepEqual(scanner('codeQL-output.sarif'), { id: 'codeql', name: 'CodeQL', version: '2.5.4', vendor: 'GitHub' });
    assert.deepEqual(scanner('bash-report.sarif'), {
      id: 'shell_script_analysis',
      name: 'Shell Script Analysis',
      version: '1.0.0-scan',
      vendor: null,
    });
    assert.deepEqual(scanner('gitleaks_7.5.0.sarif'), { id: 'gitleaks', name: 'Gitleaks', version: 'v7.4.0', vendor: null });
  });

  test('suppression_test.sarif: 3 suppressions, 2 external and 1 inSource; an empty list is none', () => {
    const findings = findingsOf('suppression_test.sarif');
    assert.deepEqual(
      findings.map((f) => f.suppression),
      [
        { kind: 'external', status: null, justification: null },
        { kind: 'external', status: null, justification: null },
        { kind: 'inSource', status: null, justification: null },
        null,
        null,
      ],
    );
    assert.equal(findings[0]!.title, 'Suppressed');
    assert.equal(findings[0]!.description, 'Suppressed\n\nRule 001');
  });

  test('gitleaks 7: secret detection, rules named by the message, commit from properties', () => {
    const findings = findingsOf('gitleaks_7.5.0.sarif');
    assert.deepEqual(tally(findings.map((f) => f.reportType)), { secret_detection: 8 });
    assert.deepEqual(tally(findings.map((f) => f.identifiers[0]!.value)), { 'AWS Access Key': 6, 'Asymmetric Private Key': 2 });
    assert.deepEqual(findings[0]!.identifiers, [{ type: 'rule', value: 'AWS Access Key', name: 'AWS Access Key', url: null }]);
    assert.equal(findings[0]!.title, 'AWS Access Key');
    assert.equal(findings[0]!.location.commitSha, '6d127980966808f7413935678e079dcd7fedf9c2');
    assert.equal(findings[0]!.location.file, 'dojo/unittests/scans/gitlab_secret_detection_report/gitlab_secret_detection_report_1_vuln.json');
    assert.equal(findings[0]!.location.startLine, 13);
    assert.equal(findings[0]!.snippet, '      "raw_source_code_extract": "AKIAIOSFODNN7EXAMPLE",');
    assert.ok(findings.every((f) => f.tracking.length === 0));
  });

  test('CodeQL: CWE identifiers from external/cwe tags, leading zeros dropped', () => {
    const findings = findingsOf('codeQL-output.sarif');
    const pathInjection = findings[56]!;
    assert.deepEqual(
      pathInjection.identifiers.map((i) => `${i.type}:${i.value}`),
      ['rule:py/path-injection', 'cwe:CWE-22', 'cwe:CWE-23', 'cwe:CWE-36', 'cwe:CWE-73', 'cwe:CWE-99'],
    );
    assert.deepEqual(pathInjection.identifiers[1], { type: 'cwe', value: 'CWE-22', name: null, url: 'https://cwe.mitre.org/data/definitions/22.html' });
    const xss = findings.find((f) => f.identifiers[0]!.value === 'py/reflective-xss')!;
    assert.deepEqual(xss.identifiers.slice(1).map((i) => i.value), ['CWE-79', 'CWE-116']);
    // 72 minus commented-out-code 3, import-own-module 1, mixed-returns 3, unused-import 40 (no CWE tags).
    assert.equal(findings.filter((f) => f.identifiers.some((i) => i.type === 'cwe')).length, 25);
  });

  test('CodeQL: title, description, paths, snippet cut from contextRegion, related locations', () => {
    const findings = findingsOf('codeQL-output.sarif');
    const first = findings[0]!;
    assert.equal(first.title, 'Empty except');
    assert.equal(first.description, "'except' clause does nothing but pass and there is no explanatory comment.\n\nExcept doesn't do anything and has no comment");
    assert.equal(first.confidence, 'high');
    assert.equal(first.location.file, 'good/db_init.py');
    assert.deepEqual([first.location.startLine, first.location.endLine], [39, 39]);
    assert.equal(first.snippet, '    except FileNotFoundError:');
    assert.equal(findings[56]!.snippet, '    Path(keyfile).touch()');
    assert.equal(findings.reduce((n, f) => n + f.relatedLocations.length, 0), 32);
    const withRelated = findings.find((f) => f.relatedLocations.length > 0)!;
    assert.deepEqual(
      [withRelated.relatedLocations[0]!.file, withRelated.relatedLocations[0]!.startLine],
      ['bad/libsession.py', 5],
    );
  });

  test('fingerprints where the file has them; column offsets and whole-file hashes are not identities', () => {
    for (const finding of findingsOf('codeQL-output.sarif')) {
      assert.equal(finding.tracking.length, 1);
      assert.equal(finding.tracking[0]!.algorithm, 'sarif-partial:primaryLocationLineHash');
      assert.equal(finding.tracking[0]!.priority, 4);
    }
    const bash = findingsOf('bash-report.sarif');
    assert.deepEqual(bash[0]!.tracking, [{ algorithm: 'sarif-partial:scanPrimaryLocationHash', value: '47f57f9669991906', priority: 4 }]);
    assert.ok(bash.every((f) => f.tracking.length === 1 && f.baselineState === 'new'));
    assert.ok(findingsOf('semgrepowasp-benchmark-sample.sarif').every((f) => f.tracking.length === 0));
  });

  test('Semgrep: the title is the first sentence of a wrapped text; precision is the confidence', () => {
    const first = findingsOf('semgrepowasp-benchmark-sample.sarif')[0]!;
    assert.equal(first.title, 'Using CBC with PKCS5Padding is susceptible to padding orcale attacks.');
    assert.equal(first.confidence, 'very-high');
    assert.equal(first.location.file, 'src/main/java/org/owasp/benchmark/testcode/BenchmarkTest02660.java');
  });

  test('a slimmed result reads the same as the full one', () => {
    for (const name of ['codeQL-output.sarif', 'gitleaks_7.5.0.sarif', 'suppression_test.sarif', 'bash-report.sarif']) {
      const run = fixture(name).runs[0] as Json;
      const context = contextOf(run);
      (run.results as Json[]).forEach((raw, i) => {
        const slim = slimSarifResult(structuredClone(raw)) as Json;
        assert.equal(slim.codeFlows, undefined);
        assert.deepEqual(sarifResult(slim, `/runs/0/results/${i}`, context), sarifResult(raw, `/runs/0/results/${i}`, context));
      });
    }
    const slim = slimSarifResult({ ruleId: 'a', codeFlows: [{}], stacks: [], webRequest: {}, locations: [{}, {}], properties: { commit: 'abc1234', x: 1 } });
    assert.deepEqual(slim, { ruleId: 'a', locations: [{}], properties: { commit: 'abc1234' } });
    assert.equal(slimSarifResult('not an object'), 'not an object');
  });
});

describe('SARIF results', () => {
  test('placeholder fingerprints and non-identity partial fingerprints are dropped', () => {
    const finding = one({
      fingerprints: { 'matchBasedId/v1': 'requires login', blank: '   ', empty: '', 'stable/v1': 'abc123' },
      partialFingerprints: {
        primaryLocationLineHash: 'deadbeef:1',
        primaryLocationStartColumnFingerprint: '4',
        commitSha: '0123456789abcdef0123456789abcdef01234567',
        author: 'Someone',
        email: 'someone@example.com',
      },
    });
    assert.deepEqual(finding.tracking, [
      { algorithm: 'sarif-fingerprint:stable/v1', value: 'abc123', priority: 5 },
      { algorithm: 'sarif-partial:primaryLocationLineHash', value: 'deadbeef:1', priority: 4 },
    ]);
    assert.equal(finding.location.commitSha, null); // a commit only for secret detection
  });

  test('Gitleaks 8: commitSha in partialFingerprints is the commit, not a fingerprint', () => {
    const [finding] = readAll({
      runs: [
        {
          tool: { driver: { name: 'gitleaks', rules: [{ id: 'aws-access-token' }] } },
          results: [{ ruleId: 'aws-access-token', message: { text: 'x' }, partialFingerprints: { commitSha: 'ABCDEF1234567', author: 'a', date: 'd' } }],
        },
      ],
    });
    assert.equal(finding!.reportType, 'secret_detection');
    assert.equal(finding!.location.commitSha, 'abcdef1234567');
    assert.deepEqual(finding!.tracking, []);
  });

  test('originalUriBaseIds: relative URIs stay repo-relative, absolute ones under a root are made relative', () => {
    const runExtra = {
      originalUriBaseIds: {
        SRCROOT: { uri: 'file:///home/runner/work/x/x/' },
        LIB: { uri: 'lib/', uriBaseId: 'SRCROOT' },
        OTHER: { description: { text: 'no uri' } },
      },
    };
    const at = (artifactLocation: Json) => one({ locations: [{ physicalLocation: { artifactLocation } }] }, [{ id: 'R1' }], runExtra).location.file;
    assert.equal(at({ uri: 'src/a.ts', uriBaseId: 'SRCROOT' }), 'src/a.ts');
    assert.equal(at({ uri: './src/%20b.ts', uriBaseId: 'SRCROOT' }), 'src/ b.ts');
    assert.equal(at({ uri: 'b.ts', uriBaseId: 'LIB' }), 'lib/b.ts');
    assert.equal(at({ uri: 'c.ts', uriBaseId: 'OTHER' }), 'c.ts');
    assert.equal(at({ uri: 'd.ts', uriBaseId: 'UNKNOWN' }), 'd.ts');
    assert.equal(at({ uri: 'file:///home/runner/work/x/x/src/e.ts' }), 'src/e.ts');
    assert.equal(at({ uri: 'file:///elsewhere/f.ts' }), '/elsewhere/f.ts');
    assert.equal(at({ index: 3 }), null);
    const context = sarifRun({ tool: { driver: { name: 'x' } }, ...runExtra, automationDetails: { id: 'my-analysis/tool1/2024-01-01' } }, '/runs/0');
    assert.equal(context.category, 'my-analysis/tool1');
  });

  test('a hierarchical ruleId falls back to its base rule', () => {
    const finding = one({ ruleId: 'a/b/c' }, [{ id: 'a', name: 'RuleA', shortDescription: { text: 'Rule A' }, helpUri: 'https://x.test/a' }]);
    assert.equal(finding.title, 'Rule A');
    assert.deepEqual(finding.identifiers, [{ type: 'rule', value: 'a/b/c', name: 'RuleA', url: 'https://x.test/a' }]);
    assert.deepEqual(finding.links, [{ name: null, url: 'https://x.test/a' }]);
  });

  test('rules by index, by rule.id, and in tool extensions', () => {
    const extensions = [{ name: 'pack', rules: [{ id: 'E1', shortDescription: { text: 'Extension rule' } }] }];
    const read = (result: Json) =>
      readAll({ runs: [{ tool: { driver: { name: 'T', rules: [{ id: 'D0' }, { id: 'D1', name: 'Driver one' }] }, extensions }, results: [{ message: { text: 'm' }, ...result }] }] })[0]!;
    assert.equal(read({ ruleIndex: 1 }).identifiers[0]!.value, 'D1');
    assert.equal(read({ rule: { id: 'D1' } }).title, 'Driver one');
    assert.equal(read({ rule: { index: 0, toolComponent: { index: 0 } } }).title, 'Extension rule');
    assert.equal(read({ rule: { id: 'E1', toolComponent: { name: 'pack' } } }).title, 'Extension rule');
    assert.equal(read({ ruleId: 'E1' }).title, 'Extension rule');
    assert.equal(read({ ruleId: 'unknown' }).title, 'm');
  });

  test('message arguments and messageStrings', () => {
    const finding = one({ message: { text: 'Value {0} flows to {1}; {{literal}} {2}', arguments: ['x', 'y'] } });
    assert.equal(finding.description, 'Value x flows to y; {literal} {2}');
    const byId = one({ message: { id: 'default', arguments: ['eval'] } }, [{ id: 'R1', messageStrings: { default: { text: 'Call to {0}.' } } }]);
    assert.equal(byId.title, 'Call to eval.');
  });

  test('security-severity bands (GitHub), else the level', () => {
    const severity = (value: unknown, level?: string) =>
      one({ ...(level && { level }) }, [{ id: 'R1', properties: { 'security-severity': value } }]).severity;
    assert.equal(severity('9.0'), 'critical');
    assert.equal(severity(10), 'critical');
    assert.equal(severity('8.9'), 'high');
    assert.equal(severity(7), 'high');
    assert.equal(severity('4.0', 'error'), 'medium');
    assert.equal(severity('0.1'), 'low');
    assert.equal(severity('0', 'error'), 'high');
    assert.equal(severity('10.5', 'note'), 'low');
    assert.equal(severity('high', 'none'), 'info');
    assert.equal(severity(undefined), 'medium');
  });

  test('level: result, then rule default, then warning', () => {
    const rules = [{ id: 'R1', defaultConfiguration: { level: 'error' } }];
    assert.equal(one({}, rules).severity, 'high');
    assert.equal(one({ level: 'note' }, rules).severity, 'low');
    assert.equal(one({ level: 'none' }, rules).severity, 'info');
    assert.equal(one({}).severity, 'medium');
  });

  test('kind: pass, notApplicable and informational are not findings; review and open are, at level none', () => {
    const results = ['pass', 'notApplicable', 'informational', 'review', 'open', 'fail'].map((kind) => ({ kind, ruleId: 'R1', message: { text: 'm' } }));
    const read = inline(results, {}, { rules: [{ id: 'R1', defaultConfiguration: { level: 'error' } }] });
    assert.deepEqual(read.map((f) => f?.severity ?? null), [null, null, null, 'info', 'info', 'high']);
    assert.equal(one({ kind: 'review', level: 'warning' }).severity, 'medium');
  });

  test('CVE ids and CWE tags in other spellings; secret tags', () => {
    const finding = one({ ruleId: 'CVE-2021-1234' }, [{ id: 'CVE-2021-1234', properties: { tags: ['security', 'CWE-79', 'cwe-89: SQL injection', 'ghsa-abcd-efgh-jkmp'] } }]);
    assert.deepEqual(
      finding.identifiers.map((i) => `${i.type}:${i.value}`),
      ['rule:CVE-2021-1234', 'cve:CVE-2021-1234', 'cwe:CWE-79', 'cwe:CWE-89'],
    );
    assert.equal(finding.reportType, 'sast');
    assert.equal(one({}, [{ id: 'R1', properties: { tags: ['Secrets'] } }]).reportType, 'secret_detection');
  });

  test('locations: end line defaults to the start line, logical locations give class and method; none at all is allowed', () => {
    const finding = one({
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: 'A.java' }, region: { startLine: 12, snippet: { text: 'x = 1;' } } },
          logicalLocations: [{ fullyQualifiedName: 'com.acme.Foo.bar(int)', kind: 'function' }],
        },
      ],
    });
    assert.deepEqual(
      [finding.location.file, finding.location.startLine, finding.location.endLine, finding.location.className, finding.location.method, finding.snippet],
      ['A.java', 12, 12, 'com.acme.Foo', 'bar', 'x = 1;'],
    );
    const nowhere = one({});
    assert.equal(nowhere.location.file, null);
    assert.equal(nowhere.snippet, null);
    assert.equal(one({ locations: [{ logicalLocations: [{ fullyQualifiedName: 'ns::Type', kind: 'type' }] }] }).location.className, 'ns::Type');
  });

  test('suppression status and justification; NULs stripped; long strings clipped', () => {
    const finding = one({
      message: { text: `Bad\u0000 thing. More ${'y'.repeat(FIELD_LIMITS.description)}` },
      suppressions: [{ kind: 'inSource', status: 'accepted', justification: 'false positive' }],
    });
    assert.deepEqual(finding.suppression, { kind: 'inSource', status: 'accepted', justification: 'false positive' });
    assert.equal(finding.title, 'Bad thing.');
    assert.equal(finding.description!.length, FIELD_LIMITS.description);
    assert.ok(finding.description!.endsWith(TRUNCATION_MARKER));
  });
});

describe('SARIF errors', () => {
  const context = sarifRun({ tool: { driver: { name: 'T', rules: [{ id: 'R1' }] } }, originalUriBaseIds: undefined, automationDetails: undefined }, '/runs/0');
  const ok = { ruleId: 'R1', message: { text: 'm' } };

  test('a level outside the enumeration', () => {
    throwsAt(() => sarifResult({ ...ok, level: 'critical' }, '/runs/0/results/7', context), '/runs/0/results/7/level', 'must be one of none, note, warning, error');
  });

  test('a result without any rule id', () => {
    throwsAt(() => sarifResult({ message: { text: 'nothing matches' } }, '/runs/0/results/0', context), '/runs/0/results/0/ruleId', 'a result needs a rule id');
    throwsAt(() => sarifResult({ ruleIndex: 4, message: { text: 'm' } }, '/runs/0/results/1', context), '/runs/0/results/1/ruleIndex', 'no rule at index 4 (the tool component has 1 rules)');
  });

  test('locations that are not an array', () => {
    throwsAt(() => sarifResult({ ...ok, locations: {} }, '/runs/0/results/3', context), '/runs/0/results/3/locations', 'must be an array');
  });

  test('tool.driver.name missing', () => {
    throwsAt(() => sarifRun({ tool: { driver: {} }, originalUriBaseIds: undefined, automationDetails: undefined }, '/runs/0'), '/runs/0/tool/driver/name', 'is required');
    throwsAt(() => sarifRun({ tool: undefined, originalUriBaseIds: undefined, automationDetails: undefined }, '/runs/1'), '/runs/1/tool', 'is required');
  });

  test('a result that is not an object', () => {
    throwsAt(() => sarifResult([1], '/runs/0/results/2', context), '/runs/0/results/2', 'must be an object');
  });

  test('wrong types and enumerations elsewhere', () => {
    throwsAt(() => sarifResult({ ...ok, kind: 'bad' }, '/r', context), '/r/kind', 'must be one of notApplicable, pass, fail, review, open, informational');
    throwsAt(() => sarifResult({ ...ok, suppressions: [{ kind: 'none' }] }, '/r', context), '/r/suppressions/0/kind', 'must be one of inSource, external');
    throwsAt(() => sarifResult({ ...ok, locations: [{ physicalLocation: { region: { startLine: '3' } } }] }, '/r', context), '/r/locations/0/physicalLocation/region/startLine', 'must be an integer');
    throwsAt(() => sarifResult({ ...ok, message: { text: 'm', arguments: [1] } }, '/r', context), '/r/message/arguments/0', 'must be a string');
    throwsAt(() => sarifResult({ ...ok, fingerprints: { a: 1 } }, '/r', context), '/r/fingerprints/a', 'must be a string');
    const run = (rule: Json) => () => sarifRun({ tool: { driver: { name: 'T', rules: [rule] } }, originalUriBaseIds: undefined, automationDetails: undefined }, '/runs/0');
    throwsAt(run({ id: 'R', properties: { tags: 'cwe' } }), '/runs/0/tool/driver/rules/0/properties/tags', 'must be an array');
    throwsAt(run({ id: 'R', properties: { 'security-severity': true } }), '/runs/0/tool/driver/rules/0/properties/security-severity', 'must be a string or a number');
    throwsAt(run({ name: 'no id' }), '/runs/0/tool/driver/rules/0/id', 'is required');
    throwsAt(run({ id: 'R', defaultConfiguration: { level: 'high' } }), '/runs/0/tool/driver/rules/0/defaultConfiguration/level', 'must be one of none, note, warning, error');
  });
});

describe('looksLikeSarif', () => {
  const schema = 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json';
  test('version 2.1.0 with runs, or a SARIF 2.1.0 schema', () => {
    assert.equal(looksLikeSarif({ version: '2.1.0', schema: undefined, hasRuns: true }), true);
    assert.equal(looksLikeSarif({ version: '2.1.0', schema, hasRuns: false }), true);
    assert.equal(looksLikeSarif({ version: undefined, schema, hasRuns: true }), true);
    assert.equal(looksLikeSarif({ version: undefined, schema: 'https://json.schemastore.org/sarif-2.1.0-rtm.5.json', hasRuns: false }), true);
  });
  test('other versions and GitLab reports are not', () => {
    assert.equal(looksLikeSarif({ version: '2.1.0', schema: undefined, hasRuns: false }), false);
    assert.equal(looksLikeSarif({ version: '2.0.0', schema, hasRuns: true }), false);
    assert.equal(looksLikeSarif({ version: '15.0.7', schema: undefined, hasRuns: false }), false);
    assert.equal(looksLikeSarif({ version: undefined, schema: 'https://example.com/other.json', hasRuns: true }), false);
  });
});
