import { sql, type Expression, type SqlBool } from 'kysely';
import type { Services } from '../context.js';
import { strongestRole, type Role } from '../auth/roles.js';
import type { User } from '../auth/users.js';
import type { Group, Project } from './model.js';
import { pathKey, selfAndAncestorPaths } from './paths.js';

/**
 * Effective roles. A membership on a group applies to the group and everything below it; a project membership
 * to that project only. The strongest one wins. Instance admins are handled by the caller (they bypass roles).
 */
async function groupRoles(svc: Services, userId: number, groupPaths: string[]): Promise<string[]> {
  if (groupPaths.length === 0) return [];
  const rows = await svc.db.kysely
    .selectFrom('group_members')
    .innerJoin('namespaces', 'namespaces.id', 'group_members.namespace_id')
    .select('group_members.role')
    .where('group_members.user_id', '=', userId)
    .where(sql`lower(namespaces.full_path)`, 'in', groupPaths.map(pathKey))
    .execute();
  return rows.map((r) => r.role);
}

export async function groupRole(svc: Services, user: User, group: Group): Promise<Role | null> {
  return strongestRole(await groupRoles(svc, user.id, selfAndAncestorPaths(group.fullPath)));
}

export async function projectRole(svc: Services, user: User, project: Project): Promise<Role | null> {
  const inherited = await groupRoles(svc, user.id, selfAndAncestorPaths(project.fullPath).slice(0, -1));
  const own = await svc.db.kysely
    .selectFrom('project_members')
    .select('role')
    .where('user_id', '=', user.id)
    .where('project_id', '=', project.id)
    .execute();
  return strongestRole([...inherited, ...own.map((r) => r.role)]);
}

/**
 * SQL predicate: the row whose full path is in `column` lies at or below a group the user is a member of.
 * Compares by prefix with substr rather than LIKE so "_" and "%" in paths are not wildcards.
 */
export function underMembershipOf(userId: number, column: string): Expression<SqlBool> {
  const path = sql.ref(column);
  return sql<SqlBool>`exists (
    select 1 from group_members gm join namespaces anc on anc.id = gm.namespace_id
    where gm.user_id = ${userId}
      and (lower(${path}) = lower(anc.full_path)
           or substr(lower(${path}), 1, length(anc.full_path) + 1) = lower(anc.full_path) || '/'))`;
}

/** SQL predicate on `projects`: the user is a member of the project or of a group above it (admins see all: not checked here). */
export function visibleTo(userId: number): Expression<SqlBool> {
  return sql<SqlBool>`(${underMembershipOf(userId, 'projects.full_path')}
    or exists (select 1 from project_members pm where pm.project_id = projects.id and pm.user_id = ${userId}))`;
}
