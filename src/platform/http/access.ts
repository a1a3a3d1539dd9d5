import '@fastify/cookie';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Actor } from '../audit/actor.js';
import type { Services } from '../context.js';
import { checkApiToken } from '../auth/api-tokens.js';
import { hasRole, scopeAllows, type Role, type Scope } from '../auth/roles.js';
import { sameSecret } from '../auth/secrets.js';
import { findSession, SESSION_COOKIE } from '../auth/sessions.js';
import type { User } from '../auth/users.js';
import { AppError, forbidden, notFound, unauthorized } from '../errors.js';
import { groupRole, projectRole } from '../namespaces/access.js';
import { findGroup } from '../namespaces/groups.js';
import type { Group, Project } from '../namespaces/model.js';
import { findProject } from '../namespaces/projects.js';

/**
 * Every route declares who may call it in `config.access`; a route without one is refused at start-up.
 *
 * - `public`: anyone, signed in or not
 * - `signed-in`: any active user
 * - `admin`: instance administrators (tokens need the `admin` scope)
 * - `metrics`: administrators, or Prometheus with VIGIL_METRICS_TOKEN
 * - `group` / `project`: at least `role` on the group or project named by the `:group` / `:project` path
 *   parameter, inherited down the tree; admins pass. Without any role the thing is reported as not found,
 *   so its existence does not leak.
 * - `project-of`: the same, for the project that owns the resource named by the `:id` parameter; modules
 *   register how to find it (registerProjectResolver), e.g. vulnerability → project.
 */
export type Access =
  | { who: 'public' }
  | { who: 'signed-in' }
  | { who: 'admin' }
  | { who: 'metrics' }
  | { who: 'group'; role: Role }
  | { who: 'project'; role: Role }
  | { who: 'project-of'; resource: string; role: Role };

/** Finds the project that owns a resource, or null when there is no such resource. */
export type ProjectResolver = (svc: Services, id: string) => Promise<number | null>;
const projectResolvers = new Map<string, ProjectResolver>();

export function registerProjectResolver(resource: string, resolver: ProjectResolver): void {
  projectResolvers.set(resource, resolver);
}

export interface Principal {
  user: User;
  via: 'session' | 'token';
  scopes: Scope[];
  sessionId?: string;
  csrfToken?: string;
  tokenId?: number;
}

/** One registered route and its rule: what the authorisation matrix test walks. */
export interface RouteRule {
  method: string;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    routeRules: RouteRule[];
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The group or project named in the path, loaded once by the access check. */
    group: Group | null;
    project: Project | null;
    /** The caller's effective role there (owner for instance admins). */
    role: Role | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requiredScope(access: Access, method: string): Scope {
  if (access.who === 'admin' || access.who === 'metrics') return 'admin';
  return SAFE_METHODS.has(method) ? 'read' : 'write';
}

async function authenticate(svc: Services, request: FastifyRequest, access: Access): Promise<Principal | null | 'metrics'> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthorized('the Authorization header must be "Bearer <token>"');
    const token = match[1]!;
    if (access.who === 'metrics' && svc.config.metricsToken && sameSecret(token, svc.config.metricsToken)) return 'metrics';
    const check = await checkApiToken(svc, token);
    if (!check.ok) throw unauthorized(`the API token is ${check.reason === 'unknown' ? 'not valid' : check.reason}`);
    return { user: check.user, via: 'token', scopes: check.token.scopes, tokenId: check.token.id };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const session = await findSession(svc, cookie);
  if (!session) return null;
  return {
    user: session.user,
    via: 'session',
    scopes: session.user.isAdmin ? ['read', 'write', 'admin'] : ['read', 'write'],
    sessionId: session.id,
    csrfToken: session.csrfToken,
  };
}

async function locate(svc: Services, request: FastifyRequest, access: Access & { who: 'group' | 'project' | 'project-of' }, user: User) {
  const params = request.params as Record<string, string | undefined>;
  const projectAt = async (ref: string | null, name: string) => {
    const project = ref === null ? null : await findProject(svc, ref);
    const role = project && (user.isAdmin ? 'owner' : await projectRole(svc, user, project));
    return { group: null, project, role, name };
  };
  if (access.who === 'project-of') {
    const resolver = projectResolvers.get(access.resource);
    const id = params.id;
    if (!resolver || id === undefined) throw new Error(`route ${request.routeOptions.url}: no resolver for ${access.resource} or no :id parameter`);
    const projectId = /^\d{1,15}$/.test(id) ? await resolver(svc, id) : null;
    return projectAt(projectId === null ? null : String(projectId), `${access.resource} ${id}`);
  }
  const ref = params[access.who];
  if (ref === undefined) throw new Error(`route ${request.routeOptions.url} declares ${access.who} access but has no :${access.who} parameter`);
  if (access.who === 'project') return projectAt(ref, `project "${ref}"`);
  const group = await findGroup(svc, ref);
  const role = group && (user.isAdmin ? 'owner' : await groupRole(svc, user, group));
  return { group, project: null, role, name: `group "${ref}"` };
}

export function installAccessControl(app: FastifyInstance, svc: Services): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('group', null);
  app.decorateRequest('project', null);
  app.decorateRequest('role', null);

  const rules: RouteRule[] = [];
  app.decorate('routeRules', rules);
  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access;
    if (!access) throw new Error(`route ${String(route.method)} ${route.url} has no config.access rule`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') rules.push({ method, url: route.url, access });
  });

  // onRequest runs before the body is read: an unauthorised upload is refused without streaming it in.
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access) return; // the not-found handler
    const principal = await authenticate(svc, request, access);
    if (principal === 'metrics') return;
    request.principal = principal;
    if (access.who === 'public') return;
    if (!principal) throw unauthorized('sign in, or send an API token as "Authorization: Bearer <token>"');

    const scope = requiredScope(access, request.method);
    if (!scopeAllows(principal.scopes, scope)) {
      throw new AppError('insufficient-scope', `this request needs a token with the "${scope}" scope; this one has ${principal.scopes.join(', ')}`);
    }
    if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !principal.csrfToken || !sameSecret(sent, principal.csrfToken)) {
        throw new AppError('csrf', 'state-changing requests from a browser session must send the session\'s X-CSRF-Token header');
      }
    }
    const { user } = principal;
    if (access.who === 'signed-in') return;
    if (access.who === 'admin' || access.who === 'metrics') {
      if (!user.isAdmin) throw forbidden('only instance administrators may do this');
      return;
    }
    const found = await locate(svc, request, access, user);
    if (!found.role) throw notFound(found.name);
    if (!hasRole(found.role, access.role)) {
      throw forbidden(`this needs the ${access.role} role on ${found.name}; you have ${found.role}`);
    }
    request.group = found.group;
    request.project = found.project;
    request.role = found.role;
  });
}

/** The signed-in caller; only call it on routes whose access rule requires one. */
export function callerOf(request: FastifyRequest): User {
  if (!request.principal) throw new Error(`route ${request.routeOptions.url} used callerOf without requiring sign-in`);
  return request.principal.user;
}

export function actorOf(request: FastifyRequest): Actor {
  const user = callerOf(request);
  return { userId: user.id, name: user.username, ip: request.ip, requestId: String(request.id) };
}

export function groupOf(request: FastifyRequest): Group {
  if (!request.group) throw new Error(`route ${request.routeOptions.url} used groupOf without group access`);
  return request.group;
}

export function projectOf(request: FastifyRequest): Project {
  if (!request.project) throw new Error(`route ${request.routeOptions.url} used projectOf without project access`);
  return request.project;
}
