import { sql, type Expression, type SqlBool } from 'kysely';
import { isOpen, OPEN_STATES } from '../vulns/triage-states.js';
import type { SlaStatus } from './policy.js';

/** What the vulnerability report needs from the SLA module (through an inner join on `vulnerability_sla`). */
export const SLA_COLUMNS = ['vulnerability_sla.started_at as sla_started_at', 'vulnerability_sla.due_at as sla_due_at', 'vulnerability_sla.due_soon_at as sla_due_soon_at'] as const;

/** Where a vulnerability without a deadline sorts: after every real one. */
export const DUE_NEVER = '9999-12-31T00:00:00.000Z';

/**
 * Soonest first; vulnerabilities without a deadline last (the same on both databases, unlike NULL ordering). The
 * expression is that of the 0011_report_read_path indexes, which serve the sort.
 */
export const DUE_SORT = sql<string>`coalesce(vulnerability_sla.due_at, ${sql.lit(DUE_NEVER)})`;

export interface SlaSummary {
  startedAt: string | null;
  dueAt: string | null;
  /** Only for open vulnerabilities with a deadline. */
  status: SlaStatus | null;
}

export function slaSummaryOf(row: { sla_started_at: string | null; sla_due_at: string | null; sla_due_soon_at: string | null; state: string }, now: string): SlaSummary {
  const status = !isOpen(row.state) || row.sla_due_at === null ? null : row.sla_due_at < now ? 'breached' : row.sla_due_soon_at !== null && row.sla_due_soon_at <= now ? 'due_soon' : 'ok';
  return { startedAt: row.sla_started_at, dueAt: row.sla_due_at, status };
}

/** Open vulnerabilities whose SLA status at `now` is one of these. */
export function slaFilter(statuses: readonly SlaStatus[], now: string): Expression<SqlBool> {
  const parts = statuses.map((s) =>
    s === 'breached'
      ? sql`vulnerability_sla.due_at < ${now}`
      : s === 'due_soon'
        ? sql`(vulnerability_sla.due_soon_at <= ${now} and vulnerability_sla.due_at >= ${now})`
        : sql`vulnerability_sla.due_soon_at > ${now}`,
  );
  return sql<SqlBool>`(vulnerabilities.state in (${sql.join(OPEN_STATES.map((s) => sql.lit(s)))}) and (${sql.join(parts, sql` or `)}))`;
}
