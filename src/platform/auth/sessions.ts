import type { Services } from '../context.js';
import { HOUR, MINUTE } from '../clock.js';
import { addMs, toDbTime } from '../db/time.js';
import { hashSecret, newSecret } from './secrets.js';
import { toUser, type User } from './users.js';

/**
 * Browser sessions: the cookie holds a random secret, the table only its hash. Each session has its own CSRF
 * token that state-changing requests must echo in a header.
 */
export const SESSION_COOKIE = 'vigil_session';

export interface NewSession {
  cookieValue: string;
  csrfToken: string;
  expiresAt: string;
}

export async function createSession(svc: Services, userId: number): Promise<NewSession> {
  const now = svc.clock.now();
  const cookieValue = newSecret();
  const csrfToken = newSecret();
  const expiresAt = toDbTime(addMs(now, svc.config.sessionTtlHours * HOUR));
  await svc.db.kysely
    .insertInto('sessions')
    .values({
      id: hashSecret(cookieValue),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: toDbTime(now),
      expires_at: expiresAt,
      last_seen_at: toDbTime(now),
    })
    .execute();
  // Housekeeping on the way in keeps the table small without a separate job.
  await svc.db.kysely.deleteFrom('sessions').where('expires_at', '<=', toDbTime(now)).execute();
  return { cookieValue, csrfToken, expiresAt };
}

export interface ActiveSession {
  id: string;
  user: User;
  csrfToken: string;
  expiresAt: string;
}

export async function findSession(svc: Services, cookieValue: string): Promise<ActiveSession | null> {
  const now = svc.clock.now();
  const id = hashSecret(cookieValue);
  const row = await svc.db.kysely
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.csrf_token', 'sessions.expires_at', 'sessions.last_seen_at'])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row || row.expires_at <= toDbTime(now) || row.active !== 1) return null;
  if (row.last_seen_at < toDbTime(addMs(now, -MINUTE))) {
    await svc.db.kysely.updateTable('sessions').set({ last_seen_at: toDbTime(now) }).where('id', '=', id).execute();
  }
  return { id, user: toUser(row), csrfToken: row.csrf_token, expiresAt: row.expires_at };
}

export async function deleteSession(svc: Services, sessionId: string): Promise<void> {
  await svc.db.kysely.deleteFrom('sessions').where('id', '=', sessionId).execute();
}
