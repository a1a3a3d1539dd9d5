import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../context.js';
import { ROLES, type Role } from '../auth/roles.js';
import { resolveUser } from '../auth/users.js';
import { AppError, invalid } from '../errors.js';
import { actorOf, callerOf, groupOf, projectOf } from '../http/access.js';
import { Closed, Line, Name, NoQuery, PageOf, PageQuery, pageOf, Ref, Text } from '../http/schemas.js';
import { createGroup, deleteGroup, listGroups, updateGroup } from './groups.js';
import { addMember, changeMemberRole, listMembers, removeMember, type Member, type MembershipTarget } from './members.js';
import { MAX_REPOSITORY_URL, type Group, type Project } from './model.js';
import { SEGMENT_PATTERN, SEGMENT_RULE } from './paths.js';
import { createProject, deleteProject, listProjects, updateProject } from './projects.js';

const GroupJson = Type.Object({
  id: Type.Integer(),
  parent_id: Type.Union([Type.Integer(), Type.Null()]),
  path: Type.String(),
  full_path: Type.String(),
  name: Type.String(),
  description: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
});

const groupJson = (g: Group) => ({
  id: g.id,
  parent_id: g.parentId,
  path: g.path,
  full_path: g.fullPath,
  name: g.name,
  description: g.description,
  created_at: g.createdAt,
  updated_at: g.updatedAt,
});

