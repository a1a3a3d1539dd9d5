import { sql, type RawBuilder } from 'kysely';
import type { Services } from '../src/platform/context.js';
import type { DialectName } from '../src/platform/db/connect.js';
import { toDbTime } from '../src/platform/db/time.js';
import { refreshDashboardStats } from '../src/vulns/dashboards/stats-job.js';
import { loadVulnerabilities, type Dataset } from './dataset.js';

/**
 * The scale dataset of issue 8, built with set-based SQL: `vulnerabilities` projects in ten groups of ten subgroups
 * (loadVulnerabilities writes the rows, so columns the read path adds are filled here too), detected over the last
 * year, a fifth of them resolved and a tenth dismissed since; a `detected` event for each and a `state` event for
 * each resolution or dismissal (with its SLA resolution record); a scan per project and branch, and occurrences on
 * four branches — main and develop for every vulnerability, a release and a feature branch for half each, three per
 * vulnerability in all; then the daily statistics job backfills the dashboards from those events.
 */
export const REFS = ['main', 'develop', 'release/2026.10', 'feature/login'] as const;
const SCOPE = 'bench';

export interface ScaleDataset extends Dataset {
  events: number;
  occurrences: number;
}

export async function loadScaleDataset(svc: Services, options: { vulnerabilities: number; projects: number }): Promise<ScaleDataset> {
  const dataset = await loadVulnerabilities(svc, { vulnerabilities: options.vulnerabilities, projects: options.projects, cves: 300_000, nested: true });
  const db = svc.db.kysely;
  const dialect = svc.db.dialect;
  const now = svc.clock.now();
  // Every date at least a day back: the statistics snapshot taken at the end then holds for every project, the
  // steady state between scans (a project with events in the last minutes is computed live; see the README).
  const before = (days: RawBuilder<unknown>) => daysBefore(dialect, toDbTime(new Date(now.getTime() - 86_400_000)), days);
  const age = sql`(id % 365)`;
  // Resolved: ids ending in 7 or 8 detected at least 30 days ago, 1–29 days after detection; dismissed: ending in 9.
  const resolved = sql`(id % 10 in (7, 8) and id % 365 >= 30)`;
  const dismissed = sql`(id % 10 = 9)`;
  await sql`update vulnerabilities set first_detected_at = ${before(age)}, created_at = ${before(age)},
      state = case when ${resolved} then 'resolved' when ${dismissed} then 'dismissed' else state end,
      dismissal_reason = case when ${dismissed} then 'false_positive' end,
      resolved_at = case when ${resolved} then ${before(sql`(id % 365 - 1 - id % 29)`)} end,
      updated_at = case when ${resolved} then ${before(sql`(id % 365 - 1 - id % 29)`)} when ${dismissed} then ${before(sql`(id % 365 / 2)`)} else ${before(age)} end,
      present_on_default = case when ${resolved} then 0 else 1 end`.execute(db);
  await sql`update vulnerability_sla set detected_at = v.first_detected_at, default_detected_at = v.first_detected_at, started_at = v.first_detected_at,
      due_at = ${daysAfter(dialect, sql.ref('v.first_detected_at'), 30)}, due_soon_at = ${daysAfter(dialect, sql.ref('v.first_detected_at'), 23)}
    from vulnerabilities v where v.id = vulnerability_sla.vulnerability_id`.execute(db);

  await sql`insert into vulnerability_events (project_id, vulnerability_id, at, actor, kind, to_value)
    select project_id, id, first_detected_at, 'bench', 'detected', 'main' from vulnerabilities order by id`.execute(db);
  await sql`insert into vulnerability_events (project_id, vulnerability_id, at, actor, kind, from_value, to_value, reason)
    select project_id, id, updated_at, 'bench', 'state', 'detected', state, case when state = 'resolved' then 'no longer detected on the default branch (auto-resolve)' else dismissal_reason end
    from vulnerabilities where state in ('resolved', 'dismissed') order by updated_at, id`.execute(db);
  await sql`insert into sla_resolutions (vulnerability_id, project_id, severity, started_at, due_at, resolved_at)
    select v.id, v.project_id, v.severity, s.started_at, s.due_at, v.resolved_at
    from vulnerabilities v join vulnerability_sla s on s.vulnerability_id = v.id where v.state = 'resolved'`.execute(db);

  const refs = sql.join(REFS.map((ref) => sql`select ${sql.lit(ref)} as ref`), sql` union all `);
  await sql`insert into scans (project_id, ref, format, scanner_id, scanner_name, report_type, scope_key, finding_count, summary_json, created_at)
    select p.id, r.ref, 'sarif', 'codeql', 'CodeQL', 'sast', ${SCOPE}, 0, '{}', ${toDbTime(now)}
    from projects p cross join (${refs}) r`.execute(db);
  // main and develop see every vulnerability; the release branch the even ids, the feature branch the odd ones.
  await sql`insert into occurrences (project_id, vulnerability_id, ref, scope_key, state, first_seen_scan_id, last_seen_scan_id, fixed_scan_id, location_json, updated_at)
    select v.project_id, v.id, s.ref, ${SCOPE}, case when v.state = 'resolved' then 'fixed' else 'present' end, s.id, s.id,
      case when v.state = 'resolved' then s.id end, v.location_json, v.updated_at
    from vulnerabilities v join scans s on s.project_id = v.project_id
    where s.ref in ('main', 'develop') or (s.ref = ${REFS[2]} and v.id % 2 = 0) or (s.ref = ${REFS[3]} and v.id % 2 = 1)`.execute(db);

  await refreshDashboardStats(svc);
  const count = async (table: 'vulnerability_events' | 'occurrences') => Number((await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  return { ...dataset, events: await count('vulnerability_events'), occurrences: await count('occurrences') };
}

/** A stored timestamp `days` (an integer expression) before the given one, in the stored format (toDbTime). */
function daysBefore(dialect: DialectName, at: string, days: RawBuilder<unknown>): RawBuilder<string> {
  return dialect === 'sqlite'
    ? sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', ${sql.lit(at)}, '-' || ${days} || ' days')`
    : sql<string>`to_char((${sql.lit(at)}::timestamptz - ${days} * interval '1 day') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

function daysAfter(dialect: DialectName, at: RawBuilder<unknown>, days: number): RawBuilder<string> {
  return dialect === 'sqlite'
    ? sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', ${at}, ${sql.lit(`+${days} days`)})`
    : sql<string>`to_char((${at}::timestamptz + ${sql.lit(`${days} days`)}::interval) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
