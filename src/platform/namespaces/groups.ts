import { sql } from 'kysely';
import type { Services } from '../context.js';
import { recordAudit } from '../audit/audit.js';
import type { Actor } from '../audit/actor.js';
import type { User } from '../auth/users.js';
import { containsText } from '../db/like.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../db/paging.js';
import { toDbTime } from '../db/time.js';
import { conflict, invalid, notFound } from '../errors.js';
import { underMembershipOf } from './access.js';
import { claimPath, releasePath } from './claims.js';
import { toGroup, type Group } from './model.js';
import { depthOf, isNumericId, joinPath, MAX_DEPTH, pathKey, segmentProblem } from './paths.js';

export async function findGroup(svc: Services, ref: string): Promise<Group | null> {
  const query = svc.db.kysely.selectFrom('namespaces').selectAll();
  const row = isNumericId(ref)
    ? await query.where('id', '=', Number(ref)).executeTakeFirst()
    : await query.where(sql`lower(full_path)`, '=', pathKey(ref)).executeTakeFirst();
  return row ? toGroup(row) : null;
}

export async function resolveGroup(svc: Services, ref: string): Promise<Group> {
  const group = await findGroup(svc, ref);
  if (!group) throw notFound(`group "${ref}"`);
  return group;
}

export interface NewGroup {
  path: string;
  name?: string;
  description?: string;
}

export async function createGroup(svc: Services, actor: Actor, parent: Group | null, input: NewGroup): Promise<Group> {
  const problem = segmentProblem(input.path);
  if (problem) throw invalid('body/path', problem);
  const fullPath = joinPath(parent?.fullPath ?? null, input.path);
  if (depthOf(fullPath) > MAX_DEPTH) throw invalid('body/path', `groups nest at most ${MAX_DEPTH} levels deep`);
  const now = toDbTime(svc.clock.now());
  return svc.db.kysely.transaction().execute(async (trx) => {
    await claimPath(trx, fullPath, 'group');
    const row = await trx
      .insertInto('namespaces')
      .values({
        parent_id: parent?.id ?? null,
        path: input.path,
        full_path: fullPath,
        name: input.name?.trim() || input.path,
        description: input.description ?? '',
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const group = toGroup(row);
    await recordAudit(trx, svc.clock.now(), actor, { action: 'group.create', subjectType: 'group', subjectId: group.id, scopePath: fullPath, after: group });
    return group;
  });
}

export interface GroupChanges {
  name?: string;
  description?: string;
}

export async function updateGroup(svc: Services, actor: Actor, group: Group, changes: GroupChanges): Promise<Group> {
  const now = svc.clock.now();
  return svc.db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('namespaces')
      .set({
        ...(changes.name !== undefined && { name: changes.name.trim() }),
        ...(changes.description !== undefined && { description: changes.description }),
        updated_at: toDbTime(now),
      })
      .where('id', '=', group.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = toGroup(row);
    await recordAudit(trx, now, actor, { action: 'group.update', subjectType: 'group', subjectId: group.id, scopePath: group.fullPath, before: group, after });
    return after;
  });
}

/** Refuses while the group still holds subgroups or projects: deleting data must be a deliberate act on each. */
export async function deleteGroup(svc: Services, actor: Actor, group: Group): Promise<void> {
  const now = svc.clock.now();
  await svc.db.kysely.transaction().execute(async (trx) => {
    const subgroups = await trx.selectFrom('namespaces').select(sql<number>`count(*)`.as('n')).where('parent_id', '=', group.id).executeTakeFirstOrThrow();
    const projects = await trx.selectFrom('projects').select(sql<number>`count(*)`.as('n')).where('namespace_id', '=', group.id).executeTakeFirstOrThrow();
    if (Number(subgroups.n) > 0 || Number(projects.n) > 0) {
      throw conflict(
        `group "${group.fullPath}" still contains ${Number(subgroups.n)} subgroup(s) and ${Number(projects.n)} project(s); delete or move them first`,
      );
    }
    await trx.deleteFrom('namespaces').where('id', '=', group.id).execute();
    await releasePath(trx, group.fullPath);
    await recordAudit(trx, now, actor, { action: 'group.delete', subjectType: 'group', subjectId: group.id, scopePath: group.fullPath, before: group });
  });
}

export interface GroupListFilter {
  /** Only the direct subgroups of this group. */
  parent?: Group;
  /** Only top-level groups. */
  topLevel?: boolean;
  search?: string;
}

/** Groups the viewer can see (all of them for an instance admin), ordered by full path. */
export async function listGroups(svc: Services, viewer: User, filter: GroupListFilter, page: PageRequest): Promise<Page<Group>> {
  const after = decodeCursor(page.cursor, 'string');
  let query = svc.db.kysely.selectFrom('namespaces').selectAll().orderBy(sql`lower(full_path)`).limit(page.limit + 1);
  if (!viewer.isAdmin) query = query.where(underMembershipOf(viewer.id, 'namespaces.full_path'));
  if (filter.parent) query = query.where('parent_id', '=', filter.parent.id);
  if (filter.topLevel) query = query.where('parent_id', 'is', null);
  if (filter.search) query = query.where(containsText('namespaces.full_path', filter.search));
  if (after !== null) query = query.where(sql`lower(full_path)`, '>', after);
  return toPage(await query.execute(), page.limit, (row) => pathKey(row.full_path), toGroup);
}
