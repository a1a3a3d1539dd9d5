import type { Actor } from '../platform/audit/actor.js';
import { recordAudit } from '../platform/audit/audit.js';
import type { Services } from '../platform/context.js';
import { chunks } from '../platform/db/batch.js';
import { toDbTime } from '../platform/db/time.js';
import { invalid } from '../platform/errors.js';
import type { Project } from '../platform/namespaces/model.js';
import { rescoreIds } from '../risk/rescore.js';
import { recordAcceptance } from '../sla/acceptance.js';
import { refreshSla } from '../sla/refresh.js';
import { recordReopens, recordResolutions } from '../sla/resolutions.js';
import { appendHistory } from './events.js';
import type { Severity } from './model.js';
import type { DismissalReason, VulnerabilityState } from './triage-states.js';

/**
 * Triage lives on the vulnerability, not on a branch: a dismissal made while looking at a feature branch still
 * holds after the merge, and on every later detection. Every change is one event with who, when, from → to, why.
 */
export type TriageChange =
  | { kind: 'state'; state: Exclude<VulnerabilityState, 'dismissed'>; comment: string | null }
  | { kind: 'state'; state: 'dismissed'; reason: DismissalReason; comment: string; /** Acceptable risk: when it comes back for review (else the SLA policy's period). */ expiresAt?: string | null }
  | { kind: 'severity'; severity: Severity; justification: string };

export interface TriageResult {
  changed: number;
  unchanged: number;
}

export async function triage(svc: Services, actor: Actor, project: Project | null, ids: number[], change: TriageChange): Promise<TriageResult> {
  if (change.kind === 'state' && change.state === 'dismissed' && !change.comment.trim()) throw invalid('body/comment', 'a dismissal needs a comment saying why');
  if (change.kind === 'severity' && !change.justification.trim()) throw invalid('body/justification', 'a severity override needs a justification');
  const now = toDbTime(svc.clock.now());
  // One transaction for the whole request, across projects too: a bulk change lands entirely or not at all.
  return svc.db.kysely.transaction().execute(async (trx) => {
    let changed = 0;
    const found = new Map<number, number[]>();
    for (const part of chunks([...new Set(ids)])) {
      let query = trx.selectFrom('vulnerabilities').select(['id', 'project_id', 'state', 'dismissal_reason', 'severity']).where('id', 'in', part);
      if (project) query = query.where('project_id', '=', project.id);
      const rows = await query.execute();
      for (const r of rows) {
        if (!found.has(r.project_id)) found.set(r.project_id, []);
        found.get(r.project_id)!.push(r.id);
      }
      const events = [];
      if (change.kind === 'state') {
        const reason = change.state === 'dismissed' ? change.reason : null;
        const moving = rows.filter((r) => r.state !== change.state || r.dismissal_reason !== reason);
        if (moving.length > 0) {
          await trx
            .updateTable('vulnerabilities')
            .set({ state: change.state, dismissal_reason: reason, resolved_at: change.state === 'resolved' ? now : null, updated_at: now })
            .where('id', 'in', moving.map((r) => r.id))
            .execute();
        }
        const movingIds = moving.map((r) => r.id);
        const accepted = change.state === 'dismissed' && change.reason === 'acceptable_risk' ? { expiresAt: change.expiresAt ?? null } : null;
        // Accepting again (all rows) extends an acceptance; any other decision ends the moving rows' acceptance.
        await recordAcceptance(trx, accepted ? rows.map((r) => r.id) : movingIds, accepted, svc.clock.now());
        if (change.state === 'resolved') await recordResolutions(trx, movingIds, now);
        const reopened = moving.filter((r) => r.state === 'resolved' && (change.state === 'detected' || change.state === 'confirmed')).map((r) => r.id);
        if (reopened.length > 0) {
          await recordReopens(trx, reopened, now);
          await refreshSla(trx, svc.db.dialect, { kind: 'ids', ids: reopened });
        }
        for (const r of moving) events.push({ row: r, kind: 'state', from: r.state, to: change.state, reason, comment: change.comment });
      } else {
        await trx
          .updateTable('vulnerabilities')
          .set({ severity: change.severity, severity_overridden: 1, updated_at: now })
          .where('id', 'in', rows.map((r) => r.id))
          .execute();
        await rescoreIds(trx, svc.db.dialect, rows.map((r) => r.id));
        await refreshSla(trx, svc.db.dialect, { kind: 'ids', ids: rows.map((r) => r.id) });
        for (const r of rows) events.push({ row: r, kind: 'severity', from: r.severity, to: change.severity, reason: null, comment: change.justification });
      }
      await appendHistory(trx, now, actor, events.map((e) => ({ projectId: e.row.project_id, vulnerabilityId: e.row.id, kind: e.kind, reason: e.reason, from: e.from, to: e.to, comment: e.comment })));
      changed += events.length;
    }
    const total = new Set(ids).size;
    if (changed > 0) {
      // Across projects (the group and instance report) one entry per project, so each lands in its own audit log.
      const scopes = project
        ? [{ path: project.fullPath, ids: [...new Set(ids)] }]
        : (await trx.selectFrom('projects').select(['id', 'full_path']).where('id', 'in', [...found.keys()]).execute()).map((p) => ({ path: p.full_path, ids: found.get(p.id)! }));
      for (const scope of scopes) {
        await recordAudit(trx, svc.clock.now(), actor, {
          action: change.kind === 'state' ? 'vulnerability.triage' : 'vulnerability.severity_override',
          subjectType: 'vulnerability',
          subjectId: scope.ids.length === 1 ? scope.ids[0]! : `${scope.ids.length} vulnerabilities`,
          scopePath: scope.path,
          after: change,
        });
      }
    }
    return { changed, unchanged: total - changed };
  });
}
