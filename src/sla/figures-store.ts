import { sql } from 'kysely';
import { DAY } from '../platform/clock.js';
import type { Services } from '../platform/context.js';
import { toDbTime } from '../platform/db/time.js';
import { pathKey } from '../platform/namespaces/paths.js';
import { OPEN_STATES } from '../vulns/triage-states.js';
import { slaFigures, type SlaFigures } from './figures.js';

export type FiguresScope = { kind: 'project'; projectId: number } | { kind: 'group'; fullPath: string };

/**
 * Loads what the figures need: open vulnerabilities with their deadlines, and the resolutions of the period from the
 * event history (MTTR counts every resolution, so one fixed twice counts twice).
 */
export async function loadSlaFigures(svc: Services, scope: FiguresScope, periodDays: number): Promise<SlaFigures> {
  const now = svc.clock.now();
  const since = toDbTime(new Date(now.getTime() - periodDays * DAY));
  const db = svc.db.kysely;
  const inScope = (column: 'vulnerabilities.project_id' | 'sla_resolutions.project_id') =>
    scope.kind === 'project'
      ? sql<boolean>`${sql.ref(column)} = ${scope.projectId}`
      : sql<boolean>`${sql.ref(column)} IN (SELECT p.id FROM projects p WHERE substr(lower(p.full_path), 1, ${pathKey(scope.fullPath).length + 1}) = ${`${pathKey(scope.fullPath)}/`})`;
  const open = await db
    .selectFrom('vulnerabilities')
    .innerJoin('vulnerability_sla', 'vulnerability_sla.vulnerability_id', 'vulnerabilities.id')
    .select(['vulnerabilities.severity', 'vulnerabilities.first_detected_at', 'vulnerability_sla.due_at'])
    .where('vulnerabilities.state', 'in', [...OPEN_STATES])
    .where(inScope('vulnerabilities.project_id'))
    .execute();
  const resolutions = await db
    .selectFrom('vulnerability_events')
    .innerJoin('vulnerabilities', 'vulnerabilities.id', 'vulnerability_events.vulnerability_id')
    .select(['vulnerabilities.severity', 'vulnerabilities.first_detected_at', 'vulnerability_events.at'])
    .where('vulnerability_events.kind', '=', 'state')
    .where('vulnerability_events.to_value', '=', 'resolved')
    .where('vulnerability_events.at', '>=', since)
    .where(inScope('vulnerabilities.project_id'))
    .execute();
  const deadlines = await db
    .selectFrom('sla_resolutions')
    .select(['resolved_at', 'due_at'])
    .where('resolved_at', '>=', since)
    .where(inScope('sla_resolutions.project_id'))
    .execute();
  return slaFigures(
    now,
    periodDays,
    open.map((r) => ({ severity: r.severity, firstDetectedAt: r.first_detected_at, dueAt: r.due_at })),
    resolutions.map((r) => ({ severity: r.severity, firstDetectedAt: r.first_detected_at, resolvedAt: r.at })),
    deadlines.map((r) => ({ resolvedAt: r.resolved_at, dueAt: r.due_at })),
  );
}
