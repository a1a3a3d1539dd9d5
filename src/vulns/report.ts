import { sql, type RawBuilder, type Selectable, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Services } from '../platform/context.js';
import type { Database } from '../platform/db/schema.js';
import { decodeCursorTuple, toPage, type Page, type PageRequest } from '../platform/db/paging.js';
import { containsText } from '../platform/db/like.js';
import { notFound } from '../platform/errors.js';
import { visibleTo } from '../platform/namespaces/access.js';
import type { Group } from '../platform/namespaces/model.js';
import { pathKey } from '../platform/namespaces/paths.js';
import { RISK_COLUMNS, RISK_SORT, riskSummaryOf, type RiskSummary } from '../risk/report-columns.js';
import type { SlaStatus } from '../sla/policy.js';
import { DUE_SORT, SLA_COLUMNS, slaFilter, slaSummaryOf, type SlaSummary } from '../sla/report-columns.js';
import { toDbTime } from '../platform/db/time.js';
import { fileLink } from './file-link.js';
import { choosePlan, hasNeedle, mergeOrdered, walkBudget, type OrderedKey, type Plan } from './report-plan.js';
import type { Location, Severity } from './model.js';
import type { VulnerabilitiesTable } from './tables.js';

/**
 * The vulnerability report: one project or a whole group subtree, filtered and sorted, with keyset pagination
 * over (sort value, id) so deep pages cost what the first one does.
 */
export interface VulnerabilityFilter {
  state?: string[];
  severity?: string[];
  reportType?: string[];
  scanner?: string;
  /** Present (not fixed) on this ref, in any scope. */
  ref?: string;
  presentOnDefault?: boolean;
  /** CVE-…, CWE-…, GHSA-… or a rule id: matches any identifier of the vulnerability. */
  identifier?: string;
  /** Text in the file path or package name. */
  location?: string;
  ids?: number[];
  /** In CISA's KEV catalog (or not). */
  kev?: boolean;
  /** EPSS probability at least this. */
  epssMin?: number;
  /** SSVC decisions. */
  ssvc?: string[];
  riskMin?: number;
  /** SLA status of open vulnerabilities at the given moment. */
  sla?: { statuses: SlaStatus[]; now: string };
  /** First detected at or before this moment (age filters: "at least 90 days old"). */
  detectedBefore?: string;
  detectedAfter?: string;
}

export const SORTS = ['severity', 'risk', 'due_date', 'first_detected', 'last_detected'] as const;
export type Sort = (typeof SORTS)[number];

export interface VulnerabilitySummary {
  id: number;
  projectId: number;
  projectPath: string;
  title: string;
  severity: Severity;
  scannerSeverity: Severity;
  severityOverridden: boolean;
  state: string;
  dismissalReason: string | null;
  reportType: string;
  scanner: string;
  primaryIdentifier: string;
  location: Location;
  presentOnDefault: boolean;
  firstDetectedAt: string;
  lastDetectedAt: string;
  resolvedAt: string | null;
  risk: RiskSummary;
  sla: SlaSummary;
}

/** What a summary reads of the vulnerability row: not the description, solution or details, the wide part. */
const SUMMARY_COLUMNS = [
  'vulnerabilities.id', 'vulnerabilities.project_id', 'vulnerabilities.title', 'vulnerabilities.severity', 'vulnerabilities.scanner_severity',
  'vulnerabilities.severity_overridden', 'vulnerabilities.state', 'vulnerabilities.dismissal_reason', 'vulnerabilities.report_type',
  'vulnerabilities.scanner_id', 'vulnerabilities.primary_identifier', 'vulnerabilities.location_json', 'vulnerabilities.present_on_default',
  'vulnerabilities.first_detected_at', 'vulnerabilities.last_detected_at', 'vulnerabilities.resolved_at',
] as const;
type SummaryRow = Pick<Selectable<VulnerabilitiesTable>, (typeof SUMMARY_COLUMNS)[number] extends `vulnerabilities.${infer C}` ? C & keyof VulnerabilitiesTable : never>;

