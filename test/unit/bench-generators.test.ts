import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import AjvDraft04Module from 'ajv-draft-04';
import { Ajv } from 'ajv';
import { firstRun, nextRun } from '../../bench/runs.js';
import { reportChunks, reportText, SYNTHETIC_FORMATS, type SyntheticFormat } from '../../bench/synthetic-report.js';
import { fingerprintsOf } from '../../src/vulns/fingerprint.js';
import { readReport } from '../../src/vulns/ingest/read-report.js';
import { LIMITS, NO_OVERRIDES } from '../support/report-fixtures.js';

// ajv-draft-04 is CommonJS: under ESM its class arrives as the `default` of the module object.
const AjvDraft04 = (AjvDraft04Module as unknown as { default: new (options: object) => Ajv }).default;
const SCHEMAS = fileURLToPath(new URL('../../../../shared/fixtures/schemas/', import.meta.url));
const schema = (relative: string) => JSON.parse(fs.readFileSync(`${SCHEMAS}${relative}`, 'utf8'));

async function parse(format: SyntheticFormat, run = firstRun(60)) {
  return readReport(Readable.from(reportChunks(format, run)), LIMITS, NO_OVERRIDES);
}

describe('synthetic runs', () => {
  test('the change share is exact: 10% new, 5% fixed, 5% moved of 1,000', () => {
    const first = firstRun(1000);
    const { run, changes } = nextRun(first, { new: 0.1, fixed: 0.05, moved: 0.05 });
    assert.deepEqual(changes, { new: 100, fixed: 50, moved: 50, existing: 950 });
    assert.equal(run.findings.length, 1050);
    const before = new Map(first.findings.map((f) => [f.key, f.shift]));
    const kept = run.findings.filter((f) => before.has(f.key));
    assert.equal(kept.length, 950);
    assert.equal(kept.filter((f) => f.shift !== before.get(f.key)).length, 50);
    assert.equal(run.findings.filter((f) => !before.has(f.key)).length, 100);
    assert.equal(new Set(run.findings.map((f) => f.key)).size, 1050, 'no key twice');
  });

  test('the same seed gives the same run, another seed another one', () => {
    const share = { new: 0.1, fixed: 0.1, moved: 0.1 };
    assert.deepEqual(nextRun(firstRun(200), share, 7).run, nextRun(firstRun(200), share, 7).run);
    assert.notDeepEqual(nextRun(firstRun(200), share, 7).run, nextRun(firstRun(200), share, 8).run);
  });

  test('more fixed and moved than there are findings is refused', () => {
    assert.throws(() => nextRun(firstRun(10), { new: 0, fixed: 0.6, moved: 0.5 }), /cannot fix 6 and move 5 of 10/);
  });
});

describe('synthetic reports', () => {
  test('SARIF validates against the OASIS SARIF 2.1.0 schema', () => {
    const ajv = new AjvDraft04({ strict: false, validateFormats: false });
    const doc = JSON.parse(reportText('sarif', nextRun(firstRun(50), { new: 0.1, fixed: 0.1, moved: 0.1 }).run));
    assert.equal(ajv.validate(schema('sarif/sarif-schema-2.1.0.json'), doc), true, JSON.stringify(ajv.errors?.slice(0, 3)));
    assert.equal(doc.runs[0].results.length, 50);
  });

  test('the GitLab report validates against GitLab\'s SAST report schema', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const doc = JSON.parse(reportText('gitlab', firstRun(50)));
    assert.equal(ajv.validate(schema('gitlab/sast-report-format.json'), doc), true, JSON.stringify(ajv.errors?.slice(0, 3)));
    assert.equal(doc.vulnerabilities.length, 50);
  });

  test('a report larger than one chunk is still one valid document', () => {
    const chunks = [...reportChunks('trivy', firstRun(500))];
    assert.ok(chunks.length > 1, `${chunks.length} chunk(s)`);
    assert.equal(JSON.parse(chunks.join('')).Results[0].Vulnerabilities.length, 500);
  });

  for (const format of SYNTHETIC_FORMATS) {
    test(`${format}: Vigil's parser reads every finding, each with an identity of its own`, async () => {
      const report = await parse(format);
      assert.equal(report.format, format);
      assert.equal(report.findings.length, 60);
      const coarse = report.findings.map((f) => fingerprintsOf(f).find((p) => p.algorithm === 'coarse')!.hash);
      assert.equal(new Set(coarse).size, 60, 'no two findings share even the coarse fingerprint');
    });

    test(`${format}: a moved finding keeps its strongest fingerprint`, async () => {
      const before = (await parse(format, { findings: [{ key: 7, shift: 0 }], nextKey: 8 })).findings[0]!;
      const after = (await parse(format, { findings: [{ key: 7, shift: 1 }], nextKey: 8 })).findings[0]!;
      assert.notDeepEqual(before.location, after.location, 'the finding moved');
      assert.equal(fingerprintsOf(before)[0]!.hash, fingerprintsOf(after)[0]!.hash);
    });
  }
});
