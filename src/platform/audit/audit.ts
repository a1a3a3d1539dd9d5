import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { toDbTime } from '../db/time.js';
import type { Actor } from './actor.js';

export interface AuditEntry {
  action: string;
  subjectType: string;
  subjectId: number | string;
  /** Full path of the group or project this concerns, so their owners can read it. */
  scopePath?: string | null;
  before?: object | null;
  after?: object | null;
}

// Secrets never reach the audit log, even hashed.
const REDACTED_KEYS = new Set(['password', 'password_hash', 'token', 'token_hash', 'csrf_token']);

function redact(value: object | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return JSON.stringify(value, (key, v) => (REDACTED_KEYS.has(key) ? undefined : v));
}

/** Appends one event. Call it inside the transaction that makes the change, so both land or neither does. */
export async function recordAudit(trx: Kysely<Database>, at: Date, actor: Actor, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_events')
    .values({
      at: toDbTime(at),
      actor_id: actor.userId,
      actor: actor.name,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: String(entry.subjectId),
      scope_path: entry.scopePath ?? null,
      before_json: redact(entry.before),
      after_json: redact(entry.after),
      ip: actor.ip,
      request_id: actor.requestId,
    })
    .execute();
}
