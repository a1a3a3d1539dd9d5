import { sql } from 'kysely';
import type { Services } from '../context.js';
import { MINUTE } from '../clock.js';
import { recordAudit } from '../audit/audit.js';
import { addMs, toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { createSession, type NewSession } from './sessions.js';
import { findUserRow, toUser, usernameKey, type User } from './users.js';

/**
 * Password login with throttling kept in the database (so it holds across server processes): too many failures
 * for one username, or from one address, within the window are refused with 429 until the window moves on.
 */
let dummyHash: Promise<string> | null = null;

async function failuresSince(svc: Services, column: 'username_key' | 'ip', value: string, since: string) {
  const row = await svc.db.kysely
    .selectFrom('login_attempts')
    .select([sql<number>`count(*)`.as('n'), sql<string | null>`min(at)`.as('oldest')])
    .where(column, '=', value)
    .where('succeeded', '=', 0)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest };
}

async function lastSuccess(svc: Services, key: string): Promise<string | null> {
  const row = await svc.db.kysely
    .selectFrom('login_attempts')
    .select(sql<string | null>`max(at)`.as('at'))
    .where('username_key', '=', key)
    .where('succeeded', '=', 1)
    .executeTakeFirst();
  return row?.at ?? null;
}

export async function login(
  svc: Services,
  username: string,
  password: string,
  ip: string,
  requestId: string | null,
): Promise<{ user: User; session: NewSession }> {
  const now = svc.clock.now();
  const windowMs = svc.config.loginWindowMinutes * MINUTE;
  const windowStart = toDbTime(addMs(now, -windowMs));
  const key = usernameKey(username);

  const since = [windowStart, (await lastSuccess(svc, key)) ?? ''].sort().at(-1)!;
  const perUser = await failuresSince(svc, 'username_key', key, since);
  const perIp = await failuresSince(svc, 'ip', ip, windowStart);
  const blocked =
    perUser.count >= svc.config.loginMaxFailuresPerUser ? perUser : perIp.count >= svc.config.loginMaxFailuresPerIp ? perIp : null;
  if (blocked) {
    const retryAt = new Date(blocked.oldest!).getTime() + windowMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000));
    throw new AppError('rate-limited', `too many failed sign-ins; try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
  }

  const row = await findUserRow(svc.db.kysely, username);
  // Without a matching user, still spend a full hash so timing does not reveal which usernames exist.
  dummyHash ??= hashPassword('not-a-real-password', svc.config.passwordCostLog2);
  const ok = row?.password_hash ? await verifyPassword(password, row.password_hash) : (await verifyPassword(password, await dummyHash), false);
  const succeeded = ok && row !== undefined && row.active === 1;
  await svc.db.kysely
    .insertInto('login_attempts')
    .values({ at: toDbTime(now), username_key: key, ip, succeeded: succeeded ? 1 : 0 })
    .execute();
  await svc.db.kysely.deleteFrom('login_attempts').where('at', '<', toDbTime(addMs(now, -24 * 60 * MINUTE))).execute();
  if (!succeeded || !row) throw new AppError('unauthorized', 'wrong username or password');

  if (row.password_hash && needsRehash(row.password_hash, svc.config.passwordCostLog2)) {
    const rehashed = await hashPassword(password, svc.config.passwordCostLog2);
    await svc.db.kysely.updateTable('users').set({ password_hash: rehashed }).where('id', '=', row.id).execute();
  }
  const user = toUser(row);
  const session = await createSession(svc, user.id);
  await recordAudit(svc.db.kysely, now, { userId: user.id, name: user.username, ip, requestId }, {
    action: 'user.login',
    subjectType: 'user',
    subjectId: user.id,
  });
  return { user, session };
}
