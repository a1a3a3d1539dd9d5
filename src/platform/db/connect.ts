import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** Where the data lives, for logs and `vigil migrate` output (never includes a password). */
  describe: string;
  close(): Promise<void>;
}

// int8 (bigint, count(*)) arrives from pg as a string; our ids and counts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export function openSqlite(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // The CLI and the server may write the same file; wait rather than fail on a momentary lock.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { kysely, dialect: 'sqlite', describe: `sqlite:${file}`, close: () => kysely.destroy() };
}

export function openPostgres(url: string, poolSize = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server drops (a restart, a failover, an administrator) is an 'error' event on the pool;
  // unhandled it would crash the process. The pool discards that client and opens a new one when next needed.
  pool.on('error', (error) => process.emitWarning(`PostgreSQL connection lost while idle: ${error.message}`));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(url);
  safe.password = '';
  return { kysely, dialect: 'postgres', describe: `postgres:${safe.host}${safe.pathname}`, close: () => kysely.destroy() };
}

export function openDatabase(config: { databaseUrl: string | null; dataDir: string }): Db {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openSqlite(path.join(config.dataDir, 'vigil.db'));
}
