import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseEpssMeta, readEpssCsv } from '../../src/risk/feeds/epss-csv.js';
import { FeedError, tooManySkipped } from '../../src/risk/feeds/feed-error.js';
import { readKevCatalog } from '../../src/risk/feeds/kev-catalog.js';
import { linesOf, sourceLabel } from '../../src/risk/feeds/source.js';

async function* bytes(...parts: string[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.from(p);
}

const lines = async (...parts: string[]) => {
  const out: { number: number; text: string; complete: boolean }[] = [];
  for await (const batch of linesOf(bytes(...parts))) out.push(...batch);
  return out;
};

describe('feed lines', () => {
  test('LF and CRLF lines across chunk borders, numbered from 1; a last line without a break is marked', async () => {
    assert.deepEqual(await lines('a,b\r', '\nc', ',d\nlast'), [
      { number: 1, text: 'a,b', complete: true },
      { number: 2, text: 'c,d', complete: true },
      { number: 3, text: 'last', complete: false },
    ]);
  });

  test('a multi-byte character split between chunks survives', async () => {
    const euro = Buffer.from('€\n');
    async function* split() {
      yield euro.subarray(0, 1);
      yield euro.subarray(1);
    }
    const out = [];
    for await (const batch of linesOf(split())) out.push(...batch.map((l) => l.text));
    assert.deepEqual(out, ['€']);
  });

  test('URLs are recorded without their credentials', () => {
    assert.equal(sourceLabel('https://user:pw@mirror.example/epss.csv.gz'), 'https://mirror.example/epss.csv.gz');
    assert.equal(sourceLabel('/data/epss.csv'), '/data/epss.csv');
  });
});

describe('EPSS CSV', () => {
  test('both score_date spellings FIRST has used parse to the same instant form', () => {
    assert.deepEqual(parseEpssMeta('#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000'), { modelVersion: 'v2023.03.01', scoreDate: '2025-02-20T00:00:00.000Z' });
    assert.deepEqual(parseEpssMeta('#model_version:v2026.06.15,score_date:2026-09-29T12:00:22Z'), { modelVersion: 'v2026.06.15', scoreDate: '2026-09-29T12:00:22.000Z' });
    assert.throws(() => parseEpssMeta('#score_date:2026-09-29T12:00:22Z'), /line 1: no usable model_version/);
    assert.throws(() => parseEpssMeta('#model_version:v1,score_date:yesterday'), /line 1: no usable score_date/);
  });

  test('numbers are read as numbers whatever their padding; the header may differ in case and spacing', async () => {
    const snapshot = await readEpssCsv(linesOf(bytes('#model_version:v1,score_date:2026-01-01T00:00:00Z\n', ' CVE,EPSS,Percentile \n', 'CVE-2024-1234,0.97231,0.99821\n', 'CVE-2024-99999,0.10000,1.0\n', 'CVE-2024-5,1,0\n')));
    assert.deepEqual(snapshot.cves, ['CVE-2024-1234', 'CVE-2024-99999']);
    assert.deepEqual([...snapshot.epss], [0.97231, 0.1]);
    assert.deepEqual([...snapshot.percentiles], [0.99821, 1]);
    assert.deepEqual(snapshot.skipped, [{ where: 'line 5', reason: '"CVE-2024-5" is not a CVE id' }]);
  });

  test('a file cut off in the middle of a row loses that row, with the reason', async () => {
    const snapshot = await readEpssCsv(linesOf(bytes('#model_version:v1,score_date:2026-01-01T00:00:00Z\ncve,epss,percentile\nCVE-2024-0001,0.1,0.2\nCVE-2024-0002,0.1')));
    assert.equal(snapshot.cves.length, 1);
    assert.deepEqual(snapshot.skipped, [{ where: 'line 4', reason: 'the file ends in the middle of this line (no line break): it may have been cut off' }]);
  });

  test('a file of headers only is refused', async () => {
    await assert.rejects(readEpssCsv(linesOf(bytes('#model_version:v1,score_date:2026-01-01T00:00:00Z\ncve,epss,percentile\n'))), (e: unknown) => e instanceof FeedError && /no usable rows/.test(e.message));
  });

  test('a damaged file is partly imported; a wrong one is refused (more than 1%, at least 10, bad)', () => {
    assert.equal(tooManySkipped(10, 0), false);
    assert.equal(tooManySkipped(11, 0), true);
    assert.equal(tooManySkipped(3000, 297_000), false);
    assert.equal(tooManySkipped(3001, 297_000), true);
  });
});

describe('KEV catalog', () => {
  const entry = (over: Record<string, unknown> = {}) => ({
    cveID: 'CVE-2021-44228',
    vendorProject: 'Apache',
    product: 'Log4j2',
    vulnerabilityName: 'Apache Log4j2 Remote Code Execution Vulnerability',
    dateAdded: '2021-12-10',
    shortDescription: 'JNDI features …',
    requiredAction: 'Apply updates.',
    dueDate: '2021-12-24',
    knownRansomwareCampaignUse: 'Known',
    notes: '',
    cwes: ['CWE-20', 'CWE-400', 'CWE-502'],
    ...over,
  });
  const doc = (vulnerabilities: unknown[]) => ({ catalogVersion: '2025.08.25', dateReleased: '2025-08-25T17:04:19.9796Z', count: vulnerabilities.length, vulnerabilities });

  test('an entry keeps every field; ransomware use other than "Known" counts as unknown', () => {
    const catalog = readKevCatalog(doc([entry(), entry({ cveID: 'CVE-2014-100005', knownRansomwareCampaignUse: 'Suspected', cwes: undefined })]));
    assert.equal(catalog.dateReleased, '2025-08-25T17:04:19.979Z');
    assert.deepEqual(catalog.entries.map((e) => [e.cve, e.knownRansomware, e.cwes]), [
      ['CVE-2021-44228', true, ['CWE-20', 'CWE-400', 'CWE-502']],
      ['CVE-2014-100005', false, []],
    ]);
  });

  test('bad entries are named by their JSON pointer', () => {
    const catalog = readKevCatalog(doc([entry(), entry({ cveID: 'CVE-21-1' }), entry({ cveID: 'CVE-2020-0001', product: 7 }), entry({ cveID: 'CVE-2020-0002', cwes: ['79'] }), entry()]));
    assert.deepEqual(catalog.skipped, [
      { where: '/vulnerabilities/1', reason: 'cveID "CVE-21-1" is not a CVE id' },
      { where: '/vulnerabilities/2', reason: 'CVE-2020-0001: product is missing or not a string' },
      { where: '/vulnerabilities/3', reason: 'CVE-2020-0002: cwes must be a list of CWE-<number> ids' },
      { where: '/vulnerabilities/4', reason: 'CVE-2021-44228 already appeared at /vulnerabilities/0' },
    ]);
  });

  test('a document that is not a catalog is refused with the pointer of what is missing', () => {
    assert.throws(() => readKevCatalog([]), /: expected a JSON object/);
    assert.throws(() => readKevCatalog({ dateReleased: '2025-08-25T00:00:00Z', vulnerabilities: [] }), /\/catalogVersion: is required/);
    assert.throws(() => readKevCatalog({ catalogVersion: '1', dateReleased: 'soon', vulnerabilities: [] }), /\/dateReleased: is required/);
    assert.throws(() => readKevCatalog({ catalogVersion: '1', dateReleased: '2025-08-25T00:00:00Z', vulnerabilities: [] }), /\/vulnerabilities: has no usable entries/);
  });
});
