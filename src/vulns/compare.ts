import type { Services } from '../platform/context.js';
import type { Project } from '../platform/namespaces/model.js';
import { listVulnerabilities, type VulnerabilitySummary } from './report.js';

/**
 * "What does my branch introduce?" For each scope scanned on the head ref, compare the occurrences present on
 * head with those present on base (each reflects the latest scan of that scope on that ref):
 * new = present on head, not on base; fixed = present on base, not on head; unchanged = on both.
 * Scopes never scanned on head say nothing about head, so they contribute nothing.
 */
export interface Comparison {
  head: string;
  base: string;
  newOnHead: VulnerabilitySummary[];
  fixedOnHead: VulnerabilitySummary[];
  unchanged: number;
}

export async function compareRefs(svc: Services, project: Project, head: string, base: string): Promise<Comparison> {
  const db = svc.db.kysely;
  const scopes = (await db.selectFrom('scans').select('scope_key').distinct().where('project_id', '=', project.id).where('ref', '=', head).execute()).map((r) => r.scope_key);
  const present = async (ref: string) => {
    if (scopes.length === 0) return new Set<string>();
    const rows = await db
      .selectFrom('occurrences')
      .select(['vulnerability_id', 'scope_key'])
      .where('project_id', '=', project.id)
      .where('ref', '=', ref)
      .where('state', '=', 'present')
      .where('scope_key', 'in', scopes)
      .execute();
    return new Set(rows.map((r) => `${r.scope_key}\u0000${r.vulnerability_id}`));
  };
  const onHead = await present(head);
  const onBase = await present(base);
  const idOf = (key: string) => Number(key.split('\u0000')[1]);
  const newIds = [...new Set([...onHead].filter((k) => !onBase.has(k)).map(idOf))];
  const fixedIds = [...new Set([...onBase].filter((k) => !onHead.has(k)).map(idOf))];
  const unchanged = new Set([...onHead].filter((k) => onBase.has(k)).map(idOf)).size;
  const load = async (ids: number[]) =>
    ids.length === 0
      ? []
      : (await listVulnerabilities(svc, { kind: 'project', projectId: project.id }, { ids }, 'severity', { limit: ids.length, cursor: null })).items;
  return { head, base, newOnHead: await load(newIds), fixedOnHead: await load(fixedIds), unchanged };
}
