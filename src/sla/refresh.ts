import { sql, type Kysely, type RawBuilder } from 'kysely';
import { chunks } from '../platform/db/batch.js';
import { isDistinct } from '../platform/db/compare.js';
import type { DialectName } from '../platform/db/connect.js';
import type { Database } from '../platform/db/schema.js';
import { pathKey } from '../platform/namespaces/paths.js';
import { SLA_SEVERITIES, type SlaPolicy } from './policy.js';
import { effectiveProjectPolicy } from './store.js';

/**
 * Set-based SLA clocks: for each project its policy in effect, then one UPDATE per distinct policy writes start,
 * due date and "due soon" for all the project's vulnerabilities at once. The SQL is policy.ts's clockStartOf and
 * dueAtOf; tests hold them equal.
 */
type Db = Kysely<Database>;

export type SlaScope = { kind: 'projects'; projectIds: readonly number[] } | { kind: 'group'; fullPath: string } | { kind: 'ids'; ids: readonly number[] };

export async function refreshSla(db: Db, dialect: DialectName, scope: SlaScope): Promise<number> {
  const projects = await projectsOf(db, scope);
  const byPolicy = new Map<string, { policy: SlaPolicy; projectIds: number[] }>();
  for (const project of projects) {
    const { policy } = await effectiveProjectPolicy(db, project);
    const key = JSON.stringify(policy);
    const entry = byPolicy.get(key) ?? { policy, projectIds: [] };
    entry.projectIds.push(project.id);
    byPolicy.set(key, entry);
  }
  let changed = 0;
  for (const { policy, projectIds } of byPolicy.values()) {
    const start = startExpression(policy);
    const due = dueExpression(dialect, policy, start, 0);
    const dueSoon = dueExpression(dialect, policy, start, policy.dueSoonDays);
    const filters = scope.kind === 'ids' ? chunks(scope.ids).map((part) => sql`vulnerability_id IN (${sql.join(part)})`) : [sql`1 = 1`];
    for (const filter of filters) {
      const result = await sql`
        UPDATE vulnerability_sla SET started_at = ${start}, due_at = ${due}, due_soon_at = ${dueSoon}
        WHERE project_id IN (${sql.join(projectIds)}) AND ${filter} AND (
          ${isDistinct(dialect, sql.ref('started_at'), start)} OR ${isDistinct(dialect, sql.ref('due_at'), due)} OR ${isDistinct(dialect, sql.ref('due_soon_at'), dueSoon)})`.execute(db);
      changed += Number(result.numAffectedRows ?? 0);
    }
  }
  return changed;
}

async function projectsOf(db: Db, scope: SlaScope): Promise<{ id: number; fullPath: string }[]> {
  let query = db.selectFrom('projects').select(['id', 'full_path']);
  if (scope.kind === 'projects') {
    if (scope.projectIds.length === 0) return [];
    query = query.where('id', 'in', [...scope.projectIds]);
  } else if (scope.kind === 'group') {
    const prefix = `${pathKey(scope.fullPath)}/`;
    query = query.where(sql`substr(lower(full_path), 1, ${prefix.length})`, '=', prefix);
  } else {
    // In chunks: a first scan can bring hundreds of thousands of ids, more than either database binds at once.
    const projectIds = new Set<number>();
    for (const part of chunks(scope.ids)) {
      for (const row of await db.selectFrom('vulnerability_sla').select('project_id').distinct().where('vulnerability_id', 'in', part).execute()) projectIds.add(row.project_id);
    }
    if (projectIds.size === 0) return [];
    query = query.where('id', 'in', [...projectIds]);
  }
  return (await query.execute()).map((p) => ({ id: p.id, fullPath: p.full_path }));
}

/** clockStartOf() in SQL. ISO-8601 UTC text compares in time order. */
function startExpression(policy: SlaPolicy): RawBuilder<unknown> {
  const basis = policy.clockStart === 'anywhere' ? sql.ref('detected_at') : sql.ref('default_detected_at');
  if (!policy.reopenRestarts) return sql`${basis}`;
  return sql`(CASE WHEN reopened_at IS NOT NULL AND ${basis} IS NOT NULL AND reopened_at > ${basis} THEN reopened_at ELSE ${basis} END)`;
}

/** dueAtOf() in SQL, less `before` days: calendar days in UTC, written back as toISOString() writes them. */
function dueExpression(dialect: DialectName, policy: SlaPolicy, start: RawBuilder<unknown>, before: number): RawBuilder<unknown> {
  const severity = sql`(SELECT v.severity FROM vulnerabilities v WHERE v.id = vulnerability_sla.vulnerability_id)`;
  const cases = SLA_SEVERITIES.filter((s) => policy.days[s] !== null).map((s) => sql`WHEN ${sql.lit(s)} THEN ${addDays(dialect, start, policy.days[s]! - before)}`);
  if (cases.length === 0) return sql`NULL`;
  return sql`(CASE ${severity} ${sql.join(cases, sql` `)} ELSE NULL END)`;
}

function addDays(dialect: DialectName, at: RawBuilder<unknown>, days: number): RawBuilder<unknown> {
  const n = Math.trunc(days);
  return dialect === 'sqlite'
    ? sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${at}, ${sql.lit(`${n >= 0 ? '+' : ''}${n} days`)})`
    : sql`to_char((${at})::timestamptz AT TIME ZONE 'UTC' + make_interval(days => ${sql.lit(n)}), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
