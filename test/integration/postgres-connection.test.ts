import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openPostgres } from '../../src/platform/db/connect.js';
import { createPostgresDatabase, postgresAdminUrl } from '../support/databases.js';

test('an idle PostgreSQL connection killed by the server does not crash Vigil; the next query reconnects', async () => {
  const { url, drop } = await createPostgresDatabase();
  const db = openPostgres(url, 2);
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  try {
    await sql`select 1`.execute(db.kysely);
    const admin = new pg.Client({ connectionString: postgresAdminUrl() });
    await admin.connect();
    const killed = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [new URL(url).pathname.slice(1)]);
    await admin.end();
    assert.ok(killed.rowCount! >= 1, 'the idle connection was terminated');
    for (let i = 0; i < 50 && warnings.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(warnings.join('\n'), /PostgreSQL connection lost while idle/);
    const again = await sql<{ n: number }>`select 2 as n`.execute(db.kysely);
    assert.equal(again.rows[0]!.n, 2);
  } finally {
    process.off('warning', onWarning);
    await db.close();
    await drop();
  }
});
