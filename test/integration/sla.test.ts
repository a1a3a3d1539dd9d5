import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY } from '../../src/platform/clock.js';
import { clockStartOf, dueAtOf, type SlaPolicy } from '../../src/sla/policy.js';
import { effectiveProjectPolicy } from '../../src/sla/store.js';
import { scanSla } from '../../src/sla/scan.js';
import { refreshSla } from '../../src/sla/refresh.js';
import { expireAcceptances } from '../../src/sla/acceptance.js';
import type { Severity } from '../../src/vulns/model.js';
import { describeEachDatabase } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type Caller, type TestApp } from '../support/app.js';

const DAY0 = '2026-03-01T09:00:00.000Z';
const at = (days: number) => new Date(Date.parse(DAY0) + days * DAY).toISOString();
const report = (...findings: { title: string; severity: string; rule: string }[]) => ({
  vigil_generic_version: '1',
  scanner: { id: 'sla-test', name: 'SLA test' },
  report_type: 'sast',
  findings: findings.map((f) => ({ title: f.title, severity: f.severity, identifiers: [{ type: 'rule', value: f.rule }], location: { file: `${f.rule}.py`, start_line: 1 } })),
});
const HIGH = { title: 'High one', severity: 'high', rule: 'high-one' };
const CRITICAL = { title: 'Critical one', severity: 'critical', rule: 'critical-one' };

