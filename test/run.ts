import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgresCluster, type PostgresCluster } from './support/postgres-cluster.js';

/**
 * `npm test`: start a throwaway PostgreSQL cluster (unless VIGIL_TEST_DATABASE_URL names a server), run every
 * compiled test file with node's test runner against it and SQLite, then stop the cluster.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const suites = process.argv.slice(2);
const targets = suites.length > 0 ? suites : [path.join(here, 'unit'), path.join(here, 'integration'), path.join(here, 'cli'), path.join(here, 'e2e')];

let cluster: PostgresCluster | null = null;
const env = { ...process.env };
if (!env.VIGIL_TEST_DATABASE_URL) {
  cluster = await startPostgresCluster();
  env.VIGIL_TEST_DATABASE_URL = cluster.url;
  process.stdout.write(`test PostgreSQL cluster at ${cluster.url}\n`);
}

const child = spawn(process.execPath, ['--enable-source-maps', '--test', '--test-reporter=spec', ...targets], {
  env,
  stdio: 'inherit',
});
const code: number = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
cluster?.stop();
process.exit(code);
