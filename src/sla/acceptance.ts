import { sql, type Kysely } from 'kysely';
import type { Services } from '../platform/context.js';
import { DAY } from '../platform/clock.js';
import { chunks } from '../platform/db/batch.js';
import type { Database } from '../platform/db/schema.js';
import { toDbTime } from '../platform/db/time.js';
import { emitNotifications, vulnerabilitiesPayload, type NotifiedVulnerability } from '../notify/outbox.js';
import { effectiveProjectPolicy } from './store.js';

type Trx = Kysely<Database>;

/**
 * Records when risk accepted for these vulnerabilities comes back for review: the given moment, or else the project
 * policy's acceptance period (none: it stays accepted). `accepted: null` clears it (any other triage decision).
 */
export async function recordAcceptance(trx: Trx, ids: readonly number[], accepted: { expiresAt: string | null } | null, now: Date): Promise<void> {
  for (const part of chunks(ids)) {
    if (accepted === null) {
      await trx.updateTable('vulnerability_sla').set({ acceptance_expires_at: null }).where('vulnerability_id', 'in', part).execute();
      continue;
    }
    if (accepted.expiresAt) {
      await trx.updateTable('vulnerability_sla').set({ acceptance_expires_at: accepted.expiresAt }).where('vulnerability_id', 'in', part).execute();
      continue;
    }
    const rows = await trx.selectFrom('vulnerability_sla').innerJoin('projects', 'projects.id', 'vulnerability_sla.project_id').select(['vulnerability_sla.vulnerability_id', 'projects.id', 'projects.full_path']).where('vulnerability_id', 'in', part).execute();
    for (const row of rows) {
      const { policy } = await effectiveProjectPolicy(trx, { id: row.id, fullPath: row.full_path });
      const expires = policy.acceptanceDays === null ? null : toDbTime(new Date(now.getTime() + policy.acceptanceDays * DAY));
      await trx.updateTable('vulnerability_sla').set({ acceptance_expires_at: expires }).where('vulnerability_id', '=', row.vulnerability_id).execute();
    }
  }
}

/**
 * The acceptance-expiry job: accepted risks past their review date return to "detected" (needs triage) with an
 * event and a notification. Claimed with UPDATE … RETURNING, so reruns and parallel processes act once.
 */
export async function expireAcceptances(svc: Services): Promise<number> {
  const now = toDbTime(svc.clock.now());
  return svc.db.kysely.transaction().execute(async (trx) => {
    const claimed = await sql<{ vulnerability_id: number }>`
      UPDATE vulnerability_sla SET acceptance_expires_at = NULL
      WHERE acceptance_expires_at <= ${now}
        AND EXISTS (SELECT 1 FROM vulnerabilities v WHERE v.id = vulnerability_sla.vulnerability_id AND v.state = 'dismissed' AND v.dismissal_reason = 'acceptable_risk')
      RETURNING vulnerability_id`.execute(trx);
    const ids = claimed.rows.map((r) => r.vulnerability_id);
    const byProject = new Map<number, { path: string; vulnerabilities: NotifiedVulnerability[] }>();
    for (const part of chunks(ids)) {
      await trx.updateTable('vulnerabilities').set({ state: 'detected', dismissal_reason: null, updated_at: now }).where('id', 'in', part).execute();
      const rows = await trx
        .selectFrom('vulnerabilities')
        .innerJoin('projects', 'projects.id', 'vulnerabilities.project_id')
        .select(['vulnerabilities.id', 'vulnerabilities.project_id', 'projects.full_path', 'vulnerabilities.title', 'vulnerabilities.severity', 'vulnerabilities.primary_identifier'])
        .where('vulnerabilities.id', 'in', part)
        .orderBy('vulnerabilities.id')
        .execute();
      await trx
        .insertInto('vulnerability_events')
        .values(rows.map((r) => ({ project_id: r.project_id, vulnerability_id: r.id, at: now, actor_id: null, actor: 'acceptance expiry', kind: 'state', from_value: 'dismissed', to_value: 'detected', reason: 'risk acceptance expired: review it again', comment: null, scan_id: null })))
        .execute();
      for (const r of rows) {
        const entry = byProject.get(r.project_id) ?? { path: r.full_path, vulnerabilities: [] };
        entry.vulnerabilities.push({ id: r.id, title: r.title, severity: r.severity, state: 'detected', primary_identifier: r.primary_identifier });
        byProject.set(r.project_id, entry);
      }
    }
    await emitNotifications(trx, now, [...byProject].map(([projectId, p]) => ({ kind: 'acceptance.expired' as const, projectId, projectPath: p.path, payload: vulnerabilitiesPayload(p.vulnerabilities) })));
    return ids.length;
  });
}
