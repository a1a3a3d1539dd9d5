import { sql } from 'kysely';
import type { Services } from '../platform/context.js';
import { DAY, HOUR, MINUTE } from '../platform/clock.js';
import { addMs, toDbTime } from '../platform/db/time.js';

/**
 * The retry machinery that webhook and e-mail deliveries share. A delivery is claimed by moving its
 * `next_attempt_at` forward by a lease and counting the attempt (on PostgreSQL with FOR UPDATE SKIP LOCKED, so
 * several processes share the queue without sending anything twice); the send happens outside any transaction;
 * its outcome is recorded in the attempt log and decides delivered, failed, or the next try. A process that dies
 * mid-send leaves the lease to expire, and the delivery is tried again.
 */
export type Channel = 'webhook' | 'email';

export const TABLES = { webhook: 'webhook_deliveries', email: 'email_deliveries' } as const;

/** Waits after the 1st, 2nd, … failed attempt; the last one repeats. */
export const BACKOFF_MS = [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 12 * HOUR];

export function backoffAfter(attempt: number): number {
  return BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length) - 1] ?? DAY;
}

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** Retrying cannot help (a refused URL, a deleted webhook): fail now. */
  permanent?: boolean;
  durationMs: number;
}

export interface Claim {
  id: number;
  attempt: number;
}

export interface RunSummary {
  delivered: number;
  retrying: number;
  failed: number;
}

const BATCH = 20;

/** Claims up to `limit` due deliveries of a channel (or only the one given). */
async function claimDue(svc: Services, channel: Channel, leaseMs: number, limit: number, only: number | null): Promise<Claim[]> {
  const now = svc.clock.now();
  const table = sql.table(TABLES[channel]);
  const lock = svc.db.dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  const which = only === null ? sql`` : sql`AND id = ${only}`;
  const result = await sql<{ id: number; attempts: number }>`
    UPDATE ${table} SET attempts = attempts + 1, last_attempt_at = ${toDbTime(now)}, next_attempt_at = ${toDbTime(addMs(now, leaseMs))}
    WHERE id IN (SELECT id FROM ${table} WHERE status = 'pending' AND next_attempt_at <= ${toDbTime(now)} AND attempts < ${svc.config.notifyMaxAttempts} ${which}
                 ORDER BY next_attempt_at, id LIMIT ${limit} ${lock})
    RETURNING id, attempts`.execute(svc.db.kysely);
  return result.rows.map((r) => ({ id: Number(r.id), attempt: Number(r.attempts) }));
}

/** Deliveries whose last allowed attempt never reported back (its process stopped) are given up, not left pending. */
async function giveUpAbandoned(svc: Services, channel: Channel): Promise<void> {
  const now = toDbTime(svc.clock.now());
  await sql`UPDATE ${sql.table(TABLES[channel])} SET status = 'failed', last_error = ${'the last attempt did not report back (the sending process stopped); gave up'}
    WHERE status = 'pending' AND attempts >= ${svc.config.notifyMaxAttempts} AND next_attempt_at <= ${now}`.execute(svc.db.kysely);
}

/** Logs the attempt and moves the delivery on; a claim that another process has since re-claimed only logs. */
async function recordAttempt(svc: Services, channel: Channel, claim: Claim, result: AttemptResult): Promise<RunSummary> {
  const now = svc.clock.now();
  const at = toDbTime(now);
  const status = result.ok ? 'delivered' : result.permanent || claim.attempt >= svc.config.notifyMaxAttempts ? 'failed' : 'pending';
  await svc.db.kysely.transaction().execute(async (trx) => {
    await trx
      .insertInto('notification_attempts')
      .values({ channel, delivery_id: claim.id, attempt: claim.attempt, at, status_code: result.statusCode, error: result.error, duration_ms: Math.round(result.durationMs) })
      .execute();
    await trx
      .updateTable(TABLES[channel])
      .set({
        status,
        last_status_code: result.statusCode,
        last_error: result.error,
        delivered_at: result.ok ? at : null,
        ...(status === 'pending' && { next_attempt_at: toDbTime(addMs(now, backoffAfter(claim.attempt))) }),
      })
      .where('id', '=', claim.id)
      .where('attempts', '=', claim.attempt)
      .execute();
  });
  return { delivered: status === 'delivered' ? 1 : 0, retrying: status === 'pending' ? 1 : 0, failed: status === 'failed' ? 1 : 0 };
}

/**
 * Sends every due delivery of a channel, a batch at a time, until none is due; with `only`, just that delivery if it
 * is due (a test ping or a redelivery that the API attempts at once).
 */
export async function runDue(svc: Services, channel: Channel, leaseMs: number, send: (id: number) => Promise<AttemptResult>, only: number | null = null): Promise<RunSummary> {
  const total: RunSummary = { delivered: 0, retrying: 0, failed: 0 };
  await giveUpAbandoned(svc, channel);
  const claim = () => claimDue(svc, channel, leaseMs, BATCH, only);
  for (let claims = await claim(); claims.length > 0; claims = only === null ? await claim() : []) {
    const outcomes = await Promise.all(
      claims.map(async (claim) => {
        const started = performance.now();
        const result = await send(claim.id).catch((error: unknown): AttemptResult => ({ ok: false, statusCode: null, error: `internal error: ${(error as Error).message}`, durationMs: performance.now() - started }));
        return recordAttempt(svc, channel, claim, result);
      }),
    );
    for (const o of outcomes) {
      total.delivered += o.delivered;
      total.retrying += o.retrying;
      total.failed += o.failed;
    }
  }
  return total;
}

/** The attempts of one delivery, oldest first. */
export async function attemptsOf(svc: Services, channel: Channel, deliveryIds: readonly number[]) {
  if (deliveryIds.length === 0) return [];
  return svc.db.kysely.selectFrom('notification_attempts').selectAll().where('channel', '=', channel).where('delivery_id', 'in', deliveryIds).orderBy('delivery_id').orderBy('attempt').execute();
}
