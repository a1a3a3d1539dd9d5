import type { Kysely } from 'kysely';
import { chunks } from '../platform/db/batch.js';
import type { DialectName } from '../platform/db/connect.js';
import type { Database } from '../platform/db/schema.js';
import { refreshSla } from './refresh.js';
import { recordReopens } from './resolutions.js';

/** The SLA side of one ingest: what started or restarted a clock, then one set-based refresh at the end. */
export interface IngestSla {
  add(ids: readonly number[], onDefault: boolean): Promise<void>;
  /** Returns the ids whose clock could start now: first seen on the default branch. */
  seenOnDefault(ids: readonly number[]): Promise<number[]>;
  reopened(ids: readonly number[]): Promise<void>;
  refresh(ids: readonly number[]): Promise<void>;
}

export function ingestSla(trx: Kysely<Database>, dialect: DialectName, projectId: number, now: string): IngestSla {
  return {
    add: async (ids, onDefault) => {
      for (const part of chunks(ids)) {
        await trx
          .insertInto('vulnerability_sla')
          .values(part.map((id) => ({ vulnerability_id: id, project_id: projectId, detected_at: now, default_detected_at: onDefault ? now : null, reopened_at: null, started_at: null, due_at: null, due_soon_at: null, breach_notified_for: null, due_soon_notified_for: null, acceptance_expires_at: null })))
          .execute();
      }
    },
    seenOnDefault: async (ids) => {
      const first: number[] = [];
      for (const part of chunks(ids)) {
        const rows = await trx.updateTable('vulnerability_sla').set({ default_detected_at: now }).where('vulnerability_id', 'in', part).where('default_detected_at', 'is', null).returning('vulnerability_id').execute();
        first.push(...rows.map((r) => r.vulnerability_id));
      }
      return first;
    },
    reopened: (ids) => recordReopens(trx, ids, now),
    refresh: async (ids) => {
      if (ids.length > 0) await refreshSla(trx, dialect, { kind: 'ids', ids });
    },
  };
}
