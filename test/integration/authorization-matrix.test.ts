import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify from 'fastify';
import pino from 'pino';
import { consoleActor } from '../../src/platform/audit/actor.js';
import { roleRank, type Role } from '../../src/platform/auth/roles.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Db } from '../../src/platform/db/connect.js';
import { installAccessControl, type Access } from '../../src/platform/http/access.js';
import { createGroup } from '../../src/platform/namespaces/groups.js';
import { addMember } from '../../src/platform/namespaces/members.js';
import { createProject } from '../../src/platform/namespaces/projects.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createMigratedDatabase, dialects } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type TestApp } from '../support/app.js';

/**
 * Who may call what. Every registered route must appear here with the least privilege that may call it;
 * a new route without an entry fails this test, and so does any route whose real behaviour disagrees.
 */
type Minimum = 'anyone' | 'signed-in' | 'admin' | `group:${Role}` | `project:${Role}`;

const expected: Record<string, Minimum> = {
  'GET /healthz': 'anyone',
  'GET /metrics': 'admin',
  'GET /api/v1/openapi.json': 'anyone',
  'GET /*': 'anyone',
  'POST /api/v1/session': 'anyone',
  'GET /api/v1/session': 'signed-in',
  'DELETE /api/v1/session': 'signed-in',
  'GET /api/v1/user': 'signed-in',
  'PATCH /api/v1/user': 'signed-in',
  'GET /api/v1/user/tokens': 'signed-in',
  'POST /api/v1/user/tokens': 'signed-in',
  'DELETE /api/v1/user/tokens/:id': 'signed-in',
  'GET /api/v1/users': 'admin',
  'POST /api/v1/users': 'admin',
  'GET /api/v1/users/:user': 'admin',
  'PATCH /api/v1/users/:user': 'admin',
  'GET /api/v1/groups': 'signed-in',
  'POST /api/v1/groups': 'admin',
  'GET /api/v1/groups/:group': 'group:reporter',
  'PATCH /api/v1/groups/:group': 'group:owner',
  'DELETE /api/v1/groups/:group': 'group:owner',
  'GET /api/v1/groups/:group/subgroups': 'group:reporter',
  'POST /api/v1/groups/:group/subgroups': 'group:owner',
  'GET /api/v1/groups/:group/projects': 'group:reporter',
  'POST /api/v1/groups/:group/projects': 'group:maintainer',
  'GET /api/v1/groups/:group/members': 'group:reporter',
  'POST /api/v1/groups/:group/members': 'group:owner',
  'PATCH /api/v1/groups/:group/members/:user': 'group:owner',
  'DELETE /api/v1/groups/:group/members/:user': 'group:owner',
  'GET /api/v1/groups/:group/audit-events': 'group:owner',
  'GET /api/v1/projects': 'signed-in',
  'GET /api/v1/projects/:project': 'project:reporter',
  'PATCH /api/v1/projects/:project': 'project:owner',
  'DELETE /api/v1/projects/:project': 'project:owner',
  'GET /api/v1/projects/:project/members': 'project:reporter',
  'POST /api/v1/projects/:project/members': 'project:owner',
  'PATCH /api/v1/projects/:project/members/:user': 'project:owner',
  'DELETE /api/v1/projects/:project/members/:user': 'project:owner',
  'GET /api/v1/projects/:project/audit-events': 'project:owner',
  'GET /api/v1/audit-events': 'admin',
  'POST /api/v1/projects/:project/scans': 'project:developer',
  'GET /api/v1/projects/:project/scans': 'project:reporter',
  'GET /api/v1/projects/:project/scans/:id': 'project:reporter',
  'GET /api/v1/projects/:project/vulnerabilities': 'project:reporter',
  'GET /api/v1/groups/:group/vulnerabilities': 'group:reporter',
  'GET /api/v1/vulnerabilities/:id': 'project:reporter',
  'POST /api/v1/vulnerabilities/:id/triage': 'project:maintainer',
  'POST /api/v1/projects/:project/vulnerabilities/triage': 'project:maintainer',
  'GET /api/v1/vulnerabilities': 'signed-in',
  'GET /api/v1/projects/:project/vulnerabilities/export': 'project:reporter',
  'GET /api/v1/groups/:group/vulnerabilities/export': 'group:reporter',
  'GET /api/v1/vulnerabilities/export': 'signed-in',
  'GET /api/v1/projects/:project/vulnerabilities/facets': 'project:reporter',
  'GET /api/v1/groups/:group/vulnerabilities/facets': 'group:reporter',
  'GET /api/v1/vulnerabilities/facets': 'signed-in',
  'POST /api/v1/vulnerabilities/triage': 'signed-in',
  'GET /api/v1/projects/:project/refs': 'project:reporter',
  'GET /api/v1/risk/feeds': 'signed-in',
  'GET /api/v1/risk/feeds/:feed/imports': 'admin',
  'POST /api/v1/risk/feeds/:feed/imports': 'admin',
  'GET /api/v1/risk/cves/:cve': 'signed-in',
  'GET /api/v1/risk/policy': 'signed-in',
  'GET /api/v1/risk/cvss': 'signed-in',
  'PATCH /api/v1/risk/policy': 'admin',
  'GET /api/v1/projects/:project/risk-settings': 'project:reporter',
  'PATCH /api/v1/projects/:project/risk-settings': 'project:maintainer',
  'PATCH /api/v1/vulnerabilities/:id/risk': 'project:maintainer',
  'GET /api/v1/groups/:group/sla-policy': 'group:reporter',
  'GET /api/v1/groups/:group/sla-figures': 'group:reporter',
  'GET /api/v1/projects/:project/sla-figures': 'project:reporter',
  'GET /api/v1/projects/:project/dashboard': 'project:reporter',
  'GET /api/v1/groups/:group/dashboard': 'group:reporter',
  'PATCH /api/v1/groups/:group/sla-policy': 'group:owner',
  'DELETE /api/v1/groups/:group/sla-policy': 'group:owner',
  'GET /api/v1/projects/:project/sla-policy': 'project:reporter',
  'PATCH /api/v1/projects/:project/sla-policy': 'project:maintainer',
  'DELETE /api/v1/projects/:project/sla-policy': 'project:maintainer',
  'GET /api/v1/projects/:project/compare': 'project:reporter',
  'GET /api/v1/vulnerabilities/:id/comments': 'project:reporter',
  'POST /api/v1/vulnerabilities/:id/comments': 'project:developer',
  'PATCH /api/v1/vulnerabilities/:id/comments/:commentId': 'project:developer',
  'DELETE /api/v1/vulnerabilities/:id/comments/:commentId': 'project:developer',
  'GET /api/v1/projects/:project/issue-links': 'project:reporter',
  'POST /api/v1/projects/:project/issue-links': 'project:developer',
  'GET /api/v1/vulnerabilities/:id/issue-links': 'project:reporter',
  'POST /api/v1/vulnerabilities/:id/issue-links': 'project:developer',
  'DELETE /api/v1/vulnerabilities/:id/issue-links/:linkId': 'project:developer',
  'GET /api/v1/groups/:group/webhooks': 'group:owner',
  'POST /api/v1/groups/:group/webhooks': 'group:owner',
  'GET /api/v1/groups/:group/webhooks/:webhookId': 'group:owner',
  'PATCH /api/v1/groups/:group/webhooks/:webhookId': 'group:owner',
  'DELETE /api/v1/groups/:group/webhooks/:webhookId': 'group:owner',
  'GET /api/v1/groups/:group/webhooks/:webhookId/deliveries': 'group:owner',
  'POST /api/v1/groups/:group/webhooks/:webhookId/deliveries/:deliveryId/redeliver': 'group:owner',
  'POST /api/v1/groups/:group/webhooks/:webhookId/test': 'group:owner',
  'GET /api/v1/projects/:project/webhooks': 'project:maintainer',
  'POST /api/v1/projects/:project/webhooks': 'project:maintainer',
  'GET /api/v1/projects/:project/webhooks/:webhookId': 'project:maintainer',
  'PATCH /api/v1/projects/:project/webhooks/:webhookId': 'project:maintainer',
  'DELETE /api/v1/projects/:project/webhooks/:webhookId': 'project:maintainer',
  'GET /api/v1/projects/:project/webhooks/:webhookId/deliveries': 'project:maintainer',
  'POST /api/v1/projects/:project/webhooks/:webhookId/deliveries/:deliveryId/redeliver': 'project:maintainer',
  'POST /api/v1/projects/:project/webhooks/:webhookId/test': 'project:maintainer',
  'GET /api/v1/user/notifications': 'signed-in',
  'PATCH /api/v1/user/notifications': 'signed-in',
  'GET /api/v1/user/notifications/emails': 'signed-in',
  'GET /api/v1/formats': 'anyone',
  'GET /api/v1/formats/generic.schema.json': 'anyone',
  'GET /api/v1/jobs/:id': 'project:reporter',
  'GET /api/v1/vulnerabilities/:id/remediation': 'project:reporter',
  'GET /api/v1/projects/:project/upgrade-plan': 'project:reporter',
  'POST /api/v1/vulnerabilities/:id/assist': 'project:developer',
};

