import { sql, type Kysely } from 'kysely';
import type { Services } from '../platform/context.js';
import { DAY } from '../platform/clock.js';
import { chunks } from '../platform/db/batch.js';
import type { Database } from '../platform/db/schema.js';
import { toDbTime } from '../platform/db/time.js';
import { emitPerProject } from '../notify/outbox.js';
import { jobActor } from '../platform/audit/actor.js';
import { appendHistory } from '../vulns/events.js';
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
    const expired: Parameters<typeof emitPerProject>[3][number][] = [];
    for (const part of chunks(ids)) {
      await trx.updateTable('vulnerabilities').set({ state: 'detected', dismissal_reason: null, updated_at: now }).where('id', 'in', part).execute();
      const rows = await trx
        .selectFrom('vulnerabilities')
        .innerJoin('projects', 'projects.id', 'vulnerabilities.project_id')
        .select(['vulnerabilities.id', 'vulnerabilities.project_id', 'projects.full_path', 'vulnerabilities.title', 'vulnerabilities.severity', 'vulnerabilities.primary_identifier'])
        .where('vulnerabilities.id', 'in', part)
        .orderBy('vulnerabilities.id')
        .execute();
      await appendHistory(trx, now, jobActor('acceptance expiry'), rows.map((r) => ({ projectId: r.project_id, vulnerabilityId: r.id, kind: 'state', reason: 'risk acceptance expired: review it again', from: 'dismissed', to: 'detected', comment: null })));
      expired.push(...rows.map((r) => ({ projectId: r.project_id, projectPath: r.full_path, id: r.id, title: r.title, severity: r.severity, state: 'detected', primary_identifier: r.primary_identifier })));
    }
    await emitPerProject(trx, now, 'acceptance.expired', expired);
    return ids.length;
  });
}
