import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { consoleActor } from '../../src/platform/audit/actor.js';
import { createGroup } from '../../src/platform/namespaces/groups.js';
import { addMember } from '../../src/platform/namespaces/members.js';
import { createProject } from '../../src/platform/namespaces/projects.js';
import { MAX_COMMENT_LENGTH } from '../../src/vulns/comments.js';
import { describeEachDatabase } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type Caller, type TestApp } from '../support/app.js';

function sastReport(rules: string[]) {
  return {
    version: '15.0.0',
    scan: { type: 'sast', scanner: { id: 'semgrep', name: 'Semgrep', version: '1', vendor: { name: 'x' } }, analyzer: { id: 'a', name: 'a', version: '1', vendor: { name: 'x' } }, status: 'success', start_time: '2026-01-01T00:00:00', end_time: '2026-01-01T00:00:01' },
    vulnerabilities: rules.map((rule, i) => ({ id: String(i), name: rule, severity: 'High', identifiers: [{ type: 'semgrep_id', name: rule, value: rule }], location: { file: 'app.py', start_line: i + 1 } })),
  };
}

describeEachDatabase('comments on vulnerabilities and links to external issues', (use) => {
  let t: TestApp;
  const as: Record<'admin' | 'reporter' | 'developer' | 'other_developer' | 'maintainer', Caller> = {} as never;
  let vulns: number[] = [];
  let foreign = 0;

  async function rowCounts() {
    const db = use().kysely;
    const n = async (table: 'vulnerability_comments' | 'issue_links' | 'vulnerability_issue_links' | 'vulnerability_events' | 'audit_events') =>
      Number((await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    return {
      comments: await n('vulnerability_comments'),
      links: await n('issue_links'),
      linked: await n('vulnerability_issue_links'),
      events: await n('vulnerability_events'),
      audit: await n('audit_events'),
    };
  }

  async function history(id: number, kind: string) {
    const reply = await as.reporter.get(`/api/v1/vulnerabilities/${id}`);
    assert.equal(reply.status, 200);
    return (reply.body.history as { kind: string; actor: string; from: string | null; to: string | null; reason: string | null; comment: string | null }[])
      .filter((h) => h.kind === kind)
      .map(({ actor, from, to, reason, comment }) => ({ actor, from, to, reason, comment }));
  }

  before(async () => {
    t = await startTestApp(use());
    const actor = consoleActor('test');
    const acme = await createGroup(t.svc, actor, null, { path: 'acme' });
    const api = await createProject(t.svc, actor, acme, { path: 'api' });
    const other = await createProject(t.svc, actor, acme, { path: 'other' });
    as.admin = caller(t.app, { token: await makeToken(t.svc, await makeUser(t.svc, 'root', { admin: true }), ['read', 'write', 'admin']) });
    for (const [persona, role] of [['reporter', 'reporter'], ['developer', 'developer'], ['other_developer', 'developer'], ['maintainer', 'maintainer']] as const) {
      const user = await makeUser(t.svc, persona.replace('_', '-'));
      await addMember(t.svc, actor, { kind: 'project', project: api }, user, role);
      as[persona] = caller(t.app, { token: await makeToken(t.svc, user, ['read', 'write']) });
    }
    for (const [project, rules] of [[api, ['sqli', 'xss', 'ssrf']], [other, ['rce']]] as const) {
      assert.equal((await as.admin.post(`/api/v1/projects/${project.id}/scans?ref=main`, sastReport([...rules]))).status, 201);
    }
    vulns = ((await as.admin.get(`/api/v1/projects/${api.id}/vulnerabilities?sort=first_detected`)).body.items as { id: number }[]).map((v) => v.id).sort((a, b) => a - b);
    foreign = (await as.admin.get(`/api/v1/projects/${other.id}/vulnerabilities`)).body.items[0].id;
    assert.equal(vulns.length, 3);
  });
  after(async () => {
    await t.app.close();
  });

  test('a comment is written, edited only by its author, deleted by a maintainer, and its body is then gone', async () => {
    const v = vulns[0]!;
    const url = `/api/v1/vulnerabilities/${v}/comments`;
    const start = await rowCounts();
    assert.equal((await as.reporter.post(url, { body: 'I can only read' })).status, 403);

    const posted = await as.developer.post(url, { body: 'Fixed by **upgrading** `lib` — see https://example.com/pr/1' });
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
    const id = posted.body.id as number;
    assert.deepEqual({ ...posted.body, created_at: undefined, updated_at: undefined }, {
      id,
      vulnerability_id: v,
      author: { id: posted.body.author.id, username: 'developer' },
      body: 'Fixed by **upgrading** `lib` — see https://example.com/pr/1',
      body_html: '<p>Fixed by <strong>upgrading</strong> <code>lib</code> — see <a href="https://example.com/pr/1" rel="nofollow noopener noreferrer">https://example.com/pr/1</a></p>\n',
      created_at: undefined,
      updated_at: undefined,
      edited_at: null,
    });
    assert.deepEqual((await as.reporter.get(url)).body.items.map((c: { id: number }) => c.id), [id]);

    assert.equal((await as.other_developer.patch(`${url}/${id}`, { body: 'not mine' })).status, 403);
    assert.equal((await as.maintainer.patch(`${url}/${id}`, { body: 'not mine either' })).status, 403);
    assert.equal((await as.other_developer.delete(`${url}/${id}`)).status, 403);
    t.clock.advance(60_000);
    const edited = await as.developer.patch(`${url}/${id}`, { body: 'Fixed in 1.2.3' });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.body_html, '<p>Fixed in 1.2.3</p>\n');
    assert.equal(edited.body.edited_at, '2026-03-01T09:01:00.000Z');

    assert.equal((await as.maintainer.delete(`${url}/${id}`)).status, 204);
    assert.deepEqual((await as.reporter.get(url)).body.items, []);
    assert.equal((await as.developer.patch(`${url}/${id}`, { body: 'again' })).status, 404);
    assert.equal((await as.maintainer.delete(`${url}/${id}`)).status, 404);
    const row = await use().kysely.selectFrom('vulnerability_comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([row.body, row.body_html, row.deleted_by], [null, null, 'maintainer']);

    assert.deepEqual(await history(v, 'comment'), [
      { actor: 'developer', from: null, to: String(id), reason: 'added', comment: null },
      { actor: 'developer', from: null, to: String(id), reason: 'edited', comment: null },
      { actor: 'maintainer', from: null, to: String(id), reason: 'deleted', comment: null },
    ]);
    const audit = await use().kysely.selectFrom('audit_events').select(['action', 'actor', 'scope_path', 'after_json']).where('subject_type', '=', 'vulnerability_comment').orderBy('id').execute();
    assert.deepEqual(audit.map((a) => [a.action, a.actor, a.scope_path]), [['comment.create', 'developer', 'acme/api'], ['comment.update', 'developer', 'acme/api'], ['comment.delete', 'maintainer', 'acme/api']]);
    assert.ok(audit.every((a) => !a.after_json?.includes('Fixed')), 'no comment text in the append-only audit log');
    assert.deepEqual(await rowCounts(), { ...start, comments: start.comments + 1, events: start.events + 3, audit: start.audit + 3 });
  });

  test('the author deletes their own comment; a comment is only reachable through its own vulnerability', async () => {
    const posted = await as.developer.post(`/api/v1/vulnerabilities/${vulns[1]}/comments`, { body: 'mine' });
    assert.equal(posted.status, 201);
    const elsewhere = `/api/v1/vulnerabilities/${vulns[2]}/comments/${posted.body.id}`;
    assert.equal((await as.developer.patch(elsewhere, { body: 'moved?' })).status, 404);
    assert.equal((await as.maintainer.delete(elsewhere)).status, 404);
    assert.equal((await as.developer.delete(`/api/v1/vulnerabilities/${vulns[1]}/comments/${posted.body.id}`)).status, 204);
  });

  test('hostile Markdown is stored as written and rendered inert; bad bodies are refused and write nothing', async () => {
    const url = `/api/v1/vulnerabilities/${vulns[1]}/comments`;
    const hostile = '<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) ![p](data:image/png;base64,AA==)';
    const posted = await as.developer.post(url, { body: hostile });
    assert.equal(posted.status, 201);
    assert.equal(posted.body.body, hostile);
    assert.equal(
      posted.body.body_html,
      '<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; [click](javascript:alert(1)) ![p](data:image/png;base64,AA==)</p>\n',
    );
    assert.equal((await as.reporter.get(url)).body.items.at(-1).body_html, posted.body.body_html);

    const before = await rowCounts();
    for (const [body, field] of [
      [{ body: 'x'.repeat(MAX_COMMENT_LENGTH + 1) }, 'body/body'],
      [{ body: '' }, 'body/body'],
      [{ body: '  \n\t ' }, 'body/body'],
      [{ body: 'bell \u0007' }, 'body/body'],
      [{ body: 'ok', extra: 1 }, 'body/extra'],
    ] as const) {
      const reply = await as.developer.post(url, body);
      assert.equal(reply.status, 400, JSON.stringify(body).slice(0, 50));
      assert.equal(reply.body.field, field);
    }
    assert.equal((await as.developer.patch(`${url}/${posted.body.id}`, { body: ' ' })).body.field, 'body/body');
    assert.equal((await as.developer.post(url, { body: 'x'.repeat(MAX_COMMENT_LENGTH) })).status, 201, 'the limit itself is allowed');
    assert.deepEqual(await rowCounts(), { ...before, comments: before.comments + 1, events: before.events + 1, audit: before.audit + 1 });
  });

  test('one issue links several vulnerabilities; the same URL is reused; events, audit and lists follow', async () => {
    const [a, b, c] = vulns as [number, number, number];
    const start = await rowCounts();
    const created = await as.developer.post('/api/v1/projects/acme%2Fapi/issue-links', { url: 'https://jira.example.com/browse/SEC-1', key: 'SEC-1', title: 'Injection fixes', vulnerability_ids: [a, b, a] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const link = created.body.id as number;
    assert.deepEqual({ ...created.body, created_at: undefined }, {
      id: link,
      project_id: created.body.project_id,
      url: 'https://jira.example.com/browse/SEC-1',
      key: 'SEC-1',
      title: 'Injection fixes',
      created_by: 'developer',
      created_at: undefined,
      vulnerability_count: 2,
      vulnerability_ids: [a, b],
    });

    // Another spelling of the same URL (host case, default port) is the same issue.
    const reused = await as.developer.post('/api/v1/projects/acme%2Fapi/issue-links', { url: 'https://JIRA.example.com:443/browse/SEC-1', key: 'SEC-1', vulnerability_ids: [b, c] });
    assert.equal(reused.status, 200);
    assert.deepEqual([reused.body.id, reused.body.vulnerability_count, reused.body.vulnerability_ids, reused.body.title], [link, 3, [a, b, c], 'Injection fixes']);
    const again = await as.developer.post(`/api/v1/vulnerabilities/${c}/issue-links`, { url: 'https://jira.example.com/browse/SEC-1', key: 'SEC-1' });
    assert.deepEqual([again.status, again.body.id, again.body.vulnerability_count], [200, link, 3]);
    const own = await as.developer.post(`/api/v1/vulnerabilities/${c}/issue-links`, { url: 'https://gitlab.example.com/acme/api/-/issues/7', key: '#7' });
    assert.deepEqual([own.status, own.body.vulnerability_ids], [201, [c]]);

    const list = await as.reporter.get('/api/v1/projects/acme%2Fapi/issue-links?limit=1');
    assert.deepEqual(list.body.items.map((l: { key: string }) => l.key), ['#7']);
    const next = await as.reporter.get(`/api/v1/projects/acme%2Fapi/issue-links?limit=1&cursor=${list.body.next_cursor}`);
    assert.deepEqual([next.body.items.map((l: { key: string }) => l.key), next.body.next_cursor], [['SEC-1'], null]);
    assert.deepEqual((await as.reporter.get(`/api/v1/vulnerabilities/${c}/issue-links`)).body.items.map((l: { key: string; vulnerability_count: number }) => [l.key, l.vulnerability_count]), [['SEC-1', 3], ['#7', 1]]);
    assert.equal((await as.reporter.post(`/api/v1/vulnerabilities/${a}/issue-links`, { url: 'https://x.example/1', key: 'X-1' })).status, 403);

    assert.deepEqual(await history(b, 'issue_link'), [
      { actor: 'developer', from: null, to: 'SEC-1', reason: 'linked', comment: 'https://jira.example.com/browse/SEC-1' },
    ]);
    assert.deepEqual(await rowCounts(), { ...start, links: start.links + 2, linked: start.linked + 4, events: start.events + 4, audit: start.audit + 3 });
    const audit = await use().kysely.selectFrom('audit_events').select(['action', 'subject_id', 'after_json']).where('subject_type', '=', 'issue_link').orderBy('id').execute();
    assert.deepEqual(
      audit.map((e) => [e.action, e.subject_id, (JSON.parse(e.after_json!) as { vulnerability_ids: number[] }).vulnerability_ids]),
      [['issue_link.create', String(link), [a, b]], ['issue_link.link', String(link), [c]], ['issue_link.create', String(own.body.id), [c]]],
    );

    // Linking again with a new title renames the issue (it may have been renamed in the tracker) and links nothing new.
    const renamed = await as.developer.post(`/api/v1/vulnerabilities/${a}/issue-links`, { url: 'https://jira.example.com/browse/SEC-1', key: 'SEC-1', title: 'Injection fixes (all services)' });
    assert.deepEqual([renamed.status, renamed.body.title, renamed.body.vulnerability_count], [200, 'Injection fixes (all services)', 3]);
    assert.equal((await use().kysely.selectFrom('audit_events').select('action').orderBy('id', 'desc').executeTakeFirstOrThrow()).action, 'issue_link.update');

    assert.equal((await as.developer.delete(`/api/v1/vulnerabilities/${b}/issue-links/${link}`)).status, 204);
    assert.equal((await as.developer.delete(`/api/v1/vulnerabilities/${b}/issue-links/${link}`)).status, 404);
    assert.equal((await as.developer.delete(`/api/v1/vulnerabilities/${a}/issue-links/${own.body.id}`)).status, 404, 'a link of another vulnerability');
    assert.deepEqual((await history(b, 'issue_link')).at(-1), { actor: 'developer', from: 'SEC-1', to: null, reason: 'unlinked', comment: 'https://jira.example.com/browse/SEC-1' });
    assert.deepEqual((await as.reporter.get(`/api/v1/vulnerabilities/${a}/issue-links`)).body.items.map((l: { vulnerability_ids: number[] }) => l.vulnerability_ids), [[a, c]]);
    // Unlinking its last vulnerability removes the link from the project.
    assert.equal((await as.developer.delete(`/api/v1/vulnerabilities/${c}/issue-links/${own.body.id}`)).status, 204);
    assert.deepEqual((await as.reporter.get('/api/v1/projects/acme%2Fapi/issue-links')).body.items.map((l: { key: string }) => l.key), ['SEC-1']);
  });

  test('links to vulnerabilities of another project, bad URLs, keys and a second key for one URL are refused and write nothing', async () => {
    const [a, b] = vulns as [number, number];
    const before = await rowCounts();
    const link = (body: object) => as.developer.post('/api/v1/projects/acme%2Fapi/issue-links', { url: 'https://jira.example.com/browse/SEC-9', key: 'SEC-9', vulnerability_ids: [a], ...body });
    const crossProject = await link({ vulnerability_ids: [a, foreign] });
    assert.deepEqual([crossProject.status, crossProject.body.field], [400, 'body/vulnerability_ids/1']);
    assert.deepEqual([(await link({ vulnerability_ids: [b, 99_999_999] })).body.field], ['body/vulnerability_ids/1']);
    for (const url of ['javascript:alert(1)', 'ftp://files.example.com/x', 'jira.example.com/browse/SEC-9', 'https://user:secret@jira.example.com/browse/SEC-9', 'file:///etc/passwd', 'data:text/html,x']) {
      const reply = await link({ url });
      assert.deepEqual([reply.status, reply.body.field], [400, 'body/url'], url);
      const single = await as.developer.post(`/api/v1/vulnerabilities/${a}/issue-links`, { url, key: 'SEC-9' });
      assert.deepEqual([single.status, single.body.field], [400, 'body/url'], url);
    }
    for (const key of ['', '   ', 'K'.repeat(101), 'SEC\n9']) assert.deepEqual((await link({ key })).body.field, 'body/key', JSON.stringify(key));
    assert.equal((await link({ vulnerability_ids: [] })).body.field, 'body/vulnerability_ids');
    const otherKey = await link({ url: 'https://jira.example.com/browse/SEC-1', key: 'SEC-2' });
    assert.deepEqual([otherKey.status, otherKey.body.field], [409, 'body/key']);
    assert.equal((await as.developer.post(`/api/v1/vulnerabilities/${foreign}/issue-links`, { url: 'https://x.example/1', key: 'X-1' })).status, 404, 'not a member of that project');
    assert.deepEqual(await rowCounts(), before);
  });
});