function toSummary(row: SummaryRow & Parameters<typeof riskSummaryOf>[0] & Parameters<typeof slaSummaryOf>[0] & { project_path: string }, now: string): VulnerabilitySummary {
  return {
    id: row.id,
    projectId: row.project_id,
    projectPath: row.project_path,
    title: row.title,
    severity: row.severity as Severity,
    scannerSeverity: row.scanner_severity as Severity,
    severityOverridden: row.severity_overridden === 1,
    state: row.state,
    dismissalReason: row.dismissal_reason,
    reportType: row.report_type,
    scanner: row.scanner_id,
    primaryIdentifier: row.primary_identifier,
    location: JSON.parse(row.location_json) as Location,
    presentOnDefault: row.present_on_default === 1,
    firstDetectedAt: row.first_detected_at,
    lastDetectedAt: row.last_detected_at,
    resolvedAt: row.resolved_at,
    risk: riskSummaryOf(row),
    sla: slaSummaryOf(row, now),
  };
}

/** Whose vulnerabilities: one project, a group's subtree, or every project a user can see (null: an admin, all). */
export type Where = { kind: 'project'; projectId: number } | { kind: 'group'; group: Group } | { kind: 'instance'; userId: number | null };

type Query = SelectQueryBuilder<Database, 'vulnerabilities' | 'vulnerability_risk' | 'vulnerability_sla', object>;

function applyFilter(query: Query, filter: VulnerabilityFilter): Query {
  let q = query;
  if (filter.ids?.length) q = q.where('vulnerabilities.id', 'in', filter.ids);
  if (filter.state?.length) q = q.where('vulnerabilities.state', 'in', filter.state);
  if (filter.severity?.length) q = q.where('vulnerabilities.severity', 'in', filter.severity);
  if (filter.reportType?.length) q = q.where('vulnerabilities.report_type', 'in', filter.reportType);
  if (filter.scanner) q = q.where('vulnerabilities.scanner_id', '=', filter.scanner.toLowerCase());
  if (filter.presentOnDefault !== undefined) q = q.where('vulnerabilities.present_on_default', '=', filter.presentOnDefault ? 1 : 0);
  if (filter.ref) {
    const ref = filter.ref;
    q = q.where((eb) =>
      eb.exists(eb.selectFrom('occurrences').select('occurrences.id').whereRef('occurrences.vulnerability_id', '=', 'vulnerabilities.id').where('occurrences.ref', '=', ref).where('occurrences.state', '=', 'present')),
    );
  }
  // "id in (…)": the database starts from the few ids with the identifier (its index) instead of testing every
  // vulnerability of the scope.
  if (filter.identifier) {
    const value = filter.identifier.toLowerCase();
    // Scanners store CWEs as type 'cwe' with the bare number ("79"), while people (and dashboard links) write "CWE-79".
    const cwe = /^cwe-(\d+)$/.exec(value)?.[1];
    q = q.where('vulnerabilities.id', 'in', (eb) =>
      eb
        .selectFrom('vulnerability_identifiers')
        .select('vulnerability_identifiers.vulnerability_id')
        .where((ib) => {
          const byValue = ib(sql`lower(vulnerability_identifiers.value)`, '=', value);
          return cwe ? ib.or([byValue, ib.and([ib('vulnerability_identifiers.type', '=', 'cwe'), ib('vulnerability_identifiers.value', '=', cwe)])]) : byValue;
        }),
    );
  }
  if (filter.kev !== undefined) q = q.where('vulnerability_risk.kev', '=', filter.kev ? 1 : 0);
  if (filter.epssMin !== undefined) q = q.where('vulnerability_risk.epss', '>=', filter.epssMin);
  if (filter.ssvc?.length) q = q.where('vulnerability_risk.ssvc', 'in', filter.ssvc);
  if (filter.riskMin !== undefined) q = q.where('vulnerability_risk.risk_score', '>=', filter.riskMin);
  if (filter.sla?.statuses.length) q = q.where(slaFilter(filter.sla.statuses, filter.sla.now));
  if (filter.detectedBefore) q = q.where('vulnerabilities.first_detected_at', '<=', filter.detectedBefore);
  if (filter.detectedAfter) q = q.where('vulnerabilities.first_detected_at', '>=', filter.detectedAfter);
  if (filter.location) {
    const text = filter.location;
    q = q.where((eb) => eb.or([containsText('vulnerabilities.file', text), containsText('vulnerabilities.package_name', text)]));
  }
  return q;
}

