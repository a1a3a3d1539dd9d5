import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { banditFormat } from '../../src/vulns/formats/bandit.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import { emptyLocation, type Finding } from '../../src/vulns/model.js';
import { fixturePath, readWith, recognisedFixtures, rejectsAt, tally, truncated, type ReportInput } from '../support/report-fixtures.js';

const MANY = fixturePath('bandit/many_vulns.json');

const read = (input: ReportInput): Promise<ParsedReport> => readWith([banditFormat], input);
const rejects = (input: ReportInput, pointer: string, message: string | RegExp) => rejectsAt(read(input), pointer, message);

/** A one-result Bandit document; `result` is merged over a valid result. */
function doc(result: Record<string, unknown> = {}): object {
  return {
    errors: [],
    generated_at: '2024-01-01T00:00:00Z',
    metrics: { _totals: { loc: 3 } },
    results: [
      {
        code: '1 import subprocess\n2 subprocess.call(cmd, shell=True)\n3 \n',
        col_offset: 0,
        filename: './app\\run.py',
        issue_confidence: 'HIGH',
        issue_cwe: { id: 78, link: 'https://cwe.mitre.org/data/definitions/78.html' },
        issue_severity: 'HIGH',
        issue_text: 'subprocess call with shell=True identified, security issue.',
        line_number: 2,
        line_range: [2],
        more_info: 'https://bandit.readthedocs.io/en/latest/plugins/b602_subprocess_popen_with_shell_equals_true.html',
        test_id: 'B602',
        test_name: 'subprocess_popen_with_shell_equals_true',
        ...result,
      },
    ],
  };
}

async function one(result: Record<string, unknown> = {}): Promise<Finding> {
  const { findings } = await read(doc(result));
  assert.equal(findings.length, 1);
  return findings[0]!;
}


describe('Bandit JSON: fixture', () => {
  test('many_vulns.json: 214 findings, 155 medium and 59 low', async () => {
    // python: len(results) = 214; Counter(issue_severity) = {MEDIUM: 155, LOW: 59} (= metrics._totals SEVERITY.*).
    const report = await read(MANY);
    assert.equal(report.format, 'bandit');
    assert.equal(report.findings.length, 214);
    assert.deepEqual(tally(report.findings.map((f) => f.severity)), { low: 59, medium: 155 });
    // python: Counter(issue_confidence) = {HIGH: 205, MEDIUM: 6, LOW: 3}.
    assert.deepEqual(tally(report.findings.map((f) => f.confidence)), { HIGH: 205, MEDIUM: 6, LOW: 3 });
    // python: Counter(test_id).
    assert.deepEqual(tally(report.findings.map((f) => f.identifiers[0]!.value)), {
      B110: 20, B308: 54, B703: 47, B303: 35, B101: 18, B410: 10, B320: 10, B105: 4, B311: 4, B608: 3, B403: 2, B301: 2, B104: 2, B405: 1, B314: 1, B310: 1,
    });
    // This Bandit (2020) writes no issue_cwe: one identifier each.
    assert.ok(report.findings.every((f) => f.identifiers.length === 1 && f.identifiers[0]!.type === 'bandit_test_id'));
    assert.equal(report.formatVersion, null);
    assert.deepEqual(report.scanners, [{ id: 'bandit', name: 'Bandit', version: null, vendor: 'PyCQA' }]);
    assert.deepEqual(report.reportTypes, ['sast']);
    // 198 filenames have Windows separators (python: '\\' in filename); none is left.
    assert.ok(report.findings.every((f) => f.location.file !== null && !f.location.file.includes('\\')));
    // python: cutting the numbered lines line_number..max(line_range) out of `code` leaves code for all 214.
    assert.equal(report.findings.filter((f) => f.snippet === null).length, 0);
    assert.ok(report.findings.every((f) => f.tracking.length === 0 && f.suppression === null && f.solution === null));
  });

  test('many_vulns.json: findings checked in full', async () => {
    const { findings } = await read(MANY);
    const first = findings[0]!;
    assert.equal(first.title, 'Try, Except, Pass detected.');
    assert.equal(first.description, 'Try, Except, Pass detected.');
    assert.equal(first.severity, 'low');
    assert.deepEqual(first.identifiers, [
      { type: 'bandit_test_id', value: 'B110', name: 'try_except_pass', url: 'https://bandit.readthedocs.io/en/latest/plugins/b110_try_except_pass.html' },
    ]);
    assert.deepEqual(first.location, { ...emptyLocation(), file: 'dojo/benchmark/views.py', startLine: 26, endLine: 27 });
    // code = "25 …\n26     except:\n27         pass\n28 \n", line_range [26, 27].
    assert.equal(first.snippet, '    except:\n        pass');
    assert.deepEqual(first.links, [{ name: 'Bandit documentation', url: 'https://bandit.readthedocs.io/en/latest/plugins/b110_try_except_pass.html' }]);

    const sql = findings[20]!;
    assert.equal(sql.title, 'Possible SQL injection vector through string-based query construction.');
    assert.deepEqual([sql.severity, sql.confidence], ['medium', 'LOW']);
    assert.deepEqual(sql.location, { ...emptyLocation(), file: 'dojo/management/commands/migrate_surveys.py', startLine: 51, endLine: 51 });
    assert.equal(sql.snippet, "                copy_string = 'INSERT INTO `' + new_table_name + '` SELECT * FROM `' + table + '`;'");

    // Result 118: line_range 942..948, seven lines cut out of nine.
    const markSafe = findings[118]!;
    assert.deepEqual([markSafe.identifiers[0]!.value, markSafe.location.startLine, markSafe.location.endLine], ['B703', 942, 948]);
    assert.equal(markSafe.snippet!.split('\n').length, 7);
    assert.ok(markSafe.snippet!.startsWith('    return mark_safe(html % (icon, color, icon, inherited_text,'));
    assert.ok(markSafe.snippet!.endsWith('esc(jira_project.push_notes)))'));
  });
});

