import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY, HOUR } from '../../src/platform/clock.js';
import { refreshDashboardStats } from '../../src/vulns/dashboards/stats-job.js';
import { describeEachDatabase } from '../support/databases.js';
import { reportFile } from '../support/fixtures.js';
import { caller, makeToken, makeUser, startTestApp, type Caller, type TestApp } from '../support/app.js';

/**
 * The dashboards over simulated days, on real scanner reports:
 *
 * - acme/web (auto-resolve on): ShellCheck SARIF, 5 results (SARIF "note" → low), and a GitLab secret detection
 *   report (1 critical) on day 0; the 4-result subset on day 3 resolves the fifth, which the full report brings back on
 *   day 7; the critical secret is resolved by hand on day 9, two days after its 7-day deadline.
 * - acme/platform/api: Semgrep many_vulns (48: 13 high, 35 medium; CWE-327 ×33, CWE-611 ×10, CWE-1236 ×1; the 10 CWE-611
 *   are high) on day 0; GitLab SAST (5: 4 medium, 1 low; CWEs written as bare numbers "327" and "321") on day 2; on day 5
 *   one high without a CWE is dismissed and one CWE-611 high resolved.
 *
 * The job runs after each day's activity (not every day: a skipped day is filled from the last computation).
 */
const DAY0 = Date.parse('2026-03-02T09:00:00.000Z'); // a Monday
const at = (days: number, hours = 0) => new Date(DAY0 + days * DAY + hours * HOUR).toISOString();
const dayName = (days: number) => at(days).slice(0, 10);

type Counts = { critical: number; high: number; medium: number; low: number; info: number; unknown: number };
const counts = (c: Partial<Counts>): Counts => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0, ...c });
const plus = (a: Counts, b: Counts): Counts => counts(Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof Counts] + b[k as keyof Counts]])));

/** Open at the end of day d (d ≥ 0) of each project, as the story above makes it. */
const webOpen = (d: number) => counts({ critical: d < 9 ? 1 : 0, low: d < 3 || d >= 7 ? 5 : 4 });
const apiOpen = (d: number) => (d < 2 ? counts({ high: 13, medium: 35 }) : d < 5 ? counts({ high: 13, medium: 39, low: 1 }) : counts({ high: 11, medium: 39, low: 1 }));

