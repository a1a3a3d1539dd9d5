import { sql } from 'kysely';
import type { Services } from '../platform/context.js';
import { projectsInScope, type Where } from './report.js';

/**
 * What the report's filter menus offer, with how many vulnerabilities of the scope have each value (no other
 * filter applied). The counts per project and value combination are kept by triggers (0011_report_read_path), so
 * a scope costs a few rows per project, never a count of its vulnerabilities; the combinations are folded into the
 * four lists.
 */
export interface Facet {
  id: string;
  count: number;
}

export interface Facets {
  scanners: Facet[];
  reportTypes: Facet[];
  severities: Facet[];
  states: Facet[];
}

/** Most common first, then by name. */
function sorted(counts: Map<string, number>): Facet[] {
  return [...counts].map(([id, count]) => ({ id, count })).sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export async function reportFacets(svc: Services, where: Where): Promise<Facets> {
  const counts = svc.db.kysely.selectFrom('vulnerability_counts');
  const projects = where.kind === 'project' ? null : projectsInScope(svc, where);
  const scoped = where.kind === 'project' ? counts.where('vulnerability_counts.project_id', '=', where.projectId) : projects === null ? counts : counts.where('vulnerability_counts.project_id', 'in', projects);
  const rows = await scoped
    .select(['state', 'severity', 'report_type', 'scanner_id', sql<number | string>`sum(n)`.as('n')])
    .where('n', '>', 0)
    .groupBy(['state', 'severity', 'report_type', 'scanner_id'])
    .execute();
  const tallies = { scanners: new Map<string, number>(), reportTypes: new Map<string, number>(), severities: new Map<string, number>(), states: new Map<string, number>() };
  for (const r of rows) {
    // PostgreSQL's count is a bigint, which node-postgres hands over as a string.
    const n = Number(r.n);
    for (const [tally, id] of [[tallies.scanners, r.scanner_id], [tallies.reportTypes, r.report_type], [tallies.severities, r.severity], [tallies.states, r.state]] as const) {
      tally.set(id, (tally.get(id) ?? 0) + n);
    }
  }
  return { scanners: sorted(tallies.scanners), reportTypes: sorted(tallies.reportTypes), severities: sorted(tallies.severities), states: sorted(tallies.states) };
}
