import { sql, type Kysely } from 'kysely';
import type { Services } from '../platform/context.js';
import { chunks } from '../platform/db/batch.js';
import { isDistinct } from '../platform/db/compare.js';
import type { Database } from '../platform/db/schema.js';
import { toDbTime } from '../platform/db/time.js';
import { emitPerProject } from '../notify/outbox.js';
import { jobActor } from '../platform/audit/actor.js';
import { appendHistory } from '../vulns/events.js';
import { OPEN_STATES } from '../vulns/triage-states.js';

type Trx = Kysely<Database>;

/**
 * The SLA scan (a scheduled job): open vulnerabilities that passed their deadline, or entered its "due soon"
 * window, since the last scan get one notification per deadline. Claiming is an UPDATE … RETURNING that records the
 * deadline notified, so a rerun — or a second process running the same scan on PostgreSQL — finds nothing left.
 */
export async function scanSla(svc: Services): Promise<{ breached: number; dueSoon: number }> {
  const now = toDbTime(svc.clock.now());
  const dialect = svc.db.dialect;
  return svc.db.kysely.transaction().execute(async (trx) => {
    const open = sql`EXISTS (SELECT 1 FROM vulnerabilities v WHERE v.id = vulnerability_sla.vulnerability_id AND v.state IN (${sql.join(OPEN_STATES.map((s) => sql.lit(s)))}))`;
    const breached = await sql<{ vulnerability_id: number }>`
      UPDATE vulnerability_sla SET breach_notified_for = due_at
      WHERE due_at < ${now} AND ${isDistinct(dialect, sql.ref('breach_notified_for'), sql.ref('due_at'))} AND ${open}
      RETURNING vulnerability_id`.execute(trx);
    const dueSoon = await sql<{ vulnerability_id: number }>`
      UPDATE vulnerability_sla SET due_soon_notified_for = due_at
      WHERE due_soon_at <= ${now} AND due_at >= ${now} AND ${isDistinct(dialect, sql.ref('due_soon_notified_for'), sql.ref('due_at'))} AND ${open}
      RETURNING vulnerability_id`.execute(trx);
    await notify(trx, now, 'sla.breached', breached.rows.map((r) => r.vulnerability_id));
    await notify(trx, now, 'sla.due_soon', dueSoon.rows.map((r) => r.vulnerability_id));
    return { breached: breached.rows.length, dueSoon: dueSoon.rows.length };
  });
}

/** One event per project, and a history entry on each vulnerability. */
async function notify(trx: Trx, now: string, kind: 'sla.breached' | 'sla.due_soon', ids: number[]): Promise<void> {
  const rows = [];
  for (const part of chunks(ids)) {
    rows.push(
      ...(await trx
        .selectFrom('vulnerabilities')
        .innerJoin('projects', 'projects.id', 'vulnerabilities.project_id')
        .innerJoin('vulnerability_sla', 'vulnerability_sla.vulnerability_id', 'vulnerabilities.id')
        .select(['vulnerabilities.id', 'vulnerabilities.project_id', 'projects.full_path', 'vulnerabilities.title', 'vulnerabilities.severity', 'vulnerabilities.state', 'vulnerabilities.primary_identifier', 'vulnerability_sla.due_at'])
        .where('vulnerabilities.id', 'in', part)
        .orderBy('vulnerabilities.id')
        .execute()),
    );
  }
  await emitPerProject(
    trx,
    now,
    kind,
    rows.map((r) => ({ projectId: r.project_id, projectPath: r.full_path, id: r.id, title: r.title, severity: r.severity, state: r.state, primary_identifier: r.primary_identifier, due_at: r.due_at })),
  );
  const reason = kind === 'sla.breached' ? 'past its remediation deadline' : 'remediation deadline is near';
  const to = kind === 'sla.breached' ? 'breached' : 'due_soon';
  await appendHistory(trx, now, jobActor('SLA scan'), rows.map((r) => ({ projectId: r.project_id, vulnerabilityId: r.id, kind: 'sla', reason: `${reason} (${r.due_at})`, from: null, to, comment: null })));
}
