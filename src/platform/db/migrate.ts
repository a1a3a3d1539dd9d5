import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './connect.js';
import { ddlFor, type Ddl } from './ddl.js';
import * as m0001 from './migrations/0001_platform.js';
import * as m0002 from '../../vulns/migrations/0002_vulns.js';
import * as m0003 from '../../risk/migrations/0003_risk.js';
import * as m0004 from '../../vulns/migrations/0004_discussion.js';
import * as m0005 from '../../sla/migrations/0005_sla.js';
import * as m0006 from '../../notify/migrations/0006_notify.js';
import * as m0007 from './migrations/0007_jobs.js';
import * as m0008 from '../../notify/migrations/0008_delivery.js';
import * as m0009 from '../../vulns/migrations/0009_dashboards.js';
import * as m0010 from '../../vulns/migrations/0010_repository_url.js';
import * as m0011 from '../../vulns/migrations/0011_report_read_path.js';
import * as m0012 from './migrations/0012_job_runs.js';

/**
 * Migrations are listed here in order (not discovered on disk) so the compiled bundle and tests see exactly
 * the same set. Each takes the dialect helpers so one script serves SQLite and PostgreSQL.
 */
const migrations: Record<string, { up(db: Parameters<Migration['up']>[0], ddl: Ddl): Promise<void> }> = {
  '0001_platform': m0001,
  '0002_vulns': m0002,
  '0003_risk': m0003,
  '0004_discussion': m0004,
  '0005_sla': m0005,
  '0006_notify': m0006,
  '0007_jobs': m0007,
  '0008_delivery': m0008,
  '0009_dashboards': m0009,
  '0010_repository_url': m0010,
  '0011_report_read_path': m0011,
  '0012_job_runs': m0012,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly ddl: Ddl) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(migrations).map(([name, m]) => [name, { up: (db) => m.up(db, this.ddl) }]),
    );
  }
}

export class MigrationError extends Error {}

/** Applies every pending migration, each in its own transaction; returns the names applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return migrate(db, (migrator) => migrator.migrateToLatest());
}

/** Applies pending migrations up to and including `name` (tests of upgrades with data in place). */
export async function migrateUpTo(db: Db, name: string): Promise<string[]> {
  return migrate(db, (migrator) => migrator.migrateTo(name));
}

async function migrate(db: Db, run: (migrator: Migrator) => Promise<MigrationResultSet>): Promise<string[]> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: new StaticProvider(ddlFor(db.dialect)),
    migrationTableName: 'vigil_migrations',
    migrationLockTableName: 'vigil_migrations_lock',
  });
  const { error, results } = await run(migrator);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export const knownMigrations = Object.keys(migrations);
