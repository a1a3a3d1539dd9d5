import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseCvss, scoreCvss, withEnvironmental } from '../../src/risk/cvss/index.js';
import { riskInputsOf } from '../../src/risk/explain.js';
import { importEpss } from '../../src/risk/feeds/import-epss.js';
import { importKev } from '../../src/risk/feeds/import-kev.js';
import { loadRiskPolicy } from '../../src/risk/policy-store.js';
import { riskScore } from '../../src/risk/score.js';
import { describeEachDatabase } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type Caller, type TestApp } from '../support/app.js';
import { EPSS_EXCERPT, KEV_JSON } from '../support/fixtures.js';
import { REPORT, V31_CRITICAL, V31_CRITICAL_CHANGED } from '../support/risk-report.js';

interface Item {
  id: number;
  title: string;
  risk: { score: number; cvss_score: number | null; epss: number | null; kev: boolean; ssvc: string | null };
}

describeEachDatabase('risk scores, SSVC and the fix-first order', (use) => {
  let t: TestApp;
  let admin: Caller;
  let maintainer: Caller;
  let reporter: Caller;
  let outsider: Caller;
  let projectId: number;
  const ids: Record<string, number> = {};

  const list = async (query = '') => {
    const reply = await reporter.get(`/api/v1/projects/${projectId}/vulnerabilities?sort=risk${query}`);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body.items as Item[];
  };
  const titles = async (query = '') => (await list(query)).map((v) => v.title);
  const byTitle = async () => Object.fromEntries((await list()).map((v) => [v.title, v.risk]));

  /** The SQL that rescored each row and the pure formula agree to the last bit, and the explanation agrees with both. */
  async function assertConsistent(): Promise<void> {
    const policy = await loadRiskPolicy(use().kysely);
    const rows = await use().kysely.selectFrom('vulnerability_risk').selectAll().where('project_id', '=', projectId).execute();
    assert.equal(rows.length, 5);
    for (const row of rows) {
      const detail = await reporter.get(`/api/v1/vulnerabilities/${row.vulnerability_id}`);
      assert.equal(row.severity, detail.body.severity, 'the severity copy follows the vulnerability');
      assert.equal(row.risk_score, riskScore(policy, riskInputsOf(row)).score, `${detail.body.title}: stored risk`);
      assert.equal(detail.body.risk_explanation.ssvc.decision, row.ssvc, `${detail.body.title}: SSVC`);
      assert.equal(detail.body.risk_explanation.score, row.risk_score);
    }
  }

  before(async () => {
    t = await startTestApp(use());
    const root = await makeUser(t.svc, 'root', { admin: true });
    admin = caller(t.app, { token: await makeToken(t.svc, root, ['read', 'write', 'admin']) });
    await admin.post('/api/v1/groups', { path: 'acme' });
    projectId = (await admin.post('/api/v1/groups/acme/projects', { path: 'shop' })).body.id;
    for (const [name, role] of [['mia', 'maintainer'], ['rey', 'reporter']] as const) {
      const user = await makeUser(t.svc, name);
      await admin.post(`/api/v1/projects/${projectId}/members`, { user: name, role });
      const c = caller(t.app, { token: await makeToken(t.svc, user, ['read', 'write']) });
      if (role === 'maintainer') maintainer = c;
      else reporter = c;
    }
    outsider = caller(t.app, { token: await makeToken(t.svc, await makeUser(t.svc, 'otto'), ['read']) });
    const upload = await admin.post(`/api/v1/projects/${projectId}/scans?ref=main`, REPORT);
    assert.equal(upload.status, 201, JSON.stringify(upload.body));
    for (const v of await list()) ids[v.title] = v.id;
  });
  after(async () => {
    await t.app.close();
  });

  test('before any feed, risk comes from severity and CVSS alone, with the policy default for the missing EPSS', async () => {
    const risk = await byTitle();
    assert.equal(risk['Log4Shell']!.cvss_score, 10);
    assert.equal(risk['Old but likely exploited']!.cvss_score, 9.8, 'the newest CVSS version wins over the v2 vector');
    assert.equal(risk['Old and unlikely']!.cvss_score, 7.5);
    assert.equal(risk['SQL injection']!.score, 100 * 0.01 * 0.9);
    assert.equal(risk['Unscored CVE']!.score, 100 * 0.01 * 0.5);
    assert.deepEqual(await titles(), ['Log4Shell', 'Old but likely exploited', 'SQL injection', 'Old and unlikely', 'Unscored CVE']);
    await assertConsistent();
  });

  test('importing EPSS and KEV rescores exactly the vulnerabilities whose CVEs they cover', async () => {
    assert.equal((await importEpss(t.svc, EPSS_EXCERPT, { actor: 'test' })).counts.rescored, 3);
    assert.equal((await importKev(t.svc, KEV_JSON, { actor: 'test' })).counts.rescored, 1);
    assert.deepEqual(await titles(), ['Log4Shell', 'Old but likely exploited', 'Old and unlikely', 'SQL injection', 'Unscored CVE']);
    const risk = await byTitle();
    assert.deepEqual(risk['Log4Shell'], { score: 100, cvss_score: 10, cvss_version: '3.1', epss: 0.99999, epss_percentile: 1, kev: true, ssvc: 'act' });
    assert.equal(risk['Old but likely exploited']!.score, 100 * 0.95739 * (9.8 / 10));
    assert.equal(risk['Old but likely exploited']!.ssvc, 'track*');
    assert.equal(risk['Old and unlikely']!.score, 100 * 0.03351 * (7.5 / 10));
    assert.equal(risk['Old and unlikely']!.ssvc, 'track');
    assert.equal(risk['SQL injection']!.ssvc, 'track', 'an exploit-db link is public PoC evidence, but not enough on its own');
    await assertConsistent();
  });

  test('the list filters by KEV, EPSS, SSVC and risk', async () => {
    assert.deepEqual(await titles('&kev=true'), ['Log4Shell']);
    assert.deepEqual(await titles('&kev=false'), ['Old but likely exploited', 'Old and unlikely', 'SQL injection', 'Unscored CVE']);
    assert.deepEqual(await titles('&epss_min=0.5'), ['Log4Shell', 'Old but likely exploited']);
    assert.deepEqual(await titles('&ssvc=act,track_star'), ['Log4Shell', 'Old but likely exploited']);
    assert.deepEqual(await titles('&risk_min=2'), ['Log4Shell', 'Old but likely exploited', 'Old and unlikely']);
    const bad = await reporter.get(`/api/v1/projects/${projectId}/vulnerabilities?ssvc=urgent`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'query/ssvc');
    // Keyset paging in risk order visits every row once.
    const seen: string[] = [];
    let cursor = '';
    do {
      const page = await reporter.get(`/api/v1/projects/${projectId}/vulnerabilities?sort=risk&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((v: Item) => v.title));
      cursor = page.body.next_cursor ?? '';
    } while (cursor);
    assert.deepEqual(seen, await titles());
  });

  test('a vulnerability explains its rank: factors, CVSS, EPSS with its change, KEV and the SSVC path', async () => {
    const { body } = await reporter.get(`/api/v1/vulnerabilities/${ids['Log4Shell']}`);
    const e = body.risk_explanation;
    assert.deepEqual(
      e.factors.map((f: { factor: string; value: number }) => [f.factor, f.value]),
      [['threat', 1], ['weight', 1], ['modifier', 1.1]],
    );
    assert.match(e.factors[0].because, /Known Exploited Vulnerabilities/);
    assert.match(e.factors[2].because, /ransomware/);
    assert.equal(e.cvss.vector, V31_CRITICAL_CHANGED);
    assert.equal(e.cvss.base, 10);
    assert.deepEqual(e.epss, { cve: 'CVE-2021-44228', probability: 0.99999, percentile: 1, score_date: '2026-09-29T12:00:22.000Z', model_version: 'v2026.06.15', change_7d: null, change_30d: null });
    assert.equal(e.kev.known_ransomware, true);
    assert.equal(e.kev.due_date, '2021-12-24');
    assert.equal(e.ssvc.decision, 'act');
    assert.deepEqual(e.ssvc.path.map((s: { point: string; value: string }) => `${s.point}=${s.value}`), ['exploitation=active', 'automatable=yes', 'technical_impact=total', 'mission_well_being=medium']);

    const old = (await reporter.get(`/api/v1/vulnerabilities/${ids['Old but likely exploited']}`)).body.risk_explanation;
    assert.deepEqual(old.reported_vectors.map((v: { vector: string; score: number }) => [v.vector, v.score]), [['AV:L/AC:H/Au:M/C:N/I:N/A:P', 0.8], [V31_CRITICAL, 9.8]]);
    assert.match(old.ssvc.path[0].because, /EPSS 95.7% ≥ 10% suggests exploit code exists/);
  });

  test("a project's mission and environmental metrics move SSVC and CVSS; bad metrics are named", async () => {
    const denied = await reporter.patch(`/api/v1/projects/${projectId}/risk-settings`, { mission_prevalence: 'essential' });
    assert.equal(denied.status, 403);
    const bad = await maintainer.patch(`/api/v1/projects/${projectId}/risk-settings`, { cvss3_environmental: 'CR:H/AV:L' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'body/cvss3_environmental');
    assert.match(bad.body.detail, /AV/);

    const changed = await maintainer.patch(`/api/v1/projects/${projectId}/risk-settings`, { mission_prevalence: 'essential', cvss3_environmental: 'CR:L/IR:L/AR:L' });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.mission_well_being, 'high');
    const risk = await byTitle();
    assert.equal(risk['Old but likely exploited']!.ssvc, 'attend');
    assert.equal(risk['Old and unlikely']!.ssvc, 'attend');
    assert.equal(risk['SQL injection']!.ssvc, 'track*');
    const expected = scoreCvss(withEnvironmental(parseCvss(V31_CRITICAL), 'CR:L/IR:L/AR:L')).overall;
    assert.ok(expected < 9.8);
    assert.equal(risk['Old but likely exploited']!.cvss_score, expected);
    assert.equal(risk['Old and unlikely']!.cvss_score, 7.5, 'the v3 metrics do not touch a v2 vector');
    await assertConsistent();
  });

  test('a maintainer records exploitation for one vulnerability: rescored, explained and in its history', async () => {
    const id = ids['Unscored CVE']!;
    const bad = await maintainer.patch(`/api/v1/vulnerabilities/${id}/risk`, { environmental: 'CR:H', comment: 'no vector' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.detail, /no CVSS vector/);
    const reply = await maintainer.patch(`/api/v1/vulnerabilities/${id}/risk`, { exploitation: 'active', comment: 'seen in our honeypot' });
    assert.equal(reply.status, 204, JSON.stringify(reply.body));
    const { body } = await reporter.get(`/api/v1/vulnerabilities/${id}`);
    assert.equal(body.risk.score, 100 * 1 * 0.5);
    assert.equal(body.risk.ssvc, 'attend');
    assert.equal(body.risk_explanation.ssvc.path[0].because, 'set by a maintainer');
    assert.deepEqual(body.history.at(-1), { at: body.history.at(-1).at, actor: 'mia', kind: 'exploitation', from: null, to: 'active', reason: null, comment: 'seen in our honeypot', scan_id: null });
    await assertConsistent();
  });

  test('a severity override replaces CVSS as the weight', async () => {
    const id = ids['Old and unlikely']!;
    const reply = await maintainer.post(`/api/v1/vulnerabilities/${id}/triage`, { severity: 'low', justification: 'only reachable from the admin network' });
    assert.equal(reply.status, 200);
    assert.equal((await byTitle())['Old and unlikely']!.score, 100 * 0.03351 * 0.3);
    await assertConsistent();
  });

  test('an admin changes the policy and every score follows; others cannot', async () => {
    assert.equal((await maintainer.patch('/api/v1/risk/policy', { missing_epss_threat: 0.05 })).status, 403);
    const reply = await admin.patch('/api/v1/risk/policy', { missing_epss_threat: 0.05 });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.missing_epss_threat, 0.05);
    assert.equal((await byTitle())['SQL injection']!.score, 100 * 0.05 * 0.9);
    assert.equal((await reporter.get('/api/v1/risk/policy')).body.missing_epss_threat, 0.05);
    await assertConsistent();
  });

  test('any signed-in user can check a CVSS vector: canonical order and scores, or the bad metric named', async () => {
    const ok = await outsider.get(`/api/v1/risk/cvss?vector=${encodeURIComponent('CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:X')}`);
    assert.equal(ok.status, 200);
    assert.deepEqual([ok.body.vector, ok.body.base, ok.body.severity], [V31_CRITICAL, 9.8, 'critical']);
    const env = await outsider.get(`/api/v1/risk/cvss?vector=${encodeURIComponent(V31_CRITICAL)}&environmental=${encodeURIComponent('CR:L/IR:L/AR:L')}`);
    assert.ok(env.body.environmental < 9.8);
    const bad = await outsider.get(`/api/v1/risk/cvss?vector=${encodeURIComponent('CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')}`);
    assert.equal(bad.status, 400);
    assert.deepEqual([bad.body.field, bad.body.detail], ['query/vector', 'CVSS 3.1 vector: unknown value "Q" for metric AV (allowed: N, A, L, P)']);
    const v4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MAV:L/E:A';
    assert.equal((await outsider.get(`/api/v1/risk/cvss?vector=${encodeURIComponent(v4)}`)).body.vector, 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/MAV:L');
    const strict = await outsider.get(`/api/v1/risk/cvss?strict=true&vector=${encodeURIComponent(v4)}`);
    assert.equal(strict.status, 400);
    assert.match(strict.body.detail, /out of order/);
  });

  test('a CVE page shows EPSS history, KEV and only the vulnerabilities of projects the caller can see', async () => {
    const mine = await reporter.get('/api/v1/risk/cves/CVE-2021-44228');
    assert.equal(mine.status, 200);
    assert.equal(mine.body.epss.probability, 0.99999);
    assert.deepEqual(mine.body.epss_history, [{ date: '2026-09-29', probability: 0.99999, percentile: 1, model_version: 'v2026.06.15' }]);
    assert.equal(mine.body.kev.vendor_project, 'Apache');
    assert.deepEqual(mine.body.affected.map((a: { project_path: string; title: string }) => [a.project_path, a.title]), [['acme/shop', 'Log4Shell']]);
    const theirs = await outsider.get('/api/v1/risk/cves/CVE-2021-44228');
    assert.deepEqual(theirs.body.affected, []);
    assert.equal((await outsider.get('/api/v1/risk/cves/CVE-2099-12345')).status, 404, 'known only from a project the caller cannot see');
    assert.equal((await reporter.get('/api/v1/risk/cves/CVE-2099-12345')).status, 200);
    assert.equal((await reporter.get('/api/v1/risk/cves/not-a-cve')).status, 400);
  });
});
