import { sql, type Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import type { Actor } from '../audit/actor.js';
import type { Services } from '../context.js';
import type { Database, UsersTable } from '../db/schema.js';
import { toDbTime } from '../db/time.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../db/paging.js';
import { conflict, invalid, notFound } from '../errors.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { isUniqueViolation } from '../db/constraints.js';

export interface User {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  isAdmin: boolean;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export type UserRow = Omit<UsersTable, 'id'> & { id: number };

export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';
export const USERNAME_RULE = '1–64 characters: letters, digits, "_", "." and "-", starting with a letter or digit';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    isAdmin: row.is_admin === 1,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function usernameKey(username: string): string {
  return username.trim().toLowerCase();
}

export async function findUserRow(db: Kysely<Database>, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where(sql`lower(username)`, '=', usernameKey(username)).executeTakeFirst();
}

export async function getUser(svc: Services, id: number): Promise<User> {
  const row = await svc.db.kysely.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('user');
  return toUser(row);
}

/** Resolves `:user` path parameters, which may be a numeric id or a username. */
export async function resolveUser(svc: Services, idOrName: string): Promise<User> {
  const row = /^\d+$/.test(idOrName)
    ? await svc.db.kysely.selectFrom('users').selectAll().where('id', '=', Number(idOrName)).executeTakeFirst()
    : await findUserRow(svc.db.kysely, idOrName);
  if (!row) throw notFound(`user "${idOrName}"`);
  return toUser(row);
}

export interface NewUser {
  username: string;
  password: string;
  displayName?: string;
  email?: string | null;
  isAdmin?: boolean;
}

export async function createUser(svc: Services, actor: Actor, input: NewUser): Promise<User> {
  if (!new RegExp(USERNAME_PATTERN).test(input.username)) {
    throw invalid('body/username', `must be ${USERNAME_RULE}`);
  }
  const problem = passwordProblem(input.password, input.username);
  if (problem) throw invalid('body/password', problem);
  const passwordHash = await hashPassword(input.password, svc.config.passwordCostLog2);
  const now = svc.clock.now();
  try {
    return await svc.db.kysely.transaction().execute(async (trx) => {
      if (await findUserRow(trx, input.username)) throw conflict(`username "${input.username}" is taken`, 'body/username');
      const row = await trx
        .insertInto('users')
        .values({
          username: input.username,
          display_name: input.displayName?.trim() || input.username,
          email: input.email ?? null,
          password_hash: passwordHash,
          is_admin: input.isAdmin ? 1 : 0,
          active: 1,
          created_at: toDbTime(now),
          updated_at: toDbTime(now),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const user = toUser(row);
      await recordAudit(trx, now, actor, { action: 'user.create', subjectType: 'user', subjectId: user.id, after: user });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`username "${input.username}" is taken`, 'body/username');
    throw error;
  }
}

export async function listUsers(svc: Services, page: PageRequest): Promise<Page<User>> {
  const after = decodeCursor(page.cursor, 'string');
  let query = svc.db.kysely.selectFrom('users').selectAll().orderBy(sql`lower(username)`).limit(page.limit + 1);
  if (after !== null) query = query.where(sql`lower(username)`, '>', after);
  return toPage(await query.execute(), page.limit, (row) => usernameKey(row.username), toUser);
}

export interface UserChanges {
  displayName?: string;
  email?: string | null;
  isAdmin?: boolean;
  active?: boolean;
  password?: string;
}

export async function updateUser(svc: Services, actor: Actor, id: number, changes: UserChanges): Promise<User> {
  const before = await getUser(svc, id);
  if (changes.password !== undefined) {
    const problem = passwordProblem(changes.password, before.username);
    if (problem) throw invalid('body/password', problem);
  }
  const passwordHash = changes.password === undefined ? undefined : await hashPassword(changes.password, svc.config.passwordCostLog2);
  const now = svc.clock.now();
  return svc.db.kysely.transaction().execute(async (trx) => {
    if (before.isAdmin && before.active && (changes.isAdmin === false || changes.active === false)) {
      const admins = await trx.selectFrom('users').select(sql<number>`count(*)`.as('n')).where('is_admin', '=', 1).where('active', '=', 1).executeTakeFirstOrThrow();
      if (Number(admins.n) <= 1) throw conflict(`${before.username} is the last active administrator; make someone else an administrator first`);
    }
    const row = await trx
      .updateTable('users')
      .set({
        ...(changes.displayName !== undefined && { display_name: changes.displayName }),
        ...(changes.email !== undefined && { email: changes.email }),
        ...(changes.isAdmin !== undefined && { is_admin: changes.isAdmin ? 1 : 0 }),
        ...(changes.active !== undefined && { active: changes.active ? 1 : 0 }),
        ...(passwordHash !== undefined && { password_hash: passwordHash }),
        updated_at: toDbTime(now),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    // A blocked user or a changed password ends every open session of that user.
    if (changes.active === false || passwordHash !== undefined) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    const after = toUser(row);
    await recordAudit(trx, now, actor, {
      action: passwordHash !== undefined ? 'user.update_password' : 'user.update',
      subjectType: 'user',
      subjectId: id,
      before,
      after,
    });
    return after;
  });
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
