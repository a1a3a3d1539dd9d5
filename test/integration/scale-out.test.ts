import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Services } from '../../src/platform/context.js';
import { openPostgres, type Db } from '../../src/platform/db/connect.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { makeToken, makeUser } from '../support/app.js';
import { cliEnvironment, runVigil, startServer, VIGIL_BIN, type RunningServer } from '../support/cli.js';
import { createPostgresDatabase } from '../support/databases.js';
import { reportFile } from '../support/fixtures.js';

/**
 * Scale-out on one PostgreSQL: API servers that only queue large uploads, workers that only run jobs, all real
 * `vigil serve` processes. Concurrent uploads of the same and of overlapping reports through both API servers
 * must leave exactly the vulnerabilities the reports hold; a worker killed with SIGKILL mid-ingest must leave no
 * trace of its half-done scan, and the job must be retried to the same result an uninterrupted ingest gives.
 */

/** A SARIF report of `n` distinct findings (one line each in its own file under `root`). */
function syntheticSarif(n: number, tool = 'SynthScan', root = 'src'): Buffer {
  const results = Array.from({ length: n }, (_, i) => ({
    ruleId: `rule-${i % 7}`,
    level: i % 3 === 0 ? 'error' : 'warning',
    message: { text: `finding ${i}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: `${root}/module${Math.floor(i / 50)}/file${i}.js` }, region: { startLine: 10 + (i % 40) } } }],
  }));
  const rules = Array.from({ length: 7 }, (_, i) => ({ id: `rule-${i}`, shortDescription: { text: `Rule ${i}` } }));
  return Buffer.from(JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: tool, version: '1.0', rules } }, results }] }));
}

interface Worker {
  process: ChildProcess;
  log(): string;
  exited: Promise<number | null>;
}

/** `vigil serve --role worker`: no HTTP port, ready when it says so. */
async function startWorker(env: Record<string, string>): Promise<Worker> {
  // At info level the worker says when it is ready.
  const child = spawn(process.execPath, [VIGIL_BIN, 'serve', '--role', 'worker'], { env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  for (let i = 0; i < 200 && !log.includes('Vigil worker is ready') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  if (!log.includes('Vigil worker is ready')) {
    child.kill('SIGKILL');
    assert.fail(`the worker did not start: ${log}`);
  }
  return { process: child, log: () => log, exited };
}

async function stopWorker(worker: Worker): Promise<void> {
  if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill('SIGTERM');
  await worker.exited;
}

interface JobJson {
  id: number;
  state: string;
  attempts: number;
  result: { scan: { id: number }; summary: { new: number; existing: number; total: number } } | null;
  error: { detail: string } | null;
}

describe('scale-out on PostgreSQL: api and worker processes, a job queue, concurrent and interrupted ingests', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Db;
  let env: Record<string, string>;
  let token = '';
  const apis: RunningServer[] = [];
  let workers: Worker[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-scale-'));

  const call = async (server: RunningServer, method: string, url: string, body?: Buffer | object, headers: Record<string, string> = {}) => {
    const raw = Buffer.isBuffer(body);
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body: raw ? body : JSON.stringify(body) }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  };

  async function finished(server: RunningServer, id: number, timeoutMs = 60_000): Promise<JobJson> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = (await call(server, 'GET', `/api/v1/jobs/${id}`)).body as JobJson;
      if (job.state === 'succeeded' || job.state === 'failed') return job;
      if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state}: ${JSON.stringify(job)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const counts = async (projectPath: string) => {
    const project = await db.kysely.selectFrom('projects').select('id').where('full_path', '=', projectPath).executeTakeFirstOrThrow();
    const count = async (table: 'vulnerabilities' | 'scans' | 'occurrences') =>
      Number((await db.kysely.selectFrom(table).select(sql<number>`count(*)`.as('n')).where('project_id', '=', project.id).executeTakeFirstOrThrow()).n);
    return { vulnerabilities: await count('vulnerabilities'), scans: await count('scans'), occurrences: await count('occurrences') };
  };

  before(async () => {
    database = await createPostgresDatabase();
    db = openPostgres(database.url, 3);
    await migrateToLatest(db);
    const config = loadConfig({ VIGIL_DATA_DIR: dataDir, VIGIL_PASSWORD_COST_LOG2: '10', DATABASE_URL: database.url });
    const svc: Services = { db, clock: systemClock, config, log: pino({ level: 'silent' }) };
    token = await makeToken(svc, await makeUser(svc, 'ci', { admin: true }), ['read', 'write', 'admin']);
    env = {
      PATH: process.env.PATH ?? '',
      VIGIL_DATA_DIR: dataDir,
      VIGIL_PASSWORD_COST_LOG2: '10',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      // Reports above 100 kB go to a worker; workers poll often, and a job not finished in 3 s is presumed dead.
      VIGIL_ASYNC_INGEST_BYTES: '100000',
      VIGIL_JOB_POLL_MS: '100',
      VIGIL_JOB_SUPERVISE_SECONDS: '1',
      VIGIL_INGEST_JOB_TIMEOUT_SECONDS: '3',
    };
    for (let i = 0; i < 2; i++) apis.push(await startServer(env, ['--role', 'api']));
    for (let i = 0; i < 2; i++) workers.push(await startWorker(env));
    assert.equal((await call(apis[0]!, 'POST', '/api/v1/groups', { path: 'acme' })).status, 201);
    for (const p of ['hammered', 'killed', 'calm']) assert.equal((await call(apis[1]!, 'POST', '/api/v1/groups/acme/projects', { path: p })).status, 201);
  });

  after(async () => {
    for (const api of apis) await api.stop();
    for (const worker of workers) await stopWorker(worker);
    await db.close();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('an API server refuses to serve SQLite alone, and a worker listens on no port', async () => {
    const sqlite = await cliEnvironment('sqlite');
    try {
      const run = runVigil(sqlite.env, ['serve', '--role', 'api']);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /--role api needs PostgreSQL/);
    } finally {
      await sqlite.cleanup();
    }
    assert.match(workers[0]!.log(), /"role":"worker"/);
    assert.doesNotMatch(workers[0]!.log(), /Server listening/);
  });

  test('concurrent uploads of the same and overlapping reports through two API servers and two workers: no duplicate, no loss', async () => {
    const big = syntheticSarif(1500);
    const other = reportFile('sarif/semgrepowasp-benchmark-sample.sarif');
    assert.ok(big.length > 100_000 && other.length > 100_000, 'both reports are large enough to be queued');
    const url = `/api/v1/projects/${encodeURIComponent('acme/hammered')}/scans?ref=main`;
    // 6 copies of one report and 4 of another, alternating API servers, all at once.
    const uploads = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => call(apis[i % 2]!, 'POST', url, big)),
      ...Array.from({ length: 4 }, (_, i) => call(apis[(i + 1) % 2]!, 'POST', url, other)),
    ]);
    for (const upload of uploads) {
      assert.equal(upload.status, 202, JSON.stringify(upload.body));
      assert.equal(upload.headers.get('location'), `/api/v1/jobs/${upload.body.job.id}`);
    }
    const jobs = await Promise.all(uploads.map((u, i) => finished(apis[(i + 1) % 2]!, u.body.job.id)));
    for (const job of jobs) assert.equal(job.state, 'succeeded', JSON.stringify(job));
    // Each report's vulnerabilities were new exactly once: whichever of its copies ran first.
    const news = (from: number, to: number) => jobs.slice(from, to).map((j) => j.result!.summary.new).sort((a, b) => b - a);
    assert.deepEqual(news(0, 6), [1500, 0, 0, 0, 0, 0]);
    assert.deepEqual(news(6, 10), [1768, 0, 0, 0]);
    assert.deepEqual(await counts('acme/hammered'), { vulnerabilities: 1500 + 1768, scans: 10, occurrences: 1500 + 1768 });
  });

  test('a worker killed mid-ingest leaves no half-written scan, and the retried job gives what an uninterrupted ingest gives', async () => {
    // One worker, so the one killed is the one ingesting.
    await stopWorker(workers[1]!);
    workers = [workers[0]!];
    const report = syntheticSarif(20_000);
    const upload = await call(apis[0]!, 'POST', `/api/v1/projects/${encodeURIComponent('acme/killed')}/scans?ref=main`, report);
    assert.equal(upload.status, 202);
    const id = upload.body.job.id as number;
    for (let i = 0; i < 600; i++) {
      const job = (await call(apis[0]!, 'GET', `/api/v1/jobs/${id}`)).body as JobJson;
      if (job.state === 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 300));
    workers[0]!.process.kill('SIGKILL');
    await workers[0]!.exited;
    const interrupted = (await call(apis[0]!, 'GET', `/api/v1/jobs/${id}`)).body as JobJson;
    assert.equal(interrupted.state, 'running', 'killed mid-ingest');
    assert.deepEqual(await counts('acme/killed'), { vulnerabilities: 0, scans: 0, occurrences: 0 });

    workers = [await startWorker(env)];
    const retried = await finished(apis[1]!, id, 90_000);
    assert.equal(retried.state, 'succeeded', JSON.stringify(retried));
    // The killed attempt counts; a slow retry may be presumed dead once more, and then finds the scan it wrote.
    assert.ok(retried.attempts >= 2, `attempts: ${retried.attempts}`);
    assert.equal(retried.result!.summary.new, 20_000);
    assert.deepEqual(await counts('acme/killed'), { vulnerabilities: 20_000, scans: 1, occurrences: 20_000 });

    const calm = await call(apis[1]!, 'POST', `/api/v1/projects/${encodeURIComponent('acme/calm')}/scans?ref=main`, report);
    const uninterrupted = await finished(apis[0]!, calm.body.job.id, 90_000);
    assert.deepEqual(uninterrupted.result!.summary, retried.result!.summary);
    const fingerprints = async (projectPath: string) =>
      (
        await db.kysely
          .selectFrom('vulnerability_fingerprints')
          .innerJoin('projects', 'projects.id', 'vulnerability_fingerprints.project_id')
          .select(['vulnerability_fingerprints.algorithm', 'vulnerability_fingerprints.hash'])
          .where('projects.full_path', '=', projectPath)
          .orderBy('vulnerability_fingerprints.algorithm')
          .orderBy('vulnerability_fingerprints.hash')
          .execute()
      ).map((r) => `${r.algorithm}:${r.hash}`);
    assert.deepEqual(await fingerprints('acme/killed'), await fingerprints('acme/calm'));
  });

  test('a refused report fails its job with the problem the synchronous upload would have given, and is not retried', async () => {
    const broken = Buffer.concat([syntheticSarif(2000).subarray(0, 150_000)]);
    const upload = await call(apis[0]!, 'POST', `/api/v1/projects/${encodeURIComponent('acme/calm')}/scans?ref=broken`, broken);
    assert.equal(upload.status, 202);
    const job = await finished(apis[1]!, upload.body.job.id);
    assert.equal(job.state, 'failed');
    assert.equal(job.attempts, 1);
    assert.match(job.error!.detail, /truncated|ends early|not valid JSON|unexpected end/i);
    const leftover = await db.kysely.selectFrom('job_payloads').select('job_id').where('job_id', '=', job.id).execute();
    assert.deepEqual(leftover, [], 'the stored upload is dropped once the job ends');
  });

  test('`vigil upload --wait` follows the job and prints the scan like a synchronous upload; --async=false ingests inline', async () => {
    const file = path.join(dataDir, 'report.sarif');
    fs.writeFileSync(file, syntheticSarif(1200, 'WaitScan', 'lib'));
    const cli = { ...env, VIGIL_URL: apis[1]!.url, VIGIL_TOKEN: token };
    const waited = await runAsync(cli, ['upload', file, '--project', 'acme/calm', '--ref', 'wait', '--wait']);
    assert.equal(waited.code, 0, waited.stderr);
    assert.match(waited.stderr, /ingesting on the server: job \d+/);
    assert.match(waited.stdout, /^scan \d+ on wait \(sast:waitscan\): 1200 new, 0 existing, 0 fixed, 0 reopened, 1200 findings\n$/);
    const queued = await runAsync(cli, ['upload', file, '--project', 'acme/calm', '--ref', 'wait']);
    assert.equal(queued.code, 0, queued.stderr);
    assert.match(queued.stdout, /^queued: job \d+ ingests the report/);
    const inline = await call(apis[0]!, 'POST', `/api/v1/projects/${encodeURIComponent('acme/calm')}/scans?ref=inline&async=false`, syntheticSarif(1200, 'WaitScan', 'lib'));
    assert.equal(inline.status, 201);
    assert.equal(inline.body.summary.existing, 1200);
  });
});

/** The CLI without blocking the event loop (the servers under test live in other processes, but polling needs time). */
function runAsync(env: Record<string, string>, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [VIGIL_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