/** The ids of the projects in scope, as a subquery; null when that is every project (an administrator's instance). */
export function projectsInScope(svc: Services, where: Exclude<Where, { kind: 'project' }>) {
  const projects = svc.db.kysely.selectFrom('projects').select('projects.id');
  if (where.kind === 'group') {
    const prefix = `${pathKey(where.group.fullPath)}/`;
    return projects.where(sql`substr(lower(projects.full_path), 1, ${prefix.length})`, '=', prefix);
  }
  const { userId } = where;
  return userId === null ? null : projects.where(visibleTo(userId));
}

/**
 * The vulnerabilities in scope, without joins (what facets count). Group and instance scopes are an uncorrelated
 * "project in (…)": the path or membership test runs once per project, not once per vulnerability.
 */
export function scopedVulnerabilities(svc: Services, where: Where) {
  const q = svc.db.kysely.selectFrom('vulnerabilities');
  if (where.kind === 'project') return q.where('vulnerabilities.project_id', '=', where.projectId);
  const projects = projectsInScope(svc, where);
  return projects === null ? q : q.where('vulnerabilities.project_id', 'in', projects);
}

/**
 * The scope's projects that hold any vulnerability passing the filter's state, severity, report type and scanner
 * tests, by the facet counters (0011_report_read_path); undefined when the filter tests none of them. Projects
 * without a match are never read: a filter that matches nowhere answers at once instead of after a full scan.
 */
function projectsWithMatches(svc: Services, where: Exclude<Where, { kind: 'project' }>, filter: VulnerabilityFilter) {
  if (!filter.state?.length && !filter.severity?.length && !filter.reportType?.length && !filter.scanner) return undefined;
  let q = svc.db.kysely.selectFrom('vulnerability_counts').select('vulnerability_counts.project_id as id').where('vulnerability_counts.n', '>', 0);
  const scope = projectsInScope(svc, where);
  if (scope !== null) q = q.where('vulnerability_counts.project_id', 'in', scope);
  if (filter.state?.length) q = q.where('vulnerability_counts.state', 'in', filter.state);
  if (filter.severity?.length) q = q.where('vulnerability_counts.severity', 'in', filter.severity);
  if (filter.reportType?.length) q = q.where('vulnerability_counts.report_type', 'in', filter.reportType);
  if (filter.scanner) q = q.where('vulnerability_counts.scanner_id', '=', filter.scanner.toLowerCase());
  return q.distinct();
}

/** With the risk and SLA rows (one each per vulnerability): what filters and sorts read. */
function withRiskAndSla(q: SelectQueryBuilder<Database, 'vulnerabilities', object>): Query {
  return q.innerJoin('vulnerability_risk', 'vulnerability_risk.vulnerability_id', 'vulnerabilities.id').innerJoin('vulnerability_sla', 'vulnerability_sla.vulnerability_id', 'vulnerabilities.id');
}

export function scopeQuery(svc: Services, where: Where) {
  return withRiskAndSla(scopedVulnerabilities(svc, where)).innerJoin('projects', 'projects.id', 'vulnerabilities.project_id');
}

