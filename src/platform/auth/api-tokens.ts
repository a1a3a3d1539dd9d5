import type { Services } from '../context.js';
import { MINUTE } from '../clock.js';
import { recordAudit } from '../audit/audit.js';
import type { Actor } from '../audit/actor.js';
import type { ApiTokensTable } from '../db/schema.js';
import { addMs, toDbTime } from '../db/time.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { Scope } from './roles.js';
import { hashSecret, newApiToken } from './secrets.js';
import { toUser, type User } from './users.js';

/** Personal API tokens: shown once at creation, stored as a hash, scoped, optionally expiring, revocable. */
export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

type TokenRow = Omit<ApiTokensTable, 'id'> & { id: number };

function toApiToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.token_prefix,
    scopes: row.scopes.split(',') as Scope[],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

export interface NewApiToken {
  name: string;
  scopes: Scope[];
  expiresAt: Date | null;
}

export async function createApiToken(
  svc: Services,
  actor: Actor,
  user: User,
  input: NewApiToken,
): Promise<{ token: string; apiToken: ApiToken }> {
  const now = svc.clock.now();
  if (input.expiresAt && input.expiresAt <= now) throw invalid('body/expires_at', 'must be in the future');
  if (input.scopes.includes('admin') && !user.isAdmin) throw invalid('body/scopes', 'the admin scope is only for instance administrators');
  const token = newApiToken();
  return svc.db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('api_tokens')
      .values({
        user_id: user.id,
        name: input.name,
        token_hash: hashSecret(token),
        token_prefix: token.slice(0, 8),
        scopes: input.scopes.join(','),
        created_at: toDbTime(now),
        expires_at: input.expiresAt ? toDbTime(input.expiresAt) : null,
        revoked_at: null,
        last_used_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const apiToken = toApiToken(row);
    await recordAudit(trx, now, actor, { action: 'token.create', subjectType: 'api_token', subjectId: row.id, after: { user_id: user.id, ...apiToken } });
    return { token, apiToken };
  });
}

export async function listApiTokens(svc: Services, userId: number): Promise<ApiToken[]> {
  const rows = await svc.db.kysely.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id').execute();
  return rows.map(toApiToken);
}

export async function revokeApiToken(svc: Services, actor: Actor, userId: number, tokenId: number): Promise<ApiToken> {
  const now = svc.clock.now();
  return svc.db.kysely.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('api_tokens').selectAll().where('id', '=', tokenId).where('user_id', '=', userId).executeTakeFirst();
    if (!row) throw notFound('token');
    if (row.revoked_at) throw conflict('token is already revoked');
    const revoked = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: toDbTime(now) })
      .where('id', '=', tokenId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, now, actor, {
      action: 'token.revoke',
      subjectType: 'api_token',
      subjectId: tokenId,
      before: toApiToken(row),
      after: toApiToken(revoked),
    });
    return toApiToken(revoked);
  });
}

export type TokenCheck =
  | { ok: true; user: User; token: ApiToken }
  | { ok: false; reason: 'unknown' | 'revoked' | 'expired' | 'user blocked' };

export async function checkApiToken(svc: Services, token: string): Promise<TokenCheck> {
  const now = svc.clock.now();
  const row = await svc.db.kysely
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.name as token_name',
      'api_tokens.token_prefix',
      'api_tokens.scopes',
      'api_tokens.created_at as token_created_at',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
    ])
    .where('api_tokens.token_hash', '=', hashSecret(token))
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  if (row.expires_at && row.expires_at <= toDbTime(now)) return { ok: false, reason: 'expired' };
  if (row.active !== 1) return { ok: false, reason: 'user blocked' };
  // Record use at minute granularity: enough to spot stale tokens without a write per request.
  if (!row.last_used_at || row.last_used_at < toDbTime(addMs(now, -MINUTE))) {
    await svc.db.kysely.updateTable('api_tokens').set({ last_used_at: toDbTime(now) }).where('id', '=', row.token_id).execute();
  }
  return {
    ok: true,
    user: toUser(row),
    token: toApiToken({
      id: row.token_id,
      user_id: row.id,
      name: row.token_name,
      token_hash: '',
      token_prefix: row.token_prefix,
      scopes: row.scopes,
      created_at: row.token_created_at,
      expires_at: row.expires_at,
      revoked_at: row.revoked_at,
      last_used_at: row.last_used_at,
    }),
  };
}

/** Parses `30d`, `12h`, `90m` or an ISO date into an expiry instant. */
export function parseExpiry(text: string, now: Date): Date | { error: string } {
  const relative = /^(\d{1,5})([mhdw])$/.exec(text.trim());
  if (relative) {
    const unit = { m: MINUTE, h: 60 * MINUTE, d: 24 * 60 * MINUTE, w: 7 * 24 * 60 * MINUTE }[relative[2] as 'm' | 'h' | 'd' | 'w'];
    return addMs(now, Number(relative[1]) * unit);
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(text.trim());
  if (iso) {
    const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    const calendar = new Date(Date.UTC(year, month - 1, day));
    // Date rolls 2026-02-30 over to March; an impossible day is a typo, not a date.
    const real = calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
    const at = new Date(text.trim());
    if (real && !Number.isNaN(at.getTime())) return at;
  }
  return { error: `"${text}" is neither a duration like 30d, 12h, 90m, 2w nor an ISO date (2026-12-31 or 2026-12-31T18:00Z)` };
}
