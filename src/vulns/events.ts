import type { Kysely } from 'kysely';
import type { Actor } from '../platform/audit/actor.js';
import { chunks } from '../platform/db/batch.js';
import type { Database } from '../platform/db/schema.js';

/**
 * One entry of a vulnerability's history outside an ingest (which writes its own, with the scan): triage, comments,
 * issue links, risk assessments, SLA notices, expired acceptances.
 */
export interface HistoryEntry {
  projectId: number;
  vulnerabilityId: number;
  kind: string;
  /** Why, or what happened: added, edited, deleted, linked, unlinked. */
  reason: string | null;
  from: string | null;
  to: string | null;
  comment: string | null;
}

/** Appends history entries; call it inside the transaction that makes the change. */
export async function appendHistory(trx: Kysely<Database>, at: string, actor: Actor, entries: HistoryEntry[]): Promise<void> {
  for (const part of chunks(entries)) {
    await trx
      .insertInto('vulnerability_events')
      .values(
        part.map((e) => ({
          project_id: e.projectId,
          vulnerability_id: e.vulnerabilityId,
          at,
          actor_id: actor.userId,
          actor: actor.name,
          kind: e.kind,
          from_value: e.from,
          to_value: e.to,
          reason: e.reason,
          comment: e.comment,
          scan_id: null,
        })),
      )
      .execute();
  }
}