describeEachDatabase('security dashboards: daily statistics, backfill, live figures (simulated days)', (use) => {
  let t: TestApp;
  let api: Caller;
  let token: string;
  const ids: Record<'web' | 'api', number> = { web: 0, api: 0 };
  const urls = { web: () => `/api/v1/projects/${ids.web}`, api: () => `/api/v1/projects/${ids.api}`, acme: () => '/api/v1/groups/acme', platform: () => `/api/v1/groups/${encodeURIComponent('acme/platform')}` };

  const upload = async (project: 'web' | 'api', fixture: string) => {
    const reply = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${ids[project]}/scans?ref=main`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: reportFile(fixture) });
    assert.equal(reply.statusCode, 201, reply.body);
    return JSON.parse(reply.body).summary;
  };
  const dashboard = async (scope: keyof typeof urls, days = 30) => {
    const reply = await api.get(`${urls[scope]()}/dashboard?days=${days}`);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body;
  };
  const openVulnerabilities = async (project: 'web' | 'api', query = '') =>
    (await api.get(`/api/v1/projects/${ids[project]}/vulnerabilities?limit=100&state=detected,confirmed${query}`)).body.items as { id: number; title: string; risk: { score: number } }[];
  const triage = async (id: number, body: object) => assert.equal((await api.post(`/api/v1/vulnerabilities/${id}/triage`, body)).status, 200);
  /** The trend entries of days first..last (day numbers), as the story expects them. */
  const expectedTrend = (open: (d: number) => Counts, first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => ({ day: dayName(first + i), ...open(first + i) }));
  const storedRows = async () =>
    use().kysely.selectFrom('dashboard_daily').selectAll().orderBy('scope_type').orderBy('scope_id').orderBy('day').orderBy('severity').execute();

  before(async () => {
    t = await startTestApp(use());
    t.clock.set(at(0));
    token = await makeToken(t.svc, await makeUser(t.svc, 'root', { admin: true }), ['read', 'write', 'admin']);
    api = caller(t.app, { token });
    await api.post('/api/v1/groups', { path: 'acme' });
    await api.post('/api/v1/groups/acme/subgroups', { path: 'platform' });
    ids.web = (await api.post('/api/v1/groups/acme/projects', { path: 'web' })).body.id;
    ids.api = (await api.post(`${urls.platform()}/projects`, { path: 'api' })).body.id;
    assert.equal((await api.patch(urls.web(), { auto_resolve: true })).status, 200);
  });
  after(async () => {
    await t.app.close();
  });

  test('day 0: before the job has ever run, today is live and the past is empty; the first run backfills', async () => {
    assert.equal((await upload('web', 'sarif/bash-report-fabricated-no-internal-dupes.sarif')).new, 5);
    assert.equal((await upload('web', 'gitlab/gitlab_secret_detection_report_1_vuln_v15.json')).new, 1);
    assert.equal((await upload('api', 'semgrep/many_vulns.json')).new, 48);

    const live = await dashboard('acme');
    assert.deepEqual(live.scope, { kind: 'group', id: live.scope.id, full_path: 'acme' });
    assert.equal(live.days, 30);
    assert.equal(live.as_of, at(0));
    assert.deepEqual(live.open_by_severity, plus(webOpen(0), apiOpen(0)));
    assert.equal(live.trend.length, 30);
    assert.deepEqual(live.trend.at(-1), { day: dayName(0), ...plus(webOpen(0), apiOpen(0)) });
    assert.deepEqual(live.trend.at(-2), { day: dayName(-1), ...counts({}) });
    assert.deepEqual(live.weekly.at(-1), { week_start: dayName(0), new: 54, resolved: 0 });

    // The job runs every 15 minutes: an hour later it has seen the uploads.
    t.clock.set(at(0, 1));
    assert.deepEqual(await refreshDashboardStats(t.svc), { projects: 2, backfilled: 2, groups: 2 });
    assert.deepEqual(await refreshDashboardStats(t.svc), { projects: 0, backfilled: 0, groups: 0 }, 'nothing changed: nothing to recompute');
    const stored = await dashboard('acme');
    assert.deepEqual({ ...stored, as_of: null }, { ...live, as_of: null }, 'the snapshots sum to what was computed live');
    // A group reads its projects' snapshots (a project's own dashboard is always computed on the spot).
    await use().kysely.updateTable('dashboard_current').set((eb) => ({ low: eb('low', '+', 100) })).where('project_id', '=', ids.web).execute();
    assert.equal((await dashboard('acme')).open_by_severity.low, 105);
    assert.equal((await dashboard('web')).open_by_severity.low, 5);
    await use().kysely.updateTable('dashboard_current').set((eb) => ({ low: eb('low', '-', 100) })).where('project_id', '=', ids.web).execute();
  });

  test('days 2–9: rescans, a reopen and triage; a dismissal shows at once on the project and every group above it', async () => {
    t.clock.set(at(2));
    assert.equal((await upload('api', 'gitlab-branches/master/gl-sast-report.json')).new, 5);
    // Day 1 had no run: this one recomputes from the day of the last one.
    t.clock.set(at(2, 1));
    assert.deepEqual(await refreshDashboardStats(t.svc), { projects: 2, backfilled: 0, groups: 2 });
    t.clock.set(at(3));
    assert.deepEqual(await upload('web', 'sarif/bash-report-fabricated-no-internal-dupes-subset.sarif'), { new: 0, existing: 4, fixed: 1, reopened: 0, total: 4 });
    t.clock.set(at(3, 1));
    await refreshDashboardStats(t.svc);

    // The job ran a minute before the triage: web's snapshot is current, api's goes stale with the triage.
    t.clock.set(new Date(Date.parse(at(5)) - 60_000));
    assert.deepEqual(await refreshDashboardStats(t.svc), { projects: 2, backfilled: 0, groups: 2 });
    t.clock.set(at(5));
    assert.deepEqual((await dashboard('platform')).open_by_severity, apiOpen(4));
    const tempfile = (await openVulnerabilities('api', '&severity=high')).find((v) => v.title.startsWith("Using 'temp.name' without '.flush()'"))!;
    await triage(tempfile.id, { state: 'dismissed', reason: 'false_positive', comment: 'the file is flushed by the context manager' });
    const [xxe] = await openVulnerabilities('api', '&severity=high&identifier=CWE-611');
    await triage(xxe!.id, { state: 'resolved', comment: 'parser hardened' });

    for (const scope of ['api', 'platform', 'acme'] as const) {
      const now = await dashboard(scope);
      const expected = scope === 'acme' ? plus(webOpen(5), apiOpen(5)) : apiOpen(5);
      assert.deepEqual(now.open_by_severity, expected, scope);
      assert.deepEqual(now.trend.at(-1), { day: dayName(5), ...expected }, scope);
      assert.deepEqual(now.trend.at(-2), { day: dayName(4), ...(scope === 'acme' ? plus(webOpen(4), apiOpen(4)) : apiOpen(4)) }, scope);
      assert.equal(now.weekly.at(-1).resolved, scope === 'acme' ? 2 : 1, scope);
      assert.deepEqual(now.mttr.find((m: { severity: string }) => m.severity === 'high'), { severity: 'high', resolved: 1, mean_days: 5, median_days: 5 }, scope);
      assert.equal(now.top_cwes.find((c: { cwe: string }) => c.cwe === 'CWE-611').count, 9, scope);
    }
    // A top-CWE link opens the report filtered by that identifier: the same nine, though the report stored "611".
    assert.equal((await openVulnerabilities('api', '&identifier=CWE-611')).length, 9);
    assert.equal((await openVulnerabilities('api', '&identifier=cwe-611')).length, 9);
    t.clock.set(at(5, 1));
    await refreshDashboardStats(t.svc);

    t.clock.set(at(7));
    assert.deepEqual(await upload('web', 'sarif/bash-report-fabricated-no-internal-dupes.sarif'), { new: 0, existing: 5, fixed: 0, reopened: 1, total: 5 });
    t.clock.set(at(7, 1));
    await refreshDashboardStats(t.svc);

    t.clock.set(at(9));
    const [secret] = await openVulnerabilities('web', '&severity=critical');
    await triage(secret!.id, { state: 'resolved', comment: 'rotated the key' });
    t.clock.set(at(9, 1));
    await refreshDashboardStats(t.svc);
  });

  test('day 10: trend, weekly new vs resolved, MTTR, SLA, age, top projects and CWEs; a group is the sum of its subtree', async () => {
    t.clock.set(at(10, 1));
    await refreshDashboardStats(t.svc);
    const [web, apiProject, platform, acme] = [await dashboard('web'), await dashboard('api'), await dashboard('platform'), await dashboard('acme')];
    const zero = () => counts({});
    const before0 = (open: (d: number) => Counts) => (d: number) => (d < 0 ? zero() : open(d));

    assert.deepEqual(web.trend, expectedTrend(before0(webOpen), -19, 10));
    assert.deepEqual(apiProject.trend, expectedTrend(before0(apiOpen), -19, 10));
    assert.deepEqual(acme.trend, expectedTrend((d) => plus(before0(webOpen)(d), before0(apiOpen)(d)), -19, 10));
    assert.deepEqual({ ...platform, scope: null }, { ...apiProject, scope: null }, 'the subgroup holds only the api project');
    assert.deepEqual(platform.scope, { kind: 'group', id: platform.scope.id, full_path: 'acme/platform' });

    // The window 2026-02-11 … 2026-03-12 (Wed … Thu) spans five ISO weeks.
    assert.deepEqual(acme.weekly, [
      { week_start: '2026-02-09', new: 0, resolved: 0 },
      { week_start: '2026-02-16', new: 0, resolved: 0 },
      { week_start: '2026-02-23', new: 0, resolved: 0 },
      { week_start: '2026-03-02', new: 59, resolved: 2 },
      { week_start: '2026-03-09', new: 0, resolved: 1 },
    ]);
    assert.deepEqual(web.weekly.slice(-2), [{ week_start: '2026-03-02', new: 6, resolved: 1 }, { week_start: '2026-03-09', new: 0, resolved: 1 }]);

    const mttr = (critical: [number, number | null], high: [number, number | null], low: [number, number | null]) =>
      (['critical', 'high', 'medium', 'low', 'info', 'unknown'] as const).map((severity) => {
        const [resolved, days] = { critical, high, low }[severity as 'critical'] ?? [0, null];
        return { severity, resolved, mean_days: days, median_days: days };
      });
    assert.deepEqual(acme.mttr, mttr([1, 9], [1, 5], [1, 3]));
    assert.deepEqual(web.mttr, mttr([1, 9], [0, null], [1, 3]));
    assert.deepEqual(apiProject.mttr, mttr([0, null], [1, 5], [0, null]));

    // Open: all far from their deadlines. Resolved: the low and the high in time, the critical 2 days late.
    assert.deepEqual(acme.sla, { on_track: 56, due_soon: 0, overdue: 0, resolved_in_time: 2, resolved_late: 1, compliance: 0.667 });
    assert.deepEqual(apiProject.sla, { on_track: 51, due_soon: 0, overdue: 0, resolved_in_time: 1, resolved_late: 0, compliance: 1 });
    assert.deepEqual(
      acme.age_buckets.map((b: { count: number }) => b.count),
      [56, 0, 0, 0, 0],
    );
    assert.deepEqual(acme.age_buckets.map((b: { label: string; min_days: number; max_days: number | null }) => [b.label, b.min_days, b.max_days]), [
      ['< 30 days', 0, 30],
      ['30–90 days', 30, 90],
      ['90–180 days', 90, 180],
      ['180–365 days', 180, 365],
      ['> 1 year', 365, null],
    ]);

    // Risk: the sums of the open vulnerabilities' scores as the report lists them.
    const riskOf = async (project: 'web' | 'api') => {
      const scores = (await openVulnerabilities(project)).map((v) => v.risk.score);
      return { total: Math.round(scores.reduce((a, b) => a + b, 0) * 100) / 100, max: Math.max(...scores) };
    };
    const [webRisk, apiRisk] = [await riskOf('web'), await riskOf('api')];
    assert.deepEqual(acme.top_projects, [
      { project_id: ids.api, full_path: 'acme/platform/api', open: 51, critical: 0, high: 11, risk_max: apiRisk.max, risk_total: apiRisk.total },
      { project_id: ids.web, full_path: 'acme/web', open: 5, critical: 0, high: 0, risk_max: webRisk.max, risk_total: webRisk.total },
    ]);
    assert.deepEqual(web.top_projects, [{ project_id: ids.web, full_path: 'acme/web', open: 5, critical: 0, high: 0, risk_max: webRisk.max, risk_total: webRisk.total }]);
    // Semgrep's "CWE-327: …" and GitLab's bare "327" are one CWE; GitLab's rule names under type "cwe" are none.
    assert.deepEqual(acme.top_cwes, [
      { cwe: 'CWE-327', count: 34 },
      { cwe: 'CWE-611', count: 9 },
      { cwe: 'CWE-1236', count: 1 },
      { cwe: 'CWE-321', count: 1 },
    ]);
    assert.deepEqual(web.top_cwes, []);

    // Stored group rows are the sums of their subtree's project rows, day by day and severity by severity.
    const rows = await storedRows();
    const key = (r: { day: string; severity: string }) => `${r.day} ${r.severity}`;
    const sumOf = (projectIds: number[]) => {
      const out = new Map<string, number[]>();
      for (const r of rows.filter((r) => r.scope_type === 'project' && projectIds.includes(r.scope_id))) {
        const v = [r.open_count, r.new_count, r.resolved_count, Number(r.resolution_seconds), r.resolved_in_time, r.resolved_late];
        out.set(key(r), (out.get(key(r)) ?? [0, 0, 0, 0, 0, 0]).map((x, i) => x + v[i]!));
      }
      return out;
    };
    const groupRows = (id: number) => new Map(rows.filter((r) => r.scope_type === 'group' && r.scope_id === id).map((r) => [key(r), [r.open_count, r.new_count, r.resolved_count, Number(r.resolution_seconds), r.resolved_in_time, r.resolved_late]]));
    assert.deepEqual(groupRows(acme.scope.id), sumOf([ids.web, ids.api]));
    assert.deepEqual(groupRows(platform.scope.id), sumOf([ids.api]));
    // Days 0–10 of high, medium and low, and days 0–9 of critical (open until day 8, resolved on day 9).
    assert.equal(groupRows(acme.scope.id).size, 3 * 11 + 10);
  });

  test('a backfill from events alone reproduces what the daily runs recorded, row for row', async () => {
    const recorded = await storedRows();
    const db = use().kysely;
    await db.deleteFrom('dashboard_daily').execute();
    await db.deleteFrom('dashboard_current_cwes').execute();
    await db.deleteFrom('dashboard_current').execute();
    assert.deepEqual(await refreshDashboardStats(t.svc), { projects: 2, backfilled: 2, groups: 2 });
    assert.deepEqual(await storedRows(), recorded);
  });

  test('day 91: ages and SLA statuses move with time alone (expired snapshots are read live); the job fills the days it missed', async () => {
    t.clock.set(at(91, 1));
    const acme = await dashboard('acme', 90);
    // Detected on day 0: 91 days old (11 high + 35 medium of api, 5 low of web); on day 2: 89 days (4 medium, 1 low).
    assert.deepEqual(acme.age_buckets.map((b: { count: number }) => b.count), [0, 5, 51, 0, 0]);
    // Highs were due on day 30 and day-0 mediums on day 90; day-2 mediums are due on day 92; lows on day 180 and later.
    assert.deepEqual(acme.sla, { on_track: 6, due_soon: 4, overdue: 46, resolved_in_time: 2, resolved_late: 1, compliance: 0.667 });
    assert.deepEqual(acme.open_by_severity, plus(webOpen(91), apiOpen(91)));

    await refreshDashboardStats(t.svc);
    const after = await dashboard('acme', 90);
    assert.deepEqual({ ...after, as_of: null }, { ...acme, trend: after.trend, as_of: null });
    assert.equal(after.trend.length, 90);
    assert.deepEqual(after.trend[0], { day: dayName(2), ...plus(webOpen(2), apiOpen(2)) });
    assert.ok(after.trend.every((p: Counts & { day: string }) => p.day < dayName(9) || (p.low === 6 && p.critical === 0 && p.high === 11 && p.medium === 39)));
    assert.equal((await dashboard('acme', 365)).trend.length, 365);
  });

  test('a deleted project leaves no statistics behind', async () => {
    const tmp = (await api.post('/api/v1/groups/acme/projects', { path: 'tmp' })).body.id as number;
    await t.app.inject({ method: 'POST', url: `/api/v1/projects/${tmp}/scans?ref=main`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: reportFile('gitlab/gitlab_secret_detection_report_1_vuln_v15.json') });
    t.clock.set(at(91, 2));
    assert.deepEqual(await refreshDashboardStats(t.svc), { projects: 1, backfilled: 1, groups: 1 });
    const rowsOf = async () => (await storedRows()).filter((r) => r.scope_type === 'project' && r.scope_id === tmp).length;
    assert.equal(await rowsOf(), 1);
    assert.equal((await api.delete(`/api/v1/projects/${tmp}`)).status, 204);
    await refreshDashboardStats(t.svc);
    assert.equal(await rowsOf(), 0);
    assert.equal((await use().kysely.selectFrom('dashboard_current').select('project_id').where('project_id', '=', tmp).execute()).length, 0);
    assert.deepEqual((await dashboard('acme', 90)).open_by_severity, plus(webOpen(91), apiOpen(91)));
  });

  test('days other than 30, 90 and 365 are refused', async () => {
    for (const days of ['7', '0', 'all']) {
      const reply = await api.get(`${urls.acme()}/dashboard?days=${days}`);
      assert.equal(reply.status, 400, days);
      assert.equal(reply.body.field, 'query/days');
    }
    assert.equal((await api.get(`${urls.web()}/dashboard?days=7`)).status, 400);
    assert.equal((await api.get(`${urls.web()}/dashboard`)).body.days, 90);
  });
});
