import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type Caller, type TestApp } from '../support/app.js';

const enc = encodeURIComponent;

describeEachDatabase('groups, projects, members and the audit log', (use) => {
  let t: TestApp;
  let admin: Caller;

  async function userApi(username: string): Promise<Caller> {
    const user = await makeUser(t.svc, username);
    return caller(t.app, { token: await makeToken(t.svc, user, ['read', 'write']) });
  }

  async function counts() {
    const db = use().kysely;
    const n = async (table: 'namespaces' | 'projects' | 'group_members' | 'project_members' | 'path_claims' | 'audit_events') =>
      Number((await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    return {
      groups: await n('namespaces'),
      projects: await n('projects'),
      members: (await n('group_members')) + (await n('project_members')),
      claims: await n('path_claims'),
      audit: await n('audit_events'),
    };
  }

  before(async () => {
    t = await startTestApp(use());
    const root = await makeUser(t.svc, 'root', { admin: true });
    admin = caller(t.app, { token: await makeToken(t.svc, root, ['read', 'write', 'admin']) });
  });
  after(async () => {
    await t.app.close();
  });

  test('nested groups and projects are addressable by id and by URL-encoded full path', async () => {
    const acme = await admin.post('/api/v1/groups', { path: 'acme', name: 'ACME Corp' });
    assert.equal(acme.status, 201);
    const platform = await admin.post('/api/v1/groups/acme/subgroups', { path: 'platform' });
    assert.deepEqual([platform.status, platform.body.full_path, platform.body.parent_id], [201, 'acme/platform', acme.body.id]);
    const project = await admin.post(`/api/v1/groups/${enc('acme/platform')}/projects`, { path: 'api', default_branch: 'develop' });
    assert.deepEqual([project.status, project.body.full_path, project.body.default_branch], [201, 'acme/platform/api', 'develop']);

    assert.equal((await admin.get(`/api/v1/projects/${project.body.id}`)).body.full_path, 'acme/platform/api');
    assert.equal((await admin.get(`/api/v1/projects/${enc('ACME/Platform/API')}`)).body.id, project.body.id, 'paths are case-insensitive');
    assert.equal((await admin.get(`/api/v1/groups/${platform.body.id}`)).body.full_path, 'acme/platform');
    assert.equal((await admin.get('/api/v1/groups/acme/subgroups')).body.items.length, 1);
    assert.deepEqual(
      (await admin.get('/api/v1/groups/acme/projects?include_subgroups=true')).body.items.map((p: { full_path: string }) => p.full_path),
      ['acme/platform/api'],
    );
    assert.equal((await admin.get('/api/v1/groups/acme/projects')).body.items.length, 0, 'without include_subgroups only direct projects');
  });

  test('duplicate paths — including a group and a project on the same path, in any case — are 409 and write nothing', async () => {
    await admin.post('/api/v1/groups', { path: 'dup' });
    await admin.post('/api/v1/groups/dup/projects', { path: 'thing' });
    const before = await counts();
    const again = await admin.post('/api/v1/groups', { path: 'DUP' });
    assert.deepEqual([again.status, again.body.type, again.body.field], [409, 'urn:vigil:problem:conflict', 'body/path']);
    const groupOverProject = await admin.post('/api/v1/groups/dup/subgroups', { path: 'Thing' });
    assert.equal(groupOverProject.status, 409);
    assert.match(groupOverProject.body.detail, /already taken by a project/);
    assert.equal((await admin.post('/api/v1/groups/dup/projects', { path: 'thing' })).status, 409);
    assert.deepEqual(await counts(), before);
  });

  test('hostile and malformed names are refused with the failing field, and nothing is written', async () => {
    await admin.post('/api/v1/groups', { path: 'safe' });
    const before = await counts();
    const cases: [string, unknown, string][] = [
      ['/api/v1/groups/safe/projects', { path: '..' }, 'body/path'],
      ['/api/v1/groups/safe/projects', { path: '../../etc' }, 'body/path'],
      ['/api/v1/groups/safe/projects', { path: 'a/b' }, 'body/path'],
      ['/api/v1/groups/safe/projects', { path: '.hidden' }, 'body/path'],
      ['/api/v1/groups/safe/projects', { path: 'repo.git' }, 'body/path'],
      ['/api/v1/groups/safe/projects', { path: '12345' }, 'body/path'],
      ['/api/v1/groups/safe/projects', { path: 'x'.repeat(101) }, 'body/path'],
      ['/api/v1/groups/safe/projects', { path: 'ok', name: 'n'.repeat(256) }, 'body/name'],
      ['/api/v1/groups/safe/projects', { path: 'ok', name: 'bad\u0000name' }, 'body/name'],
      ['/api/v1/groups/safe/projects', { path: 'ok', default_branch: 'a..b' }, 'body/default_branch'],
      ['/api/v1/groups/safe/projects', { path: 'ok', default_branch: 'has space' }, 'body/default_branch'],
      ['/api/v1/groups/safe/projects', { path: 42 }, 'body/path'],
      ['/api/v1/groups/safe/projects', { path: 'ok', visibility: 'public' }, 'body/visibility'],
      ['/api/v1/groups/safe/subgroups', { path: 'ok', description: 'd'.repeat(10_001) }, 'body/description'],
    ];
    for (const [url, body, field] of cases) {
      const reply = await admin.post(url, body);
      assert.equal(reply.status, 400, `${JSON.stringify(body)} → ${reply.status}`);
      assert.equal(reply.body.type, 'urn:vigil:problem:validation');
      assert.equal(reply.body.field, field, JSON.stringify(body));
      assert.equal(reply.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
    const notJson = await t.app.inject({ method: 'POST', url: '/api/v1/groups/safe/projects', headers: { authorization: (admin as never as { token?: string }).token ?? '', 'content-type': 'application/json' }, payload: '{"path":' });
    assert.ok([400, 401].includes(notJson.statusCode));
    assert.deepEqual(await counts(), before);
  });

  test('a group that still holds projects or subgroups cannot be deleted; an empty one can', async () => {
    await admin.post('/api/v1/groups', { path: 'full' });
    await admin.post('/api/v1/groups/full/projects', { path: 'p' });
    const before = await counts();
    const refused = await admin.delete('/api/v1/groups/full');
    assert.equal(refused.status, 409);
    assert.equal(refused.body.detail, 'group "full" still contains 0 subgroup(s) and 1 project(s); delete or move them first');
    assert.deepEqual(await counts(), before);
    assert.equal((await admin.delete(`/api/v1/projects/${enc('full/p')}`)).status, 204);
    assert.equal((await admin.delete('/api/v1/groups/full')).status, 204);
    assert.equal((await admin.get('/api/v1/groups/full')).status, 404);
    assert.equal((await admin.post('/api/v1/groups', { path: 'full' })).status, 201, 'the path is free again');
  });

  test('roles are inherited down the tree, and lists show only what the caller can see', async () => {
    await admin.post('/api/v1/groups', { path: 'tree' });
    await admin.post('/api/v1/groups/tree/subgroups', { path: 'left' });
    await admin.post('/api/v1/groups/tree/subgroups', { path: 'right' });
    await admin.post(`/api/v1/groups/${enc('tree/left')}/projects`, { path: 'web' });
    await admin.post(`/api/v1/groups/${enc('tree/right')}/projects`, { path: 'db' });
    const lefty = await userApi('lefty');
    const solo = await userApi('solo');
    assert.equal((await admin.post(`/api/v1/groups/${enc('tree/left')}/members`, { user: 'lefty', role: 'maintainer' })).status, 201);
    assert.equal((await admin.post(`/api/v1/projects/${enc('tree/right/db')}/members`, { user: 'solo', role: 'reporter' })).status, 201);

    const paths = (reply: { body: { items: { full_path: string }[] } }) => reply.body.items.map((i) => i.full_path);
    assert.deepEqual(paths(await lefty.get('/api/v1/groups')), ['tree/left']);
    assert.deepEqual(paths(await lefty.get('/api/v1/projects')), ['tree/left/web']);
    assert.deepEqual(paths(await solo.get('/api/v1/projects')), ['tree/right/db']);
    assert.deepEqual(paths(await solo.get('/api/v1/groups')), []);

    assert.equal((await lefty.get(`/api/v1/projects/${enc('tree/left/web')}`)).status, 200);
    assert.equal((await lefty.get(`/api/v1/projects/${enc('tree/right/db')}`)).status, 404, 'invisible things are not found, not forbidden');
    assert.equal((await lefty.get('/api/v1/groups/tree')).status, 404);
    assert.equal((await lefty.post(`/api/v1/groups/${enc('tree/left')}/projects`, { path: 'mobile' })).status, 201, 'maintainers create projects');
    const notOwner = await lefty.patch(`/api/v1/projects/${enc('tree/left/web')}`, { name: 'renamed' });
    assert.equal(notOwner.status, 403);
    assert.equal(notOwner.body.detail, 'this needs the owner role on project "tree/left/web"; you have maintainer');

    const members = await admin.get(`/api/v1/projects/${enc('tree/left/web')}/members?inherited=true`);
    assert.deepEqual(
      members.body.items.map((m: { username: string; role: string; granted_at: string; inherited: boolean }) => [m.username, m.role, m.granted_at, m.inherited]),
      [['lefty', 'maintainer', 'tree/left', true]],
    );
    assert.deepEqual((await admin.get(`/api/v1/projects/${enc('tree/left/web')}/members`)).body.items, []);
  });

  test('members: add, change, remove; duplicates and unknown users are refused; a top-level group keeps an owner', async () => {
    await admin.post('/api/v1/groups', { path: 'team' });
    const olga = await userApi('olga');
    await userApi('pete');
    assert.equal((await admin.post('/api/v1/groups/team/members', { user: 'olga', role: 'owner' })).status, 201);
    assert.equal((await olga.post('/api/v1/groups/team/members', { user: 'pete', role: 'developer' })).status, 201);
    assert.equal((await olga.post('/api/v1/groups/team/members', { user: 'pete', role: 'reporter' })).status, 409);
    const unknown = await olga.post('/api/v1/groups/team/members', { user: 'ghost', role: 'reporter' });
    assert.deepEqual([unknown.status, unknown.body.field], [400, 'body/user']);
    const badRole = await olga.post('/api/v1/groups/team/members', { user: 'pete', role: 'god' });
    assert.deepEqual([badRole.status, badRole.body.field], [400, 'body/role']);
    assert.equal((await olga.patch('/api/v1/groups/team/members/pete', { role: 'maintainer' })).body.role, 'maintainer');

    const lastOwner = await olga.patch('/api/v1/groups/team/members/olga', { role: 'developer' });
    assert.equal(lastOwner.status, 409);
    assert.equal((await olga.delete('/api/v1/groups/team/members/olga')).status, 409);
    assert.equal((await olga.patch('/api/v1/groups/team/members/pete', { role: 'owner' })).status, 200);
    assert.equal((await olga.delete('/api/v1/groups/team/members/olga')).status, 204, 'with another owner, leaving is fine');
    assert.equal((await olga.get('/api/v1/groups/team')).status, 404, 'and olga can no longer see it');
  });

  test('every change is in the audit log; owners read their subtree, others cannot', async () => {
    await admin.post('/api/v1/groups', { path: 'audited' });
    const quinn = await userApi('quinn');
    const rita = await userApi('rita');
    await admin.post('/api/v1/groups/audited/members', { user: 'quinn', role: 'owner' });
    await admin.post('/api/v1/groups/audited/members', { user: 'rita', role: 'maintainer' });
    await quinn.post('/api/v1/groups/audited/projects', { path: 'svc' });
    await quinn.patch(`/api/v1/projects/${enc('audited/svc')}`, { description: 'the service' });
    await admin.post('/api/v1/groups', { path: 'elsewhere' });

    const log = await quinn.get('/api/v1/groups/audited/audit-events');
    assert.equal(log.status, 200);
    const actions = log.body.items.map((e: { action: string; actor: string }) => `${e.actor} ${e.action}`);
    assert.deepEqual(actions, [
      'quinn project.update',
      'quinn project.create',
      'root group.member.add',
      'root group.member.add',
      'root group.create',
    ]);
    const update = log.body.items[0];
    assert.equal(update.before.description, '');
    assert.equal(update.after.description, 'the service');
    assert.equal(update.scope_path, 'audited/svc');
    assert.ok(!JSON.stringify(log.body).includes('elsewhere'));

    assert.equal((await rita.get('/api/v1/groups/audited/audit-events')).status, 403);
    const page1 = await quinn.get('/api/v1/groups/audited/audit-events?limit=2');
    assert.equal(page1.body.items.length, 2);
    const page2 = await quinn.get(`/api/v1/groups/audited/audit-events?limit=2&cursor=${page1.body.next_cursor}`);
    assert.deepEqual(page2.body.items.map((e: { action: string }) => e.action), ['group.member.add', 'group.member.add']);
    const bad = await quinn.get('/api/v1/groups/audited/audit-events?cursor=garbage');
    assert.deepEqual([bad.status, bad.body.field], [400, 'query/cursor']);

    const everything = await admin.get('/api/v1/audit-events?action=group.create');
    assert.ok(everything.body.items.some((e: { subject_type: string; after: { fullPath: string } }) => e.after.fullPath === 'elsewhere'));
    assert.ok(!JSON.stringify((await admin.get('/api/v1/audit-events?limit=500')).body).includes('password_hash'));
  });

  test('lists page through every visible item exactly once with cursors', async () => {
    await admin.post('/api/v1/groups', { path: 'paged' });
    for (let i = 0; i < 7; i++) await admin.post('/api/v1/groups/paged/projects', { path: `p_${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const reply: { body: { items: { full_path: string }[]; next_cursor: string | null } } = await admin.get(
        `/api/v1/groups/paged/projects?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...reply.body.items.map((p) => p.full_path));
      cursor = reply.body.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6].map((i) => `paged/p_${i}`));
    const search = await admin.get('/api/v1/projects?search=p_1');
    assert.deepEqual(search.body.items.map((p: { full_path: string }) => p.full_path), ['paged/p_1'], '"_" is not a wildcard');
    assert.equal((await admin.get('/api/v1/projects?limit=0')).body.field, 'query/limit');
    assert.equal((await admin.get('/api/v1/projects?limit=501')).body.field, 'query/limit');
  });
});
