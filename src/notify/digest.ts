import { sql } from 'kysely';
import type { Services } from '../platform/context.js';
import { DAY } from '../platform/clock.js';
import { toDbTime } from '../platform/db/time.js';
import { slaFilter } from '../sla/report-columns.js';
import { digestEmail, type DigestProject } from './email-content.js';
import { projectsFor, subscribers } from './subscriptions.js';

/** Midnight UTC starting the day before `now`, and the day as YYYY-MM-DD. */
function yesterday(now: Date): { day: string; from: string; to: string } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(today - DAY);
  return { day: from.toISOString().slice(0, 10), from: toDbTime(from), to: toDbTime(new Date(today)) };
}

/**
 * Queues yesterday's digest (UTC) for every user who asked for one: per project they can see, the events of the day
 * and how many open vulnerabilities are past or near their deadline now. At most one per user and day — the unique
 * (user, day) index makes reruns and parallel runs no-ops; deliverDueEmails sends them.
 */
export async function sendDailyDigests(svc: Services): Promise<number> {
  if (svc.config.smtpUrl === null) return 0;
  const now = svc.clock.now();
  const { day, from, to } = yesterday(now);
  const db = svc.db.kysely;
  const already = new Set((await db.selectFrom('email_deliveries').select('user_id').where('digest_day', '=', day).execute()).map((r) => r.user_id));
  const pending = (await subscribers(db, 'digest')).filter((s) => !already.has(s.userId));
  if (pending.length === 0) return 0;

  const projects = await db.selectFrom('projects').select(['id', 'full_path']).orderBy('full_path').execute();
  const events = await db.selectFrom('notification_events').select(['project_id', 'kind', sql<number>`count(*)`.as('n')]).where('created_at', '>=', from).where('created_at', '<', to).groupBy(['project_id', 'kind']).execute();
  const late = await db
    .selectFrom('vulnerabilities')
    .innerJoin('vulnerability_sla', 'vulnerability_sla.vulnerability_id', 'vulnerabilities.id')
    .select([
      'vulnerabilities.project_id',
      sql<number>`sum(case when ${slaFilter(['breached'], toDbTime(now))} then 1 else 0 end)`.as('breached'),
      sql<number>`sum(case when ${slaFilter(['due_soon'], toDbTime(now))} then 1 else 0 end)`.as('due_soon'),
    ])
    .where(slaFilter(['breached', 'due_soon'], toDbTime(now)))
    .groupBy('vulnerabilities.project_id')
    .execute();
  const figures = new Map<number, DigestProject>(projects.map((p) => [p.id, { path: p.full_path, counts: {}, breached: 0, dueSoon: 0 }]));
  for (const e of events) {
    const f = figures.get(e.project_id);
    if (f) f.counts[e.kind] = Number(e.n);
  }
  for (const l of late) {
    const f = figures.get(l.project_id);
    if (f) Object.assign(f, { breached: Number(l.breached), dueSoon: Number(l.due_soon) });
  }

  let queued = 0;
  const created = toDbTime(now);
  for (const subscriber of pending) {
    const seen = await projectsFor(db, subscriber, projects);
    // Someone who can see no project has nothing to be told about.
    if (seen.size === 0) continue;
    const content = digestEmail(day, projects.filter((p) => seen.has(p.id)).map((p) => figures.get(p.id)!), svc.config.publicUrl);
    const inserted = await db
      .insertInto('email_deliveries')
      .values({ user_id: subscriber.userId, to_address: subscriber.email, kind: 'digest', event_id: null, digest_day: day, subject: content.subject, text_body: content.text, html_body: content.html, status: 'pending', attempts: 0, next_attempt_at: created, created_at: created })
      .onConflict((oc) => oc.columns(['user_id', 'digest_day']).doNothing())
      .executeTakeFirst();
    queued += Number(inserted.numInsertedOrUpdatedRows ?? 0);
  }
  return queued;
}
