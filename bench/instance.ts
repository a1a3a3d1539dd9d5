import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { consoleActor } from '../src/platform/audit/actor.js';
import { createApiToken } from '../src/platform/auth/api-tokens.js';
import { createUser } from '../src/platform/auth/users.js';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import type { Services } from '../src/platform/context.js';
import { openDatabase } from '../src/platform/db/connect.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';

/**
 * A benchmark's Vigil: a migrated database (a file in a temp folder, or the PostgreSQL database given) with an
 * admin's API token, set up in this process; then `serve()` starts the server on it in a child process (serve.ts).
 */
export interface Instance {
  svc: Services;
  token: string;
  serve(): Promise<Server>;
  /** Closes the database and deletes the temp folder. */
  close(): Promise<void>;
}

export interface Server {
  url: string;
  /** Stops the server and returns its peak resident memory in bytes. */
  stop(): Promise<number>;
}

/** VIGIL_BENCH_CPU_PROF=<folder>: each server writes a V8 CPU profile there (open it in Chrome's DevTools). */
const profileDir = process.env.VIGIL_BENCH_CPU_PROF?.trim();
const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];

export async function openInstance(databaseUrl: string | null, prefix: string): Promise<Instance> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vigil-bench-${prefix}-`));
  const env = { VIGIL_DATA_DIR: dir, VIGIL_PASSWORD_COST_LOG2: '10', LOG_LEVEL: 'silent', ...(databaseUrl && { DATABASE_URL: databaseUrl }) };
  const config = loadConfig(env);
  const db = openDatabase(config);
  const svc: Services = { db, clock: systemClock, config, log: pino({ level: 'silent' }) };
  await migrateToLatest(db);
  const user = await createUser(svc, consoleActor('bench'), { username: 'bench', password: 'correct horse battery staple', isAdmin: true });
  const { token } = await createApiToken(svc, consoleActor('bench'), user, { name: 'bench', scopes: ['read', 'write', 'admin'], expiresAt: null });
  const children = new Set<ChildProcess>();
  return {
    svc,
    token,
    async serve() {
      const child = fork(fileURLToPath(new URL('./serve.js', import.meta.url)), { env: { ...process.env, ...env }, execArgv: ['--enable-source-maps', ...profiling] });
      children.add(child);
      const [first] = (await once(child, 'message')) as [{ url: string }];
      return {
        url: first.url,
        async stop() {
          child.send('stop');
          const [last] = (await once(child, 'message')) as [{ maxRssBytes: number }];
          await once(child, 'exit');
          children.delete(child);
          return last.maxRssBytes;
        },
      };
    },
    async close() {
      for (const child of children) child.kill();
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
