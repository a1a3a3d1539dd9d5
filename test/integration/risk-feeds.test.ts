import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { FeedError } from '../../src/risk/feeds/feed-error.js';
import { importEpss } from '../../src/risk/feeds/import-epss.js';
import { importKev } from '../../src/risk/feeds/import-kev.js';
import { currentImport } from '../../src/risk/feeds/imports.js';
import { describeEachDatabase } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type TestApp } from '../support/app.js';
import { EPSS_EXCERPT, EPSS_VUNNEL, KEV_JSON } from '../support/fixtures.js';
import { freePort } from '../support/net.js';

const EXCERPT = fs.readFileSync(EPSS_EXCERPT, 'utf8');
const KEV = JSON.parse(fs.readFileSync(KEV_JSON, 'utf8'));
const options = { actor: 'test' };

/** The excerpt as if published on another day (and model), with some rows rewritten. */
function epssVariant(scoreDate: string, edit: (rows: string[]) => string[] = (r) => r, model = 'v2026.06.15'): string {
  const [, header, ...rows] = EXCERPT.trimEnd().split('\n');
  return [`#model_version:${model},score_date:${scoreDate}`, header, ...edit(rows)].join('\n') + '\n';
}

describeEachDatabase('EPSS and KEV feeds', (use) => {
  let t: TestApp;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-feeds-'));
  const file = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };
  const count = async (table: 'epss_scores' | 'epss_history' | 'kev_entries', where = sql`1 = 1`) =>
    Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(use().kysely)).rows[0]!.n);
  const epssOf = async (cve: string) => (await use().kysely.selectFrom('epss_scores').selectAll().where('cve', '=', cve).executeTakeFirst()) ?? null;
  const rejects = async (work: Promise<unknown>, message: RegExp) => {
    await assert.rejects(work, (error: unknown) => {
      assert.ok(error instanceof FeedError, String(error));
      assert.match(error.message, message);
      return true;
    });
  };

  before(async () => {
    t = await startTestApp(use());
  });
  after(async () => {
    await t.app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the EPSS excerpt imports its 5,808 rows with model and score date; the same file again changes nothing', async () => {
    const first = await importEpss(t.svc, EPSS_EXCERPT, options);
    assert.equal(first.status, 'complete');
    assert.equal(first.rows, 5808);
    assert.equal(first.skippedCount, 0);
    assert.equal(first.modelVersion, 'v2026.06.15');
    assert.equal(first.publishedAt, '2026-09-29T12:00:22.000Z');
    assert.deepEqual(first.counts, { updated: 5808, history: 5808, removed: 0, rescored: 0 });
    assert.equal(await count('epss_scores'), 5808);
    assert.deepEqual(await epssOf('CVE-2021-44228'), { cve: 'CVE-2021-44228', epss: 0.99999, percentile: 1 });
    assert.deepEqual(await epssOf('CVE-2021-38647'), { cve: 'CVE-2021-38647', epss: 0.99933, percentile: 0.9997 });

    const again = await importEpss(t.svc, EPSS_EXCERPT, options);
    assert.equal(again.status, 'unchanged');
    assert.equal(await count('epss_history'), 5808);
  });

  test('an older file (the vunnel example, +0000 dates, zero-padded numbers) is refused; the snapshot in use stays', async () => {
    await rejects(importEpss(t.svc, EPSS_VUNNEL, options), /^line 1: score_date 2025-02-20T00:00:00.000Z is older than the snapshot in use/);
    assert.equal((await currentImport(use().kysely, 'epss'))!.publishedAt, '2026-09-29T12:00:22.000Z');
    assert.equal(await count('epss_scores'), 5808);
    const rejected = await use().kysely.selectFrom('feed_imports').selectAll().where('status', '=', 'rejected').execute();
    assert.equal(rejected.length, 1);
    assert.match(rejected[0]!.error!, /older than the snapshot in use/);
  });

  test('a newer day keeps history only where the probability moved, and drops CVEs the new file no longer scores', async () => {
    const next = epssVariant('2026-10-06T12:00:00Z', (rows) =>
      rows
        .filter((r) => !r.startsWith('CVE-1999-0001,'))
        .map((r) => (r.startsWith('CVE-2021-38647,') ? 'CVE-2021-38647,0.5,0.97' : r.startsWith('CVE-1999-0002,') ? r.replace(/,[^,]+$/, ',0.12345') : r)),
    );
    const result = await importEpss(t.svc, file('next.csv', next), options);
    assert.equal(result.status, 'complete');
    assert.equal(result.rows, 5807);
    // CVE-1999-0002 changed only its percentile: the current row follows, history does not.
    assert.deepEqual(result.counts, { updated: 2, history: 1, removed: 1, rescored: 0 });
    assert.equal(await epssOf('CVE-1999-0001'), null);
    assert.equal((await epssOf('CVE-1999-0002'))!.percentile, 0.12345);
    const history = await use().kysely.selectFrom('epss_history').select(['score_date', 'epss']).where('cve', '=', 'CVE-2021-38647').orderBy('score_date').execute();
    assert.deepEqual(history, [
      { score_date: '2026-09-29', epss: 0.99933 },
      { score_date: '2026-10-06', epss: 0.5 },
    ]);
  });

  test('a different EPSS model is refused unless the switch is allowed', async () => {
    const other = file('model.csv', epssVariant('2026-10-07T00:00:00Z', (r) => r, 'v2027.01.01'));
    await rejects(importEpss(t.svc, other, options), /^line 1: model_version v2027.01.01 differs from the snapshot in use \(v2026.06.15\)/);
    const switched = await importEpss(t.svc, other, { ...options, allowModelChange: true });
    assert.equal(switched.status, 'complete');
    assert.equal(switched.modelVersion, 'v2027.01.01');
  });

  test('bad rows are skipped and listed by line; too many bad rows refuse the file and leave the data in use', async () => {
    const few = epssVariant('2026-10-08T00:00:00Z', (rows) => [...rows.slice(0, 3), 'CVE-2021-44228,1.5,0.9', 'not-a-cve,0.1,0.2', 'CVE-2021-44228,0.5,0.9', 'CVE-2020-0001,0.1', ...rows.slice(3)], 'v2027.01.01');
    const partial = await importEpss(t.svc, file('few.csv', few), options);
    assert.equal(partial.status, 'complete');
    assert.equal(partial.rows, 5808);
    assert.equal(partial.skippedCount, 4);
    assert.deepEqual(partial.skipped.slice(0, 3), [
      { where: 'line 6', reason: 'epss "1.5" is not a probability between 0 and 1' },
      { where: 'line 7', reason: '"not-a-cve" is not a CVE id' },
      { where: 'line 9', reason: 'expected 3 fields (cve,epss,percentile), found 2' },
    ]);
    // The first valid CVE-2021-44228 row wins; the file's own one, further down, is the duplicate.
    assert.match(partial.skipped[3]!.reason, /^CVE-2021-44228 already appeared on line 8$/);
    assert.equal((await epssOf('CVE-2021-44228'))!.epss, 0.5);

    const before = await count('epss_scores');
    const many = epssVariant('2026-10-09T00:00:00Z', (rows) => rows.map((r, i) => (i % 10 === 0 ? r.replace(',', ';') : r)), 'v2027.01.01');
    await rejects(importEpss(t.svc, file('many.csv', many), options), /^file: 581 of 5808 rows are unusable \(first: line 3: expected 3 fields/);
    assert.equal(await count('epss_scores'), before);
    assert.equal((await currentImport(use().kysely, 'epss'))!.publishedAt, '2026-10-08T00:00:00.000Z');
  });

  test('wrong files are refused with where and why', async () => {
    await rejects(importEpss(t.svc, file('kev-as-epss.json', JSON.stringify(KEV)), options), /^line 1: expected the "#model_version:…,score_date:…" line/);
    await rejects(importEpss(t.svc, file('header.csv', '#model_version:v1,score_date:2030-01-01T00:00:00Z\ncve,probability\n'), options), /^line 2: expected the header "cve,epss,percentile", found "cve,probability"/);
    await rejects(importEpss(t.svc, file('empty.csv', ''), options), /^line 1: the file is empty/);
    await rejects(importEpss(t.svc, path.join(dir, 'missing.csv'), options), /missing.csv: no such file/);
    await rejects(importEpss(t.svc, file('binary.csv', Buffer.from([0x23, 0xff, 0xfe, 0x0a])), options), /not UTF-8/);
  });

  test('a gzipped file imports; a cut-off gzip is refused before anything is written', async () => {
    const next = epssVariant('2026-10-10T00:00:00Z', (r) => r, 'v2027.01.01');
    const gz = gzipSync(next);
    await rejects(importEpss(t.svc, file('cut.csv.gz', gz.subarray(0, gz.length - 100)), options), /not a valid gzip file/);
    assert.equal((await currentImport(use().kysely, 'epss'))!.publishedAt, '2026-10-08T00:00:00.000Z');
    const ok = await importEpss(t.svc, file('ok.csv.gz', gz), options);
    assert.equal(ok.status, 'complete');
    assert.equal(ok.rows, 5808);
  });

  test('the KEV catalog imports 1,404 entries, 293 with known ransomware use, due dates kept as published', async () => {
    const result = await importKev(t.svc, KEV_JSON, options);
    assert.equal(result.status, 'complete');
    assert.equal(result.rows, 1404);
    assert.equal(result.catalogVersion, '2025.08.25');
    assert.deepEqual(result.counts, { added: 1404, changed: 0, removed: 0, rescored: 0 });
    assert.equal(await count('kev_entries'), 1404);
    assert.equal(await count('kev_entries', sql`known_ransomware = 1`), 293);
    // 15 entries of the first catalog were due before they were added: data, not an error.
    assert.equal(await count('kev_entries', sql`due_date < date_added`), 15);
    const log4shell = await use().kysely.selectFrom('kev_entries').selectAll().where('cve', '=', 'CVE-2021-44228').executeTakeFirstOrThrow();
    assert.equal(log4shell.known_ransomware, 1);
    assert.equal(log4shell.vendor_project, 'Apache');
    assert.equal((await importKev(t.svc, KEV_JSON, options)).status, 'unchanged');
  });

  test('a newer KEV catalog marks dropped entries removed, adds new ones, and a bad entry is skipped and listed', async () => {
    const next = structuredClone(KEV);
    next.dateReleased = '2025-08-26T10:00:00.000Z';
    next.catalogVersion = '2025.08.26';
    next.vulnerabilities = next.vulnerabilities.filter((v: { cveID: string }) => v.cveID !== 'CVE-2020-29583');
    next.vulnerabilities[0].shortDescription = 'changed';
    next.vulnerabilities.push({ ...next.vulnerabilities[1], cveID: 'CVE-2099-0001' }, { ...next.vulnerabilities[1], cveID: 'CVE-2099-0002', dueDate: '26/08/2025' });
    next.count = next.vulnerabilities.length;
    const result = await importKev(t.svc, file('kev-next.json', JSON.stringify(next)), options);
    assert.deepEqual(result.counts, { added: 1, changed: 1, removed: 1, rescored: 0 });
    assert.equal(result.skippedCount, 1);
    assert.deepEqual(result.skipped, [{ where: '/vulnerabilities/1404', reason: 'CVE-2099-0002: dueDate "26/08/2025" is not a YYYY-MM-DD date' }]);
    const removed = await use().kysely.selectFrom('kev_entries').select('removed_at').where('cve', '=', 'CVE-2020-29583').executeTakeFirstOrThrow();
    assert.ok(removed.removed_at);
  });

  test('a KEV file whose count disagrees with its list, or that is not JSON, is refused', async () => {
    const short = { ...KEV, dateReleased: '2025-09-01T00:00:00Z', vulnerabilities: KEV.vulnerabilities.slice(0, 10) };
    await rejects(importKev(t.svc, file('short.json', JSON.stringify(short)), options), /^\/count: says 1404 but the catalog lists 10 entries: the file is incomplete/);
    await rejects(importKev(t.svc, file('cut.json', JSON.stringify(KEV).slice(0, 5000)), options), /is not valid JSON/);
    assert.equal(await count('kev_entries', sql`removed_at is null`), 1404);
  });

  test('feeds import from a URL over HTTP (admin API); HTTP errors are reported; others may only read the status', async () => {
    const port = await freePort();
    let authorization: string | undefined;
    const server = http.createServer((request, response) => {
      authorization = request.headers.authorization;
      if (request.url === '/epss.csv.gz') {
        response.writeHead(200, { 'content-type': 'application/gzip' });
        response.end(gzipSync(epssVariant('2026-10-11T00:00:00Z', (r) => r, 'v2027.01.01')));
      } else {
        response.writeHead(404);
        response.end('no');
      }
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const admin = caller(t.app, { token: await makeToken(t.svc, await makeUser(t.svc, 'feeds-admin', { admin: true }), ['read', 'write', 'admin']) });
      const imported = await admin.post('/api/v1/risk/feeds/epss/imports', { url: `http://127.0.0.1:${port}/epss.csv.gz` });
      assert.equal(imported.status, 201, JSON.stringify(imported.body));
      assert.equal(imported.body.rows, 5808);
      assert.equal(imported.body.published_at, '2026-10-11T00:00:00.000Z');
      const missing = await admin.post('/api/v1/risk/feeds/kev/imports', { url: `http://user:secret@127.0.0.1:${port}/kev.json` });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.detail, `http://127.0.0.1:${port}/kev.json: download failed: HTTP 404 Not Found`);
      assert.equal(authorization, `Basic ${Buffer.from('user:secret').toString('base64')}`);

      const reader = caller(t.app, { token: await makeToken(t.svc, await makeUser(t.svc, 'feeds-reader'), ['read']) });
      const status = await reader.get('/api/v1/risk/feeds');
      assert.equal(status.status, 200);
      const [epss, kev] = status.body.items;
      assert.equal(epss.current.published_at, '2026-10-11T00:00:00.000Z');
      assert.equal(kev.current.catalog_version, '2025.08.26');
      assert.equal(kev.last_attempt.status, 'rejected');
      assert.match(kev.last_attempt.error, /download failed: HTTP 404/);
      assert.doesNotMatch(JSON.stringify(status.body), /secret/);
      t.clock.set('2026-10-12T00:00:00Z');
      const later = (await reader.get('/api/v1/risk/feeds')).body.items;
      assert.deepEqual([later[0].age_hours, later[0].stale], [24, false]);
      assert.equal(later[1].stale, true);
    } finally {
      server.close();
    }
  });
});
