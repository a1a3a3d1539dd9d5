import { sql } from 'kysely';
import type { Services } from '../platform/context.js';
import { chunks } from '../platform/db/batch.js';
import { containsText } from '../platform/db/like.js';
import type { Project } from '../platform/namespaces/model.js';
import { OPEN_STATES } from './triage-states.js';

/**
 * The branches (refs) a project has scans on, for the branch picker: the default branch first (listed even before
 * its first scan), then the most recently scanned. `openPresent` counts open vulnerabilities with an occurrence
 * still present on the ref.
 */
export const MAX_REFS = 500;

export interface RefSummary {
  ref: string;
  isDefault: boolean;
  scans: number;
  lastScanAt: string | null;
  lastScanId: number | null;
  openPresent: number;
}

export async function listRefs(svc: Services, project: Project, search: string | null): Promise<RefSummary[]> {
  const db = svc.db.kysely;
  let query = db
    .selectFrom('scans')
    .select(['ref', sql<number | string>`count(*)`.as('scans'), sql<string>`max(created_at)`.as('last_scan_at'), sql<number | string>`max(id)`.as('last_scan_id')])
    .where('project_id', '=', project.id)
    .groupBy('ref')
    .orderBy(sql`case when ref = ${project.defaultBranch} then 0 else 1 end`)
    .orderBy(sql`max(created_at)`, 'desc')
    .orderBy(sql`max(id)`, 'desc')
    .limit(MAX_REFS);
  if (search) query = query.where(containsText('scans.ref', search));
  const rows = await query.execute();
  const refs: RefSummary[] = rows.map((r) => ({
    ref: r.ref,
    isDefault: r.ref === project.defaultBranch,
    scans: Number(r.scans),
    lastScanAt: r.last_scan_at,
    lastScanId: Number(r.last_scan_id),
    openPresent: 0,
  }));
  const defaultMatches = !search || project.defaultBranch.toLowerCase().includes(search.toLowerCase());
  if (defaultMatches && refs[0]?.isDefault !== true) {
    refs.unshift({ ref: project.defaultBranch, isDefault: true, scans: 0, lastScanAt: null, lastScanId: null, openPresent: 0 });
    if (refs.length > MAX_REFS) refs.pop();
  }
  const byRef = new Map(refs.map((r) => [r.ref, r]));
  for (const part of chunks([...byRef.keys()])) {
    const counts = await db
      .selectFrom('occurrences')
      .innerJoin('vulnerabilities', 'vulnerabilities.id', 'occurrences.vulnerability_id')
      .select(['occurrences.ref', sql<number | string>`count(distinct occurrences.vulnerability_id)`.as('n')])
      .where('occurrences.project_id', '=', project.id)
      .where('occurrences.ref', 'in', part)
      .where('occurrences.state', '=', 'present')
      .where('vulnerabilities.state', 'in', OPEN_STATES)
      .groupBy('occurrences.ref')
      .execute();
    for (const c of counts) byRef.get(c.ref)!.openPresent = Number(c.n);
  }
  return refs;
}
