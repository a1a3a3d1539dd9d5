import { sql } from 'kysely';
import type { Services } from '../platform/context.js';
import { scopedVulnerabilities, type Where } from './report.js';

/**
 * What the report's filter menus offer, with how many vulnerabilities of the scope have each value (no other
 * filter applied). One GROUP BY over the four columns reads the scope once, from an index that holds them all
 * (0010_repository_url), never the wide rows; the few hundred combinations at most are folded into the four lists.
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
  const rows = await scopedVulnerabilities(svc, where)
    .select(['vulnerabilities.state', 'vulnerabilities.severity', 'vulnerabilities.report_type', 'vulnerabilities.scanner_id', sql<number | string>`count(*)`.as('n')])
    // In the order of the (project_id, state, severity, report_type, scanner_id) index: one project is read in order.
    .groupBy(['vulnerabilities.state', 'vulnerabilities.severity', 'vulnerabilities.report_type', 'vulnerabilities.scanner_id'])
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
