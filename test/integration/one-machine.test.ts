import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { openSqlite } from '../../src/platform/db/connect.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { makeToken, makeUser } from '../support/app.js';
import { cliEnvironment, runVigil, startServer, type RunningServer } from '../support/cli.js';
import { reportFile } from '../support/fixtures.js';

/**
 * One machine on SQLite: `vigil serve` runs the queue in-process, so a large upload is a 202 and a job like on
 * PostgreSQL; `vigil backup` copies the database while that server writes, and the copy is consistent.
 */

/** A SARIF report of `n` findings whose files start with `root`. */
function sarif(n: number, root: string): string {
  const results = Array.from({ length: n }, (_, i) => ({ ruleId: 'r', level: 'warning', message: { text: `f${i}` }, locations: [{ physicalLocation: { artifactLocation: { uri: `${root}/f${i}.js` }, region: { startLine: 1 } } }] }));
  return JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'OneScan', rules: [{ id: 'r' }] } }, results }] });
}

describe('one machine on SQLite: in-process jobs and online backups', () => {
  let environment: Awaited<ReturnType<typeof cliEnvironment>>;
  let server: RunningServer;
  let token = '';

  const post = (url: string, body: string) =>
    fetch(`${server.url}${url}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const get = (url: string) => fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => (await r.json()) as any);

  before(async () => {
    environment = await cliEnvironment('sqlite');
    const config = loadConfig({ ...environment.env });
    const db = openSqlite(path.join(environment.dataDir, 'vigil.db'));
    await migrateToLatest(db);
    const svc = { db, clock: systemClock, config, log: pino({ level: 'silent' }) };
    token = await makeToken(svc, await makeUser(svc, 'admin', { admin: true }), ['read', 'write', 'admin']);
    await db.close();
    server = await startServer({ ...environment.env, VIGIL_ASYNC_INGEST_BYTES: '20000', VIGIL_JOB_POLL_MS: '50' });
    assert.equal((await post('/api/v1/groups', JSON.stringify({ path: 'solo' }))).status, 201);
    assert.equal((await post('/api/v1/groups/solo/projects', JSON.stringify({ path: 'app' }))).status, 201);
  });

  after(async () => {
    await server.stop();
    await environment.cleanup();
  });

  test('a large upload is queued and ingested in-process; a small one is answered at once', async () => {
    const large = await post('/api/v1/projects/solo%2Fapp/scans?ref=main', sarif(500, 'big'));
    assert.equal(large.status, 202, JSON.stringify(large.body));
    let job = large.body.job;
    for (let i = 0; i < 200 && (job.state === 'queued' || job.state === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = await get(`/api/v1/jobs/${job.id}`);
    }
    assert.equal(job.state, 'succeeded', JSON.stringify(job));
    assert.equal(job.result.summary.new, 500);
    assert.equal(job.result.scan.finding_count, 500);
    const small = await post('/api/v1/projects/solo%2Fapp/scans?ref=main', sarif(3, 'small'));
    assert.equal(small.status, 201);
    assert.equal(small.body.summary.new, 3);
  });

  test('vigil fix-plan prints the upgrade plan as lines, Markdown or JSON', async () => {
    assert.equal((await post('/api/v1/groups/solo/projects', JSON.stringify({ path: 'image' }))).status, 201);
    assert.equal((await post('/api/v1/projects/solo%2Fimage/scans?ref=main', reportFile('trivy/scheme_2_many_vulns.json').toString())).status, 201);
    const cli = { ...environment.env, VIGIL_URL: server.url, VIGIL_TOKEN: token };
    const text = runVigil(cli, ['fix-plan', '--project', 'solo/image']);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(
      text.stdout,
      [
        'upgrade libbz2 1.0.6-r6 → 1.0.6-r7 in teamdojo:latest fixes 1 vulnerability, 1 critical',
        'upgrade krb5-libs 1.15.5-r0 → 1.15.5-r1 in teamdojo:latest fixes 1 vulnerability, 1 high',
        'upgrade org.apache.commons:commons-compress 1.14 → 1.18 in teamdojo:latest fixes 2 vulnerabilities',
        'upgrade freetype 2.9.1-r2 → 2.9.1-r3 in teamdojo:latest fixes 1 vulnerability',
        '',
      ].join('\n'),
    );
    const markdown = runVigil(cli, ['fix-plan', '--project', 'solo/image', '--format', 'markdown']);
    assert.match(markdown.stdout, /^## Security upgrades for solo\/image\n\n4 upgrades fix 5 vulnerabilities\./);
    const json = JSON.parse(runVigil(cli, ['fix-plan', '--project', 'solo/image', '--format', 'json']).stdout);
    assert.equal(json.images[0].image, 'teamdojo:latest');
    assert.equal(runVigil(cli, ['fix-plan', '--project', 'solo/nowhere']).code, 5);
  });

  test('vigil backup copies the database while the server writes; the copy is consistent and the target is never half-written', async () => {
    const target = path.join(environment.dataDir, 'backup.db');
    // Uploads keep the server writing during the backup.
    const writing = Promise.all(Array.from({ length: 6 }, (_, i) => post('/api/v1/projects/solo%2Fapp/scans?ref=main&async=false', sarif(300, `w${i}`))));
    const run = runVigil(environment.env, ['backup', '--to', target]);
    await writing;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^backed up .*vigil\.db to .*backup\.db \(\d+ pages, \d+ bytes\)\n$/);
    assert.equal(fs.existsSync(`${target}.partial`), false);
    const copy = new SQLite(target, { readonly: true });
    try {
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      // Every scan in the copy comes with exactly the vulnerabilities it added: no transaction was cut in half.
      const scans = copy.prepare('SELECT summary_json FROM scans').all() as { summary_json: string }[];
      const added = scans.reduce((n, s) => n + (JSON.parse(s.summary_json) as { new: number }).new, 0);
      const vulnerabilities = (copy.prepare('SELECT count(*) AS n FROM vulnerabilities').get() as { n: number }).n;
      assert.equal(vulnerabilities, added);
      assert.ok(scans.length >= 2, `the copy holds the scans made before it started (${scans.length})`);
    } finally {
      copy.close();
    }
    const again = runVigil(environment.env, ['backup', '--to', target]);
    assert.equal(again.code, 4, 'an existing file is never overwritten');
    assert.match(again.stderr, /already exists/);
    const postgres = runVigil({ ...environment.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, ['backup', '--to', `${target}.2`]);
    assert.equal(postgres.code, 3);
    assert.match(postgres.stderr, /pg_dump/);
  });
});
