import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type TestApp } from '../support/app.js';

describeEachDatabase('HTTP platform: health, metrics, OpenAPI, errors, headers, web app', (use) => {
  let t: TestApp;
  let adminToken: string;
  before(async () => {
    t = await startTestApp(use(), { VIGIL_METRICS_TOKEN: 'prometheus-scrape-secret', VIGIL_BODY_LIMIT_BYTES: '4096' });
    adminToken = await makeToken(t.svc, await makeUser(t.svc, 'root', { admin: true }), ['read', 'write', 'admin']);
  });
  after(async () => {
    await t.app.close();
  });

  test('/healthz answers with the database in use', async () => {
    const reply = await caller(t.app).get('/healthz');
    assert.deepEqual([reply.status, reply.body], [200, { status: 'ok', database: use().dialect }]);
  });

  test('/metrics is Prometheus text for administrators or the metrics token, and 401 for anyone else', async () => {
    await caller(t.app).get('/healthz');
    assert.equal((await caller(t.app).get('/metrics')).status, 401);
    const viaSecret = await caller(t.app, { token: 'prometheus-scrape-secret' }).get('/metrics');
    assert.equal(viaSecret.status, 200);
    assert.match(String(viaSecret.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(viaSecret.body, /vigil_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    assert.match(viaSecret.body, /vigil_process_resident_memory_bytes \d+/);
    assert.equal((await caller(t.app, { token: adminToken }).get('/metrics')).status, 200);
    const member = await makeToken(t.svc, await makeUser(t.svc, 'plain'), ['read']);
    assert.equal((await caller(t.app, { token: member }).get('/metrics')).status, 403);
  });

  test('the OpenAPI document describes every API route with its schemas', async () => {
    const doc = (await caller(t.app).get('/api/v1/openapi.json')).body;
    assert.equal(doc.openapi, '3.1.0');
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const apiRoutes = t.app.routeRules.filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/openapi.json').map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(documented.sort(), apiRoutes.sort());
    const create = doc.paths['/api/v1/groups/{group}/projects'].post;
    assert.equal(create.requestBody.content['application/json'].schema.additionalProperties, false);
    assert.deepEqual(create.requestBody.content['application/json'].schema.required, ['path']);
  });

  test('unknown routes and methods are problem+json 404s', async () => {
    const reply = await caller(t.app, { token: adminToken }).get('/api/v1/nope');
    assert.equal(reply.status, 404);
    assert.equal(reply.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.deepEqual(Object.keys(reply.body).sort(), ['detail', 'instance', 'status', 'title', 'type']);
    assert.equal(reply.body.type, 'urn:vigil:problem:not-found');
  });

  test('an over-limit body is 413, a non-JSON body is 415, and neither writes anything', async () => {
    const api = caller(t.app, { token: adminToken });
    const huge = await api.post('/api/v1/groups', { path: 'big', description: 'x'.repeat(5000) });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.type, 'urn:vigil:problem:payload-too-large');
    assert.match(huge.body.detail, /limit of 4096 bytes/);
    const xml = await t.app.inject({
      method: 'POST',
      url: '/api/v1/groups',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/xml' },
      payload: '<group path="x"/>',
    });
    assert.equal(xml.statusCode, 415);
    const truncated = await t.app.inject({
      method: 'POST',
      url: '/api/v1/groups',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      payload: '{"path": "trunc',
    });
    assert.deepEqual([truncated.statusCode, JSON.parse(truncated.body).field], [400, 'body']);
    assert.deepEqual((await api.get('/api/v1/groups')).body.items, []);
  });

  test('responses carry security headers and a request id', async () => {
    const reply = await caller(t.app).get('/healthz');
    assert.equal(reply.headers['x-content-type-options'], 'nosniff');
    assert.equal(reply.headers['x-frame-options'], 'SAMEORIGIN');
    assert.match(String(reply.headers['content-security-policy']), /default-src 'self'/);
    assert.match(String(reply.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.doesNotMatch(String(reply.headers['content-security-policy']), /upgrade-insecure-requests/);
    assert.match(String(reply.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  test('the web app is served at / and client-side routes fall back to it; API paths never do', async () => {
    const home = await caller(t.app).get('/');
    assert.equal(home.status, 200);
    assert.match(String(home.headers['content-type']), /^text\/html/);
    assert.match(home.body, /Vigil/);
    const deep = await caller(t.app).get('/groups/acme/vulnerabilities');
    assert.equal(deep.body, home.body);
    const traversal = await caller(t.app).get('/..%2f..%2fpackage.json');
    assert.equal(traversal.body, home.body, 'paths outside the web folder are never read');
    assert.equal((await caller(t.app, { token: adminToken }).get('/api/v1/unknown/thing')).status, 404);
  });
});
