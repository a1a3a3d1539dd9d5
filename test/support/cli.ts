import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DialectName } from '../../src/platform/db/connect.js';
import { createPostgresDatabase } from './databases.js';
import { freePort } from './net.js';

export { freePort };

/** Running the real `vigil` binary, as a user or a CI job would. */
export const VIGIL_BIN = fileURLToPath(new URL('../../../bin/vigil.js', import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runVigil(env: Record<string, string>, args: string[], input = ''): Run {
  const result = spawnSync(process.execPath, [VIGIL_BIN, ...args], { env, input, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh installation: its own data folder, and on PostgreSQL its own database. */
export async function cliEnvironment(dialect: DialectName): Promise<{ env: Record<string, string>; dataDir: string; cleanup(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-cli-'));
  const base = { PATH: process.env.PATH ?? '', VIGIL_DATA_DIR: dataDir, VIGIL_PASSWORD_COST_LOG2: '10', LOG_LEVEL: 'warn' };
  const database = dialect === 'postgres' ? await createPostgresDatabase() : null;
  return {
    env: database ? { ...base, DATABASE_URL: database.url } : base,
    dataDir,
    cleanup: async () => {
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RunningServer {
  url: string;
  port: number;
  log(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** `vigil serve` (with `args`, e.g. a role) on a free loopback port, once /healthz answers. */
export async function startServer(env: Record<string, string>, args: string[] = []): Promise<RunningServer> {
  const port = await freePort();
  const server = spawn(process.execPath, [VIGIL_BIN, 'serve', ...args], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout.on('data', (d: Buffer) => (log += d.toString()));
  server.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150 && !(await fetch(`${url}/healthz`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
  return {
    url,
    port,
    log: () => log,
    stop: async () => {
      server.kill('SIGTERM');
      return exited;
    },
  };
}