const minimalSastReport = {
  version: '15.0.0',
  scan: { type: 'sast', scanner: { id: 'semgrep', name: 'Semgrep', version: '1', vendor: { name: 'x' } }, analyzer: { id: 'a', name: 'a', version: '1', vendor: { name: 'x' } }, status: 'success', start_time: '2026-01-01T00:00:00', end_time: '2026-01-01T00:00:01' },
  vulnerabilities: [{ id: '1', name: 'SQL injection', severity: 'High', identifiers: [{ type: 'semgrep_id', name: 'sqli', value: 'sqli' }], location: { file: 'app.py', start_line: 3 } }],
};

const personas = ['anonymous', 'reporter', 'developer', 'maintainer', 'owner', 'admin', 'outsider'] as const;
type Persona = (typeof personas)[number];

function allowed(persona: Persona, minimum: Minimum): boolean {
  if (minimum === 'anyone') return true;
  if (persona === 'anonymous') return false;
  if (minimum === 'signed-in' || persona === 'admin') return true;
  if (minimum === 'admin' || persona === 'outsider') return false;
  const needed = minimum.split(':')[1] as Role;
  return roleRank(persona) >= roleRank(needed);
}

const params: Record<string, string> = {
  ':group': 'acme',
  ':project': encodeURIComponent('acme/api'),
  ':user': 'target',
  ':id': '999999',
  ':commentId': '999999',
  ':linkId': '999999',
  ':webhookId': '999999',
  ':deliveryId': '999999',
  ':feed': 'epss',
  ':cve': 'CVE-2021-44228',
  '*': 'some/page',
};