describeEachDatabase('SLA clocks, due dates and aging filters (simulated time)', (use) => {
  let t: TestApp;
  let owner: Caller;
  let projectId: number;
  const upload = async (ref: string, body: object) => {
    const reply = await owner.post(`/api/v1/projects/${projectId}/scans?ref=${ref}`, body);
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
  };
  const list = async (query = '') => (await owner.get(`/api/v1/projects/${projectId}/vulnerabilities?limit=100${query}`)).body.items as { id: number; title: string; state: string; sla: { started_at: string | null; due_at: string | null; status: string | null } }[];
  const one = async (title: string) => (await list()).find((v) => v.title === title)!;

  const notifications = async (kind: string) =>
    (await use().kysely.selectFrom('notification_events').select('payload_json').where('kind', '=', kind).orderBy('id').execute()).map((r) => JSON.parse(r.payload_json));

  /** Stored due dates (set-based SQL) equal the pure clock for every vulnerability. */
  async function assertConsistent(): Promise<void> {
    const project = await use().kysely.selectFrom('projects').select(['id', 'full_path']).where('id', '=', projectId).executeTakeFirstOrThrow();
    const { policy } = await effectiveProjectPolicy(use().kysely, { id: project.id, fullPath: project.full_path });
    const rows = await use().kysely.selectFrom('vulnerability_sla').innerJoin('vulnerabilities', 'vulnerabilities.id', 'vulnerability_sla.vulnerability_id').selectAll('vulnerability_sla').select('vulnerabilities.severity').where('vulnerability_sla.project_id', '=', projectId).execute();
    for (const row of rows) {
      const start = clockStartOf(policy as SlaPolicy, { detectedAt: row.detected_at, defaultDetectedAt: row.default_detected_at, reopenedAt: row.reopened_at });
      assert.equal(row.started_at, start);
      assert.equal(row.due_at, dueAtOf(policy, row.severity as Severity, start));
    }
  }

  before(async () => {
    t = await startTestApp(use());
    t.clock.set(DAY0);
    owner = caller(t.app, { token: await makeToken(t.svc, await makeUser(t.svc, 'root', { admin: true }), ['read', 'write', 'admin']) });
    await owner.post('/api/v1/groups', { path: 'acme' });
    projectId = (await owner.post('/api/v1/groups/acme/projects', { path: 'api' })).body.id;
  });
  after(async () => {
    await t.app.close();
  });

  test('a high vulnerability first detected on day 0 is due on day 30 and breached on day 31', async () => {
    await upload('main', report(HIGH));
    assert.deepEqual((await one('High one')).sla, { started_at: DAY0, due_at: at(30), status: 'ok' });
    // The ingest wrote its notifications in the same transaction: the scan, and what it made new.
    const [scan] = await notifications('scan.completed');
    assert.deepEqual([scan.project.path, scan.scan.ref, scan.summary.new], ['acme/api', 'main', 1]);
    assert.deepEqual((await notifications('vulnerability.new')).map((n) => [n.count, n.vulnerabilities.map((v: { title: string }) => v.title)]), [[1, ['High one']]]);
    assert.deepEqual(await scanSla(t.svc), { breached: 0, dueSoon: 0 });
    t.clock.set(at(23));
    assert.equal((await one('High one')).sla.status, 'due_soon');
    assert.deepEqual(await scanSla(t.svc), { breached: 0, dueSoon: 1 });
    t.clock.set(at(30));
    assert.equal((await one('High one')).sla.status, 'due_soon', 'still due, not late, at the deadline itself');
    t.clock.set(at(31));
    assert.equal((await one('High one')).sla.status, 'breached');
    assert.deepEqual((await list('&sla=breached')).map((v) => v.title), ['High one']);
    assert.deepEqual(await list('&sla=ok,due_soon'), []);
    // The scan runs often; the deadline is notified exactly once.
    assert.deepEqual(await scanSla(t.svc), { breached: 1, dueSoon: 0 });
    assert.deepEqual(await scanSla(t.svc), { breached: 0, dueSoon: 0 });
    const sent = await notifications('sla.breached');
    assert.equal(sent.length, 1);
    assert.deepEqual([sent[0]!.project, sent[0]!.count, sent[0]!.vulnerabilities.map((v: { title: string; due_at: string }) => [v.title, v.due_at])], [{ id: projectId, path: 'acme/api' }, 1, [['High one', at(30)]]]);
    const history = (await owner.get(`/api/v1/vulnerabilities/${(await one('High one')).id}`)).body.history;
    assert.deepEqual(history.filter((h: { kind: string }) => h.kind === 'sla').map((h: { to: string }) => h.to), ['due_soon', 'breached']);
    await assertConsistent();
  });

  test('a vulnerability seen only on a feature branch has no clock until the default branch has it (default policy)', async () => {
    await upload('feature', report(HIGH, CRITICAL));
    assert.deepEqual((await one('Critical one')).sla, { started_at: null, due_at: null, status: null });
    t.clock.set(at(33));
    await upload('main', report(HIGH, CRITICAL));
    assert.deepEqual((await one('Critical one')).sla, { started_at: at(33), due_at: at(40), status: 'due_soon' });
    await assertConsistent();
  });

  test('a reopen restarts the clock, or not, as the policy says; a policy change moves due dates at once', async () => {
    const high = await one('High one');
    await owner.post(`/api/v1/vulnerabilities/${high.id}/triage`, { state: 'resolved', comment: 'fixed in 1.2' });
    assert.equal((await one('High one')).sla.status, null, 'resolved: no status');
    t.clock.set(at(45));
    await upload('main', report(HIGH, CRITICAL));
    const back = await one('High one');
    assert.equal(back.state, 'detected');
    assert.deepEqual((await notifications('vulnerability.reopened')).map((n) => n.vulnerabilities.map((v: { title: string }) => v.title)), [['High one']]);
    assert.deepEqual(back.sla, { started_at: at(45), due_at: at(75), status: 'ok' });

    const changed = await owner.patch(`/api/v1/projects/${projectId}/sla-policy`, { reopen_restarts: false });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(changed.body.source, { type: 'project', id: projectId, path: 'acme/api' });
    assert.deepEqual((await one('High one')).sla, { started_at: DAY0, due_at: at(30), status: 'breached' });
    await assertConsistent();
  });

  test('a group policy reaches projects without their own; clock start "anywhere"; bad values are refused by field', async () => {
    const denied = await owner.patch('/api/v1/groups/acme/sla-policy', { days: { high: 0 } });
    assert.equal(denied.status, 400);
    assert.equal(denied.body.field, 'body/days/high');
    assert.equal((await owner.patch('/api/v1/groups/acme/sla-policy', { clock_start: 'whenever' })).status, 400);

    const group = await owner.patch('/api/v1/groups/acme/sla-policy', { days: { critical: 3 }, clock_start: 'anywhere' });
    assert.equal(group.status, 200);
    assert.equal((await one('Critical one')).sla.due_at, at(40), 'the project has its own policy: the group does not reach it');
    assert.equal((await owner.delete(`/api/v1/projects/${projectId}/sla-policy`)).status, 204);
    const policy = (await owner.get(`/api/v1/projects/${projectId}/sla-policy`)).body;
    assert.equal(policy.own, null);
    assert.deepEqual(policy.source, { type: 'group', id: group.body.source.id, path: 'acme' });
    // Anywhere: the critical one's clock started on the feature branch on day 31, with 3 days.
    assert.deepEqual((await one('Critical one')).sla, { started_at: at(31), due_at: at(34), status: 'breached' });
    await assertConsistent();
  });

  test('an accepted risk comes back for review when its acceptance expires, with an event and a notification', async () => {
    const critical = await one('Critical one');
    const past = await owner.post(`/api/v1/vulnerabilities/${critical.id}/triage`, { state: 'dismissed', reason: 'acceptable_risk', comment: 'behind the VPN', expires_at: at(1) });
    assert.equal(past.status, 400);
    assert.equal(past.body.field, 'body/expires_at');
    const wrong = await owner.post(`/api/v1/vulnerabilities/${critical.id}/triage`, { state: 'dismissed', reason: 'false_positive', comment: 'no', expires_at: at(99) });
    assert.equal(wrong.body.detail, 'body/expires_at: only an acceptance of risk expires');

    const accepted = await owner.post(`/api/v1/vulnerabilities/${critical.id}/triage`, { state: 'dismissed', reason: 'acceptable_risk', comment: 'behind the VPN until the migration', expires_at: at(55) });
    assert.equal(accepted.status, 200);
    assert.equal(await expireAcceptances(t.svc), 0);
    t.clock.set(at(56));
    assert.equal(await expireAcceptances(t.svc), 1);
    assert.equal(await expireAcceptances(t.svc), 0);
    const back = (await owner.get(`/api/v1/vulnerabilities/${critical.id}`)).body;
    assert.equal(back.state, 'detected');
    assert.deepEqual(back.history.at(-1).reason, 'risk acceptance expired: review it again');
    const sent = await notifications('acceptance.expired');
    assert.deepEqual(sent.map((n) => n.vulnerabilities.map((v: { title: string }) => v.title)), [['Critical one']]);

    // Accepting again extends it (the state does not change, the review date does).
    await owner.post(`/api/v1/vulnerabilities/${critical.id}/triage`, { state: 'dismissed', reason: 'acceptable_risk', comment: 'until the new VPN', expires_at: at(58) });
    assert.equal(await expireAcceptances(t.svc), 0);
    const extended = await owner.post(`/api/v1/vulnerabilities/${critical.id}/triage`, { state: 'dismissed', reason: 'acceptable_risk', comment: 'another week', expires_at: at(63) });
    assert.deepEqual(extended.body, { changed: 0, unchanged: 1 });
    t.clock.set(at(59));
    assert.equal(await expireAcceptances(t.svc), 0, 'the later date holds');
    t.clock.set(at(63));
    assert.equal(await expireAcceptances(t.svc), 1);

    // Without an explicit date the policy's period applies.
    await owner.patch(`/api/v1/projects/${projectId}/sla-policy`, { acceptance_days: 10 });
    t.clock.set(at(56));
    await owner.post(`/api/v1/vulnerabilities/${critical.id}/triage`, { state: 'dismissed', reason: 'acceptable_risk', comment: 'again' });
    t.clock.set(at(65));
    assert.equal(await expireAcceptances(t.svc), 0);
    t.clock.set(at(66));
    assert.equal(await expireAcceptances(t.svc), 1);
  });

  test('figures: open by age and severity, breached, MTTR from the history, compliance over the period', async () => {
    const { body } = await owner.get(`/api/v1/projects/${projectId}/sla-figures?period_days=90`);
    const mine = await list();
    assert.equal(body.open, mine.filter((v) => ['detected', 'confirmed'].includes(v.state)).length);
    assert.deepEqual(body.age_buckets, ['0-7', '8-30', '31-90', '91-180', '181-365', '>365']);
    // High one: detected day 0, now day 66 → 31-90; Critical one: detected day 31 → 31-90.
    assert.equal(body.open_by_age['31-90'].high, 1);
    assert.equal(body.open_by_age['31-90'].critical, 1);
    // Critical one came back from its acceptance on day 66, long past its day-34 deadline.
    assert.deepEqual([body.breached.high, body.breached.critical], [0, 1]);
    // High one was resolved once, on day 33 (first detected day 0), after its day-30 deadline: judged by the deadline
    // it had then, not by the day-75 one its reopen gave it.
    assert.equal(body.mttr_days.high, 33);
    assert.deepEqual(body.compliance, { met: 0, missed: 2, percent: 0 });
    assert.deepEqual((await list('&min_age_days=60')).map((v) => v.title), ['High one']);
    assert.deepEqual((await list('&min_age_days=66')).map((v) => v.title), ['High one'], 'exactly 66 days old counts as at least 66');
    assert.deepEqual((await list('&max_age_days=40&sort=first_detected')).map((v) => v.title), ['Critical one']);
    const group = await owner.get('/api/v1/groups/acme/sla-figures');
    assert.equal(group.body.open, body.open);
    assert.equal((await owner.get(`/api/v1/projects/${projectId}/sla-figures?period_days=0`)).status, 400);
  });

  test('a person reopening a resolved vulnerability restarts its clock too', async () => {
    const high = await one('High one');
    await owner.post(`/api/v1/vulnerabilities/${high.id}/triage`, { state: 'resolved', comment: 'fixed again' });
    t.clock.set(at(70));
    await owner.post(`/api/v1/vulnerabilities/${high.id}/triage`, { state: 'confirmed', comment: 'not fixed after all' });
    // The project's policy (from the group): reopen restarts, high has 30 days.
    assert.deepEqual((await one('High one')).sla, { started_at: at(70), due_at: at(100), status: 'ok' });
    await assertConsistent();
  });

  test('refreshing more ids than either database binds at once works (a first scan of a big image)', async () => {
    const ids = Array.from({ length: 70_000 }, (_, i) => 10_000_000 + i);
    assert.equal(await refreshSla(use().kysely, use().dialect, { kind: 'ids', ids }), 0);
  });

  test('the report sorts by due date, soonest first, vulnerabilities without a deadline last, across pages', async () => {
    await owner.patch(`/api/v1/projects/${projectId}/sla-policy`, { days: { medium: null } });
    await upload('main', report(HIGH, CRITICAL, { title: 'Medium one', severity: 'medium', rule: 'medium-one' }));
    const order = (await list('&sort=due_date')).map((v) => v.title);
    assert.deepEqual(order, ['Critical one', 'High one', 'Medium one']);
    const first = await owner.get(`/api/v1/projects/${projectId}/vulnerabilities?sort=due_date&limit=2`);
    const second = await owner.get(`/api/v1/projects/${projectId}/vulnerabilities?sort=due_date&limit=2&cursor=${first.body.next_cursor}`);
    assert.deepEqual([...first.body.items, ...second.body.items].map((v: { title: string }) => v.title), order);
  });
});
