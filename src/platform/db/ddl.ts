import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';
import type { DialectName } from './connect.js';

/**
 * The few places where SQLite and PostgreSQL DDL differ, so that migrations read as one script.
 */
export interface Ddl {
  dialect: DialectName;
  /** Surrogate integer primary key. */
  id<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'>;
  /** Integer type for foreign keys and counters wide enough for 64-bit ids. */
  bigint: 'integer' | 'bigint';
  /** 8-byte floating point (PostgreSQL's `real` is only 4 bytes and would blur probabilities). */
  double: 'real' | 'double precision';
  /** Binary data (an uploaded report waiting for a worker). */
  bytes: 'blob' | 'bytea';
  /** Forbid UPDATE and DELETE on a table (audit logs, event histories). */
  appendOnly(db: Kysely<unknown>, table: string): Promise<void>;
}

export function ddlFor(dialect: DialectName): Ddl {
  return {
    dialect,
    bigint: dialect === 'sqlite' ? 'integer' : 'bigint',
    double: dialect === 'sqlite' ? 'real' : 'double precision',
    bytes: dialect === 'sqlite' ? 'blob' : 'bytea',
    id: (table) =>
      dialect === 'sqlite'
        ? table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement())
        : table.addColumn('id', 'bigint', (c: ColumnDefinitionBuilder) => c.primaryKey().generatedByDefaultAsIdentity()),
    appendOnly: async (db, table) => {
      if (dialect === 'sqlite') {
        for (const op of ['UPDATE', 'DELETE']) {
          await sql`CREATE TRIGGER ${sql.raw(`${table}_no_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON ${sql.table(table)}
            BEGIN SELECT RAISE(ABORT, ${sql.lit(`${table} is append-only`)}); END`.execute(db);
        }
      } else {
        await sql`CREATE OR REPLACE FUNCTION vigil_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`.execute(db);
        await sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
            FOR EACH ROW EXECUTE FUNCTION vigil_append_only()`.execute(db);
      }
    },
  };
}
