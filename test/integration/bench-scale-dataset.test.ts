import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { loadScaleDataset, REFS } from '../../bench/scale-dataset.js';
import { describeEachDatabase } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type Caller, type TestApp } from '../support/app.js';

/**
 * The benchmark's scale dataset at a tiny size, so that it cannot rot: exactly the rows its definition gives, and
 * the API reads them as it reads ingested data (report, facets, branches, dashboard).
 */
const VULNERABILITIES = 400;
const PROJECTS = 20;
const ids = Array.from({ length: VULNERABILITIES }, (_, i) => i + 1);
const resolved = ids.filter((id) => (id % 10 === 7 || id % 10 === 8) && id % 365 >= 30);
const dismissed = ids.filter((id) => id % 10 === 9);

describeEachDatabase('the scale benchmark dataset', (use) => {
  let t: TestApp;
  let api: Caller;

  before(async () => {
    t = await startTestApp(use());
    api = caller(t.app, { token: await makeToken(t.svc, await makeUser(t.svc, 'root', { admin: true }), ['read']) });
    await loadScaleDataset(t.svc, { vulnerabilities: VULNERABILITIES, projects: PROJECTS });
  });
  after(async () => {
    await t.app.close();
  });

  test('rows as defined: nested projects, states, events, occurrences on four branches', async () => {
    const db = t.svc.db.kysely;
    const count = async (table: 'vulnerabilities' | 'vulnerability_events' | 'occurrences' | 'scans' | 'sla_resolutions' | 'projects' | 'namespaces') =>
      Number((await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(await count('projects'), PROJECTS);
    assert.equal(await count('namespaces'), 1 + 10 + 100);
    assert.equal(await count('vulnerabilities'), VULNERABILITIES);
    assert.equal(await count('vulnerability_events'), VULNERABILITIES + resolved.length + dismissed.length);
    assert.equal(await count('sla_resolutions'), resolved.length);
    assert.equal(await count('scans'), PROJECTS * REFS.length);
    assert.equal(await count('occurrences'), 3 * VULNERABILITIES);
    const states = await db.selectFrom('vulnerabilities').select(['state', sql<number>`count(*)`.as('n')]).groupBy('state').orderBy('state').execute();
    assert.deepEqual(
      states.map((s) => [s.state, Number(s.n)]),
      [['detected', VULNERABILITIES - resolved.length - dismissed.length], ['dismissed', dismissed.length], ['resolved', resolved.length]],
    );
    // Every project holds every severity.
    const perProject = await db.selectFrom('vulnerabilities').select(['project_id', sql<number>`count(distinct severity)`.as('n')]).groupBy('project_id').execute();
    assert.ok(perProject.every((p) => Number(p.n) === 5));
  });

  test('the API reads it like ingested data', async () => {
    const facets = await api.get('/api/v1/groups/bench/vulnerabilities/facets');
    assert.equal(facets.status, 200);
    assert.equal((facets.body.states as { count: number }[]).reduce((n, s) => n + s.count, 0), VULNERABILITIES);
    const list = await api.get('/api/v1/groups/bench%2Fg0/vulnerabilities?state=detected,confirmed&sort=risk&limit=100');
    assert.equal(list.status, 200);
    assert.ok(list.body.items.length > 0 && list.body.items.every((v: { state: string; project_path: string }) => v.state === 'detected' && v.project_path.startsWith('bench/g0/')));
    const dashboard = await api.get('/api/v1/groups/bench/dashboard?days=90');
    assert.equal(dashboard.status, 200, JSON.stringify(dashboard.body));
  });
});