function concreteUrl(url: string, ids: { vulnerability: number; job: number }): string {
  // Resources reached through their own id must exist, or every persona would simply get 404.
  const id = url.startsWith('/api/v1/vulnerabilities/') ? String(ids.vulnerability) : url.startsWith('/api/v1/jobs/') ? String(ids.job) : params[':id']!;
  return url.replace(/:group|:project|:user|:id|:commentId|:linkId|:webhookId|:deliveryId|:feed|:cve|\*/g, (p) => (p === ':id' ? id : params[p]!));
}

function minimumOf(access: Access): Minimum {
  switch (access.who) {
    case 'public':
      return 'anyone';
    case 'signed-in':
      return 'signed-in';
    case 'admin':
    case 'metrics':
      return 'admin';
    case 'project-of':
      return `project:${access.role}`;
    default:
      return `${access.who}:${access.role}`;
  }
}

for (const dialect of dialects) {
  let db: Db;
  let t: TestApp;
  const tokens = new Map<Persona, string>();
  let vulnerabilityId = 0;
  let jobId = 0;

  before(async () => {
    db = await createMigratedDatabase(dialect);
    t = await startTestApp(db);
    const actor = consoleActor('matrix');
    const acme = await createGroup(t.svc, actor, null, { path: 'acme' });
    const other = await createGroup(t.svc, actor, null, { path: 'other' });
    const api = await createProject(t.svc, actor, acme, { path: 'api' });
    await createGroup(t.svc, actor, acme, { path: 'sub' });
    for (const role of ['reporter', 'developer', 'maintainer', 'owner'] as const) {
      const user = await makeUser(t.svc, role);
      await addMember(t.svc, actor, { kind: 'group', group: acme }, user, role);
      tokens.set(role, await makeToken(t.svc, user, ['read', 'write']));
    }
    const target = await makeUser(t.svc, 'target');
    await addMember(t.svc, actor, { kind: 'group', group: acme }, target, 'developer');
    await addMember(t.svc, actor, { kind: 'project', project: api }, target, 'developer');
    const outsider = await makeUser(t.svc, 'outsider');
    await addMember(t.svc, actor, { kind: 'group', group: other }, outsider, 'owner');
    tokens.set('outsider', await makeToken(t.svc, outsider, ['read', 'write']));
    const admin = await makeUser(t.svc, 'admin', { admin: true });
    tokens.set('admin', await makeToken(t.svc, admin, ['read', 'write', 'admin']));
    const upload = await caller(t.app, { token: tokens.get('admin')! }).post(`/api/v1/projects/${api.id}/scans?ref=main`, minimalSastReport);
    assert.equal(upload.status, 201, JSON.stringify(upload.body));
    vulnerabilityId = (await caller(t.app, { token: tokens.get('admin')! }).get(`/api/v1/projects/${api.id}/vulnerabilities`)).body.items[0].id;
    const job = await db.kysely
      .insertInto('job_runs')
      .values({ kind: 'ingest.report', project_id: api.id, created_by: null, state: 'queued', attempts: 0, params_json: '{}', created_at: '2026-03-01T09:00:00.000Z' })
      .returning('id')
      .executeTakeFirstOrThrow();
    jobId = Number(job.id);
  });

  after(async () => {
    await t.app.close();
    await db.close();
  });

  test(`[${dialect}] every registered route has an expected rule, and the table has no stale entries`, () => {
    const registered = t.app.routeRules.map((r) => `${r.method} ${r.url}`).sort();
    assert.deepEqual(registered, Object.keys(expected).sort());
    for (const rule of t.app.routeRules) {
      assert.equal(minimumOf(rule.access), expected[`${rule.method} ${rule.url}`], `${rule.method} ${rule.url} declares a different rule`);
    }
  });

  test(`[${dialect}] every route × persona is allowed or refused as the table says, without running a handler`, async () => {
    const failures: string[] = [];
    for (const rule of t.app.routeRules) {
      const key = `${rule.method} ${rule.url}`;
      const minimum = expected[key]!;
      // An unknown query parameter (and the empty body) fail validation, which runs only after the access check
      // and before the handler: an allowed caller gets a 400 on its input and nothing is changed.
      const url = `${concreteUrl(rule.url, { vulnerability: vulnerabilityId, job: jobId })}?__matrix=1`;
      for (const persona of personas) {
        const token = tokens.get(persona);
        const c = caller(t.app, token ? { token } : {});
        const method = rule.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
        const reply = await c[method](url);
        const ok = allowed(persona, minimum);
        const where = `${key} as ${persona}: got ${reply.status} ${JSON.stringify(reply.body).slice(0, 160)}`;
        if (ok) {
          const field = String(reply.body?.field ?? '');
          const reachedValidation = reply.status === 400 && (field.startsWith('query/') || field.startsWith('body/'));
          const unvalidatedPublicPage = rule.url === '/*' && reply.status === 200;
          if (!reachedValidation && !unvalidatedPublicPage) failures.push(`expected allowed — ${where}`);
        } else {
          const want = persona === 'anonymous' ? [401] : persona === 'outsider' && !['admin', 'signed-in'].includes(minimum) ? [404] : [403];
          if (!want.includes(reply.status)) failures.push(`expected ${want.join('/')} — ${where}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });
}

test('a route registered without an access rule is refused at start-up', async () => {
  const app = Fastify();
  const clock = new ManualClock();
  installAccessControl(app, { db: null as never, clock, config: loadConfig({}), log: pino({ level: 'silent' }) });
  assert.throws(() => app.get('/api/v1/forgotten', async () => 'oops'), /GET \/api\/v1\/forgotten has no config.access rule/);
  await app.close();
});
