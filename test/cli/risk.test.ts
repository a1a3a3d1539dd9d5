import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dialects } from '../support/databases.js';
import { cliEnvironment, runVigil, startServer, type Run, type RunningServer } from '../support/cli.js';
import { EPSS_EXCERPT, EPSS_VUNNEL, KEV_JSON } from '../support/fixtures.js';
import { REPORT } from '../support/risk-report.js';

for (const dialect of dialects) {
  describe(`vigil feeds and vigil risk top [${dialect}]`, () => {
    let env: Record<string, string>;
    let remote: Record<string, string>;
    let server: RunningServer | undefined;
    let cleanup: () => Promise<void>;
    let work: string;
    const vigil = (args: string[], extraEnv: Record<string, string> = {}): Run => runVigil({ ...env, ...extraEnv }, args);

    before(async () => {
      ({ env, cleanup, dataDir: work } = await cliEnvironment(dialect));
      for (const args of [['users', 'create', '--username', 'admin', '--admin'], ['groups', 'create', 'acme'], ['projects', 'create', 'acme/shop']]) {
        const made = vigil(args);
        assert.equal(made.code, 0, made.stderr);
      }
      const token = vigil(['tokens', 'create', '--username', 'admin', '--scopes', 'read,write']).stdout.trim();
      server = await startServer(env);
      remote = { VIGIL_URL: server.url, VIGIL_TOKEN: token };
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0, server.log());
      await cleanup();
    });

    test('feeds import prints what it did; an older file is refused with exit 3 and the data in use stays', () => {
      assert.deepEqual(vigil(['feeds', 'import', 'epss', EPSS_EXCERPT]), {
        code: 0,
        stdout: 'epss: imported 5808 rows (model v2026.06.15, scores of 2026-09-29T12:00:22.000Z); skipped 0; updated 5808, history 5808, removed 0, rescored 0\n',
        stderr: '',
      });
      assert.equal(vigil(['feeds', 'import', 'kev', KEV_JSON]).code, 0);
      const older = vigil(['feeds', 'import', 'epss', EPSS_VUNNEL]);
      assert.equal(older.code, 3);
      assert.match(older.stderr, /^vigil: epss not imported: line 1: score_date 2025-02-20T00:00:00.000Z is older than the snapshot in use/);
      assert.equal(vigil(['feeds', 'import', 'nvd', EPSS_VUNNEL]).code, 3);

      const bad = path.join(work, 'bad.csv');
      fs.writeFileSync(bad, fs.readFileSync(EPSS_EXCERPT, 'utf8').replace('2026-09-29T12:00:22Z', '2026-09-30T00:00:00Z').replace('CVE-1999-0001,', 'CVE-1999-0001,x'));
      const partial = vigil(['feeds', 'import', 'epss', bad]);
      assert.equal(partial.code, 0, partial.stderr);
      assert.equal(partial.stderr, 'skipped line 3: epss "x0.03351" is not a probability between 0 and 1\n');

      const status = vigil(['feeds', 'status']);
      assert.equal(status.code, 0, status.stderr);
      const lines = status.stdout.trimEnd().split('\n');
      assert.match(lines[0]!, /^FEED +VERSION +PUBLISHED +AGE +ROWS +LAST ATTEMPT$/);
      assert.match(lines[1]!, /^epss +v2026\.06\.15 +2026-09-30T00:00:00\.000Z +\d+ h.* 5807 +complete$/);
      assert.match(lines[2]!, /^kev +2025\.08\.25 +2025-08-25T17:04:19\.979Z .* 1404 +complete$/);
    });

    test('risk top lists the fix-first order of a group with the evidence; --json gives one object a line', async () => {
      const report = path.join(work, 'report.json');
      fs.writeFileSync(report, JSON.stringify(REPORT));
      const upload = vigil(['upload', report, '--project', 'acme/shop', '--ref', 'main'], remote);
      assert.equal(upload.code, 0, upload.stderr);

      const top = vigil(['risk', 'top', '--group', 'acme', '--limit', '3'], remote);
      assert.equal(top.code, 0, top.stderr);
      const rows = top.stdout.trimEnd().split('\n');
      assert.equal(rows.length, 4);
      assert.match(rows[0]!, /^# +RISK +SSVC +SEVERITY +EVIDENCE +PROJECT +ID +VULNERABILITY$/);
      assert.match(rows[1]!, /^1 +100\.00 +act +critical +KEV, EPSS 100\.0% p100, CVSS 10\.0 +acme\/shop +\d+ +Log4Shell \(log4j-core@1\.0\.0\)$/);
      assert.match(rows[2]!, /^2 +93\.82 +track\* +high +EPSS 95\.7% p99, CVSS 9\.8 +acme\/shop/);
      // bad.csv lost CVE-1999-0001's row, so own code outranks it now.
      assert.match(rows[3]!, /^3 +0\.90 +track +critical +- +acme\/shop +\d+ +SQL injection \(app\.py:3\)$/);

      const json = vigil(['risk', 'top', '--project', 'acme/shop', '--json'], remote);
      assert.deepEqual(json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).title), ['Log4Shell', 'Old but likely exploited', 'SQL injection', 'Old and unlikely', 'Unscored CVE']);
      assert.equal(vigil(['risk', 'top'], remote).code, 3);
    });
  });
}