/**
 * A sort as its index sees it: the key, the id and project columns of the table whose (key, id) and
 * (project_id, key, id) indexes serve it (0011_report_read_path). Risk and due date are walked in their own tables,
 * whose rows carry the vulnerability's id and project.
 */
interface SortKey {
  table: 'vulnerabilities' | 'vulnerability_risk' | 'vulnerability_sla';
  key: RawBuilder<string | number>;
  id: RawBuilder<number>;
  project: RawBuilder<number>;
  ascending: boolean;
  kind: 'string' | 'number';
}

const SORT_KEYS: Record<Sort, SortKey> = {
  severity: { table: 'vulnerabilities', key: sql`vulnerabilities.severity_rank`, id: sql`vulnerabilities.id`, project: sql`vulnerabilities.project_id`, ascending: false, kind: 'number' },
  risk: { table: 'vulnerability_risk', key: RISK_SORT, id: sql`vulnerability_risk.vulnerability_id`, project: sql`vulnerability_risk.project_id`, ascending: false, kind: 'number' },
  // Due dates read soonest first; every other order is largest (or latest) first.
  due_date: { table: 'vulnerability_sla', key: DUE_SORT, id: sql`vulnerability_sla.vulnerability_id`, project: sql`vulnerability_sla.project_id`, ascending: true, kind: 'string' },
  first_detected: { table: 'vulnerabilities', key: sql`vulnerabilities.first_detected_at`, id: sql`vulnerabilities.id`, project: sql`vulnerabilities.project_id`, ascending: false, kind: 'string' },
  last_detected: { table: 'vulnerabilities', key: sql`vulnerabilities.last_detected_at`, id: sql`vulnerabilities.id`, project: sql`vulnerabilities.project_id`, ascending: false, kind: 'string' },
};

type Key = (string | number)[];

/**
 * After `after` (exclusive) in the sort's order, up to `until` (inclusive): a row-value range, which both databases
 * read as an index range — unless `unindexed` (SQLite's unary plus), when the filter's indexes should find the rows.
 */
function keyRange<Q extends SelectQueryBuilder<Database, any, object>>(q: Q, order: SortKey, after: Key | null, until: Key | null = null, unindexed = false): Q {
  const [past, upTo] = order.ascending ? ['>', '<='] : ['<', '>='];
  const row = unindexed ? sql`(+${order.key}, +${order.id})` : sql`(${order.key}, ${order.id})`;
  let out = q;
  if (after) out = out.where(sql<SqlBool>`${row} ${sql.raw(past)} (${after[0]}, ${after[1]})`) as Q;
  if (until) out = out.where(sql<SqlBool>`${row} ${sql.raw(upTo)} (${until[0]}, ${until[1]})`) as Q;
  return out;
}

/**
 * One ordered read of keys, filtered, within a range of the order. `byFilter` asks the database to find the rows by
 * the filter's own indexes and sort what it finds: SQLite would otherwise walk the sort's index to spare the sort,
 * however few rows the filter keeps (its unary plus takes the index off the order; PostgreSQL weighs both itself).
 */
async function readKeys(svc: Services, query: Query, filter: VulnerabilityFilter, order: SortKey, range: { after: Key | null; until?: Key | null; limit: number; byFilter?: boolean }): Promise<OrderedKey[]> {
  const direction = order.ascending ? 'asc' : 'desc';
  const unindexed = range.byFilter === true && svc.db.dialect === 'sqlite';
  const rows = await keyRange(applyFilter(query, filter), order, range.after, range.until ?? null, unindexed)
    .select([order.key.as('sort_value'), order.id.as('id')])
    .orderBy(unindexed ? sql`+${order.key}` : order.key, direction)
    .orderBy(unindexed ? sql`+${order.id}` : order.id, direction)
    .limit(range.limit)
    .execute();
  // PostgreSQL hands bigint ids over as strings.
  return rows.map((r) => ({ sortValue: r.sort_value, id: Number(r.id) }));
}

