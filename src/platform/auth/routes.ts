import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../context.js';
import { conflict, invalid } from '../errors.js';
import { actorOf, callerOf } from '../http/access.js';
import { Closed, Line, Name, NoQuery, PageOf, PageQuery, pageOf } from '../http/schemas.js';
import { createApiToken, listApiTokens, revokeApiToken, type ApiToken } from './api-tokens.js';
import { login } from './login.js';
import { MAX_PASSWORD_LENGTH, verifyPassword } from './passwords.js';
import { SCOPES, type Scope } from './roles.js';
import { deleteSession, SESSION_COOKIE } from './sessions.js';
import { createUser, findUserRow, listUsers, resolveUser, updateUser, USERNAME_PATTERN, USERNAME_RULE, type User } from './users.js';

const UserJson = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  display_name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  is_admin: Type.Boolean(),
  active: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export function userJson(u: User) {
  return {
    id: u.id,
    username: u.username,
    display_name: u.displayName,
    email: u.email,
    is_admin: u.isAdmin,
    active: u.active,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  };
}

const TokenJson = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(Type.String()),
  created_at: Type.String(),
  expires_at: Type.Union([Type.String(), Type.Null()]),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
  last_used_at: Type.Union([Type.String(), Type.Null()]),
});

function tokenJson(t: ApiToken) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes,
    created_at: t.createdAt,
    expires_at: t.expiresAt,
    revoked_at: t.revokedAt,
    last_used_at: t.lastUsedAt,
  };
}

const Username = Type.String({ minLength: 1, maxLength: 64, pattern: USERNAME_PATTERN, description: USERNAME_RULE });
const Password = Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH });
const Email = Type.Union([Type.String({ format: 'email', maxLength: 320 }), Type.Null()]);
const SessionJson = Type.Object({
  user: UserJson,
  via: Type.String(),
  csrf_token: Type.Union([Type.String(), Type.Null()]),
  expires_at: Type.Union([Type.String(), Type.Null()]),
});

