import { sql, type Kysely } from 'kysely';
import type { Services } from '../platform/context.js';
import { chunks } from '../platform/db/batch.js';
import { isDistinct } from '../platform/db/compare.js';
import type { Database } from '../platform/db/schema.js';
import { toDbTime } from '../platform/db/time.js';
import { emitNotifications, vulnerabilitiesPayload, type NotificationEvent, type NotifiedVulnerability } from '../notify/outbox.js';

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
    const open = sql`EXISTS (SELECT 1 FROM vulnerabilities v WHERE v.id = vulnerability_sla.vulnerability_id AND v.state IN ('detected', 'confirmed'))`;
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
  const byProject = new Map<number, { path: string; vulnerabilities: NotifiedVulnerability[] }>();
  for (const r of rows) {
    const entry = byProject.get(r.project_id) ?? { path: r.full_path, vulnerabilities: [] };
    entry.vulnerabilities.push({ id: r.id, title: r.title, severity: r.severity, state: r.state, primary_identifier: r.primary_identifier, due_at: r.due_at });
    byProject.set(r.project_id, entry);
  }
  const events: NotificationEvent[] = [...byProject].map(([projectId, p]) => ({ kind, projectId, projectPath: p.path, payload: vulnerabilitiesPayload(p.vulnerabilities) }));
  await emitNotifications(trx, now, events);
  const reason = kind === 'sla.breached' ? 'past its remediation deadline' : 'remediation deadline is near';
  for (const part of chunks(rows, 300)) {
    await trx
      .insertInto('vulnerability_events')
      .values(part.map((r) => ({ project_id: r.project_id, vulnerability_id: r.id, at: now, actor_id: null, actor: 'SLA scan', kind: 'sla', from_value: null, to_value: kind === 'sla.breached' ? 'breached' : 'due_soon', reason: `${reason} (${r.due_at})`, comment: null, scan_id: null })))
      .execute();
  }
}
