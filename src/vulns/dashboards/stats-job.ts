import type { Kysely } from 'kysely';
import { HOUR, MINUTE } from '../../platform/clock.js';
import type { Services } from '../../platform/context.js';
import { chunks } from '../../platform/db/batch.js';
import type { Database } from '../../platform/db/schema.js';
import { toDbTime } from '../../platform/db/time.js';
import { reconstructDays } from './backfill.js';
import { currentFigures } from './current.js';
import { addDays, dayOf } from './days.js';
import { changedSince, groupsAbove, removeOrphans, rollUpGroup, writeProjectDays, writeSnapshots } from './stats-store.js';

/**
 * The `stats.daily` job: keeps each project's daily rows and snapshot of "now" current, and rolls them up to every
 * group above it. A project is recomputed when it has none yet (then its last BACKFILL_DAYS days are reconstructed
 * from events), when it changed since its snapshot, when its snapshot expired (an SLA status or age bucket moved), or
 * at least every SNAPSHOT_MAX_AGE (what changes without an event: feed rescoring, a scanner's new severity). Its
 * rows are recomputed from the day of its last computation (at least from yesterday, which closes a day correctly
 * after midnight and catches an ingest that committed late), set-based per batch of projects.
 */
export const STATS_JOB_MINUTES = 15;
export const BACKFILL_DAYS = 400;
const SNAPSHOT_MAX_AGE = HOUR;
/** Events this long before a snapshot may still have been uncommitted when it was taken (a long ingest). */
const DIRTY_MARGIN = 10 * MINUTE;
/** Small batches: on SQLite a batch holds the one connection while it reads. */
const BATCH = 10;

export interface StatsRun {
  projects: number;
  backfilled: number;
  groups: number;
}

export async function refreshDashboardStats(svc: Services): Promise<StatsRun> {
  const at = svc.clock.now();
  const now = toDbTime(at);
  const today = dayOf(at);
  const db = svc.db.kysely;
  await removeOrphans(db);

  const due = await db
    .selectFrom('projects')
    .leftJoin('dashboard_current as c', 'c.project_id', 'projects.id')
    .select(['projects.id', 'projects.full_path', 'c.computed_at'])
    .where((eb) =>
      eb.or([
        eb('c.project_id', 'is', null),
        eb('c.computed_at', '<', toDbTime(new Date(at.getTime() - SNAPSHOT_MAX_AGE))),
        eb('c.valid_until', '<=', now),
        changedSince(),
      ]),
    )
    .orderBy('projects.id')
    .execute();

  // From which day each project's rows are recomputed; projects starting the same day go together.
  const byStart = new Map<string, { id: number; full_path: string }[]>();
  for (const p of due) {
    const from = p.computed_at === null ? addDays(today, 1 - BACKFILL_DAYS) : earlier(addDays(today, -1), dayOf(p.computed_at));
    byStart.set(from, [...(byStart.get(from) ?? []), p]);
  }
  for (const [from, projects] of byStart) {
    for (const part of chunks(projects.map((p) => p.id), BATCH)) await recompute(svc, part, from, at);
  }

  // Each group above a recomputed project, from the earliest day recomputed below it.
  const groups = new Map<number, { group: { id: number; full_path: string }; from: string }>();
  for (const [from, projects] of byStart) {
    for (const group of await groupsAbove(db, projects.map((p) => p.full_path))) groups.set(group.id, { group, from: earlier(groups.get(group.id)?.from ?? from, from) });
  }
  for (const { group, from } of groups.values()) await rollUpGroup(db, group, from);
  return { projects: due.length, backfilled: due.filter((p) => p.computed_at === null).length, groups: groups.size };
}

function earlier(a: string, b: string): string {
  return a < b ? a : b;
}

/** One batch: the projects' daily rows from `from` and their snapshots, from one consistent read. */
async function recompute(svc: Services, projectIds: number[], from: string, at: Date): Promise<void> {
  await svc.db.kysely
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const rows = await reconstructDays(trx, svc.db.dialect, projectIds, from, at);
      const inTrx = withDb(svc, trx);
      const figures = await currentFigures(inTrx, projectIds, at);
      await writeProjectDays(trx, svc.db.dialect, projectIds, from, rows);
      await writeSnapshots(trx, figures, toDbTime(at), toDbTime(new Date(at.getTime() - DIRTY_MARGIN)));
    });
}

/** The services, reading and writing through a transaction. */
export function withDb(svc: Services, kysely: Kysely<Database>): Services {
  return { ...svc, db: { ...svc.db, kysely } };
}
