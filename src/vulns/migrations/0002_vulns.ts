import { sql, type Kysely } from 'kysely';
import type { Ddl } from '../../platform/db/ddl.js';

/** Scans, vulnerabilities with identifiers and fingerprints, per-ref occurrences, and the event history. */
export async function up(db: Kysely<unknown>, ddl: Ddl): Promise<void> {
  const { bigint } = ddl;
  await db.schema.alterTable('projects').addColumn('auto_resolve', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await ddl
    .id(db.schema.createTable('scans'))
    .addColumn('project_id', bigint, (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('commit_sha', 'text')
    .addColumn('pipeline_id', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('format_version', 'text')
    .addColumn('scanner_id', 'text', (c) => c.notNull())
    .addColumn('scanner_name', 'text', (c) => c.notNull())
    .addColumn('scanner_version', 'text')
    .addColumn('report_type', 'text', (c) => c.notNull())
    .addColumn('scope_key', 'text', (c) => c.notNull())
    .addColumn('finding_count', 'integer', (c) => c.notNull())
    .addColumn('summary_json', 'text', (c) => c.notNull())
    .addColumn('created_by', bigint)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('scans_idempotency', ['project_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('scans_project_ref').on('scans').columns(['project_id', 'ref', 'id']).execute();

  await ddl
    .id(db.schema.createTable('vulnerabilities'))
    .addColumn('project_id', bigint, (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('scanner_severity', 'text', (c) => c.notNull())
    .addColumn('severity_overridden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('report_type', 'text', (c) => c.notNull())
    .addColumn('scanner_id', 'text', (c) => c.notNull())
    .addColumn('primary_identifier', 'text', (c) => c.notNull())
    .addColumn('file', 'text')
    .addColumn('start_line', 'integer')
    .addColumn('package_name', 'text')
    .addColumn('location_json', 'text', (c) => c.notNull())
    .addColumn('details_json', 'text', (c) => c.notNull())
    .addColumn('solution', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('dismissal_reason', 'text')
    .addColumn('present_on_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_detected_at', 'text', (c) => c.notNull())
    .addColumn('last_detected_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vulnerabilities_project_state').on('vulnerabilities').columns(['project_id', 'state', 'severity']).execute();

  await db.schema
    .createTable('vulnerability_identifiers')
    .addColumn('vulnerability_id', bigint, (c) => c.notNull().references('vulnerabilities.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('url', 'text')
    .addPrimaryKeyConstraint('vulnerability_identifiers_pk', ['vulnerability_id', 'position'])
    .execute();
  await db.schema.createIndex('vulnerability_identifiers_value').on('vulnerability_identifiers').expression(sql`lower(value)`).execute();

  await db.schema
    .createTable('vulnerability_fingerprints')
    .addColumn('project_id', bigint, (c) => c.notNull())
    .addColumn('vulnerability_id', bigint, (c) => c.notNull().references('vulnerabilities.id').onDelete('cascade'))
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vulnerability_fingerprints_pk', ['vulnerability_id', 'algorithm', 'version', 'hash'])
    .execute();
  await db.schema.createIndex('vulnerability_fingerprints_lookup').on('vulnerability_fingerprints').columns(['project_id', 'hash']).execute();

  await ddl
    .id(db.schema.createTable('occurrences'))
    .addColumn('project_id', bigint, (c) => c.notNull())
    .addColumn('vulnerability_id', bigint, (c) => c.notNull().references('vulnerabilities.id').onDelete('cascade'))
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('scope_key', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('first_seen_scan_id', bigint, (c) => c.notNull())
    .addColumn('last_seen_scan_id', bigint, (c) => c.notNull())
    .addColumn('fixed_scan_id', bigint)
    .addColumn('location_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('occurrences_unique', ['vulnerability_id', 'ref', 'scope_key'])
    .execute();
  await db.schema.createIndex('occurrences_scope').on('occurrences').columns(['project_id', 'ref', 'scope_key', 'state']).execute();

  await ddl
    .id(db.schema.createTable('vulnerability_events'))
    .addColumn('project_id', bigint, (c) => c.notNull())
    .addColumn('vulnerability_id', bigint, (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', bigint)
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_value', 'text')
    .addColumn('to_value', 'text')
    .addColumn('reason', 'text')
    .addColumn('comment', 'text')
    .addColumn('scan_id', bigint)
    .execute();
  await db.schema.createIndex('vulnerability_events_vuln').on('vulnerability_events').columns(['vulnerability_id', 'id']).execute();
  await ddl.appendOnly(db, 'vulnerability_events');
}
