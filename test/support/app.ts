import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { consoleActor } from '../../src/platform/audit/actor.js';
import { createApiToken } from '../../src/platform/auth/api-tokens.js';
import type { Scope } from '../../src/platform/auth/roles.js';
import { createUser, type User } from '../../src/platform/auth/users.js';
import { ManualClock } from '../../src/platform/clock.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import type { Services } from '../../src/platform/context.js';
import type { Db } from '../../src/platform/db/connect.js';
import { buildApp } from '../../src/platform/http/app.js';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestApp {
  app: FastifyInstance;
  svc: Services;
  clock: ManualClock;
}

/** The real application over a test database, with simulated time and a cheap password hash. */
export async function startTestApp(db: Db, env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-app-'));
  const config: Config = loadConfig({ VIGIL_DATA_DIR: dataDir, VIGIL_PASSWORD_COST_LOG2: '10', LOG_LEVEL: 'silent', ...env });
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  const svc: Services = { db, clock, config, log: pino({ level: 'silent' }) };
  const app = await buildApp(svc);
  await app.ready();
  return { app, svc, clock };
}

export async function makeUser(svc: Services, username: string, options: { admin?: boolean } = {}): Promise<User> {
  return createUser(svc, consoleActor('test'), { username, password: TEST_PASSWORD, isAdmin: options.admin ?? false });
}

export async function makeToken(svc: Services, user: User, scopes: Scope[], expiresAt: Date | null = null): Promise<string> {
  return (await createApiToken(svc, consoleActor('test'), user, { name: 'test', scopes, expiresAt })).token;
}

export interface Reply {
  status: number;
  body: any;
  headers: OutgoingHttpHeaders;
}

export interface Caller {
  get(url: string): Promise<Reply>;
  post(url: string, body?: unknown): Promise<Reply>;
  patch(url: string, body?: unknown): Promise<Reply>;
  delete(url: string): Promise<Reply>;
}

/** Calls the app as a client would, with a Bearer token, a session cookie (+ CSRF header), or as nobody. */
export function caller(app: FastifyInstance, auth: { token?: string; cookie?: string; csrf?: string } = {}): Caller {
  const send = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.cookie) headers.cookie = auth.cookie;
    if (auth.csrf) headers['x-csrf-token'] = auth.csrf;
    const response = await app.inject({ method, url, headers, ...(body !== undefined && { payload: body as object }) });
    const text = response.body;
    let parsed: unknown = text;
    if ((response.headers['content-type'] ?? '').toString().includes('json') && text) parsed = JSON.parse(text);
    return { status: response.statusCode, body: parsed, headers: response.headers };
  };
  return {
    get: (url) => send('GET', url),
    post: (url, body) => send('POST', url, body ?? {}),
    patch: (url, body) => send('PATCH', url, body ?? {}),
    delete: (url) => send('DELETE', url),
  };
}

/** Signs in with a password and returns a caller that uses the session cookie and its CSRF token. */
export async function signIn(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<Caller & { cookie: string; csrf: string }> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
  if (response.statusCode !== 201) throw new Error(`sign-in as ${username} failed: ${response.statusCode} ${response.body}`);
  const setCookie = [response.headers['set-cookie']].flat()[0]!;
  const cookie = setCookie.split(';')[0]!;
  const csrf = (JSON.parse(response.body) as { csrf_token: string }).csrf_token;
  return { ...caller(app, { cookie, csrf }), cookie, csrf };
}
