import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { bulkInsert } from '../../platform/db/bulk.js';
import { chunks } from '../../platform/db/batch.js';
import type { DialectName } from '../../platform/db/connect.js';
import type { Database } from '../../platform/db/schema.js';
import type { Group } from '../../platform/namespaces/model.js';
import { ancestorPaths, pathKey } from '../../platform/namespaces/paths.js';
import type { DailyRow } from './backfill.js';
import { snapshotRow, type CurrentFigures } from './current.js';

/** Reads and writes of the dashboard tables that the job and the dashboard share. */
type Db = Kysely<Database>;

/** Every project of a group's subtree (by full-path prefix, as the report and the access rules scope a group). */
export async function projectsBelow(db: Db, group: Pick<Group, 'fullPath'>): Promise<{ id: number; full_path: string }[]> {
  const prefix = `${pathKey(group.fullPath)}/`;
  return db
    .selectFrom('projects')
    .select(['id', 'full_path'])
    .where(sql`substr(lower(full_path), 1, ${prefix.length})`, '=', prefix)
    .orderBy('id')
    .execute();
}

const DAILY_COLUMNS = [
  { name: 'scope_type', type: 'text' },
  { name: 'scope_id', type: 'integer' },
  { name: 'day', type: 'text' },
  { name: 'severity', type: 'text' },
  { name: 'open_count', type: 'integer' },
  { name: 'new_count', type: 'integer' },
  { name: 'resolved_count', type: 'integer' },
  { name: 'resolution_seconds', type: 'integer' },
  { name: 'resolved_in_time', type: 'integer' },
  { name: 'resolved_late', type: 'integer' },
] as const;

/** Replaces the projects' daily rows from `from` on. */
export async function writeProjectDays(trx: Db, dialect: DialectName, projectIds: readonly number[], from: string, rows: readonly DailyRow[]): Promise<void> {
  await trx.deleteFrom('dashboard_daily').where('scope_type', '=', 'project').where('scope_id', 'in', [...projectIds]).where('day', '>=', from).execute();
  await bulkInsert(
    trx,
    dialect,
    'dashboard_daily',
    DAILY_COLUMNS,
    rows.map((r) => ['project', r.projectId, r.day, r.severity, r.open, r.new, r.resolved, r.resolutionSeconds, r.resolvedInTime, r.resolvedLate]),
  );
}

/** Replaces the projects' snapshots of "now". */
export async function writeSnapshots(trx: Db, figures: readonly CurrentFigures[], computedAt: string, dirtyAfter: string): Promise<void> {
  const ids = figures.map((f) => f.projectId);
  await trx.deleteFrom('dashboard_current').where('project_id', 'in', ids).execute();
  await trx.deleteFrom('dashboard_current_cwes').where('project_id', 'in', ids).execute();
  await trx.insertInto('dashboard_current').values(figures.map((f) => snapshotRow(f, computedAt, dirtyAfter))).execute();
  const cwes = figures.flatMap((f) => [...f.cwes].map(([cwe, n]) => ({ project_id: f.projectId, cwe, open_count: n })));
  for (const part of chunks(cwes)) await trx.insertInto('dashboard_current_cwes').values(part).execute();
}

/** The groups above these projects (ids), each with its full path. */
export async function groupsAbove(db: Db, projectPaths: readonly string[]): Promise<{ id: number; full_path: string }[]> {
  const keys = [...new Set(projectPaths.flatMap((p) => ancestorPaths(pathKey(p))))];
  const groups: { id: number; full_path: string }[] = [];
  for (const part of chunks(keys)) groups.push(...(await db.selectFrom('namespaces').select(['id', 'full_path']).where(sql`lower(full_path)`, 'in', part).execute()));
  return groups;
}

/** A group's rows from `from` on become the sums of its subtree's project rows. */
export async function rollUpGroup(db: Db, group: { id: number; full_path: string }, from: string): Promise<void> {
  const members = (await projectsBelow(db, { fullPath: group.full_path })).map((p) => p.id);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('dashboard_daily').where('scope_type', '=', 'group').where('scope_id', '=', group.id).where('day', '>=', from).execute();
    if (members.length === 0) return;
    await trx
      .insertInto('dashboard_daily')
      .columns(['scope_type', 'scope_id', 'day', 'severity', 'open_count', 'new_count', 'resolved_count', 'resolution_seconds', 'resolved_in_time', 'resolved_late'])
      .expression((eb) =>
        eb
          .selectFrom('dashboard_daily')
          .select([
            sql.lit('group').as('scope_type'),
            sql.lit(group.id).as('scope_id'),
            'day',
            'severity',
            sql`sum(open_count)`.as('open_count'),
            sql`sum(new_count)`.as('new_count'),
            sql`sum(resolved_count)`.as('resolved_count'),
            sql`sum(resolution_seconds)`.as('resolution_seconds'),
            sql`sum(resolved_in_time)`.as('resolved_in_time'),
            sql`sum(resolved_late)`.as('resolved_late'),
          ])
          .where('scope_type', '=', 'project')
          .where('scope_id', 'in', members)
          .where('day', '>=', from)
          .groupBy(['day', 'severity']),
      )
      .execute();
  });
}

/** Events after which a snapshot no longer holds: detections, state changes, severity overrides. */
export const DIRTYING_KINDS = ['detected', 'state', 'severity'];

/** The snapshot of `dashboard_current` (aliased `c`) misses something: an event at or after its dirty_after moment. */
export function changedSince(): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from vulnerability_events e where e.project_id = c.project_id
    and e.kind in (${sql.join(DIRTYING_KINDS.map((k) => sql.lit(k)))}) and e.at >= c.dirty_after)`;
}

/** Statistics of projects and groups that no longer exist. */
export async function removeOrphans(db: Db): Promise<void> {
  const gone = (await db.selectFrom('dashboard_current').select('project_id').where('project_id', 'not in', db.selectFrom('projects').select('id')).execute()).map((r) => r.project_id);
  for (const part of chunks(gone)) {
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('dashboard_daily').where('scope_type', '=', 'project').where('scope_id', 'in', part).execute();
      await trx.deleteFrom('dashboard_current_cwes').where('project_id', 'in', part).execute();
      await trx.deleteFrom('dashboard_current').where('project_id', 'in', part).execute();
    });
  }
  await db.deleteFrom('dashboard_daily').where('scope_type', '=', 'group').where('scope_id', 'not in', db.selectFrom('namespaces').select('id')).execute();
}
