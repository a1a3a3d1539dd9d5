import { sql } from 'kysely';
import type { Services } from '../context.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../db/paging.js';
import { pathKey } from '../namespaces/paths.js';

export interface AuditEvent {
  id: number;
  at: string;
  actorId: number | null;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  scopePath: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  requestId: string | null;
}

/** Whose events: the whole instance, a group's subtree, or one project. */
export type AuditScope = { kind: 'instance' } | { kind: 'subtree'; fullPath: string } | { kind: 'exact'; fullPath: string };

/** Newest first. */
export async function listAuditEvents(svc: Services, scope: AuditScope, filter: { action?: string }, page: PageRequest): Promise<Page<AuditEvent>> {
  const before = decodeCursor(page.cursor, 'number');
  let query = svc.db.kysely.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(page.limit + 1);
  if (scope.kind !== 'instance') {
    const key = pathKey(scope.fullPath);
    query =
      scope.kind === 'exact'
        ? query.where(sql`lower(scope_path)`, '=', key)
        : query.where((eb) => eb.or([eb(sql`lower(scope_path)`, '=', key), eb(sql`substr(lower(scope_path), 1, ${key.length + 1})`, '=', `${key}/`)]));
  }
  if (filter.action) query = query.where('action', '=', filter.action);
  if (before !== null) query = query.where('id', '<', before);
  return toPage(await query.execute(), page.limit, (row) => row.id, (row) => ({
    id: row.id,
    at: row.at,
    actorId: row.actor_id,
    actor: row.actor,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    scopePath: row.scope_path,
    before: row.before_json === null ? null : JSON.parse(row.before_json),
    after: row.after_json === null ? null : JSON.parse(row.after_json),
    ip: row.ip,
    requestId: row.request_id,
  }));
}
