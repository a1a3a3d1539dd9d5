import { sql, type Kysely } from 'kysely';
import type { Ddl } from '../../platform/db/ddl.js';

/**
 * Risk: threat-intelligence feeds (EPSS, KEV) keyed by CVE, per-project risk settings, and each vulnerability's
 * risk inputs and score, denormalised so that "fix this first" sorts and filters on an index.
 */
export async function up(db: Kysely<unknown>, ddl: Ddl): Promise<void> {
  const { bigint, double } = ddl;
  await ddl
    .id(db.schema.createTable('feed_imports'))
    .addColumn('feed', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('model_version', 'text')
    .addColumn('published_at', 'text')
    .addColumn('catalog_version', 'text')
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('skipped_count', 'integer', (c) => c.notNull())
    .addColumn('report_json', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('feed_imports_feed').on('feed_imports').columns(['feed', 'status', 'id']).execute();

  // The current EPSS snapshot: one row per CVE, replaced whole by each newer snapshot.
  await db.schema
    .createTable('epss_scores')
    .addColumn('cve', 'text', (c) => c.primaryKey())
    .addColumn('epss', double, (c) => c.notNull())
    .addColumn('percentile', double, (c) => c.notNull())
    .execute();

  // History keeps a row only when a CVE's probability changed, so a year of daily files stays small; the value
  // on any day is the latest row on or before it.
  await db.schema
    .createTable('epss_history')
    .addColumn('cve', 'text', (c) => c.notNull())
    .addColumn('score_date', 'text', (c) => c.notNull())
    .addColumn('model_version', 'text', (c) => c.notNull())
    .addColumn('epss', double, (c) => c.notNull())
    .addColumn('percentile', double, (c) => c.notNull())
    .addPrimaryKeyConstraint('epss_history_pk', ['cve', 'score_date'])
    .execute();

  await db.schema
    .createTable('kev_entries')
    .addColumn('cve', 'text', (c) => c.primaryKey())
    .addColumn('vendor_project', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('vulnerability_name', 'text', (c) => c.notNull())
    .addColumn('date_added', 'text', (c) => c.notNull())
    .addColumn('short_description', 'text', (c) => c.notNull())
    .addColumn('required_action', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('known_ransomware', 'integer', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('cwes_json', 'text', (c) => c.notNull())
    .addColumn('first_import_id', bigint, (c) => c.notNull())
    // Set when a later catalog no longer lists the entry: kept, not deleted, so history shows it was there.
    .addColumn('removed_at', 'text')
    .execute();

  await db.schema
    .createTable('project_risk_settings')
    .addColumn('project_id', bigint, (c) => c.primaryKey().references('projects.id').onDelete('cascade'))
    .addColumn('mission_prevalence', 'text', (c) => c.notNull())
    .addColumn('public_well_being', 'text', (c) => c.notNull())
    // Derived from the two above and stored so that rescoring can select projects by it in SQL.
    .addColumn('mission_well_being', 'text', (c) => c.notNull())
    .addColumn('cvss2_environmental', 'text')
    .addColumn('cvss3_environmental', 'text')
    .addColumn('cvss4_environmental', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('risk_policy')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('policy_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Risk columns live beside the vulnerability, not in it: rescoring rewrites hundreds of thousands of these narrow
  // rows after a feed update, where rewriting the wide vulnerability rows (descriptions, locations) took minutes.
  await db.schema
    .createTable('vulnerability_risk')
    .addColumn('vulnerability_id', bigint, (c) => c.primaryKey().references('vulnerabilities.id').onDelete('cascade'))
    .addColumn('project_id', bigint, (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('severity_overridden', 'integer', (c) => c.notNull())
    .addColumn('cvss_version', 'text')
    .addColumn('cvss_vector', 'text')
    .addColumn('cvss_environmental', 'text')
    .addColumn('cvss_score', double)
    .addColumn('ssvc_automatable', 'text')
    .addColumn('ssvc_technical_impact', 'text')
    .addColumn('exploit_reference', 'text')
    .addColumn('exploitation_override', 'text')
    .addColumn('epss', double)
    .addColumn('epss_percentile', double)
    .addColumn('kev', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('kev_ransomware', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ssvc', 'text')
    .addColumn('risk_score', double, (c) => c.notNull().defaultTo(0))
    .execute();
  // Vulnerabilities from before this version get their row now (every report query joins it); their CVSS and scores
  // fill in at their next scan of the default branch or feed import.
  await sql`insert into vulnerability_risk (vulnerability_id, project_id, severity, severity_overridden)
    select id, project_id, severity, severity_overridden from vulnerabilities`.execute(db);
  await db.schema.createIndex('vulnerability_risk_project_risk').on('vulnerability_risk').columns(['project_id', 'risk_score', 'vulnerability_id']).execute();
  // Feed rescoring joins identifiers to feeds by CVE id.
  await db.schema.createIndex('vulnerability_identifiers_type_value').on('vulnerability_identifiers').columns(['type', 'value', 'vulnerability_id']).execute();
}
