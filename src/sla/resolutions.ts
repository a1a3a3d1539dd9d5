import { sql, type Kysely } from 'kysely';
import { chunks } from '../platform/db/batch.js';
import type { Database } from '../platform/db/schema.js';

/** Notes that these vulnerabilities were resolved now, with the deadline they had (for SLA compliance). */
export async function recordResolutions(trx: Kysely<Database>, ids: readonly number[], now: string): Promise<void> {
  for (const part of chunks(ids)) {
    await sql`INSERT INTO sla_resolutions (vulnerability_id, project_id, severity, started_at, due_at, resolved_at)
      SELECT s.vulnerability_id, s.project_id, v.severity, s.started_at, s.due_at, ${now}
      FROM vulnerability_sla s JOIN vulnerabilities v ON v.id = s.vulnerability_id
      WHERE s.vulnerability_id IN (${sql.join(part)})`.execute(trx);
  }
}

/** A person (or a rescan) brought these back after they were resolved: the clock may restart (policy permitting). */
export async function recordReopens(trx: Kysely<Database>, ids: readonly number[], now: string): Promise<void> {
  for (const part of chunks(ids)) await trx.updateTable('vulnerability_sla').set({ reopened_at: now }).where('vulnerability_id', 'in', part).execute();
}
