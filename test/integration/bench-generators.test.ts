import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { firstRun, nextRun } from '../../bench/runs.js';
import { reportText, SYNTHETIC_FORMATS } from '../../bench/synthetic-report.js';
import { describeEachDatabase } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type Caller, type TestApp } from '../support/app.js';

/**
 * The benchmark's synthetic runs, ingested through the upload route: the summary of the second run is exactly the
 * change share the generator was asked for, in every format (a moved finding is the same vulnerability).
 */
describeEachDatabase('synthetic reports through the real ingest', (use) => {
  let t: TestApp;
  let api: Caller;
  let token: string;

  before(async () => {
    t = await startTestApp(use());
    const root = await makeUser(t.svc, 'root', { admin: true });
    token = await makeToken(t.svc, root, ['read', 'write', 'admin']);
    api = caller(t.app, { token });
    await api.post('/api/v1/groups', { path: 'bench' });
  });
  after(async () => {
    await t.app.close();
  });

  async function upload(projectId: number, payload: string) {
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/scans?ref=main`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload,
    });
    assert.equal(reply.statusCode, 201, reply.body);
    return JSON.parse(reply.body).summary;
  }

  for (const format of SYNTHETIC_FORMATS) {
    test(`${format}: 400 findings, then 10% new, 5% fixed, 5% moved`, async () => {
      const project = await api.post('/api/v1/groups/bench/projects', { path: format, default_branch: 'main' });
      assert.equal(project.status, 201);
      const first = firstRun(400);
      const { run: second, changes } = nextRun(first, { new: 0.1, fixed: 0.05, moved: 0.05 });
      assert.deepEqual(await upload(project.body.id, reportText(format, first)), { new: 400, existing: 0, fixed: 0, reopened: 0, total: 400 });
      assert.deepEqual(changes, { new: 40, fixed: 20, moved: 20, existing: 380 });
      assert.deepEqual(await upload(project.body.id, reportText(format, second)), { new: 40, existing: 380, fixed: 20, reopened: 0, total: 420 });
      // And an identical re-ingest changes nothing.
      assert.deepEqual(await upload(project.body.id, reportText(format, second)), { new: 0, existing: 420, fixed: 0, reopened: 0, total: 420 });
    });
  }
});