/**
 * The key `steps` entries after `after` in the sort's index (an index-only read; of one project's entries when
 * given), null past its end. A minimum risk ends the risk order early: the walk then covers all of it.
 */
async function keyAhead(svc: Services, order: SortKey, filter: VulnerabilityFilter, after: Key | null, steps: number, projectId: number | null): Promise<Key | null> {
  const direction = order.ascending ? 'asc' : 'desc';
  const table = svc.db.kysely.selectFrom(order.table);
  const entries = projectId === null ? table : table.where(sql<SqlBool>`${order.project} = ${projectId}`);
  const floor = order.key === RISK_SORT && filter.riskMin !== undefined ? entries.where(sql<SqlBool>`${RISK_SORT} >= ${filter.riskMin}`) : entries;
  const row = await keyRange(floor, order, after)
    .select([order.key.as('sort_value'), order.id.as('id')])
    .orderBy(order.key, direction)
    .orderBy(order.id, direction)
    .limit(1)
    .offset(steps - 1)
    .executeTakeFirst();
  return row ? [row.sort_value, Number(row.id)] : null;
}

/**
 * Every vulnerability with its risk and SLA rows, the sort's own table first: SQLite keeps a CROSS JOIN's order, so
 * the walk runs down that table's index instead of whichever table SQLite would guess (PostgreSQL plans either way).
 */
function walkFrom(svc: Services, order: SortKey): Query {
  const db = svc.db.kysely;
  if (order.table === 'vulnerabilities') return withRiskAndSla(db.selectFrom('vulnerabilities'));
  const other = order.table === 'vulnerability_risk' ? 'vulnerability_sla' : 'vulnerability_risk';
  return db
    .selectFrom(order.table)
    .crossJoin('vulnerabilities')
    .crossJoin(other)
    .whereRef('vulnerabilities.id', '=', `${order.table}.vulnerability_id`)
    .whereRef(`${other}.vulnerability_id`, '=', `${order.table}.vulnerability_id`) as Query;
}

