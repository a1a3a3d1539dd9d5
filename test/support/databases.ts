import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { openPostgres, openSqlite, type DialectName, type Db } from '../../src/platform/db/connect.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';

export const dialects: DialectName[] = ['sqlite', 'postgres'];

/** The admin URL of the PostgreSQL server for this run (started by test/run.ts). */
export function postgresAdminUrl(): string {
  const url = process.env.VIGIL_TEST_DATABASE_URL;
  if (!url) throw new Error('VIGIL_TEST_DATABASE_URL is not set: run the tests with `npm test`, which starts PostgreSQL');
  return url;
}

/** A fresh, empty database of the given dialect: a new SQLite file, or a new PostgreSQL database. */
export async function createEmptyDatabase(dialect: DialectName): Promise<Db> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-test-'));
    const db = openSqlite(path.join(dir, 'vigil.db'));
    return { ...db, close: async () => { await db.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const { url, drop } = await createPostgresDatabase();
  const db = openPostgres(url, 5);
  return {
    ...db,
    close: async () => {
      await db.close();
      await drop();
    },
  };
}

/** A new empty database on the test PostgreSQL server, for code that connects by URL (the CLI, `serve`). */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `vigil_test_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: postgresAdminUrl() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function createMigratedDatabase(dialect: DialectName): Promise<Db> {
  const db = await createEmptyDatabase(dialect);
  await migrateToLatest(db);
  return db;
}

/**
 * Runs the same suite once per database. `use()` gives the suite its database, created before its tests
 * and dropped after them.
 */
export function describeEachDatabase(name: string, suite: (use: () => Db, dialect: DialectName) => void): void {
  for (const dialect of dialects) {
    describe(`${name} [${dialect}]`, () => {
      let db: Db | undefined;
      before(async () => {
        db = await createMigratedDatabase(dialect);
      });
      after(async () => {
        await db?.close();
      });
      suite(() => {
        if (!db) throw new Error('database not ready');
        return db;
      }, dialect);
    });
  }
}
