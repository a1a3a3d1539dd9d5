import { sql, type Kysely } from 'kysely';
import type { Ddl } from '../../platform/db/ddl.js';

/**
 * SLA policies per group and project, and each vulnerability's SLA clock in a narrow table of its own (recomputed
 * set-based when a policy changes, like the risk columns).
 */
export async function up(db: Kysely<unknown>, ddl: Ddl): Promise<void> {
  const { bigint } = ddl;
  await ddl
    .id(db.schema.createTable('sla_policies'))
    .addColumn('scope_type', 'text', (c) => c.notNull())
    .addColumn('scope_id', bigint, (c) => c.notNull())
    .addColumn('policy_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sla_policies_scope', ['scope_type', 'scope_id'])
    .execute();

  await db.schema
    .createTable('vulnerability_sla')
    .addColumn('vulnerability_id', bigint, (c) => c.primaryKey().references('vulnerabilities.id').onDelete('cascade'))
    .addColumn('project_id', bigint, (c) => c.notNull())
    // The moments a clock may start from; which one counts is the policy's choice.
    .addColumn('detected_at', 'text', (c) => c.notNull())
    .addColumn('default_detected_at', 'text')
    .addColumn('reopened_at', 'text')
    .addColumn('started_at', 'text')
    .addColumn('due_at', 'text')
    // When "due soon" begins: stored so that the list filters on sla= without knowing each project's policy.
    .addColumn('due_soon_at', 'text')
    // The due date each notification was sent for: exactly one per deadline, and a moved deadline notifies again.
    .addColumn('breach_notified_for', 'text')
    .addColumn('due_soon_notified_for', 'text')
    // A dismissal as acceptable risk that comes back for review at this moment.
    .addColumn('acceptance_expires_at', 'text')
    .execute();
  // Each resolution with the deadline that applied at that moment: compliance is judged against it, not against a
  // deadline that moved later (a reopen restarts the clock).
  await ddl
    .id(db.schema.createTable('sla_resolutions'))
    .addColumn('vulnerability_id', bigint, (c) => c.notNull())
    .addColumn('project_id', bigint, (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('due_at', 'text')
    .addColumn('resolved_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sla_resolutions_project').on('sla_resolutions').columns(['project_id', 'resolved_at']).execute();

  // Existing vulnerabilities keep their detection dates and get the deadlines of the default policy as it is at this
  // version (no policy exists yet): 7/30/90/180 days from the first detection on the default branch, due soon 7 days
  // before. Written out here rather than imported, so this migration means the same thing forever.
  await sql`insert into vulnerability_sla (vulnerability_id, project_id, detected_at, default_detected_at, started_at)
    select id, project_id, first_detected_at, case when present_on_default = 1 then first_detected_at end,
      case when present_on_default = 1 then first_detected_at end
    from vulnerabilities`.execute(db);
  const days = { critical: 7, high: 30, medium: 90, low: 180 };
  const addDays = (n: number) =>
    ddl.dialect === 'sqlite'
      ? sql`strftime('%Y-%m-%dT%H:%M:%fZ', started_at, ${sql.lit(`${n >= 0 ? '+' : ''}${n} days`)})`
      : sql`to_char(started_at::timestamptz AT TIME ZONE 'UTC' + make_interval(days => ${sql.lit(n)}), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const by = (before: number) => sql.join(Object.entries(days).map(([severity, n]) => sql`when ${sql.lit(severity)} then ${addDays(n - before)}`), sql` `);
  const severity = sql`(select v.severity from vulnerabilities v where v.id = vulnerability_sla.vulnerability_id)`;
  await sql`update vulnerability_sla set due_at = case ${severity} ${by(0)} end, due_soon_at = case ${severity} ${by(7)} end
    where started_at is not null`.execute(db);
  await db.schema.createIndex('vulnerability_sla_project_due').on('vulnerability_sla').columns(['project_id', 'due_at', 'vulnerability_id']).execute();
}
