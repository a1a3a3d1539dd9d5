import { sql, type Kysely } from 'kysely';
import type { Ddl } from '../../platform/db/ddl.js';
import { DUE_NEVER } from '../../sla/report-columns.js';
import { SEVERITIES, severityRank } from '../model.js';

/**
 * Indexes in the report's sort orders, so that a page of the report is read in order from an index instead of
 * sorting every vulnerability of the scope (src/vulns/report-plan.ts chooses how each one is walked):
 * - severity sorts on an integer rank, a generated column (no write path needs to know about it);
 * - each sort key has a global (key, id) index, walked with a project-membership filter when the scope covers
 *   many projects, and a (project_id, key, id) index, walked per project when it covers few;
 * - risk and due date live in their modules' tables, whose rows carry project_id: their indexes are there.
 *
 * And the report's filter menus (facets.ts) count from `vulnerability_counts`: how many vulnerabilities each
 * project has per (state, severity, report type, scanner), kept in step by triggers, so no write path needs to
 * know. A group of a million vulnerabilities sums a few rows per project instead of counting a million.
 */
export async function up(db: Kysely<unknown>, ddl: Ddl): Promise<void> {
  const rank = sql.join(SEVERITIES.map((s) => sql`when ${sql.lit(s)} then ${sql.lit(severityRank(s))}`), sql` `);
  await db.schema
    .alterTable('vulnerabilities')
    // SQLite can only add a virtual generated column; an index on it stores the value all the same.
    .addColumn('severity_rank', 'integer', (c) => {
      const generated = c.generatedAlwaysAs(sql`case severity ${rank} else 0 end`);
      return ddl.dialect === 'postgres' ? generated.stored() : generated;
    })
    .execute();
  for (const column of ['severity_rank', 'first_detected_at', 'last_detected_at']) {
    const name = column.replace(/_at$/, '');
    await db.schema.createIndex(`vulnerabilities_${name}_order`).on('vulnerabilities').columns([column, 'id']).execute();
    await db.schema.createIndex(`vulnerabilities_project_${name}_order`).on('vulnerabilities').columns(['project_id', column, 'id']).execute();
  }
  await db.schema.createIndex('vulnerability_risk_order').on('vulnerability_risk').columns(['risk_score', 'vulnerability_id']).execute();
  // Known-exploited is the report's commonest needle (a few in a million): a search finds them by this index, in
  // the scope or in one project.
  await db.schema.createIndex('vulnerability_risk_kev').on('vulnerability_risk').columns(['kev', 'project_id', 'vulnerability_id']).execute();
  // The due-date sort puts vulnerabilities without a deadline last on both databases (report-columns.ts DUE_SORT).
  const due = sql`coalesce(due_at, ${sql.lit(DUE_NEVER)})`;
  await db.schema.createIndex('vulnerability_sla_due_order').on('vulnerability_sla').expression(sql`${due}, vulnerability_id`).execute();
  await db.schema.createIndex('vulnerability_sla_project_due_order').on('vulnerability_sla').expression(sql`project_id, ${due}, vulnerability_id`).execute();
  await countVulnerabilities(db, ddl);
}

const FACETS = ['project_id', 'state', 'severity', 'report_type', 'scanner_id'] as const;

async function countVulnerabilities(db: Kysely<unknown>, ddl: Ddl): Promise<void> {
  await db.schema
    .createTable('vulnerability_counts')
    .addColumn('project_id', ddl.bigint, (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('report_type', 'text', (c) => c.notNull())
    .addColumn('scanner_id', 'text', (c) => c.notNull())
    .addColumn('n', ddl.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('vulnerability_counts_pk', [...FACETS])
    .execute();
  const columns = sql.raw(FACETS.join(', '));
  await sql`insert into vulnerability_counts (${columns}, n) select ${columns}, count(*) from vulnerabilities group by ${columns}`.execute(db);
  const of = (row: 'new' | 'old') => sql.raw(FACETS.map((c) => `${row}.${c}`).join(', '));
  const matches = (row: string) => sql.raw(FACETS.map((c) => `${c} = ${row}.${c}`).join(' and '));
  const upsert = sql`on conflict (${columns}) do update set n = vulnerability_counts.n + excluded.n`;
  if (ddl.dialect === 'sqlite') {
    // Row triggers cost microseconds in SQLite; the counted columns only, not every last-seen update.
    const add = sql`insert into vulnerability_counts (${columns}, n) values (${of('new')}, 1) ${upsert};`;
    const remove = sql`update vulnerability_counts set n = n - 1 where ${matches('old')};`;
    await sql`create trigger vulnerabilities_count_insert after insert on vulnerabilities begin ${add} end`.execute(db);
    await sql`create trigger vulnerabilities_count_delete after delete on vulnerabilities begin ${remove} end`.execute(db);
    await sql`create trigger vulnerabilities_count_update after update of ${columns} on vulnerabilities begin ${remove} ${add} end`.execute(db);
    return;
  }
  // PostgreSQL: once per statement over its transition tables, so a bulk insert or triage is one grouped upsert.
  const net = (parts: ReturnType<typeof sql>[]) =>
    sql`insert into vulnerability_counts (${columns}, n) select ${columns}, sum(d) from (${sql.join(parts, sql` union all `)}) c
      group by ${columns} having sum(d) <> 0 ${upsert}`;
  const added = sql`select ${columns}, 1 as d from added_rows`;
  const removed = sql`select ${columns}, -1 as d from removed_rows`;
  for (const [event, tables, parts] of [
    ['insert', sql`new table as added_rows`, [added]],
    ['delete', sql`old table as removed_rows`, [removed]],
    ['update', sql`old table as removed_rows new table as added_rows`, [added, removed]],
  ] as const) {
    await sql`create function ${sql.raw(`vigil_count_vulnerabilities_${event}`)}() returns trigger language plpgsql as $$
      begin ${net([...parts])}; return null; end $$`.execute(db);
    await sql`create trigger ${sql.raw(`vulnerabilities_count_${event}`)} after ${sql.raw(event)} on vulnerabilities
      referencing ${tables} for each statement execute function ${sql.raw(`vigil_count_vulnerabilities_${event}`)}()`.execute(db);
  }
}
