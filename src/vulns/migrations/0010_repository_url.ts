import type { Kysely } from 'kysely';

/**
 * Projects may name their repository browser, so vulnerability locations link to the file and line.
 *
 * Also: the report's facet counts (state, severity, report type, scanner per scope) read an index instead of the
 * wide vulnerability rows — the project/state/severity index gains the other two columns. It is a superset with
 * the same leading columns, so every query that used it still does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('projects').addColumn('repository_url', 'text').execute();
  await db.schema.dropIndex('vulnerabilities_project_state').execute();
  await db.schema.createIndex('vulnerabilities_project_state').on('vulnerabilities').columns(['project_id', 'state', 'severity', 'report_type', 'scanner_id']).execute();
}
