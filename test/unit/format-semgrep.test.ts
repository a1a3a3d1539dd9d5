import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fingerprintsOf, positionOf } from '../../src/vulns/fingerprint.js';
import { FIELD_LIMITS, TRUNCATION_MARKER } from '../../src/vulns/formats/limits.js';
import { semgrepFormat } from '../../src/vulns/formats/semgrep.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import { assignFindings, type ExistingFingerprint } from '../../src/vulns/match.js';
import { emptyLocation, type Finding } from '../../src/vulns/model.js';
import { fixturePath, readWith, recognisedFixtures, rejectsAt, tally, truncated, type ReportInput } from '../support/report-fixtures.js';

const semgrepFixture = (name: string) => fixturePath(`semgrep/${name}`);
const MANY = semgrepFixture('many_vulns.json');
const LINE31 = semgrepFixture('close_old_findings_report_line31.json');
const LINE24 = semgrepFixture('close_old_findings_report_second_run_line24.json');
const THIRD = semgrepFixture('close_old_findings_report_third_run_different_unique_id.json');
const RULE_31 = 'python.lang.security.audit.dangerous-subprocess-use-tainted-env-args.dangerous-subprocess-use-tainted-env-args';

/**
 * What identity concludes for the close-old-findings rescans, imported into one project and ref in this order
 * (derived by reading the files — `diff` of the pretty-printed JSON — and fingerprint.ts / match.ts):
 *
 * 1. line31: one result → a new vulnerability. Its fingerprints: tracking:semgrep:fingerprint (extra.fingerprint
 *    `1d0cfd…_0`), content (rule + sample/brute.py + the whitespace-free `lines`), location (line 31–31), coarse
 *    (rule + file).
 * 2. second_run_line24: the same rule, file, `lines` and fingerprint; only the lines (31 → 24) and offsets moved.
 *    The tracking fingerprint hashes alike (strongest layer) → the same vulnerability: 0 new, 1 existing, 0 fixed.
 *    (Content would match too; only the location layer differs.) The vulnerability gains the line-24 location.
 * 3. third_run_different_unique_id: line 24 again, same rule, file and `lines`, but the fingerprint is prefixed with
 *    `DIFFERENT`. The tracking layer finds nothing; a Semgrep fingerprint is match-only — match.ts's VETOING covers
 *    SARIF `fingerprints` and GitLab's scope_offset/rule_value only — so the weaker layers decide: content (same
 *    rule, file and code) matches → 0 new, 1 existing, 0 fixed. (Location 24 and coarse would match as well.)
 *
 * DefectDojo's close-old-findings test expects 1 new + 1 closed for step 3 because it deduplicates on the tool's
 * unique id alone; Vigil keeps one vulnerability when only the scanner's id changed and the code did not move.
 */
export const SEMGREP_RESCANS = [
  { file: 'close_old_findings_report_line31.json', new: 1, existing: 0, fixed: 0 },
  { file: 'close_old_findings_report_second_run_line24.json', new: 0, existing: 1, fixed: 0 },
  { file: 'close_old_findings_report_third_run_different_unique_id.json', new: 0, existing: 1, fixed: 0 },
] as const;

const read = (input: ReportInput): Promise<ParsedReport> => readWith([semgrepFormat], input);

const rejects = (input: ReportInput, pointer: string, message: string | RegExp) => rejectsAt(read(input), pointer, message);

/** A one-result Semgrep 1.x document; `result` and `extra` are merged over a valid result. */
function doc(result: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, top: Record<string, unknown> = {}): object {
  return {
    version: '1.50.0',
    results: [
      {
        check_id: 'rules.bad-call',
        path: './src\\app.py',
        start: { line: 3, col: 1, offset: 10 },
        end: { line: 4, col: 2, offset: 30 },
        extra: { message: 'Bad call. Use good_call() instead.', severity: 'WARNING', metadata: {}, lines: '  bad_call()', is_ignored: false, ...extra },
        ...result,
      },
    ],
    errors: [],
    paths: { scanned: ['src/app.py'] },
    ...top,
  };
}

