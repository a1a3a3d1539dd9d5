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
  // The due-date sort puts vulnerabilities without a deadline last on both databases (report-columns.ts DUE_SORT).
  const due = sql`coalesce(due_at, ${sql.lit(DUE_NEVER)})`;
  await db.schema.createIndex('vulnerability_sla_due_order').on('vulnerability_sla').expression(sql`${due}, vulnerability_id`).execute();
  await db.schema.createIndex('vulnerability_sla_project_due_order').on('vulnerability_sla').expression(sql`project_id, ${due}, vulnerability_id`).execute();
}
