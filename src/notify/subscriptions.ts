import type { Kysely } from 'kysely';
import type { Services } from '../platform/context.js';
import type { Database } from '../platform/db/schema.js';
import { toDbTime } from '../platform/db/time.js';
import { invalid } from '../platform/errors.js';
import type { User } from '../platform/auth/users.js';
import { groupRole, visibleTo } from '../platform/namespaces/access.js';
import { findGroup } from '../platform/namespaces/groups.js';
import { ancestorPaths, pathKey } from '../platform/namespaces/paths.js';

/** A user's e-mail settings. Scopes narrow them to some groups (and everything below) or projects. */
export interface NotificationSettings {
  kinds: string[];
  digest: boolean;
  scopes: { type: 'group' | 'project'; id: number }[];
  updatedAt: string | null;
}

export async function getSettings(svc: Services, userId: number): Promise<NotificationSettings> {
  const row = await svc.db.kysely.selectFrom('notification_subscriptions').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row) return { kinds: [], digest: false, scopes: [], updatedAt: null };
  return { kinds: JSON.parse(row.kinds_json) as string[], digest: row.digest === 1, scopes: JSON.parse(row.scopes_json) as NotificationSettings['scopes'], updatedAt: row.updated_at };
}

/** Replaces a user's settings. Scopes must be groups or projects the user can see (else they would leak existence). */
export async function saveSettings(svc: Services, user: User, settings: Omit<NotificationSettings, 'updatedAt'>): Promise<NotificationSettings> {
  for (const [i, scope] of settings.scopes.entries()) {
    const group = scope.type === 'group' ? await findGroup(svc, String(scope.id)) : null;
    const visible =
      scope.type === 'project'
        ? await svc.db.kysely.selectFrom('projects').select('id').where('id', '=', scope.id).$if(!user.isAdmin, (q) => q.where(visibleTo(user.id))).executeTakeFirst()
        : group && (user.isAdmin || (await groupRole(svc, user, group)));
    if (!visible) throw invalid(`body/scopes/${i}`, `no ${scope.type} ${scope.id} that you can see`);
  }
  const now = toDbTime(svc.clock.now());
  const values = { kinds_json: JSON.stringify([...new Set(settings.kinds)]), digest: settings.digest ? 1 : 0, scopes_json: JSON.stringify(settings.scopes), updated_at: now };
  await svc.db.kysely
    .insertInto('notification_subscriptions')
    .values({ user_id: user.id, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
  return getSettings(svc, user.id);
}

/** A user who gets e-mail, with what they asked for. */
export interface Subscriber {
  userId: number;
  email: string;
  isAdmin: boolean;
  kinds: Set<string>;
  digest: boolean;
  /** Empty and empty: every project the user can see. */
  groupPaths: string[];
  projectIds: Set<number>;
}

/** Active users with an e-mail address who want immediate e-mails or the digest. */
export async function subscribers(db: Kysely<Database>, want: 'immediate' | 'digest'): Promise<Subscriber[]> {
  const rows = await db
    .selectFrom('notification_subscriptions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.email', 'u.is_admin', 's.kinds_json', 's.digest', 's.scopes_json'])
    .where('u.active', '=', 1)
    .where('u.email', 'is not', null)
    .$if(want === 'digest', (q) => q.where('s.digest', '=', 1))
    .$if(want === 'immediate', (q) => q.where('s.kinds_json', '!=', '[]'))
    .orderBy('u.id')
    .execute();
  const scopes = rows.map((r) => JSON.parse(r.scopes_json) as NotificationSettings['scopes']);
  const groupIds = [...new Set(scopes.flat().filter((s) => s.type === 'group').map((s) => s.id))];
  const groups = groupIds.length === 0 ? [] : await db.selectFrom('namespaces').select(['id', 'full_path']).where('id', 'in', groupIds).execute();
  const pathOf = new Map(groups.map((g) => [g.id, pathKey(g.full_path)]));
  return rows.map((r, i) => ({
    userId: r.id,
    email: r.email!,
    isAdmin: r.is_admin === 1,
    kinds: new Set(JSON.parse(r.kinds_json) as string[]),
    digest: r.digest === 1,
    // A deleted group in the scopes matches nothing rather than widening the scope to everything.
    groupPaths: scopes[i]!.filter((s) => s.type === 'group').map((s) => pathOf.get(s.id) ?? '\u0000'),
    projectIds: new Set(scopes[i]!.filter((s) => s.type === 'project').map((s) => s.id)),
  }));
}

/** Of these projects, the ids a subscriber can see and has in scope. */
export async function projectsFor(db: Kysely<Database>, subscriber: Subscriber, projects: readonly { id: number; full_path: string }[]): Promise<Set<number>> {
  if (projects.length === 0) return new Set();
  const visible = subscriber.isAdmin
    ? projects.map((p) => p.id)
    : (await db.selectFrom('projects').select('id').where('id', 'in', projects.map((p) => p.id)).where(visibleTo(subscriber.userId)).execute()).map((r) => r.id);
  const unscoped = subscriber.groupPaths.length === 0 && subscriber.projectIds.size === 0;
  const inScope = (p: { id: number; full_path: string }) => unscoped || subscriber.projectIds.has(p.id) || ancestorPaths(pathKey(p.full_path)).some((a) => subscriber.groupPaths.includes(a));
  return new Set(projects.filter((p) => visible.includes(p.id) && inScope(p)).map((p) => p.id));
}