describe('Bandit JSON: detection', () => {
  test('recognises the Bandit fixture and no other', () => {
    assert.deepEqual(recognisedFixtures(banditFormat), ['bandit/many_vulns.json']);
  });

  test('an empty Bandit report is recognised', async () => {
    const report = await read({ errors: [], generated_at: '2024-01-01T00:00:00Z', metrics: {}, results: [] });
    assert.deepEqual([report.format, report.findings.length], ['bandit', 0]);
  });
});

describe('Bandit JSON: values', () => {
  test('issue_cwe (Bandit ≥ 1.7.5) is a CWE identifier with its link; path normalised; one-line snippet', async () => {
    const f = await one();
    assert.deepEqual(f.identifiers, [
      {
        type: 'bandit_test_id',
        value: 'B602',
        name: 'subprocess_popen_with_shell_equals_true',
        url: 'https://bandit.readthedocs.io/en/latest/plugins/b602_subprocess_popen_with_shell_equals_true.html',
      },
      { type: 'cwe', value: 'CWE-78', name: null, url: 'https://cwe.mitre.org/data/definitions/78.html' },
    ]);
    assert.equal(f.severity, 'high');
    assert.deepEqual(f.location, { ...emptyLocation(), file: 'app/run.py', startLine: 2, endLine: 2 });
    assert.equal(f.snippet, 'subprocess.call(cmd, shell=True)');
    assert.equal(f.title, 'subprocess call with shell=True identified, security issue.');
  });

  test('UNDEFINED and absent severities are unknown; CWE 0 is none; tabbed code; no code, no snippet', async () => {
    assert.equal((await one({ issue_severity: 'UNDEFINED' })).severity, 'unknown');
    assert.equal((await one({ issue_severity: null })).severity, 'unknown');
    assert.equal((await one({ issue_severity: 'low' })).severity, 'low');
    assert.equal((await one({ issue_cwe: { id: 0, link: 'https://cwe.mitre.org/data/definitions/0.html' } })).identifiers.length, 1);
    assert.equal((await one({ code: '1\timport os\n2\tos.system(x)\n' })).snippet, 'os.system(x)');
    assert.equal((await one({ code: null })).snippet, null);
    const untitled = await one({ issue_text: null });
    assert.deepEqual([untitled.title, untitled.description], ['subprocess_popen_with_shell_equals_true', null]);
  });
});

describe('Bandit JSON: bad input', () => {
  test('a truncated report ends early', async () => {
    await rejects(truncated(MANY), '', /ends early after \d+ bytes \(truncated\?\)/);
  });

  test('wrong values name their pointer', async () => {
    await rejects(doc({ issue_severity: 'SEVERE' }), '/results/0/issue_severity', '"SEVERE" is not a Bandit severity; must be one of HIGH, MEDIUM, LOW, UNDEFINED');
    await rejects(doc({ test_id: null }), '/results/0/test_id', 'must be a non-empty string');
    await rejects(doc({ filename: ['a.py'] }), '/results/0/filename', 'must be a string');
    await rejects(doc({ line_number: 2.5 }), '/results/0/line_number', 'must be an integer');
    await rejects(doc({ line_range: [2, '3'] }), '/results/0/line_range/1', 'must be an integer');
    await rejects(doc({ line_range: 2 }), '/results/0/line_range', 'must be an array');
    await rejects(doc({ issue_cwe: 78 }), '/results/0/issue_cwe', 'must be an object');
    await rejects(doc({ issue_cwe: { id: 'CWE-78' } }), '/results/0/issue_cwe/id', 'must be a CWE number');
    await rejects(doc({ code: 5 }), '/results/0/code', 'must be a string');
    await rejects({ generated_at: 'x', metrics: {}, results: { a: {} } }, '/results', 'must be an array');
    await rejects({ generated_at: 'x', metrics: {}, results: ['x'] }, '/results/0', 'must be an object');
  });
});
