import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createEmptyDatabase, dialects } from '../support/databases.js';
import { knownMigrations, migrateToLatest, migrateUpTo } from '../../src/platform/db/migrate.js';

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

  test(`[${dialect}] vulnerabilities from before the risk and SLA tables get their rows, with default deadlines`, async () => {
    const db = await createEmptyDatabase(dialect);
    try {
      await migrateUpTo(db, '0002_vulns');
      const at = '2026-01-10T08:00:00.000Z';
      await sql`insert into namespaces (id, path, full_path, name, created_at, updated_at) values (1, 'g', 'g', 'g', ${at}, ${at})`.execute(db.kysely);
      await sql`insert into projects (id, namespace_id, path, full_path, name, default_branch, created_at, updated_at) values (1, 1, 'p', 'g/p', 'p', 'main', ${at}, ${at})`.execute(db.kysely);
      for (const [id, severity, onDefault] of [[1, 'high', 1], [2, 'info', 1], [3, 'critical', 0]] as const) {
        await sql`insert into vulnerabilities (id, project_id, title, severity, scanner_severity, report_type, scanner_id, primary_identifier, location_json, details_json, state, present_on_default, first_detected_at, last_detected_at, created_at, updated_at)
          values (${id}, 1, 'v', ${severity}, ${severity}, 'sast', 's', 'x', '{}', '{}', 'detected', ${onDefault}, ${at}, ${at}, ${at}, ${at})`.execute(db.kysely);
      }
      await migrateToLatest(db);
      const risk = await db.kysely.selectFrom('vulnerability_risk').select(['vulnerability_id', 'severity']).orderBy('vulnerability_id').execute();
      assert.deepEqual(risk, [{ vulnerability_id: 1, severity: 'high' }, { vulnerability_id: 2, severity: 'info' }, { vulnerability_id: 3, severity: 'critical' }]);
      const sla = await db.kysely.selectFrom('vulnerability_sla').select(['vulnerability_id', 'started_at', 'due_at', 'due_soon_at']).orderBy('vulnerability_id').execute();
      assert.deepEqual(sla, [
        { vulnerability_id: 1, started_at: at, due_at: '2026-02-09T08:00:00.000Z', due_soon_at: '2026-02-02T08:00:00.000Z' },
        { vulnerability_id: 2, started_at: at, due_at: null, due_soon_at: null },
        { vulnerability_id: 3, started_at: null, due_at: null, due_soon_at: null },
      ]);
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
