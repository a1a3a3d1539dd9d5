import { sql } from 'kysely';
import type { Services } from '../context.js';
import { recordAudit } from '../audit/audit.js';
import type { Actor } from '../audit/actor.js';
import type { Role } from '../auth/roles.js';
import type { User } from '../auth/users.js';
import { toDbTime } from '../db/time.js';
import { conflict, notFound } from '../errors.js';
import type { Group, Project } from './model.js';
import { ancestorPaths, pathKey } from './paths.js';

/** Where a membership is held: on a group (and so on its subtree) or on one project. */
export type MembershipTarget = { kind: 'group'; group: Group } | { kind: 'project'; project: Project };

export interface Member {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  /** Full path of the group or project that grants the role: the target itself, or an ancestor group. */
  grantedAt: string;
  inherited: boolean;
}

function targetPath(target: MembershipTarget): string {
  return target.kind === 'group' ? target.group.fullPath : target.project.fullPath;
}

/** Direct members, plus (with `inherited`) everyone who holds a role through an ancestor group. */
export async function listMembers(svc: Services, target: MembershipTarget, inherited: boolean): Promise<Member[]> {
  const db = svc.db.kysely;
  const ownPath = targetPath(target);
  const direct =
    target.kind === 'group'
      ? await db
          .selectFrom('group_members')
          .innerJoin('users', 'users.id', 'group_members.user_id')
          .select(['users.id', 'users.username', 'users.display_name', 'group_members.role'])
          .where('group_members.namespace_id', '=', target.group.id)
          .execute()
      : await db
          .selectFrom('project_members')
          .innerJoin('users', 'users.id', 'project_members.user_id')
          .select(['users.id', 'users.username', 'users.display_name', 'project_members.role'])
          .where('project_members.project_id', '=', target.project.id)
          .execute();
  const members: Member[] = direct.map((r) => ({
    userId: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    grantedAt: ownPath,
    inherited: false,
  }));
  const ancestors = ancestorPaths(ownPath);
  if (inherited && ancestors.length > 0) {
    const rows = await db
      .selectFrom('group_members')
      .innerJoin('users', 'users.id', 'group_members.user_id')
      .innerJoin('namespaces', 'namespaces.id', 'group_members.namespace_id')
      .select(['users.id', 'users.username', 'users.display_name', 'group_members.role', 'namespaces.full_path'])
      .where(sql`lower(namespaces.full_path)`, 'in', ancestors.map(pathKey))
      .execute();
    for (const r of rows) {
      members.push({ userId: r.id, username: r.username, displayName: r.display_name, role: r.role as Role, grantedAt: r.full_path, inherited: true });
    }
  }
  return members.sort((a, b) => a.username.localeCompare(b.username) || a.grantedAt.length - b.grantedAt.length);
}

async function directRole(svc: Services, target: MembershipTarget, userId: number): Promise<Role | null> {
  const row =
    target.kind === 'group'
      ? await svc.db.kysely.selectFrom('group_members').select('role').where('namespace_id', '=', target.group.id).where('user_id', '=', userId).executeTakeFirst()
      : await svc.db.kysely.selectFrom('project_members').select('role').where('project_id', '=', target.project.id).where('user_id', '=', userId).executeTakeFirst();
  return (row?.role as Role | undefined) ?? null;
}

function subject(target: MembershipTarget, user: User) {
  const kind = target.kind === 'group' ? 'group_member' : 'project_member';
  return { subjectType: kind, subjectId: `${target.kind === 'group' ? target.group.id : target.project.id}:${user.id}`, scopePath: targetPath(target) };
}

export async function addMember(svc: Services, actor: Actor, target: MembershipTarget, user: User, role: Role): Promise<Member> {
  if (await directRole(svc, target, user.id)) throw conflict(`${user.username} is already a member of ${targetPath(target)}`, 'body/user');
  const now = svc.clock.now();
  await svc.db.kysely.transaction().execute(async (trx) => {
    const stamp = { user_id: user.id, role, created_at: toDbTime(now), updated_at: toDbTime(now) };
    if (target.kind === 'group') await trx.insertInto('group_members').values({ ...stamp, namespace_id: target.group.id }).execute();
    else await trx.insertInto('project_members').values({ ...stamp, project_id: target.project.id }).execute();
    await recordAudit(trx, now, actor, { action: `${target.kind}.member.add`, ...subject(target, user), after: { user: user.username, role } });
  });
  return { userId: user.id, username: user.username, displayName: user.displayName, role, grantedAt: targetPath(target), inherited: false };
}

/**
 * A top-level group must keep a direct owner: nobody below it could otherwise manage its members. (Subgroups
 * inherit the owners of their parents.)
 */
async function assertKeepsAnOwner(svc: Services, target: MembershipTarget, user: User, nextRole: Role | null): Promise<void> {
  if (target.kind !== 'group' || target.group.parentId !== null || nextRole === 'owner') return;
  if ((await directRole(svc, target, user.id)) !== 'owner') return;
  const owners = await svc.db.kysely
    .selectFrom('group_members')
    .select(sql<number>`count(*)`.as('n'))
    .where('namespace_id', '=', target.group.id)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  if (Number(owners.n) <= 1) throw conflict(`${user.username} is the last owner of ${target.group.fullPath}; add another owner first`);
}

export async function changeMemberRole(svc: Services, actor: Actor, target: MembershipTarget, user: User, role: Role): Promise<Member> {
  const before = await directRole(svc, target, user.id);
  if (!before) throw notFound(`${user.username} as a direct member of ${targetPath(target)}`);
  await assertKeepsAnOwner(svc, target, user, role);
  const now = svc.clock.now();
  await svc.db.kysely.transaction().execute(async (trx) => {
    const set = { role, updated_at: toDbTime(now) };
    if (target.kind === 'group') await trx.updateTable('group_members').set(set).where('namespace_id', '=', target.group.id).where('user_id', '=', user.id).execute();
    else await trx.updateTable('project_members').set(set).where('project_id', '=', target.project.id).where('user_id', '=', user.id).execute();
    await recordAudit(trx, now, actor, { action: `${target.kind}.member.update`, ...subject(target, user), before: { role: before }, after: { role } });
  });
  return { userId: user.id, username: user.username, displayName: user.displayName, role, grantedAt: targetPath(target), inherited: false };
}

export async function removeMember(svc: Services, actor: Actor, target: MembershipTarget, user: User): Promise<void> {
  const before = await directRole(svc, target, user.id);
  if (!before) throw notFound(`${user.username} as a direct member of ${targetPath(target)}`);
  await assertKeepsAnOwner(svc, target, user, null);
  const now = svc.clock.now();
  await svc.db.kysely.transaction().execute(async (trx) => {
    if (target.kind === 'group') await trx.deleteFrom('group_members').where('namespace_id', '=', target.group.id).where('user_id', '=', user.id).execute();
    else await trx.deleteFrom('project_members').where('project_id', '=', target.project.id).where('user_id', '=', user.id).execute();
    await recordAudit(trx, now, actor, { action: `${target.kind}.member.remove`, ...subject(target, user), before: { user: user.username, role: before } });
  });
}
