import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY, MINUTE } from '../../src/platform/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { caller, makeToken, makeUser, signIn, startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.js';

const problem = (kind: string) => `urn:vigil:problem:${kind}`;

describeEachDatabase('sign-in, sessions and API tokens', (use) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(use());
  });
  after(async () => {
    await t.app.close();
  });

  test('signing in sets an HTTP-only session cookie and returns a CSRF token; a wrong password gets 401', async () => {
    await makeUser(t.svc, 'alice');
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'ALICE', password: TEST_PASSWORD } });
    assert.equal(ok.statusCode, 201);
    const cookie = String([ok.headers['set-cookie']].flat()[0]);
    assert.match(cookie, /^vigil_session=[\w-]{43};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    // The session's lifetime (12 hours by default) as Max-Age, so a browser whose clock is off keeps it as long.
    assert.match(cookie, /Max-Age=43200(;|$)/);
    assert.doesNotMatch(cookie, /Expires=/);
    assert.equal(JSON.parse(ok.body).user.username, 'alice');
    assert.equal(JSON.parse(ok.body).csrf_token.length, 43);

    const wrong = await caller(t.app).post('/api/v1/session', { username: 'alice', password: 'not the password' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.type, problem('unauthorized'));
    assert.equal(wrong.body.detail, 'wrong username or password');
    const nobody = await caller(t.app).post('/api/v1/session', { username: 'nobody', password: 'whatever it is' });
    assert.equal(nobody.body.detail, 'wrong username or password', 'unknown users are not distinguishable from wrong passwords');
  });

  test('a session may read freely but must echo its CSRF token to change anything', async () => {
    await makeUser(t.svc, 'carol');
    const session = await signIn(t.app, 'carol');
    assert.equal((await session.get('/api/v1/user')).body.username, 'carol');

    const noCsrf = caller(t.app, { cookie: session.cookie });
    const refused = await noCsrf.post('/api/v1/user/tokens', { name: 'x', scopes: ['read'] });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.type, problem('csrf'));
    const wrongCsrf = await caller(t.app, { cookie: session.cookie, csrf: 'x'.repeat(43) }).post('/api/v1/user/tokens', { name: 'x', scopes: ['read'] });
    assert.equal(wrongCsrf.status, 403);
    assert.equal((await session.get('/api/v1/user/tokens')).body.items.length, 0, 'nothing was created');

    assert.equal((await session.post('/api/v1/user/tokens', { name: 'x', scopes: ['read'] })).status, 201);
  });

  test('signing out ends the session; the same cookie no longer works', async () => {
    await makeUser(t.svc, 'dave');
    const session = await signIn(t.app, 'dave');
    assert.equal((await session.delete('/api/v1/session')).status, 204);
    const after = await session.get('/api/v1/user');
    assert.equal(after.status, 401);
  });

  test('sessions expire after the configured lifetime', async () => {
    await makeUser(t.svc, 'erin');
    const session = await signIn(t.app, 'erin');
    t.clock.advance(11 * 60 * MINUTE);
    assert.equal((await session.get('/api/v1/user')).status, 200);
    t.clock.advance(2 * 60 * MINUTE);
    assert.equal((await session.get('/api/v1/user')).status, 401);
  });

  test('too many failed sign-ins for one user are refused with 429 and Retry-After until the window passes', async () => {
    await makeUser(t.svc, 'frank');
    const anon = caller(t.app);
    for (let i = 0; i < 5; i++) assert.equal((await anon.post('/api/v1/session', { username: 'frank', password: `guess number ${i}` })).status, 401);
    const blocked = await anon.post('/api/v1/session', { username: 'frank', password: TEST_PASSWORD });
    assert.equal(blocked.status, 429);
    assert.equal(blocked.body.type, problem('rate-limited'));
    assert.equal(blocked.headers['retry-after'], String(15 * 60));
    // Another user from the same address is not locked out by frank's failures.
    await makeUser(t.svc, 'grace');
    assert.equal((await anon.post('/api/v1/session', { username: 'grace', password: TEST_PASSWORD })).status, 201);

    t.clock.advance(15 * MINUTE + 1000);
    assert.equal((await anon.post('/api/v1/session', { username: 'frank', password: TEST_PASSWORD })).status, 201);
  });

  test('an API token is shown once, listed without its secret, and works as a Bearer token', async () => {
    await makeUser(t.svc, 'heidi');
    const session = await signIn(t.app, 'heidi');
    const created = await session.post('/api/v1/user/tokens', { name: 'ci', scopes: ['read', 'write'], expires_at: '2026-06-01T00:00:00Z' });
    assert.equal(created.status, 201);
    assert.match(created.body.token, /^vgl_[\w-]{43}$/);
    assert.equal(created.body.prefix, created.body.token.slice(0, 8));
    const listed = await session.get('/api/v1/user/tokens');
    assert.equal(listed.body.items.length, 1);
    assert.equal(listed.body.items[0].token, undefined);
    assert.ok(!JSON.stringify(listed.body).includes(created.body.token.slice(8)));
    assert.deepEqual(listed.body.items[0].scopes, ['read', 'write']);

    const bearer = caller(t.app, { token: created.body.token });
    assert.equal((await bearer.get('/api/v1/user')).body.username, 'heidi');
    assert.equal((await session.get('/api/v1/user/tokens')).body.items[0].last_used_at, t.clock.now().toISOString());
  });

  test('revoked and expired tokens are refused with a 401 that says why', async () => {
    const ivan = await makeUser(t.svc, 'ivan');
    const revokedToken = await makeToken(t.svc, ivan, ['read']);
    const expiring = await makeToken(t.svc, ivan, ['read'], new Date(t.clock.now().getTime() + DAY));
    const session = await signIn(t.app, 'ivan');
    const [first] = (await session.get('/api/v1/user/tokens')).body.items;
    assert.equal((await session.delete(`/api/v1/user/tokens/${first.id}`)).status, 200);
    assert.equal((await session.delete(`/api/v1/user/tokens/${first.id}`)).status, 409, 'revoking twice is a conflict');

    const revoked = await caller(t.app, { token: revokedToken }).get('/api/v1/user');
    assert.equal(revoked.status, 401);
    assert.equal(revoked.body.detail, 'the API token is revoked');

    assert.equal((await caller(t.app, { token: expiring }).get('/api/v1/user')).status, 200);
    t.clock.advance(DAY);
    const expired = await caller(t.app, { token: expiring }).get('/api/v1/user');
    assert.equal(expired.status, 401);
    assert.equal(expired.body.detail, 'the API token is expired');

    const bogus = await caller(t.app, { token: 'vgl_not-a-real-token' }).get('/api/v1/user');
    assert.equal(bogus.body.detail, 'the API token is not valid');
    const malformed = await t.app.inject({ url: '/api/v1/user', headers: { authorization: 'Basic abc' } });
    assert.equal(malformed.statusCode, 401);
  });

  test('token scopes: read cannot write, write cannot administer, and a token cannot mint a wider one', async () => {
    const judy = await makeUser(t.svc, 'judy', { admin: true });
    const read = caller(t.app, { token: await makeToken(t.svc, judy, ['read']) });
    const write = caller(t.app, { token: await makeToken(t.svc, judy, ['write']) });
    assert.equal((await read.get('/api/v1/groups')).status, 200);
    const readWrite = await read.post('/api/v1/user/tokens', { name: 'x', scopes: ['read'] });
    assert.equal(readWrite.status, 403);
    assert.equal(readWrite.body.type, problem('insufficient-scope'));
    assert.equal((await write.get('/api/v1/groups')).status, 200, 'write implies read');
    const adminRoute = await write.get('/api/v1/users');
    assert.equal(adminRoute.status, 403);
    assert.equal(adminRoute.body.type, problem('insufficient-scope'));
    const widen = await write.post('/api/v1/user/tokens', { name: 'x', scopes: ['write', 'admin'] });
    assert.equal(widen.status, 400);
    assert.equal(widen.body.field, 'body/scopes');
  });

  test('only administrators can hold admin-scoped tokens', async () => {
    await makeUser(t.svc, 'ken');
    const session = await signIn(t.app, 'ken');
    const reply = await session.post('/api/v1/user/tokens', { name: 'x', scopes: ['admin'] });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.detail, 'body/scopes: the admin scope is only for instance administrators');
  });

  test('a blocked user is signed out everywhere and their tokens stop working', async () => {
    const admin = await makeUser(t.svc, 'root2', { admin: true });
    const adminApi = caller(t.app, { token: await makeToken(t.svc, admin, ['read', 'write', 'admin']) });
    const leo = await makeUser(t.svc, 'leo');
    const token = await makeToken(t.svc, leo, ['read']);
    const session = await signIn(t.app, 'leo');
    assert.equal((await adminApi.patch('/api/v1/users/leo', { active: false })).body.active, false);
    assert.equal((await session.get('/api/v1/user')).status, 401);
    const viaToken = await caller(t.app, { token }).get('/api/v1/user');
    assert.equal(viaToken.status, 401);
    assert.equal(viaToken.body.detail, 'the API token is user blocked');
    assert.equal((await caller(t.app).post('/api/v1/session', { username: 'leo', password: TEST_PASSWORD })).status, 401);
  });

  test('changing your own password needs the current one and ends other sessions', async () => {
    await makeUser(t.svc, 'mallory');
    const session = await signIn(t.app, 'mallory');
    const other = await signIn(t.app, 'mallory');
    const missing = await session.patch('/api/v1/user', { password: 'a brand new passphrase' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'body/current_password');
    const wrong = await session.patch('/api/v1/user', { password: 'a brand new passphrase', current_password: 'nope nope nope' });
    assert.equal(wrong.body.field, 'body/current_password');
    assert.equal((await session.patch('/api/v1/user', { password: 'a brand new passphrase', current_password: TEST_PASSWORD })).status, 200);
    assert.equal((await other.get('/api/v1/user')).status, 401);
    assert.equal((await caller(t.app).post('/api/v1/session', { username: 'mallory', password: 'a brand new passphrase' })).status, 201);
  });

  test('administrators manage users; weak passwords, taken names and unknown fields are refused and write nothing', async () => {
    const admin = await makeUser(t.svc, 'root3', { admin: true });
    const api = caller(t.app, { token: await makeToken(t.svc, admin, ['read', 'write', 'admin']) });
    const created = await api.post('/api/v1/users', { username: 'nina', password: 'long enough password', email: 'nina@example.com' });
    assert.equal(created.status, 201);
    assert.equal(created.body.password_hash, undefined);
    assert.equal((await api.post('/api/v1/users', { username: 'NINA', password: 'long enough password' })).status, 409);
    const weak = await api.post('/api/v1/users', { username: 'oscar', password: 'short' });
    assert.deepEqual([weak.status, weak.body.field], [400, 'body/password']);
    const bad = await api.post('/api/v1/users', { username: '../oscar', password: 'long enough password' });
    assert.deepEqual([bad.status, bad.body.field], [400, 'body/username']);
    const extra = await api.post('/api/v1/users', { username: 'oscar', password: 'long enough password', role: 'admin' });
    assert.deepEqual([extra.status, extra.body.field], [400, 'body/role']);
    const wrongType = await api.post('/api/v1/users', { username: 'oscar', password: 'long enough password', is_admin: 'yes' });
    assert.deepEqual([wrongType.status, wrongType.body.field], [400, 'body/is_admin']);
    assert.equal((await api.get('/api/v1/users/oscar')).status, 404, 'none of the refused requests created oscar');
  });

  test('the last active administrator cannot be demoted or blocked', async () => {
    const db = use();
    const admins = await db.kysely.selectFrom('users').select('username').where('is_admin', '=', 1).execute();
    const keeper = await makeUser(t.svc, 'keeper', { admin: true });
    const api = caller(t.app, { token: await makeToken(t.svc, keeper, ['read', 'write', 'admin']) });
    for (const { username } of admins) assert.equal((await api.patch(`/api/v1/users/${username}`, { is_admin: false })).status, 200);
    const refused = await api.patch('/api/v1/users/keeper', { is_admin: false });
    assert.equal(refused.status, 409);
    assert.match(refused.body.detail, /last active administrator/);
    assert.equal((await api.patch('/api/v1/users/keeper', { active: false })).status, 409);
    assert.equal((await api.get('/api/v1/user')).body.is_admin, true);
  });
});