async function one(result: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<Finding> {
  const report = await read(doc(result, extra));
  assert.equal(report.findings.length, 1);
  return report.findings[0]!;
}

describe('Semgrep JSON: fixtures', () => {
  test('many_vulns.json: 48 findings, 13 high (ERROR) and 35 medium (WARNING)', async () => {
    // python: len(results) = 48; Counter(extra.severity) = {WARNING: 35, ERROR: 13}.
    const report = await read(MANY);
    assert.equal(report.format, 'semgrep');
    assert.equal(report.findings.length, 48);
    assert.deepEqual(tally(report.findings.map((f) => f.severity)), { medium: 35, high: 13 });
    // No top-level version in this older output.
    assert.equal(report.formatVersion, null);
    assert.deepEqual(report.scanners, [{ id: 'semgrep', name: 'Semgrep', version: null, vendor: 'Semgrep' }]);
    assert.deepEqual(report.reportTypes, ['sast']);
    // python: 44 results have metadata.cwe (33 CWE-327, 10 CWE-611, 1 CWE-1236), 44 metadata.owasp, 33 bandit-code.
    const types = report.findings.flatMap((f) => f.identifiers.map((i) => i.type));
    assert.deepEqual(tally(types), { semgrep_id: 48, cwe: 44, owasp: 44, bandit_test_id: 33 });
    assert.deepEqual(tally(report.findings.flatMap((f) => f.identifiers.filter((i) => i.type === 'cwe').map((i) => i.value))), {
      'CWE-327': 33,
      'CWE-611': 10,
      'CWE-1236': 1,
    });
    // No result has extra.fingerprint: no tracking. 11 have fix_regex: 11 solutions. Every one has `lines`.
    assert.equal(report.findings.filter((f) => f.tracking.length > 0).length, 0);
    assert.equal(report.findings.filter((f) => f.solution !== null).length, 11);
    assert.equal(report.findings.filter((f) => f.snippet !== null).length, 48);
    assert.ok(report.findings.every((f) => f.suppression === null && f.reportType === 'sast'));
  });

  test('many_vulns.json: a result without metadata, one with fix_regex, one ported from Bandit', async () => {
    const { findings } = await read(MANY);
    const first = findings[0]!;
    assert.equal(first.title, "Using 'temp.name' without '.flush()' or '.close()' may cause an error because the file may not exist when 'temp.name' is used.");
    assert.equal(first.severity, 'high');
    assert.equal(first.confidence, null);
    assert.deepEqual(first.identifiers, [
      { type: 'semgrep_id', value: 'python.lang.correctness.tempfile.flush.tempfile-without-flush', name: 'python.lang.correctness.tempfile.flush.tempfile-without-flush', url: null },
    ]);
    assert.deepEqual(first.location, { ...emptyLocation(), file: 'tasks.py', startLine: 186, endLine: 186 });
    assert.equal(first.snippet, "                   'xsl-style-sheet': temp.name}");
    assert.deepEqual(first.links, []);

    const csv = findings[37]!;
    assert.equal(csv.title, 'Found an unquoted CSV writer.');
    assert.deepEqual(csv.identifiers.slice(1), [
      { type: 'cwe', value: 'CWE-1236', name: 'Improper Neutralization of Formula Elements in a CSV File', url: 'https://cwe.mitre.org/data/definitions/1236.html' },
      { type: 'owasp', value: 'A1', name: 'Injection', url: null },
    ]);
    assert.equal(csv.solution, 'Replace what the regular expression (.*)\\) matches with: \\1, quoting=csv.QUOTE_ALL)');
    assert.deepEqual(csv.links, [{ name: null, url: 'https://affinity-it-security.com/how-to-prevent-csv-injection/' }]);
    assert.equal(csv.location.file, 'management/commands/csv_findings_export.py');

    // Results 4..36 are the MD5 rule ported from Bandit B303; result 8 spans lines 55–56.
    const md5 = findings[8]!;
    assert.equal(md5.title, 'Detected MD5 hash algorithm which is considered insecure.');
    assert.equal(md5.description, 'Detected MD5 hash algorithm which is considered insecure. MD5 is not\ncollision resistant and is therefore not suitable as a cryptographic\nsignature. Use SHA256 or SHA3 instead.');
    assert.deepEqual(
      md5.identifiers.map((i) => `${i.type}:${i.value}`),
      ['semgrep_id:python.lang.security.insecure-hash-algorithms.insecure-hash-algorithm-md5', 'bandit_test_id:B303', 'cwe:CWE-327', 'owasp:A3'],
    );
    assert.deepEqual([md5.location.file, md5.location.startLine, md5.location.endLine], ['tools/huskyci/parser.py', 55, 56]);
    assert.equal(md5.links.length, 4); // 3 references + the source-rule-url
    assert.deepEqual(md5.links[3], { name: 'Semgrep rule', url: 'https://github.com/PyCQA/bandit/blob/d5f8fa0d89d7b11442fc6ec80ca42953974354c8/bandit/blacklists/calls.py#L59' });
  });

  test('close_old_findings line31: Semgrep 1.97.0 with fingerprint, CWE and OWASP lists', async () => {
    const report = await read(LINE31);
    assert.equal(report.formatVersion, '1.97.0');
    assert.deepEqual(report.scanners, [{ id: 'semgrep', name: 'Semgrep', version: '1.97.0', vendor: 'Semgrep' }]);
    assert.equal(report.findings.length, 1);
    const f = report.findings[0]!;
    assert.equal(f.title, "Detected subprocess function 'run' with user controlled data.");
    assert.equal(f.severity, 'high');
    assert.equal(f.confidence, 'MEDIUM');
    assert.deepEqual(f.scanner, report.scanners[0]);
    assert.deepEqual(
      f.identifiers.map((i) => `${i.type}:${i.value}`),
      [`semgrep_id:${RULE_31}`, 'cwe:CWE-78', 'owasp:A01:2017', 'owasp:A03:2021'],
    );
    assert.deepEqual(f.location, { ...emptyLocation(), file: 'sample/brute.py', startLine: 31, endLine: 31 });
    assert.equal(f.snippet, '    result = subprocess.run([program, username, password], stdout=subprocess.DEVNULL)');
    assert.deepEqual(f.tracking, [
      {
        algorithm: 'semgrep:fingerprint',
        value: '1d0cfd65fc17a97773e848ec31ddd8a580c5fb54914f03bebe4f934a16d5d45f22cfd3ab1b9f3ab9871da06569701e38ea2b518d2a1aa397cd5d7ecbd699d4a4_0',
        priority: 5,
      },
    ]);
    assert.equal(f.links.length, 5); // 4 references + metadata.source
  });

  test('SEMGREP_RESCANS: identity over line31 → line24 → different fingerprint', async () => {
    const stored: ExistingFingerprint[] = [];
    const lines = new Map<number, number | null>();
    let present = new Set<number>();
    let nextId = 1;
    for (const step of SEMGREP_RESCANS) {
      const { findings } = await read(semgrepFixture(step.file));
      const incoming = findings.map((f) => ({ fingerprints: fingerprintsOf(f), position: positionOf(f) }));
      const known = new Set(stored.map((s) => s.vulnerabilityId));
      const ids = assignFindings(incoming, stored, lines).map((id) => id ?? nextId++);
      const seen = new Set(ids);
      const outcome = {
        file: step.file,
        new: ids.filter((id) => !known.has(id)).length,
        existing: ids.filter((id) => known.has(id)).length,
        fixed: [...present].filter((id) => !seen.has(id)).length,
      };
      assert.deepEqual(outcome, step);
      // As ingest does: matched vulnerabilities gain the fingerprints they did not have, and their last line.
      incoming.forEach((f, i) => {
        for (const fp of f.fingerprints) stored.push({ vulnerabilityId: ids[i]!, algorithm: fp.algorithm, version: fp.version, hash: fp.hash });
        lines.set(ids[i]!, f.position[1]);
      });
      present = seen;
    }
  });

  test('the third run differs from the second only in the tracking fingerprint', async () => {
    const [second, third] = [(await read(LINE24)).findings[0]!, (await read(THIRD)).findings[0]!];
    const hashes = (f: Finding) => Object.fromEntries(fingerprintsOf(f).map((fp) => [fp.algorithm, fp.hash]));
    const [a, b] = [hashes(second), hashes(third)];
    assert.deepEqual(Object.keys(a), ['tracking:semgrep:fingerprint', 'content', 'location', 'coarse']);
    assert.notEqual(a['tracking:semgrep:fingerprint'], b['tracking:semgrep:fingerprint']);
    for (const algorithm of ['content', 'location', 'coarse']) assert.equal(a[algorithm], b[algorithm]);
  });
});

describe('Semgrep JSON: detection', () => {
  test('recognises the four Semgrep fixtures and no other fixture', () => {
    assert.deepEqual(recognisedFixtures(semgrepFormat), [
      'semgrep/close_old_findings_report_line31.json',
      'semgrep/close_old_findings_report_second_run_line24.json',
      'semgrep/close_old_findings_report_third_run_different_unique_id.json',
      'semgrep/many_vulns.json',
    ]);
  });

  test('an empty Semgrep 1.x report is recognised and has no findings', async () => {
    const report = await read({ version: '1.2.3', results: [], errors: [], paths: { scanned: [] } });
    assert.deepEqual([report.findings.length, report.scanners[0]!.version], [0, '1.2.3']);
  });

  test('a lone "results" (OSV-Scanner) or Bandit\'s keys are not Semgrep', () => {
    const opening = (keys: string[], values = {}) => ({ container: 'json' as const, rootKind: 'object' as const, keys, values, firstElementKeys: [] });
    assert.equal(semgrepFormat.detect(opening(['results'])), false);
    assert.equal(semgrepFormat.detect(opening(['errors', 'generated_at', 'metrics', 'results'], { generated_at: '2020-12-30T09:35:48Z' })), false);
    assert.equal(semgrepFormat.detect(opening(['version', 'results'], { version: '1.97.0' })), true);
    assert.equal(semgrepFormat.detect(opening(['results', 'version'], { version: 'abc' })), false);
  });
});

describe('Semgrep JSON: values', () => {
  test('a minimal result: path normalised, lines, snippet kept as given, no tracking without a fingerprint', async () => {
    const f = await one();
    assert.deepEqual(f.location, { ...emptyLocation(), file: 'src/app.py', startLine: 3, endLine: 4 });
    assert.equal(f.snippet, '  bad_call()');
    assert.equal(f.title, 'Bad call.');
    assert.equal(f.description, 'Bad call. Use good_call() instead.');
    assert.deepEqual(f.tracking, []);
  });

  test('severities: ERROR/WARNING/INFO, the newer names, INVENTORY/EXPERIMENT; absent is unknown', async () => {
    const cases: Array<[unknown, string]> = [
      ['ERROR', 'high'],
      ['WARNING', 'medium'],
      ['INFO', 'low'],
      ['CRITICAL', 'critical'],
      ['HIGH', 'high'],
      ['MEDIUM', 'medium'],
      ['LOW', 'low'],
      ['INVENTORY', 'info'],
      ['EXPERIMENT', 'info'],
      [null, 'unknown'],
    ];
    for (const [severity, expected] of cases) assert.equal((await one({}, { severity })).severity, expected, String(severity));
  });

  test('"requires login" placeholders: no tracking and no snippet; a real fingerprint is tracking', async () => {
    const placeholder = await one({}, { fingerprint: 'requires login', lines: 'requires login' });
    assert.deepEqual([placeholder.tracking, placeholder.snippet], [[], null]);
    const real = await one({}, { fingerprint: 'abc_0' });
    assert.deepEqual(real.tracking, [{ algorithm: 'semgrep:fingerprint', value: 'abc_0', priority: 5 }]);
  });

  test('is_ignored is an accepted in-source suppression; fix is the solution; string CWE/OWASP lists', async () => {
    const f = await one({}, { is_ignored: true, fix: 'good_call()', metadata: { cwe: ['CWE-79: XSS', 'not a cwe', 'CWE-79'], owasp: ['A03:2021 - Injection'] } });
    assert.deepEqual(f.suppression, { kind: 'inSource', status: 'accepted', justification: 'nosemgrep' });
    assert.equal(f.solution, 'Replace the matched code with:\ngood_call()');
    assert.deepEqual(
      f.identifiers.map((i) => `${i.type}:${i.value}:${i.name}`),
      ['semgrep_id:rules.bad-call:rules.bad-call', 'cwe:CWE-79:XSS', 'owasp:A03:2021:Injection'],
    );
  });

  test('NULs are removed and long messages clipped', async () => {
    const f = await one({}, { message: `Bad\u0000 call. ${'x'.repeat(FIELD_LIMITS.description + 10)}` });
    assert.ok(f.title.startsWith('Bad call.'));
    assert.equal(f.description!.length, FIELD_LIMITS.description);
    assert.ok(f.description!.endsWith(TRUNCATION_MARKER));
  });
});

describe('Semgrep JSON: bad input', () => {
  test('a truncated report ends early', async () => {
    for (const file of [LINE31, LINE24, THIRD]) {
      await rejects(truncated(file), '', /ends early after \d+ bytes \(truncated\?\)/);
    }
  });

  test('many_vulns.json cut at 60%: a ReportError (its opening shows only "results", as OSV-Scanner\'s does)', async () => {
    // Older Semgrep writes `results` first and `errors` after it; cut inside `results`, nothing tells it is Semgrep,
    // so the upload is refused as unrecognised (or, where the driver tries the whole text, as ending early).
    await rejects(truncated(MANY), '', /not a known report format: a JSON object with keys results matches none of Semgrep JSON|ends early/);
  });

  test('wrong values name their pointer', async () => {
    await rejects(doc({}, { severity: 'FATAL' }), '/results/0/extra/severity', '"FATAL" is not a Semgrep severity; must be one of ERROR, WARNING, INFO, INVENTORY, EXPERIMENT, CRITICAL, HIGH, MEDIUM, LOW');
    await rejects(doc({}, { severity: 3 }), '/results/0/extra/severity', /3 is not a Semgrep severity/);
    await rejects(doc({ check_id: '' }), '/results/0/check_id', 'must be a non-empty string');
    await rejects(doc({ path: 7 }), '/results/0/path', 'must be a string');
    await rejects(doc({ start: undefined }), '/results/0/start', 'is required');
    await rejects(doc({ start: { line: '3' } }), '/results/0/start/line', 'must be an integer');
    await rejects(doc({ end: [] }), '/results/0/end', 'must be an object');
    await rejects(doc({ extra: 'x' }), '/results/0/extra', 'must be an object');
    await rejects(doc({}, { metadata: [] }), '/results/0/extra/metadata', 'must be an object');
    await rejects(doc({}, { metadata: { cwe: ['CWE-1', 5] } }), '/results/0/extra/metadata/cwe/1', 'must be a string');
    await rejects(doc({}, { metadata: { references: 'x', owasp: {} } }), '/results/0/extra/metadata/owasp', 'must be a string');
    await rejects(doc({}, { fingerprint: 12 }), '/results/0/extra/fingerprint', 'must be a string');
    await rejects(doc({}, { is_ignored: 'yes' }), '/results/0/extra/is_ignored', 'must be true or false');
    await rejects(doc({}, { fix_regex: { regex: 1 } }), '/results/0/extra/fix_regex/regex', 'must be a string');
    await rejects(doc({}, {}, { version: 5 }), '/version', 'must be a string');
    await rejects({ results: { a: 1 }, errors: [] }, '/results', 'must be an array');
    await rejects({ results: [5], errors: [] }, '/results/0', 'must be an object');
  });
});
