import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { DAY, systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Services } from '../../src/platform/context.js';
import { openPostgres, openSqlite, type DialectName, type Db } from '../../src/platform/db/connect.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { createJobQueue, type JobQueue } from '../../src/platform/jobs/index.js';
import { resolveJobOptions, retryDelaySeconds } from '../../src/platform/jobs/options.js';
import { cronFor, periodStart } from '../../src/platform/jobs/schedule.js';
import { createPostgresDatabase, describeEachDatabase } from '../support/databases.js';

/** Real time throughout (pg-boss cannot be given a fake clock); only the polling is shortened. */
const FAST = { pollIntervalMs: 50 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function services(db: Db, databaseUrl: string | null): Services {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-jobs-'));
  const config = loadConfig({ VIGIL_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(databaseUrl && { DATABASE_URL: databaseUrl }) });
  return { db, clock: systemClock, config, log: pino({ level: 'silent' }) };
}

interface StoredJob {
  state: string;
  error: string | null;
}

/** A job as each implementation stores it: the embedded `jobs` table, or pg-boss's `pgboss.job`. */
async function storedJob(svc: Services, id: string): Promise<StoredJob | undefined> {
  if (svc.db.dialect === 'sqlite') {
    const row = await svc.db.kysely.selectFrom('jobs').select(['state', 'last_error']).where('id', '=', id).executeTakeFirst();
    return row && { state: row.state, error: row.last_error };
  }
  const { rows } = await sql<StoredJob>`SELECT state::text AS state, output::text AS error FROM pgboss.job WHERE id = ${id}::uuid`.execute(svc.db.kysely);
  return rows[0];
}

async function stateOf(svc: Services, id: string): Promise<string | undefined> {
  return (await storedJob(svc, id))?.state;
}

/** Starts queues and stops them after the test, whatever happens. */
async function withQueues(svc: Services, count: number, body: (...queues: JobQueue[]) => Promise<void>): Promise<void> {
  const queues = Array.from({ length: count }, () => createJobQueue(svc, FAST));
  try {
    for (const queue of queues) await queue.start();
    await body(...queues);
  } finally {
    for (const queue of queues) await queue.stop();
  }
}

test('job options: defaults, validation and backoff', () => {
  assert.deepEqual(resolveJobOptions(), { retryLimit: 3, retryDelaySeconds: 30, retryBackoff: true, singletonKey: null, startAfterSeconds: 0, timeoutSeconds: 900 });
  assert.throws(() => resolveJobOptions({ timeoutSeconds: 0 }), /timeoutSeconds must be at least 1/);
  assert.throws(() => resolveJobOptions({ retryLimit: -1 }), /retryLimit/);
  assert.throws(() => resolveJobOptions({ retryDelaySeconds: 1.5 }), /retryDelaySeconds/);
  assert.deepEqual([1, 2, 3].map((attempt) => retryDelaySeconds({ retryDelaySeconds: 30, retryBackoff: true }, attempt)), [30, 60, 120]);
  assert.deepEqual([1, 2, 3].map((attempt) => retryDelaySeconds({ retryDelaySeconds: 30, retryBackoff: false }, attempt)), [30, 30, 30]);
});

test('schedules: periods tile the UTC day, as cron and as period starts', () => {
  assert.equal(cronFor(1), '* * * * *');
  assert.equal(cronFor(15), '*/15 * * * *');
  assert.equal(cronFor(60), '0 * * * *');
  assert.equal(cronFor(360), '0 */6 * * *');
  assert.equal(cronFor(1440), '0 0 * * *');
  for (const bad of [0, 7, 90, 1441, 1.5]) assert.throws(() => cronFor(bad), /everyMinutes must be between 1 and 1440/);
  const at = new Date('2026-05-04T13:47:12.345Z');
  assert.equal(periodStart(at, 1).toISOString(), '2026-05-04T13:47:00.000Z');
  assert.equal(periodStart(at, 15).toISOString(), '2026-05-04T13:45:00.000Z');
  assert.equal(periodStart(at, 360).toISOString(), '2026-05-04T12:00:00.000Z');
  assert.equal(periodStart(at, 1440).toISOString(), '2026-05-04T00:00:00.000Z');
});

describeEachDatabase('job queue', (use, dialect: DialectName) => {
  let svc: Services;
  let dropPostgres: (() => Promise<void>) | null = null;

  before(async () => {
    if (dialect === 'sqlite') {
      svc = services(use(), null);
      return;
    }
    // pg-boss connects by URL, so the suite needs a database it knows the URL of.
    const { url, drop } = await createPostgresDatabase();
    const db = openPostgres(url, 5);
    await migrateToLatest(db);
    svc = services(db, url);
    dropPostgres = async () => {
      await db.close();
      await drop();
    };
  });
  after(async () => {
    await dropPostgres?.();
  });

  test('a sent job runs once with its data', async () => {
    await withQueues(svc, 1, async (queue) => {
      const seen: object[] = [];
      await queue.work<{ n: number }>('once', async (data) => {
        seen.push(data);
      });
      const id = await queue.send('once', { n: 1 });
      assert.ok(id);
      await waitFor('the job to complete', async () => (await stateOf(svc, id)) === 'completed');
      await sleep(500);
      assert.deepEqual(seen, [{ n: 1 }]);
    });
  });

  test('a failing job is retried retryLimit times, then fails keeping the error', async () => {
    await withQueues(svc, 1, async (queue) => {
      const attempts: number[] = [];
      await queue.work('flaky', async () => {
        attempts.push(Date.now());
        throw new Error(`boom ${attempts.length}`);
      });
      const id = await queue.send('flaky', {}, { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: false });
      assert.ok(id);
      await waitFor('the job to fail', async () => (await stateOf(svc, id)) === 'failed');
      assert.equal(attempts.length, 3, 'the first run and two retries');
      for (let i = 1; i < attempts.length; i++) assert.ok(attempts[i]! - attempts[i - 1]! >= 950, `retry ${i} waited the retry delay`);
      assert.match((await storedJob(svc, id))!.error ?? '', /boom 3/);
      await sleep(500);
      assert.equal(attempts.length, 3, 'no attempt after failing');
    });
  });

  test('singletonKey allows one queued-or-running job per key', async () => {
    await withQueues(svc, 1, async (queue) => {
      const first = await queue.send('dedup', { n: 1 }, { singletonKey: 'k' });
      assert.ok(first);
      assert.equal(await queue.send('dedup', { n: 2 }, { singletonKey: 'k' }), null, 'deduplicated while queued');
      assert.ok(await queue.send('dedup', { n: 3 }, { singletonKey: 'other' }), 'another key is independent');

      const started: number[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      await queue.work<{ n: number }>('dedup', async ({ n }) => {
        started.push(n);
        if (n === 1) await gate;
      });
      await waitFor('the first job to start', () => started.includes(1));
      assert.equal(await queue.send('dedup', { n: 4 }, { singletonKey: 'k' }), null, 'deduplicated while running');
      release();
      await waitFor('the first job to complete', async () => (await stateOf(svc, first)) === 'completed');
      assert.ok(await queue.send('dedup', { n: 5 }, { singletonKey: 'k' }), 'accepted once the key is free');
      await waitFor('the last job to run', () => started.includes(5));
      assert.deepEqual([...started].sort(), [1, 3, 5]);
    });
  });

  test('stop() waits for a running handler', async () => {
    const queue = createJobQueue(svc, FAST);
    await queue.start();
    let started = false;
    let finished = false;
    await queue.work('slow', async () => {
      started = true;
      await sleep(400);
      finished = true;
    });
    const id = await queue.send('slow', {});
    assert.ok(id);
    await waitFor('the handler to start', () => started);
    await queue.stop();
    assert.equal(finished, true);
    await waitFor('the job to be recorded as completed', async () => (await stateOf(svc, id)) === 'completed', 3000);
  });

  test('a schedule runs once per period, even with two queues on the same database', async () => {
    const from = Date.now();
    await withQueues(svc, 2, async (a, b) => {
      let runs = 0;
      for (const queue of [a, b]) {
        await queue.schedule('tick', 1);
        await queue.work('tick', async () => {
          runs++;
        });
      }
      await waitFor('the scheduled run', () => runs > 0);
      // Long enough for a second loop, or pg-boss's cron monitor and send worker (1 s each here), to duplicate it.
      await sleep(dialect === 'sqlite' ? 500 : 2500);
      const periods = Math.floor(Date.now() / 60_000) - Math.floor(from / 60_000) + 1;
      assert.ok(runs >= 1 && runs <= periods, `${runs} run(s) over ${periods} period(s)`);
      await assert.rejects(a.schedule('tick', 7), /everyMinutes must be between 1 and 1440/);
    });
  });
});

describe('embedded job queue (SQLite)', () => {
  let dir: string;
  let file: string;
  let svc: Services;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-jobs-'));
    file = path.join(dir, 'vigil.db');
    const db = openSqlite(file);
    await migrateToLatest(db);
    svc = services(db, null);
  });
  after(async () => {
    await svc.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a restart neither repeats the current period nor skips one missed while down', async () => {
    let runs = 0;
    const count = async () => {
      runs++;
    };
    await withQueues(svc, 1, async (queue) => {
      await queue.schedule('nightly', 1440);
      await queue.work('nightly', count);
      await waitFor('the first run', () => runs === 1);
    });
    await withQueues(svc, 1, async (queue) => {
      await queue.schedule('nightly', 1440);
      await queue.work('nightly', count);
      await sleep(400);
      assert.equal(runs, 1, 'the same period does not run twice');

      // As if the process had been down at midnight: the last stored run is from the day before.
      const yesterday = new Date(periodStart(new Date(), 1440).getTime() - DAY).toISOString();
      await svc.db.kysely.updateTable('job_schedules').set({ last_period_at: yesterday }).where('name', '=', 'nightly').execute();
      await waitFor('the missed period to run', () => runs === 2);
      await sleep(400);
      assert.equal(runs, 2, 'the missed period runs once');
    });
  });

  test('a job left active by a crashed process runs again in the next one', async () => {
    const module = (relative: string) => new URL(relative, import.meta.url).href;
    // A separate process that takes the job and is killed mid-run, as a crash would.
    const child = spawn(process.execPath, ['--input-type=module', '-e', `
      const { openSqlite } = await import(process.env.CONNECT_MODULE);
      const { loadConfig } = await import(process.env.CONFIG_MODULE);
      const { createJobQueue } = await import(process.env.JOBS_MODULE);
      const { default: pino } = await import(process.env.PINO_MODULE);
      const svc = { db: openSqlite(process.env.DB_FILE), clock: { now: () => new Date() }, log: pino({ level: 'silent' }),
        config: loadConfig({ VIGIL_DATA_DIR: process.env.DATA_DIR, LOG_LEVEL: 'silent' }) };
      const queue = createJobQueue(svc, { pollIntervalMs: 20 });
      await queue.start();
      await queue.work('crashy', () => { process.stdout.write('running\\n'); return new Promise(() => {}); });
      await queue.send('crashy', { from: 'crashed' }, { retryLimit: 1 });
    `], {
      env: {
        ...process.env,
        CONNECT_MODULE: module('../../src/platform/db/connect.js'),
        CONFIG_MODULE: module('../../src/platform/config.js'),
        JOBS_MODULE: module('../../src/platform/jobs/index.js'),
        PINO_MODULE: import.meta.resolve('pino'),
        DB_FILE: file,
        DATA_DIR: dir,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('running') && resolve());
      child.on('exit', (code) => reject(new Error(`the child exited (${code}) before running the job`)));
    });
    child.kill('SIGKILL');
    await exited;

    const left = await svc.db.kysely.selectFrom('jobs').selectAll().where('name', '=', 'crashy').execute();
    assert.deepEqual(left.map((j) => [j.state, j.attempts]), [['active', 1]]);

    const seen: object[] = [];
    await withQueues(svc, 1, async (queue) => {
      await queue.work('crashy', async (data) => {
        seen.push(data);
      });
      await waitFor('the interrupted job to run again', async () => (await stateOf(svc, left[0]!.id)) === 'completed');
    });
    assert.deepEqual(seen, [{ from: 'crashed' }]);
    const done = await svc.db.kysely.selectFrom('jobs').selectAll().where('id', '=', left[0]!.id).executeTakeFirstOrThrow();
    assert.equal(done.attempts, 2);
    assert.match(done.last_error ?? '', /interrupted/);
  });
});
