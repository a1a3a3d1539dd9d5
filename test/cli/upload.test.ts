import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { SEVERITIES, severityRank, type Severity } from '../../src/vulns/model.js';
import { dialects } from '../support/databases.js';
import { cliEnvironment, freePort, runVigil, startServer, type Run, type RunningServer } from '../support/cli.js';

/**
 * `vigil upload` and `vigil vulns list` against a real `vigil serve`, with the real GitLab branch fixtures:
 * master is the default branch, feature-branch changes one finding.
 */
const fixture = (name: string) => fileURLToPath(new URL(`../../../../shared/fixtures/reports/gitlab-branches/${name}`, import.meta.url));
const masterReport = fixture('master/gl-sast-report.json');
const featureReport = fixture('feature-branch/gl-sast-report.json');
const MAX_REPORT_BYTES = 1024 * 1024;

interface GitlabFinding {
  name: string;
  severity: string;
  location: { file: string; start_line: number };
  identifiers: { type: string; value: string }[];
}

const findingsOf = (file: string) => (JSON.parse(fs.readFileSync(file, 'utf8')) as { vulnerabilities: GitlabFinding[] }).vulnerabilities;
const keyOf = (f: GitlabFinding) => `${f.identifiers[0]!.value}\u0000${f.location.file}\u0000${f.location.start_line}`;
const severityOf = (f: GitlabFinding) => f.severity.toLowerCase() as Severity;

// What the fixtures say, read from the files: feature-branch drops one finding of master and adds one.
const onMaster = findingsOf(masterReport);
const masterKeys = new Set(onMaster.map(keyOf));
const newOnFeature = findingsOf(featureReport).filter((f) => !masterKeys.has(keyOf(f)));
const allVulnerabilities = [...onMaster, ...newOnFeature];

test('the fixtures hold what these tests assume', () => {
  assert.ok(fs.existsSync(masterReport), masterReport);
  assert.equal(onMaster.length, 5);
  assert.deepEqual(
    newOnFeature.map((f) => [f.identifiers[0]!.value, f.location.file, f.severity]),
    [['ECB_MODE', 'app/src/main/groovy/com/gitlab/security_products/tests/App.groovy', 'Medium']],
  );
});

