import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createEmptyDatabase, dialects } from '../support/databases.js';
import { knownMigrations, migrateToLatest } from '../../src/platform/db/migrate.js';

for (const dialect of dialects) {
  test(`[${dialect}] migrations apply once, in order, and a second run applies nothing`, async () => {
    const db = await createEmptyDatabase(dialect);
    try {
      assert.deepEqual(await migrateToLatest(db), knownMigrations);
      assert.deepEqual(await migrateToLatest(db), []);
      const users = await db.kysely.selectFrom('users').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(users.n), 0);
    } finally {
      await db.close();
    }
  });

  test(`[${dialect}] the audit log refuses UPDATE and DELETE`, async () => {
    const db = await createEmptyDatabase(dialect);
    try {
      await migrateToLatest(db);
      await db.kysely
        .insertInto('audit_events')
        .values({ at: '2026-01-01T00:00:00.000Z', actor: 'test', action: 'x.create', subject_type: 'x', subject_id: '1', actor_id: null, scope_path: null, before_json: null, after_json: null, ip: null, request_id: null })
        .execute();
      await assert.rejects(db.kysely.updateTable('audit_events').set({ action: 'tampered' }).execute(), /append-only/);
      await assert.rejects(db.kysely.deleteFrom('audit_events').execute(), /append-only/);
      const rows = await db.kysely.selectFrom('audit_events').select('action').execute();
      assert.deepEqual(rows, [{ action: 'x.create' }]);
    } finally {
      await db.close();
    }
  });
}
