import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { startBackground, BACKGROUND_JOBS } from '../../src/platform/background.js';
import type { JobQueue } from '../../src/platform/jobs/index.js';
import { verifySignature } from '../../src/notify/signing.js';
import { after as afterAll, describe } from 'node:test';
import { openPostgres, type Db } from '../../src/platform/db/connect.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { createMigratedDatabase, createPostgresDatabase, dialects } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type TestApp } from '../support/app.js';
import { freePort } from '../support/net.js';

/**
 * The background jobs as `vigil serve` starts them: an upload's notification reaches a real webhook receiver on
 * loopback through the job queue (embedded on SQLite, pg-boss on PostgreSQL), signed.
 */
/** pg-boss connects by URL, so PostgreSQL gets a database of its own whose URL the app's config carries. */
async function database(dialect: string): Promise<{ db: Db; url: string | null; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const db = await createMigratedDatabase('sqlite');
    return { db, url: null, drop: () => db.close() };
  }
  const { url, drop } = await createPostgresDatabase();
  const db = openPostgres(url, 5);
  await migrateToLatest(db);
  return { db, url, drop: async () => { await db.close(); await drop(); } };
}

for (const dialect of dialects) describe(`background jobs [${dialect}]`, () => {
  let t: TestApp;
  let store: Awaited<ReturnType<typeof database>>;
  let queue: JobQueue | undefined;
  let server: http.Server;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let port: number;

  before(async () => {
    port = await freePort();
    server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (d) => (body += d));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(204);
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    store = await database(dialect);
    t = await startTestApp(store.db, { VIGIL_WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${port}`, ...(store.url && { DATABASE_URL: store.url }) });
  });
  after(async () => {
    await queue?.stop();
    await t.app.close();
    server.close();
  });
  afterAll(async () => {
    await store.drop();
  });

  test('every module job is scheduled; an upload is delivered to a webhook without anyone calling the delivery', async () => {
    assert.deepEqual(BACKGROUND_JOBS.map((j) => j.name), ['notify.deliver', 'sla.scan', 'sla.acceptance-expiry', 'feeds.refresh', 'notify.digest', 'notify.retention', 'stats.daily']);
    const admin = caller(t.app, { token: await makeToken(t.svc, await makeUser(t.svc, 'root', { admin: true }), ['read', 'write', 'admin']) });
    await admin.post('/api/v1/groups', { path: 'acme' });
    const project = (await admin.post('/api/v1/groups/acme/projects', { path: 'api' })).body.id;
    const hook = await admin.post(`/api/v1/projects/${project}/webhooks`, { url: `http://127.0.0.1:${port}/hook`, events: ['scan.completed'] });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const upload = await admin.post(`/api/v1/projects/${project}/scans?ref=main`, {
      vigil_generic_version: '1',
      scanner: { id: 'bg', name: 'bg' },
      report_type: 'sast',
      findings: [{ title: 'x', severity: 'high', identifiers: [{ type: 'rule', value: 'r' }], location: { file: 'a.py', start_line: 1 } }],
    });
    assert.equal(upload.status, 201);

    queue = await startBackground(t.svc);
    for (let i = 0; i < 150 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(received.length, 1, 'the webhook was called once');
    const [request] = received;
    assert.equal(request!.headers['x-vigil-event'], 'scan.completed');
    assert.equal(JSON.parse(request!.body).summary.new, 1);
    const headers = { signature: String(request!.headers['x-vigil-signature']), timestamp: String(request!.headers['x-vigil-timestamp']) };
    assert.ok(verifySignature(hook.body.secret, headers, request!.body, new Date(Number(headers.timestamp) * 1000)));
    assert.equal(verifySignature('whsec_other', headers, request!.body, new Date(Number(headers.timestamp) * 1000)), false);
  });
});