for (const dialect of dialects) {
  describe(`vigil upload and vulns list [${dialect}]`, () => {
    let env: Record<string, string>;
    let remote: Record<string, string>;
    let server: RunningServer | undefined;
    let work: string;
    let cleanup: () => Promise<void>;

    const vigil = (args: string[], extraEnv: Record<string, string> = remote): Run => runVigil({ ...env, ...extraEnv }, args);
    const upload = (file: string, ref: string, ...more: string[]) => vigil(['upload', file, '--project', 'acme/api', '--ref', ref, ...more]);
    const list = (...more: string[]) => vigil(['vulns', 'list', '--project', 'acme/api', ...more]);
    const jsonLines = (run: Run) => run.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { id: number; severity: string });

    before(async () => {
      ({ env, cleanup, dataDir: work } = await cliEnvironment(dialect));
      for (const args of [['users', 'create', '--username', 'admin', '--admin'], ['groups', 'create', 'acme'], ['projects', 'create', 'acme/api', '--default-branch', 'master']]) {
        const made = vigil(args, {});
        assert.equal(made.code, 0, made.stderr);
      }
      const token = vigil(['tokens', 'create', '--username', 'admin', '--scopes', 'read,write'], {}).stdout.trim();
      server = await startServer({ ...env, VIGIL_MAX_REPORT_BYTES: String(MAX_REPORT_BYTES) });
      const url = server.url;
      remote = { VIGIL_URL: url, VIGIL_TOKEN: token };
    });

    after(async () => {
      if (server) assert.equal(await server.stop(), 0, server.log());
      await cleanup();
    });

    test('upload prints a summary; the same report again finds nothing new; --json prints the API response', () => {
      const first = upload(masterReport, 'master');
      assert.deepEqual(first, { code: 0, stdout: 'scan 1 on master (sast:find_sec_bugs): 5 new, 0 existing, 0 fixed, 0 reopened, 5 findings\n', stderr: '' });
      const again = upload(masterReport, 'master', '--commit', 'ea0f905fc76f', '--pipeline', '42');
      assert.deepEqual(again, { code: 0, stdout: 'scan 2 on master (sast:find_sec_bugs): 0 new, 5 existing, 0 fixed, 0 reopened, 5 findings\n', stderr: '' });
      const json = upload(masterReport, 'master', '--json');
      assert.equal(json.code, 0, json.stderr);
      assert.equal(json.stdout.trimEnd().split('\n').length, 1);
      const response = JSON.parse(json.stdout) as { scan: { id: number; ref: string }; summary: Record<string, number>; replayed: boolean };
      assert.deepEqual([response.scan.ref, response.summary, response.replayed], ['master', { new: 0, existing: 5, fixed: 0, reopened: 0, total: 5 }, false]);
    });

    test('a gzip report is sent as gzip; an idempotency key makes a retry a replay', () => {
      const gz = path.join(work, 'gl-sast-report.json.gz');
      fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(masterReport)));
      const gzipped = upload(gz, 'master');
      assert.equal(gzipped.code, 0, gzipped.stderr);
      assert.match(gzipped.stdout, /^scan \d+ on master \(sast:find_sec_bugs\): 0 new, 5 existing, 0 fixed, 0 reopened, 5 findings\n$/);
      const once = upload(masterReport, 'master', '--idempotency-key', 'job-7-sast');
      const retry = upload(masterReport, 'master', '--idempotency-key', 'job-7-sast');
      assert.equal(retry.code, 0, retry.stderr);
      assert.equal(retry.stdout, `${once.stdout.trimEnd()} (already uploaded: idempotency key)\n`);
    });

    test('--fail-on gates on what the branch adds compared with the default branch', () => {
      const blockingAt = (threshold: Severity) => newOnFeature.filter((f) => severityRank(severityOf(f)) >= severityRank(threshold));
      for (const threshold of ['high', 'medium'] as const) {
        const gated = upload(featureReport, 'feature-branch', '--fail-on', threshold);
        const blocking = blockingAt(threshold);
        assert.match(gated.stdout, /^scan \d+ on feature-branch \(sast:find_sec_bugs\): \d+ new, \d+ existing, 0 fixed, 0 reopened, 5 findings\n$/);
        if (blocking.length === 0) {
          assert.deepEqual([gated.code, gated.stderr], [0, `--fail-on ${threshold}: passed, no new vulnerability at or above ${threshold} on feature-branch compared with master (${newOnFeature.length} new in all)\n`]);
          continue;
        }
        assert.equal(gated.code, 1, gated.stderr);
        const lines = gated.stderr.trimEnd().split('\n');
        assert.equal(lines[0], `new vulnerabilities at or above ${threshold} on feature-branch compared with master:`);
        assert.equal(lines.at(-1), `vigil: --fail-on ${threshold}: failed, ${blocking.length} new vulnerabilit${blocking.length === 1 ? 'y' : 'ies'} at or above ${threshold}`);
        const listed = lines.slice(1, -1).map((line) => line.trim().split(/\s{2,}/));
        assert.deepEqual(listed, blocking.map((f) => [severityOf(f), f.name, `${f.location.file}:${f.location.start_line}`]));
      }
      assert.equal(blockingAt('high').length, 0, 'the fixtures add nothing at high');
      assert.equal(blockingAt('medium').length, 1, 'the fixtures add one medium finding');
    });

    test('vulns list: JSON lines, every page with --all, filters, and a table', () => {
      const all = list('--json', '--all', '--limit', '2');
      assert.equal(all.code, 0, all.stderr);
      assert.equal(jsonLines(all).length, allVulnerabilities.length);
      assert.equal(new Set(jsonLines(all).map((v) => v.id)).size, allVulnerabilities.length);
      const firstPage = list('--json', '--limit', '2');
      assert.deepEqual([jsonLines(firstPage).length, firstPage.stderr], [2, '(more vulnerabilities match: use --all, or a larger --limit)\n']);
      for (const severity of SEVERITIES.filter((s) => allVulnerabilities.some((f) => severityOf(f) === s))) {
        const filtered = jsonLines(list('--json', '--severity', severity));
        assert.deepEqual(filtered.map((v) => v.severity), allVulnerabilities.filter((f) => severityOf(f) === severity).map(() => severity), severity);
      }
      assert.equal(jsonLines(list('--json', '--severity', 'critical,high')).length, 0);
      const table = list('--location', 'app/src/main/groovy');
      assert.equal(table.code, 0, table.stderr);
      const [header, ...rows] = table.stdout.trimEnd().split('\n');
      assert.match(header!, /^ID\s+SEVERITY\s+STATE\s+TITLE\s+LOCATION$/);
      assert.deepEqual(rows.map((row) => row.split(/\s{2,}/).slice(1)), [['medium', 'detected', 'ECB mode is insecure', 'app/src/main/groovy/com/gitlab/security_products/tests/App.groovy:29']]);
      assert.equal(list('--severity', 'bogus').code, 3);
      assert.equal(list('--limit', '0').code, 2);
    });

    test('errors: unreadable file 3, unknown project 5, bad token 6, too large 3, bad --fail-on 2, unreachable 7', async () => {
      const missing = path.join(work, 'missing.json');
      assert.deepEqual(upload(missing, 'master'), { code: 3, stdout: '', stderr: `vigil: cannot read ${missing}: no such file\n` });
      const ghost = vigil(['upload', masterReport, '--project', 'acme/ghost', '--ref', 'master']);
      assert.deepEqual([ghost.code, ghost.stderr], [5, 'vigil: project "acme/ghost" not found\n']);
      assert.equal(vigil(['vulns', 'list', '--project', 'acme/ghost']).code, 5);
      const denied = vigil(['upload', masterReport, '--project', 'acme/api', '--ref', 'master'], { ...remote, VIGIL_TOKEN: 'vgl_wrong' });
      assert.deepEqual([denied.code, denied.stderr], [6, 'vigil: the API token is not valid\n']);
      const large = path.join(work, 'large.json');
      fs.writeFileSync(large, `{"padding": "${'x'.repeat(MAX_REPORT_BYTES)}", "version": "15.0.0", "vulnerabilities": []}`);
      const tooLarge = upload(large, 'master');
      assert.equal(tooLarge.code, 3, tooLarge.stderr);
      const severity = upload(masterReport, 'master', '--fail-on', 'severe');
      assert.equal(severity.code, 2);
      assert.match(severity.stderr, /'--fail-on <severity>' argument 'severe' is invalid\. Allowed choices are critical, high, medium, low, info, unknown/);
      const unreachable = vigil(['upload', masterReport, '--project', 'acme/api', '--ref', 'master'], { ...remote, VIGIL_URL: `http://127.0.0.1:${await freePort()}` });
      assert.equal(unreachable.code, 7, unreachable.stderr);
    });

    test('--help documents the gate', () => {
      const help = vigil(['upload', '--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /--fail-on <severity>\s+CI gate/);
      assert.match(vigil(['vulns', 'list', '--help']).stdout, /--all\s+follow the pages to the end/);
    });
  });
}