export const authRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure: svc.config.secureCookies } as const;

    app.post(
      '/api/v1/session',
      {
        config: { access: { who: 'public' } },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with a password; sets the session cookie and returns the CSRF token',
          querystring: NoQuery,
          body: Type.Object({ username: Line(64), password: Password }, Closed),
          response: { 201: SessionJson },
        },
      },
      async (request, reply) => {
        const { user, session } = await login(svc, request.body.username, request.body.password, request.ip, String(request.id));
        // Max-Age, not Expires: the browser counts from when it receives the cookie, so a client whose clock is off
        // (or a server on simulated time) still keeps the session for its whole life.
        const maxAge = Math.max(0, Math.floor((Date.parse(session.expiresAt) - svc.clock.now().getTime()) / 1000));
        reply.setCookie(SESSION_COOKIE, session.cookieValue, { ...cookieOptions, maxAge });
        return reply.code(201).send({ user: userJson(user), via: 'session', csrf_token: session.csrfToken, expires_at: session.expiresAt });
      },
    );

    app.get(
      '/api/v1/session',
      { config: { access: { who: 'signed-in' } }, schema: { tags: ['auth'], summary: 'Who is calling, and the CSRF token of a browser session', querystring: NoQuery, response: { 200: SessionJson } } },
      async (request) => {
        const principal = request.principal!;
        return { user: userJson(principal.user), via: principal.via, csrf_token: principal.csrfToken ?? null, expires_at: null };
      },
    );

    app.delete(
      '/api/v1/session',
      { config: { access: { who: 'signed-in' } }, schema: { tags: ['auth'], summary: 'Sign out', querystring: NoQuery } },
      async (request, reply) => {
        const principal = request.principal!;
        if (principal.via !== 'session' || !principal.sessionId) throw conflict('this request is authenticated by an API token, not a session; revoke the token instead');
        await deleteSession(svc, principal.sessionId);
        reply.clearCookie(SESSION_COOKIE, cookieOptions);
        return reply.code(204).send();
      },
    );

    app.get(
      '/api/v1/user',
      { config: { access: { who: 'signed-in' } }, schema: { tags: ['users'], summary: 'The calling user', querystring: NoQuery, response: { 200: UserJson } } },
      async (request) => userJson(callerOf(request)),
    );

    app.patch(
      '/api/v1/user',
      {
        config: { access: { who: 'signed-in' } },
        schema: {
          tags: ['users'],
          summary: 'Change your own name, e-mail or password (a new password needs the current one)',
          querystring: NoQuery,
          body: Type.Object(
            { display_name: Type.Optional(Name), email: Type.Optional(Email), password: Type.Optional(Password), current_password: Type.Optional(Password) },
            Closed,
          ),
          response: { 200: UserJson },
        },
      },
      async (request) => {
        const user = callerOf(request);
        const body = request.body;
        if (body.password !== undefined) {
          const row = await findUserRow(svc.db.kysely, user.username);
          if (body.current_password === undefined) throw invalid('body/current_password', 'is required to set a new password');
          if (!row?.password_hash || !(await verifyPassword(body.current_password, row.password_hash))) {
            throw invalid('body/current_password', 'is not your current password');
          }
        }
        const updated = await updateUser(svc, actorOf(request), user.id, {
          ...(body.display_name !== undefined && { displayName: body.display_name }),
          ...(body.email !== undefined && { email: body.email }),
          ...(body.password !== undefined && { password: body.password }),
        });
        return userJson(updated);
      },
    );

    app.get(
      '/api/v1/user/tokens',
      { config: { access: { who: 'signed-in' } }, schema: { tags: ['tokens'], summary: 'Your API tokens (never the secrets)', querystring: NoQuery, response: { 200: Type.Object({ items: Type.Array(TokenJson) }) } } },
      async (request) => ({ items: (await listApiTokens(svc, callerOf(request).id)).map(tokenJson) }),
    );

    app.post(
      '/api/v1/user/tokens',
      {
        config: { access: { who: 'signed-in' } },
        schema: {
          tags: ['tokens'],
          summary: 'Create an API token; the secret is in this response only',
          querystring: NoQuery,
          body: Type.Object(
            {
              name: Name,
              scopes: Type.Array(Type.Union(SCOPES.map((s) => Type.Literal(s))), { minItems: 1, maxItems: SCOPES.length, uniqueItems: true }),
              expires_at: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
            },
            Closed,
          ),
          response: { 201: Type.Intersect([TokenJson, Type.Object({ token: Type.String() })]) },
        },
      },
      async (request, reply) => {
        const principal = request.principal!;
        const scopes = request.body.scopes as Scope[];
        // A token may only mint tokens that can do no more than itself.
        const wider = scopes.filter((s) => !principal.scopes.includes(s));
        if (principal.via === 'token' && wider.length > 0) throw invalid('body/scopes', `this token cannot grant ${wider.join(', ')}`);
        const expiresAt = request.body.expires_at ? new Date(request.body.expires_at) : null;
        const { token, apiToken } = await createApiToken(svc, actorOf(request), principal.user, { name: request.body.name, scopes, expiresAt });
        return reply.code(201).send({ ...tokenJson(apiToken), token });
      },
    );

    app.delete(
      '/api/v1/user/tokens/:id',
      {
        config: { access: { who: 'signed-in' } },
        schema: { tags: ['tokens'], summary: 'Revoke one of your API tokens', querystring: NoQuery, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: TokenJson } },
      },
      async (request) => tokenJson(await revokeApiToken(svc, actorOf(request), callerOf(request).id, request.params.id)),
    );

    app.get(
      '/api/v1/users',
      { config: { access: { who: 'admin' } }, schema: { tags: ['users'], summary: 'All users (administrators)', querystring: Type.Object(PageQuery, Closed), response: { 200: PageOf(UserJson) } } },
      async (request) => {
        const page = await listUsers(svc, pageOf(request.query));
        return { items: page.items.map(userJson), next_cursor: page.nextCursor };
      },
    );

    app.post(
      '/api/v1/users',
      {
        config: { access: { who: 'admin' } },
        schema: {
          tags: ['users'],
          summary: 'Create a user (administrators)',
          querystring: NoQuery,
          body: Type.Object(
            { username: Username, password: Password, display_name: Type.Optional(Name), email: Type.Optional(Email), is_admin: Type.Optional(Type.Boolean()) },
            Closed,
          ),
          response: { 201: UserJson },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const user = await createUser(svc, actorOf(request), {
          username: b.username,
          password: b.password,
          ...(b.display_name !== undefined && { displayName: b.display_name }),
          ...(b.email !== undefined && { email: b.email }),
          ...(b.is_admin !== undefined && { isAdmin: b.is_admin }),
        });
        return reply.code(201).send(userJson(user));
      },
    );

    const UserParams = Type.Object({ user: Line(64) });

    app.get(
      '/api/v1/users/:user',
      { config: { access: { who: 'admin' } }, schema: { tags: ['users'], summary: 'One user by id or username (administrators)', querystring: NoQuery, params: UserParams, response: { 200: UserJson } } },
      async (request) => userJson(await resolveUser(svc, request.params.user)),
    );

    app.patch(
      '/api/v1/users/:user',
      {
        config: { access: { who: 'admin' } },
        schema: {
          tags: ['users'],
          summary: 'Change a user: name, e-mail, password, administrator flag, or block them (administrators)',
          querystring: NoQuery,
          params: UserParams,
          body: Type.Object(
            {
              display_name: Type.Optional(Name),
              email: Type.Optional(Email),
              password: Type.Optional(Password),
              is_admin: Type.Optional(Type.Boolean()),
              active: Type.Optional(Type.Boolean()),
            },
            Closed,
          ),
          response: { 200: UserJson },
        },
      },
      async (request) => {
        const target = await resolveUser(svc, request.params.user);
        const b = request.body;
        const updated = await updateUser(svc, actorOf(request), target.id, {
          ...(b.display_name !== undefined && { displayName: b.display_name }),
          ...(b.email !== undefined && { email: b.email }),
          ...(b.password !== undefined && { password: b.password }),
          ...(b.is_admin !== undefined && { isAdmin: b.is_admin }),
          ...(b.active !== undefined && { active: b.active }),
        });
        return userJson(updated);
      },
    );
  };
