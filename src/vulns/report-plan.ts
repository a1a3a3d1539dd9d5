import type { VulnerabilityFilter } from './report.js';

/**
 * How a page of the report is read (pure choices; report.ts runs them). Every plan returns the same rows in the
 * same order, a page of (sort value, id) keys, whose full rows are read afterwards by id:
 * - per-project: one ordered walk of a (project_id, key, id) index per project in scope, merged. For scopes of few
 *   projects, where a walk of the global order would skip over everybody else's vulnerabilities.
 * - walk: the global (key, id) index in order, keeping the rows of the scope's projects that pass the filter,
 *   until the page is full. For scopes of many projects: a page costs about limit × (all / in scope) index steps.
 * - search: the database's own plan (find the matching rows, then sort them). For filters that pick a few rows
 *   by what they are, and to finish a page when a walk's filter kept too few of the entries it stepped over.
 */
export type Plan = 'per-project' | 'walk' | 'search';
export const PLANS: readonly Plan[] = ['per-project', 'walk', 'search'];

/**
 * Projects are read one by one (a few queries each) when the global walk would step over many entries of other
 * projects for each one kept: up to PER_PROJECT_MAX projects that are under an eighth of the instance, up to
 * PER_PROJECT_CEILING under a 64th. Otherwise the global walk is cheaper, and its budget bounds a bad case.
 */
export const PER_PROJECT_MAX = 32;
const FEW_SHARE = 1 / 8;
const PER_PROJECT_CEILING = 256;
const PER_PROJECT_SHARE = 1 / 64;

/**
 * Filters that pick a few vulnerabilities by what they are (ids, an identifier, known exploitation): the database
 * finds those first by their indexes. Any other filter walks the order; if it keeps too few of the entries walked,
 * the walk hands over (walkBudget).
 */
export function hasNeedle(filter: VulnerabilityFilter): boolean {
  return (filter.ids?.length ?? 0) > 0 || filter.identifier !== undefined || filter.kev === true;
}

/**
 * How many index entries a walk for a page of `limit` steps over before the search plan finishes the page: a
 * filter or scope that keeps fewer than about one entry in WALK_SPAN costs a bounded walk, then a search. The
 * per-project plan shares that budget among its `walks`, each still stepping over at least a page.
 */
export const WALK_SPAN = 64;
export function walkBudget(limit: number, walks = 1): number {
  return Math.max(limit, Math.ceil((limit * WALK_SPAN) / walks));
}

/** `inScope`: the number of projects in scope, null for every project (an administrator's instance report). */
export async function choosePlan(options: { needle: boolean; inScope: () => Promise<number | null>; allProjects: () => Promise<number> }): Promise<Plan> {
  if (options.needle) return 'search';
  const inScope = await options.inScope();
  if (inScope === null || inScope > PER_PROJECT_CEILING) return 'walk';
  if (inScope <= 1) return 'per-project';
  const share = inScope / (await options.allProjects());
  return (inScope <= PER_PROJECT_MAX && share < FEW_SHARE) || share < PER_PROJECT_SHARE ? 'per-project' : 'walk';
}

export interface OrderedKey {
  sortValue: string | number;
  id: number;
}

/** The first `limit` keys of several lists each already in the order, in that order (the per-project merge). */
export function mergeOrdered(lists: readonly OrderedKey[][], ascending: boolean, limit: number): OrderedKey[] {
  const sign = ascending ? 1 : -1;
  const compare = (a: OrderedKey, b: OrderedKey) => sign * (a.sortValue < b.sortValue ? -1 : a.sortValue > b.sortValue ? 1 : a.id - b.id);
  return lists.flat().sort(compare).slice(0, limit);
}
