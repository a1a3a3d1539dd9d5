import { sql, type Kysely } from 'kysely';
import type { Ddl } from '../../platform/db/ddl.js';

/**
 * Security dashboards: daily statistics per project and per group, and a snapshot of each project's "now" figures.
 *
 * One daily table for both scopes, keyed by (scope_type, scope_id, day, severity), rather than a project table and a
 * group table: the rows have the same columns and are read the same way (a trend is one primary-key range scan of at
 * most days × 6 rows, whatever the scope), and one writer fills both. A group's row covers its whole subtree, so a
 * group of a thousand projects reads 365 × 6 rows, not a million vulnerabilities. Rows that would be all zeroes are
 * not stored (a missing row reads as zero).
 *
 * The snapshot (`dashboard_current`, `dashboard_current_cwes`) holds what a group dashboard sums over its projects
 * for the figures of "now" (SLA status, age, risk, CWEs), which cost a join per open vulnerability to compute.
 */
export async function up(db: Kysely<unknown>, ddl: Ddl): Promise<void> {
  const { bigint, double } = ddl;
  // On SQLite the primary key is the table itself: a scope's days are read as one contiguous range.
  const clustered = ddl.dialect === 'sqlite' ? sql`without rowid` : sql``;
  await db.schema
    .createTable('dashboard_daily')
    .addColumn('scope_type', 'text', (c) => c.notNull())
    .addColumn('scope_id', bigint, (c) => c.notNull())
    // UTC calendar day, YYYY-MM-DD: sorts and compares as text.
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    // Open at the end of the day (at the time of computing, for today).
    .addColumn('open_count', 'integer', (c) => c.notNull())
    .addColumn('new_count', 'integer', (c) => c.notNull())
    .addColumn('resolved_count', 'integer', (c) => c.notNull())
    // Sum of (resolution − first detection) of the day's resolutions: MTTR over any window is a sum of sums.
    .addColumn('resolution_seconds', bigint, (c) => c.notNull())
    // The day's resolutions judged against the deadline they had (sla_resolutions), for SLA compliance.
    .addColumn('resolved_in_time', 'integer', (c) => c.notNull())
    .addColumn('resolved_late', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dashboard_daily_pk', ['scope_type', 'scope_id', 'day', 'severity'])
    .modifyEnd(clustered)
    .execute();

  // No foreign key to projects: the statistics job removes a deleted project's rows with its daily rows.
  await db.schema
    .createTable('dashboard_current')
    .addColumn('project_id', bigint, (c) => c.primaryKey())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    // Events at or after this moment make the snapshot stale (computed_at minus a margin for slow transactions).
    .addColumn('dirty_after', 'text', (c) => c.notNull())
    // When the first open vulnerability changes SLA status or age bucket: the snapshot is exact until then.
    .addColumn('valid_until', 'text')
    .addColumn('critical', 'integer', (c) => c.notNull())
    .addColumn('high', 'integer', (c) => c.notNull())
    .addColumn('medium', 'integer', (c) => c.notNull())
    .addColumn('low', 'integer', (c) => c.notNull())
    .addColumn('info', 'integer', (c) => c.notNull())
    .addColumn('unknown', 'integer', (c) => c.notNull())
    .addColumn('on_track', 'integer', (c) => c.notNull())
    .addColumn('due_soon', 'integer', (c) => c.notNull())
    .addColumn('overdue', 'integer', (c) => c.notNull())
    .addColumn('age_30', 'integer', (c) => c.notNull())
    .addColumn('age_90', 'integer', (c) => c.notNull())
    .addColumn('age_180', 'integer', (c) => c.notNull())
    .addColumn('age_365', 'integer', (c) => c.notNull())
    .addColumn('age_older', 'integer', (c) => c.notNull())
    .addColumn('risk_total', double, (c) => c.notNull())
    .addColumn('risk_max', double, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('dashboard_current_cwes')
    .addColumn('project_id', bigint, (c) => c.notNull())
    .addColumn('cwe', 'text', (c) => c.notNull())
    .addColumn('open_count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dashboard_current_cwes_pk', ['project_id', 'cwe'])
    .modifyEnd(clustered)
    .execute();

  // The statistics job reads a project's detections and state changes since a day; a group dashboard asks whether a
  // project changed since its snapshot. Both are range seeks on this index (the table had only a per-vulnerability one).
  await db.schema.createIndex('vulnerability_events_project_kind_at').on('vulnerability_events').columns(['project_id', 'kind', 'at']).execute();
}
