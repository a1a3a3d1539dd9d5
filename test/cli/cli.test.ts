import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dialects } from '../support/databases.js';
import { cliEnvironment, runVigil, startServer, type Run } from '../support/cli.js';

for (const dialect of dialects) {
  describe(`vigil CLI [${dialect}]`, () => {
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;

    const vigil = (args: string[], options: { input?: string; extraEnv?: Record<string, string> } = {}): Run =>
      runVigil({ ...env, ...options.extraEnv }, args, options.input);

    before(async () => {
      ({ env, cleanup } = await cliEnvironment(dialect));
    });
    after(async () => cleanup());

    test('migrate brings a new database up to date, then finds nothing to do', () => {
      const first = vigil(['migrate']);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /^applied 0001_platform, 0002_vulns, 0003_risk, 0004_discussion, 0005_sla, 0006_notify, 0007_jobs, 0008_delivery, 0009_dashboards(, \w+)* to /);
      const second = vigil(['migrate']);
      assert.match(second.stdout, /is up to date\n$/);
      if (dialect === 'sqlite') assert.ok(fs.existsSync(path.join(env.VIGIL_DATA_DIR!, 'vigil.db')));
    });

    test('users create: a generated password, or one from stdin; a taken name exits 4', () => {
      const generated = vigil(['users', 'create', '--username', 'admin', '--admin']);
      assert.equal(generated.code, 0, generated.stderr);
      assert.match(generated.stdout, /^created administrator admin \(id \d+\)\npassword: [\w-]{24}\n$/);
      const fromStdin = vigil(['users', 'create', '--username', 'dev', '--password-stdin'], { input: 'a long enough secret\n' });
      assert.equal(fromStdin.code, 0, fromStdin.stderr);
      assert.doesNotMatch(fromStdin.stdout, /password/);
      const taken = vigil(['users', 'create', '--username', 'ADMIN']);
      assert.deepEqual([taken.code, taken.stderr], [4, 'vigil: username "ADMIN" is taken\n']);
      const weak = vigil(['users', 'create', '--username', 'weak', '--password-stdin'], { input: 'short\n' });
      assert.deepEqual([weak.code, weak.stderr], [3, 'vigil: password: must be at least 12 characters\n']);
    });

    test('tokens create prints only the token; bad scopes and expiries exit 3', () => {
      const made = vigil(['tokens', 'create', '--username', 'admin', '--scopes', 'read,write', '--expires-in', '30d']);
      assert.equal(made.code, 0, made.stderr);
      assert.match(made.stdout, /^vgl_[\w-]{43}\n$/);
      const scope = vigil(['tokens', 'create', '--username', 'admin', '--scopes', 'read,root']);
      assert.deepEqual([scope.code, scope.stderr], [3, 'vigil: --scopes: unknown scope "root" (known: read, write, admin)\n']);
      assert.equal(vigil(['tokens', 'create', '--username', 'admin', '--scopes', 'read', '--expires-in', 'someday']).code, 3);
      assert.equal(vigil(['tokens', 'create', '--username', 'nobody', '--scopes', 'read']).code, 5);
      const notAdmin = vigil(['tokens', 'create', '--username', 'dev', '--scopes', 'admin']);
      assert.equal(notAdmin.code, 3);
    });

    test('groups and projects: create nested paths; missing parents exit 5, hostile paths 3, duplicates 4', () => {
      assert.equal(vigil(['groups', 'create', 'acme']).stdout, 'created group acme (id 1)\n');
      assert.match(vigil(['groups', 'create', 'acme/platform']).stdout, /^created group acme\/platform \(id \d+\)\n$/);
      const project = vigil(['projects', 'create', 'acme/platform/api', '--default-branch', 'develop']);
      assert.match(project.stdout, /^created project acme\/platform\/api \(id \d+, default branch develop\)\n$/);
      assert.equal(vigil(['projects', 'create', 'acme/platform/api']).code, 4);
      assert.equal(vigil(['groups', 'create', 'acme/platform/api']).code, 4, 'a group cannot take a project\'s path');
      assert.equal(vigil(['projects', 'create', 'ghost/api']).code, 5);
      assert.equal(vigil(['projects', 'create', 'acme/../etc']).code, 3);
      assert.equal(vigil(['projects', 'create', 'lonely']).code, 3);
    });

    test('usage errors exit 2 and --help explains commands and exit codes', () => {
      assert.equal(vigil(['bogus']).code, 2);
      assert.equal(vigil(['users', 'create']).code, 2);
      const help = vigil(['--help']);
      assert.equal(help.code, 0);
      for (const word of ['serve', 'migrate', 'users', 'tokens', 'groups', 'projects', 'whoami', 'Exit codes:']) assert.ok(help.stdout.includes(word), word);
      assert.match(vigil(['tokens', 'create', '--help']).stdout, /--expires-in <duration>/);
      const formats = vigil(['formats', '--json']);
      assert.equal(formats.code, 0, formats.stderr);
      const ids = formats.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
      for (const id of ['sarif', 'gitlab', 'trivy', 'grype', 'cyclonedx-xml', 'zap-xml', 'generic-csv']) assert.ok(ids.includes(id), id);
    });

    test('serve listens on PORT; remote commands use VIGIL_URL and VIGIL_TOKEN; SIGTERM stops it cleanly', async () => {
      const server = await startServer(env);
      try {
        const url = server.url;
        assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { status: 'ok', database: dialect });
        const token = vigil(['tokens', 'create', '--username', 'admin', '--scopes', 'read']).stdout.trim();
        const whoami = vigil(['whoami'], { extraEnv: { VIGIL_URL: url, VIGIL_TOKEN: token } });
        assert.deepEqual([whoami.code, whoami.stdout], [0, 'admin (administrator)\n']);
        const denied = vigil(['whoami'], { extraEnv: { VIGIL_URL: url, VIGIL_TOKEN: 'vgl_wrong' } });
        assert.deepEqual([denied.code, denied.stderr], [6, 'vigil: the API token is not valid\n']);
        assert.equal(vigil(['whoami'], { extraEnv: { VIGIL_TOKEN: token } }).code, 2, 'VIGIL_URL missing');
        const groups = await fetch(`${url}/api/v1/groups`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await groups.json()) as { items: { full_path: string }[] };
        assert.deepEqual(body.items.map((g) => g.full_path), ['acme', 'acme/platform']);
      } finally {
        assert.equal(await server.stop(), 0, server.log());
      }
      const unreachable = vigil(['whoami'], { extraEnv: { VIGIL_URL: `http://127.0.0.1:${server.port}`, VIGIL_TOKEN: 'x' } });
      assert.equal(unreachable.code, 7);
    });
  });
}
