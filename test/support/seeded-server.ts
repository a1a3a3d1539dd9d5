import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqlite } from '../../src/platform/db/connect.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { DAY } from '../../src/platform/clock.js';
import { refreshDashboardStats } from '../../src/vulns/dashboards/stats-job.js';
import { caller, makeToken, makeUser, startTestApp, TEST_PASSWORD, type Caller, type TestApp } from './app.js';
import { reportFile } from './fixtures.js';

/**
 * A real Vigil server on loopback over a new SQLite file, seeded the way a team would fill it: real scanner
 * reports uploaded through the API to three projects in nested groups over two months of simulated time, and a
 * feature branch next to the default one. The browser tests and `npm run dev:seeded` use it.
 */
export interface SeededServer extends TestApp {
  url: string;
  username: string;
  password: string;
  api: Caller;
  close(): Promise<void>;
}

/** The moment the seed's last upload happens; the simulated clock stays there while the browser works. */
export const SEEDED_NOW = '2026-11-20T10:00:00.000Z';

export const SEEDED = {
  android: 'acme/platform/android',
  web: 'acme/web',
  images: 'acme/images',
} as const;

export async function startSeededServer(options: { webDir?: string; port?: number; empty?: boolean } = {}): Promise<SeededServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-'));
  const db = openSqlite(path.join(dir, 'vigil.db'));
  await migrateToLatest(db);
  const env: Record<string, string> = options.webDir ? { VIGIL_WEB_DIR: options.webDir } : {};
  const t = await startTestApp(db, env);
  const admin = await makeUser(t.svc, 'admin', { admin: true });
  const token = await makeToken(t.svc, admin, ['read', 'write', 'admin']);
  const api = caller(t.app, { token });
  if (!options.empty) await seed(t, api, token);
  const address = await t.app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return {
    ...t,
    url: address,
    username: 'admin',
    password: TEST_PASSWORD,
    api,
    close: async () => {
      await t.app.close();
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function seed(t: TestApp, api: Caller, token: string): Promise<void> {
  const ok = async (reply: Promise<{ status: number; body: unknown }>, what: string) => {
    const r = await reply;
    assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  await ok(api.post('/api/v1/groups', { path: 'acme', name: 'ACME' }), 'group acme');
  await ok(api.post('/api/v1/groups/acme/subgroups', { path: 'platform', name: 'Platform' }), 'group acme/platform');
  await ok(api.post(`/api/v1/groups/${encodeURIComponent('acme/platform')}/projects`, { path: 'android', name: 'Android app', default_branch: 'master' }), 'project android');
  await ok(api.post('/api/v1/groups/acme/projects', { path: 'web', name: 'Web shop', default_branch: 'main' }), 'project web');
  await ok(api.post('/api/v1/groups/acme/projects', { path: 'images', name: 'Container images', default_branch: 'main' }), 'project images');

  const upload = (project: string, file: string, ref: string) =>
    ok(
      t.app
        .inject({ method: 'POST', url: `/api/v1/projects/${encodeURIComponent(project)}/scans?ref=${encodeURIComponent(ref)}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: reportFile(file) })
        .then((r) => ({ status: r.statusCode, body: r.body })),
      `upload ${file} to ${project}@${ref}`,
    );

  // Two months ago: the first scans of the default branches.
  t.clock.set(new Date(Date.parse(SEEDED_NOW) - 60 * DAY));
  for (const file of ['gl-sast-report.json', 'gl-secret-detection-report.json', 'gl-sast-report-gosec.json']) await upload(SEEDED.android, `gitlab-branches/master/${file}`, 'master');
  await upload(SEEDED.web, 'gitlab/gl-sast-report-many-vuln_v15.json', 'main');
  await upload(SEEDED.web, 'gitlab/gl-dependency-scanning-report-many-vuln_v15.json', 'main');
  await upload(SEEDED.images, 'trivy/scheme_2_many_vulns.json', 'main');
  // A month later: DAST joins, the bash scripts are scanned, then partly fixed a week on.
  t.clock.set(new Date(Date.parse(SEEDED_NOW) - 30 * DAY));
  await upload(SEEDED.web, 'gitlab/gitlab_dast_many_vul_v15.json', 'main');
  await upload(SEEDED.web, 'sarif/bash-report-fabricated-no-internal-dupes.sarif', 'main');
  t.clock.set(new Date(Date.parse(SEEDED_NOW) - 23 * DAY));
  await upload(SEEDED.web, 'sarif/bash-report-fabricated-no-internal-dupes-subset.sarif', 'main');
  await upload(SEEDED.images, 'grype/many_vulns.json', 'main');
  // This week: a feature branch of the Android app.
  t.clock.set(new Date(Date.parse(SEEDED_NOW) - 2 * DAY));
  await upload(SEEDED.android, 'gitlab-branches/feature-branch/gl-sast-report.json', 'feature-branch');
  await upload(SEEDED.android, 'gitlab-branches/feature-branch/gl-secret-detection-report.json', 'feature-branch');
  t.clock.set(new Date(SEEDED_NOW));
  // The daily job would have filled the statistics over those two months; run it once so trends have history.
  await refreshDashboardStats(t.svc);
}
