import { sql } from 'kysely';
import type { Services } from '../context.js';
import { recordAudit } from '../audit/audit.js';
import type { Actor } from '../audit/actor.js';
import type { User } from '../auth/users.js';
import { containsText } from '../db/like.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../db/paging.js';
import { toDbTime } from '../db/time.js';
import { invalid, notFound } from '../errors.js';
import { visibleTo } from './access.js';
import { claimPath, releasePath } from './claims.js';
import { branchProblem, repositoryUrlProblem, toProject, type Group, type Project } from './model.js';
import { isNumericId, joinPath, pathKey, segmentProblem } from './paths.js';

export async function findProject(svc: Services, ref: string): Promise<Project | null> {
  const query = svc.db.kysely.selectFrom('projects').selectAll();
  const row = isNumericId(ref)
    ? await query.where('id', '=', Number(ref)).executeTakeFirst()
    : await query.where(sql`lower(full_path)`, '=', pathKey(ref)).executeTakeFirst();
  return row ? toProject(row) : null;
}

export async function resolveProject(svc: Services, ref: string): Promise<Project> {
  const project = await findProject(svc, ref);
  if (!project) throw notFound(`project "${ref}"`);
  return project;
}

export interface NewProject {
  path: string;
  name?: string;
  description?: string;
  defaultBranch?: string;
  repositoryUrl?: string | null;
}

function checkRepositoryUrl(url: string | null | undefined): void {
  const problem = url ? repositoryUrlProblem(url) : null;
  if (problem) throw invalid('body/repository_url', problem);
}

export async function createProject(svc: Services, actor: Actor, group: Group, input: NewProject): Promise<Project> {
  const problem = segmentProblem(input.path);
  if (problem) throw invalid('body/path', problem);
  const defaultBranch = input.defaultBranch ?? 'main';
  const branch = branchProblem(defaultBranch);
  if (branch) throw invalid('body/default_branch', branch);
  checkRepositoryUrl(input.repositoryUrl);
  const fullPath = joinPath(group.fullPath, input.path);
  const now = svc.clock.now();
  return svc.db.kysely.transaction().execute(async (trx) => {
    await claimPath(trx, fullPath, 'project');
    const row = await trx
      .insertInto('projects')
      .values({
        namespace_id: group.id,
        path: input.path,
        full_path: fullPath,
        name: input.name?.trim() || input.path,
        description: input.description ?? '',
        default_branch: defaultBranch,
        repository_url: input.repositoryUrl || null,
        created_at: toDbTime(now),
        updated_at: toDbTime(now),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const project = toProject(row);
    await recordAudit(trx, now, actor, { action: 'project.create', subjectType: 'project', subjectId: project.id, scopePath: fullPath, after: project });
    return project;
  });
}

export interface ProjectChanges {
  name?: string;
  description?: string;
  defaultBranch?: string;
  autoResolve?: boolean;
  /** null removes it. */
  repositoryUrl?: string | null;
}

export async function updateProject(svc: Services, actor: Actor, project: Project, changes: ProjectChanges): Promise<Project> {
  if (changes.defaultBranch !== undefined) {
    const problem = branchProblem(changes.defaultBranch);
    if (problem) throw invalid('body/default_branch', problem);
  }
  checkRepositoryUrl(changes.repositoryUrl);
  const now = svc.clock.now();
  return svc.db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('projects')
      .set({
        ...(changes.name !== undefined && { name: changes.name.trim() }),
        ...(changes.description !== undefined && { description: changes.description }),
        ...(changes.defaultBranch !== undefined && { default_branch: changes.defaultBranch }),
        ...(changes.autoResolve !== undefined && { auto_resolve: changes.autoResolve ? 1 : 0 }),
        ...(changes.repositoryUrl !== undefined && { repository_url: changes.repositoryUrl || null }),
        updated_at: toDbTime(now),
      })
      .where('id', '=', project.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = toProject(row);
    await recordAudit(trx, now, actor, { action: 'project.update', subjectType: 'project', subjectId: project.id, scopePath: project.fullPath, before: project, after });
    return after;
  });
}

export async function deleteProject(svc: Services, actor: Actor, project: Project): Promise<void> {
  const now = svc.clock.now();
  await svc.db.kysely.transaction().execute(async (trx) => {
    await trx.deleteFrom('projects').where('id', '=', project.id).execute();
    await releasePath(trx, project.fullPath);
    await recordAudit(trx, now, actor, { action: 'project.delete', subjectType: 'project', subjectId: project.id, scopePath: project.fullPath, before: project });
  });
}

export interface ProjectListFilter {
  /** Projects of this group; with `includeSubgroups`, of its whole subtree. */
  group?: Group;
  includeSubgroups?: boolean;
  search?: string;
}

/** Projects the viewer can see (all of them for an instance admin), ordered by full path. */
export async function listProjects(svc: Services, viewer: User, filter: ProjectListFilter, page: PageRequest): Promise<Page<Project>> {
  const after = decodeCursor(page.cursor, 'string');
  let query = svc.db.kysely.selectFrom('projects').selectAll().orderBy(sql`lower(full_path)`).limit(page.limit + 1);
  if (!viewer.isAdmin) query = query.where(visibleTo(viewer.id));
  if (filter.group && filter.includeSubgroups) {
    const prefix = `${pathKey(filter.group.fullPath)}/`;
    query = query.where(sql`substr(lower(full_path), 1, ${prefix.length})`, '=', prefix);
  } else if (filter.group) {
    query = query.where('namespace_id', '=', filter.group.id);
  }
  if (filter.search) query = query.where(containsText('projects.full_path', filter.search));
  if (after !== null) query = query.where(sql`lower(full_path)`, '>', after);
  return toPage(await query.execute(), page.limit, (row) => pathKey(row.full_path), toProject);
}