async function orderedKeys(svc: Services, where: Where, filter: VulnerabilityFilter, sort: Sort, after: Key | null, limit: number, forced?: Plan): Promise<OrderedKey[]> {
  const order = SORT_KEYS[sort];
  const db = svc.db.kysely;
  const all = () => walkFrom(svc, order);
  const scope = where.kind === 'project' ? null : (projectsWithMatches(svc, where, filter) ?? projectsInScope(svc, where));
  let listed: number[] | undefined;
  const projectIds = async () => (listed ??= where.kind === 'project' ? [where.projectId] : (await (scope ?? db.selectFrom('projects').select('projects.id')).execute()).map((p) => Number(p.id)));
  const plan =
    forced ??
    (await choosePlan({
      needle: hasNeedle(filter),
      inScope: async () => (where.kind !== 'project' && scope === null ? null : (await projectIds()).length),
      allProjects: async () => Number((await db.selectFrom('projects').select(sql<number | string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n),
    }));
  if (plan !== 'search' && scope !== null && (await projectIds()).length === 0) return [];
  if (plan === 'per-project') {
    const lists: OrderedKey[][] = [];
    const projects = await projectIds();
    for (const projectId of projects) {
      const walk = all().where(sql<SqlBool>`${order.project} = ${projectId}`);
      // Each joined table's project test, so that a search may start from whichever table's filter index is best.
      const search = withRiskAndSla(db.selectFrom('vulnerabilities')).where('vulnerabilities.project_id', '=', projectId).where('vulnerability_risk.project_id', '=', projectId).where('vulnerability_sla.project_id', '=', projectId);
      lists.push(await boundedWalk(svc, walk, search, filter, order, after, limit, { projectId, walks: projects.length }));
    }
    return mergeOrdered(lists, order.ascending, limit);
  }
  const search = withRiskAndSla(scope === null ? scopedVulnerabilities(svc, where) : db.selectFrom('vulnerabilities').where('vulnerabilities.project_id', 'in', scope));
  if (plan === 'search') return readKeys(svc, search, filter, order, { after, limit, byFilter: true });
  // The unary plus keeps the project test off every index, so that the database walks the sort order instead.
  const inScope = where.kind === 'project' ? sql`${where.projectId}` : scope;
  const walk = inScope === null ? all() : all().where(sql<SqlBool>`+${order.project} in (${inScope})`);
  return boundedWalk(svc, walk, search, filter, order, after, limit, { projectId: null, walks: 1 });
}

/**
 * A walk of the order that steps over at most walkBudget(limit) index entries: when the filter keeps too few of
 * them, the search (by the filter's indexes) finishes the page from where the walk stopped.
 */
async function boundedWalk(svc: Services, walk: Query, search: Query, filter: VulnerabilityFilter, order: SortKey, after: Key | null, limit: number, of: { projectId: number | null; walks: number }): Promise<OrderedKey[]> {
  const bound = await keyAhead(svc, order, filter, after, walkBudget(limit, of.walks), of.projectId);
  const found = await readKeys(svc, walk, filter, order, { after, until: bound, limit });
  if (found.length >= limit || bound === null) return found;
  return [...found, ...(await readKeys(svc, search, filter, order, { after: bound, limit: limit - found.length, byFilter: true }))];
}

/** `plan` overrides the choice (tests compare the plans' answers). */
export async function listVulnerabilities(svc: Services, where: Where, filter: VulnerabilityFilter, sort: Sort, page: PageRequest, plan?: Plan): Promise<Page<VulnerabilitySummary>> {
  const now = toDbTime(svc.clock.now());
  const after = decodeCursorTuple(page.cursor, [SORT_KEYS[sort].kind, 'number']);
  const keys = await orderedKeys(svc, where, filter, sort, after, page.limit + 1, plan);
  // The page's full rows, read by id: only these, never the wide rows of everything the walk or sort passed.
  const rows = keys.length === 0 ? [] : await scopeQuery(svc, { kind: 'instance', userId: null })
    .select(SUMMARY_COLUMNS)
    .select(RISK_COLUMNS)
    .select(SLA_COLUMNS)
    .select('projects.full_path as project_path')
    .where('vulnerabilities.id', 'in', keys.map((k) => k.id))
    .execute();
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const found = keys.flatMap((k) => {
    const row = byId.get(k.id);
    return row ? [{ key: k, row }] : [];
  });
  return toPage(found, page.limit, ({ key }) => [key.sortValue, key.id], ({ row }) => toSummary(row, now));
}

/** Ids matching a filter, for bulk triage "by filter". */
export async function idsMatching(svc: Services, where: Where, filter: VulnerabilityFilter, max: number): Promise<number[]> {
  const rows = await applyFilter(withRiskAndSla(scopedVulnerabilities(svc, where)), filter).select('vulnerabilities.id').limit(max + 1).execute();
  return rows.map((r) => r.id);
}

export async function vulnerabilityProject(svc: Services, id: number): Promise<number | null> {
  const row = await svc.db.kysely.selectFrom('vulnerabilities').select('project_id').where('id', '=', id).executeTakeFirst();
  return row?.project_id ?? null;
}

export interface VulnerabilityDetail extends VulnerabilitySummary {
  description: string | null;
  solution: string | null;
  details: Record<string, unknown>;
  identifiers: { type: string; value: string; name: string | null; url: string | null }[];
  occurrences: { ref: string; scope: string; state: string; firstSeenScanId: number; lastSeenScanId: number; fixedScanId: number | null; location: Location; url: string | null }[];
  scans: { id: number; ref: string; commit: string | null; createdAt: string }[];
  history: { at: string; actor: string; kind: string; from: string | null; to: string | null; reason: string | null; comment: string | null; scanId: number | null }[];
  repositoryUrl: string | null;
  /** The file and lines in the repository browser, as the default branch last saw them. */
  locationUrl: string | null;
}

export async function getVulnerability(svc: Services, id: number): Promise<VulnerabilityDetail> {
  const db = svc.db.kysely;
  const row = await db
    .selectFrom('vulnerabilities')
    .innerJoin('projects', 'projects.id', 'vulnerabilities.project_id')
    .innerJoin('vulnerability_risk', 'vulnerability_risk.vulnerability_id', 'vulnerabilities.id')
    .innerJoin('vulnerability_sla', 'vulnerability_sla.vulnerability_id', 'vulnerabilities.id')
    .selectAll('vulnerabilities')
    .select(RISK_COLUMNS)
    .select(SLA_COLUMNS)
    .select(['projects.full_path as project_path', 'projects.repository_url', 'projects.default_branch'])
    .where('vulnerabilities.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`vulnerability ${id}`);
  const identifiers = await db.selectFrom('vulnerability_identifiers').select(['type', 'value', 'name', 'url']).where('vulnerability_id', '=', id).orderBy('position').execute();
  const occurrences = await db.selectFrom('occurrences').selectAll().where('vulnerability_id', '=', id).orderBy('ref').orderBy('scope_key').execute();
  const scanIds = [...new Set(occurrences.flatMap((o) => [o.first_seen_scan_id, o.last_seen_scan_id, o.fixed_scan_id]).filter((s): s is number => s !== null))];
  const events = await db.selectFrom('vulnerability_events').selectAll().where('vulnerability_id', '=', id).orderBy('id').execute();
  const eventScans = events.map((e) => e.scan_id).filter((s): s is number => s !== null);
  const allScanIds = [...new Set([...scanIds, ...eventScans])];
  const scans = allScanIds.length ? await db.selectFrom('scans').select(['id', 'ref', 'commit_sha', 'created_at']).where('id', 'in', allScanIds).orderBy('id').execute() : [];
  const commitOf = new Map(scans.map((s) => [s.id, s.commit_sha]));
  const repo = row.repository_url;
  // A link at the commit that saw it (the line numbers are that commit's), else at the branch itself.
  const linkAt = (location: Location, ref: string, scanId: number) => fileLink(repo, commitOf.get(scanId) ?? ref, location.file, location.startLine, location.endLine);
  const located = occurrences.map((o) => ({ occurrence: o, location: JSON.parse(o.location_json) as Location }));
  const onDefault = located.filter((o) => o.occurrence.ref === row.default_branch).sort((a, b) => b.occurrence.last_seen_scan_id - a.occurrence.last_seen_scan_id)[0];
  const summary = toSummary(row, toDbTime(svc.clock.now()));
  return {
    ...summary,
    description: row.description,
    solution: row.solution,
    details: JSON.parse(row.details_json) as Record<string, unknown>,
    identifiers,
    occurrences: located.map(({ occurrence: o, location }) => ({
      ref: o.ref,
      scope: o.scope_key,
      state: o.state,
      firstSeenScanId: o.first_seen_scan_id,
      lastSeenScanId: o.last_seen_scan_id,
      fixedScanId: o.fixed_scan_id,
      location,
      url: linkAt(location, o.ref, o.last_seen_scan_id),
    })),
    scans: scans.map((s) => ({ id: s.id, ref: s.ref, commit: s.commit_sha, createdAt: s.created_at })),
    history: events.map((e) => ({ at: e.at, actor: e.actor, kind: e.kind, from: e.from_value, to: e.to_value, reason: e.reason, comment: e.comment, scanId: e.scan_id })),
    repositoryUrl: repo,
    locationUrl: onDefault
      ? linkAt(onDefault.location, row.default_branch, onDefault.occurrence.last_seen_scan_id)
      : fileLink(repo, row.default_branch, summary.location.file, summary.location.startLine, summary.location.endLine),
  };
}