const ProjectJson = Type.Object({
  id: Type.Integer(),
  group_id: Type.Integer(),
  path: Type.String(),
  full_path: Type.String(),
  name: Type.String(),
  description: Type.String(),
  default_branch: Type.String(),
  auto_resolve: Type.Boolean(),
  repository_url: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

const projectJson = (p: Project) => ({
  id: p.id,
  group_id: p.groupId,
  path: p.path,
  full_path: p.fullPath,
  name: p.name,
  description: p.description,
  default_branch: p.defaultBranch,
  auto_resolve: p.autoResolve,
  repository_url: p.repositoryUrl,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});

const MemberJson = Type.Object({
  user_id: Type.Integer(),
  username: Type.String(),
  display_name: Type.String(),
  role: Type.String(),
  granted_at: Type.String(),
  inherited: Type.Boolean(),
});

const memberJson = (m: Member) => ({
  user_id: m.userId,
  username: m.username,
  display_name: m.displayName,
  role: m.role,
  granted_at: m.grantedAt,
  inherited: m.inherited,
});

const Path = Type.String({ minLength: 1, maxLength: 100, pattern: SEGMENT_PATTERN, description: SEGMENT_RULE });
const Description = Text(10_000);
const Branch = Line(255);
const RepositoryUrl = Line(MAX_REPOSITORY_URL);
const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const NewGroupBody = Type.Object({ path: Path, name: Type.Optional(Name), description: Type.Optional(Description) }, Closed);
const GroupParams = Type.Object({ group: Ref });
const ProjectParams = Type.Object({ project: Ref });
const SearchQuery = { search: Type.Optional(Line(255)) };

/** Membership endpoints are the same for groups and projects; only the target differs. */
function memberRoutes(svc: Services, kind: 'group' | 'project'): FastifyPluginAsyncTypebox {
  const base = `/api/v1/${kind}s/:${kind}/members`;
  const Params = kind === 'group' ? GroupParams : ProjectParams;
  const MemberParams = Type.Intersect([Params, Type.Object({ user: Line(64) })]);
  const targetOf = (request: FastifyRequest): MembershipTarget =>
    kind === 'group' ? { kind, group: groupOf(request) } : { kind, project: projectOf(request) };
  const tags = [`${kind}s`];
  return async (app) => {
    app.get(
      base,
      {
        config: { access: { who: kind, role: 'reporter' } },
        schema: {
          tags,
          summary: `Members of the ${kind}; inherited=true adds those who hold a role through an ancestor group`,
          params: Params,
          querystring: Type.Object({ inherited: Type.Optional(Type.Boolean()) }, Closed),
          response: { 200: Type.Object({ items: Type.Array(MemberJson) }) },
        },
      },
      async (request) => ({ items: (await listMembers(svc, targetOf(request), request.query.inherited ?? false)).map(memberJson) }),
    );

    app.post(
      base,
      {
        config: { access: { who: kind, role: 'owner' } },
        schema: {
          tags,
          summary: `Give a user a role on the ${kind}`,
          params: Params,
          querystring: NoQuery,
          body: Type.Object({ user: Line(64), role: RoleSchema }, Closed),
          response: { 201: MemberJson },
        },
      },
      async (request, reply) => {
        const user = await resolveUser(svc, request.body.user).catch((e: unknown) => {
          throw e instanceof AppError && e.kind === 'not-found' ? invalid('body/user', `no user "${request.body.user}"`) : e;
        });
        const member = await addMember(svc, actorOf(request), targetOf(request), user, request.body.role as Role);
        return reply.code(201).send(memberJson(member));
      },
    );

    app.patch(
      `${base}/:user`,
      {
        config: { access: { who: kind, role: 'owner' } },
        schema: { tags, summary: `Change a member's role on the ${kind}`, params: MemberParams, querystring: NoQuery, body: Type.Object({ role: RoleSchema }, Closed), response: { 200: MemberJson } },
      },
      async (request) => {
        const user = await resolveUser(svc, request.params.user);
        return memberJson(await changeMemberRole(svc, actorOf(request), targetOf(request), user, request.body.role as Role));
      },
    );

    app.delete(
      `${base}/:user`,
      { config: { access: { who: kind, role: 'owner' } }, schema: { tags, summary: `Remove a member from the ${kind}`, params: MemberParams, querystring: NoQuery } },
      async (request, reply) => {
        const user = await resolveUser(svc, request.params.user);
        await removeMember(svc, actorOf(request), targetOf(request), user);
        return reply.code(204).send();
      },
    );
  };
}

export const namespaceRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/groups',
      {
        config: { access: { who: 'signed-in' } },
        schema: {
          tags: ['groups'],
          summary: 'Groups you can see, by full path',
          querystring: Type.Object({ ...PageQuery, ...SearchQuery, top_level: Type.Optional(Type.Boolean()) }, Closed),
          response: { 200: PageOf(GroupJson) },
        },
      },
      async (request) => {
        const q = request.query;
        const page = await listGroups(svc, callerOf(request), { ...(q.search && { search: q.search }), ...(q.top_level && { topLevel: true }) }, pageOf(q));
        return { items: page.items.map(groupJson), next_cursor: page.nextCursor };
      },
    );

    app.post(
      '/api/v1/groups',
      { config: { access: { who: 'admin' } }, schema: { tags: ['groups'], summary: 'Create a top-level group (administrators)', querystring: NoQuery, body: NewGroupBody, response: { 201: GroupJson } } },
      async (request, reply) => reply.code(201).send(groupJson(await createGroup(svc, actorOf(request), null, request.body))),
    );

    app.get(
      '/api/v1/groups/:group',
      { config: { access: { who: 'group', role: 'reporter' } }, schema: { tags: ['groups'], summary: 'One group, by id or URL-encoded full path', params: GroupParams, querystring: NoQuery, response: { 200: GroupJson } } },
      async (request) => groupJson(groupOf(request)),
    );

    app.patch(
      '/api/v1/groups/:group',
      {
        config: { access: { who: 'group', role: 'owner' } },
        schema: {
          tags: ['groups'],
          summary: "Change a group's name or description",
          params: GroupParams,
          querystring: NoQuery,
          body: Type.Object({ name: Type.Optional(Name), description: Type.Optional(Description) }, Closed),
          response: { 200: GroupJson },
        },
      },
      async (request) => groupJson(await updateGroup(svc, actorOf(request), groupOf(request), request.body)),
    );

    app.delete(
      '/api/v1/groups/:group',
      { config: { access: { who: 'group', role: 'owner' } }, schema: { tags: ['groups'], summary: 'Delete an empty group', params: GroupParams, querystring: NoQuery } },
      async (request, reply) => {
        await deleteGroup(svc, actorOf(request), groupOf(request));
        return reply.code(204).send();
      },
    );

    app.get(
      '/api/v1/groups/:group/subgroups',
      {
        config: { access: { who: 'group', role: 'reporter' } },
        schema: { tags: ['groups'], summary: 'Direct subgroups', params: GroupParams, querystring: Type.Object({ ...PageQuery, ...SearchQuery }, Closed), response: { 200: PageOf(GroupJson) } },
      },
      async (request) => {
        const q = request.query;
        const page = await listGroups(svc, callerOf(request), { parent: groupOf(request), ...(q.search && { search: q.search }) }, pageOf(q));
        return { items: page.items.map(groupJson), next_cursor: page.nextCursor };
      },
    );

    app.post(
      '/api/v1/groups/:group/subgroups',
      { config: { access: { who: 'group', role: 'owner' } }, schema: { tags: ['groups'], summary: 'Create a subgroup', params: GroupParams, querystring: NoQuery, body: NewGroupBody, response: { 201: GroupJson } } },
      async (request, reply) => reply.code(201).send(groupJson(await createGroup(svc, actorOf(request), groupOf(request), request.body))),
    );

    app.get(
      '/api/v1/groups/:group/projects',
      {
        config: { access: { who: 'group', role: 'reporter' } },
        schema: {
          tags: ['projects'],
          summary: "A group's projects; include_subgroups=true for its whole subtree",
          params: GroupParams,
          querystring: Type.Object({ ...PageQuery, ...SearchQuery, include_subgroups: Type.Optional(Type.Boolean()) }, Closed),
          response: { 200: PageOf(ProjectJson) },
        },
      },
      async (request) => {
        const q = request.query;
        const filter = { group: groupOf(request), includeSubgroups: q.include_subgroups ?? false, ...(q.search && { search: q.search }) };
        const page = await listProjects(svc, callerOf(request), filter, pageOf(q));
        return { items: page.items.map(projectJson), next_cursor: page.nextCursor };
      },
    );

    app.post(
      '/api/v1/groups/:group/projects',
      {
        config: { access: { who: 'group', role: 'maintainer' } },
        schema: {
          tags: ['projects'],
          summary: 'Create a project in the group',
          params: GroupParams,
          querystring: NoQuery,
          body: Type.Object(
            { path: Path, name: Type.Optional(Name), description: Type.Optional(Description), default_branch: Type.Optional(Branch), repository_url: Type.Optional(RepositoryUrl) },
            Closed,
          ),
          response: { 201: ProjectJson },
        },
      },
      async (request, reply) => {
        const { default_branch, repository_url, ...rest } = request.body;
        const input = { ...rest, ...(default_branch !== undefined && { defaultBranch: default_branch }), ...(repository_url !== undefined && { repositoryUrl: repository_url }) };
        const project = await createProject(svc, actorOf(request), groupOf(request), input);
        return reply.code(201).send(projectJson(project));
      },
    );

    app.get(
      '/api/v1/projects',
      {
        config: { access: { who: 'signed-in' } },
        schema: { tags: ['projects'], summary: 'Projects you can see, by full path', querystring: Type.Object({ ...PageQuery, ...SearchQuery }, Closed), response: { 200: PageOf(ProjectJson) } },
      },
      async (request) => {
        const q = request.query;
        const page = await listProjects(svc, callerOf(request), { ...(q.search && { search: q.search }) }, pageOf(q));
        return { items: page.items.map(projectJson), next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/api/v1/projects/:project',
      { config: { access: { who: 'project', role: 'reporter' } }, schema: { tags: ['projects'], summary: 'One project, by id or URL-encoded full path', params: ProjectParams, querystring: NoQuery, response: { 200: ProjectJson } } },
      async (request) => projectJson(projectOf(request)),
    );

    app.patch(
      '/api/v1/projects/:project',
      {
        config: { access: { who: 'project', role: 'owner' } },
        schema: {
          tags: ['projects'],
          summary: "Change a project's name, description, default branch, auto-resolve policy or repository URL (null removes it)",
          params: ProjectParams,
          querystring: NoQuery,
          body: Type.Object(
            {
              name: Type.Optional(Name),
              description: Type.Optional(Description),
              default_branch: Type.Optional(Branch),
              auto_resolve: Type.Optional(Type.Boolean()),
              repository_url: Type.Optional(Type.Union([RepositoryUrl, Type.Null()])),
            },
            Closed,
          ),
          response: { 200: ProjectJson },
        },
      },
      async (request) => {
        const { default_branch, auto_resolve, repository_url, ...rest } = request.body;
        const changes = {
          ...rest,
          ...(default_branch !== undefined && { defaultBranch: default_branch }),
          ...(auto_resolve !== undefined && { autoResolve: auto_resolve }),
          ...(repository_url !== undefined && { repositoryUrl: repository_url }),
        };
        return projectJson(await updateProject(svc, actorOf(request), projectOf(request), changes));
      },
    );

    app.delete(
      '/api/v1/projects/:project',
      { config: { access: { who: 'project', role: 'owner' } }, schema: { tags: ['projects'], summary: 'Delete a project and everything in it', params: ProjectParams, querystring: NoQuery } },
      async (request, reply) => {
        await deleteProject(svc, actorOf(request), projectOf(request));
        return reply.code(204).send();
      },
    );

    await app.register(memberRoutes(svc, 'group'));
    await app.register(memberRoutes(svc, 'project'));
  };
