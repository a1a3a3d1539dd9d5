import type { Kysely, Selectable } from 'kysely';
import type { Actor } from '../platform/audit/actor.js';
import { recordAudit } from '../platform/audit/audit.js';
import type { Services } from '../platform/context.js';
import { chunks } from '../platform/db/batch.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../platform/db/paging.js';
import type { Database } from '../platform/db/schema.js';
import { toDbTime } from '../platform/db/time.js';
import { conflict, invalid, notFound } from '../platform/errors.js';
import type { Project } from '../platform/namespaces/model.js';
import type { IssueLinksTable } from './discussion-tables.js';
import { appendHistory } from './events.js';

/**
 * Links from vulnerabilities to issues in an external tracker (Jira, GitLab, …). One issue is one link per
 * project, found by its URL, and may cover many vulnerabilities: linking the same URL again reuses it. A link
 * lives as long as it covers a vulnerability.
 */
export interface IssueLinkInput {
  url: string;
  key: string;
  title?: string | undefined;
}

export interface IssueLink {
  id: number;
  projectId: number;
  url: string;
  key: string;
  title: string | null;
  createdBy: string;
  createdAt: string;
  vulnerabilityCount: number;
  /** The first MAX_LISTED_IDS, by id: an epic may cover thousands. */
  vulnerabilityIds: number[];
}

export const MAX_LISTED_IDS = 100;

/** Only web links: anything else (javascript:, file:, a tracker's custom scheme) is not something to click on. */
export function issueUrl(text: string, field: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(field, 'must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(field, 'must be an http or https URL');
  if (url.username || url.password) throw invalid(field, 'must not contain a user name or password');
  // The parsed form, so that spellings of one URL (host case, default port) are one link.
  return url.href;
}

function label(text: string, field: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw invalid(field, 'must not be blank');
  return trimmed;
}

/**
 * Links `vulnerabilityIds` (all of `project`; `idsField` names them in errors) to the issue at `input.url`,
 * creating the link or reusing the project's link for that URL. Already linked vulnerabilities are left alone.
 */
export async function linkIssue(
  svc: Services,
  actor: Actor,
  project: Project,
  input: IssueLinkInput,
  vulnerabilityIds: number[],
  idsField: string,
): Promise<{ link: IssueLink; created: boolean; linked: number[] }> {
  const url = issueUrl(input.url, 'body/url');
  const key = label(input.key, 'body/key');
  const title = input.title === undefined ? undefined : label(input.title, 'body/title');
  const ids = [...new Set(vulnerabilityIds)];
  const at = svc.clock.now();
  const now = toDbTime(at);
  return svc.db.kysely.transaction().execute(async (trx) => {
    const known = new Set<number>();
    for (const part of chunks(ids)) {
      const rows = await trx.selectFrom('vulnerabilities').select('id').where('project_id', '=', project.id).where('id', 'in', part).execute();
      for (const r of rows) known.add(r.id);
    }
    const stranger = vulnerabilityIds.findIndex((id) => !known.has(id));
    if (stranger >= 0) throw invalid(`${idsField}/${stranger}`, `vulnerability ${vulnerabilityIds[stranger]} is not in project ${project.fullPath}`);

    // ON CONFLICT rather than look-then-insert: two people linking the same issue at once get the same link.
    const inserted = await trx
      .insertInto('issue_links')
      .values({ project_id: project.id, url, key, title: title ?? null, created_by_id: actor.userId, created_by: actor.name, created_at: now })
      .onConflict((oc) => oc.columns(['project_id', 'url']).doNothing())
      .returningAll()
      .executeTakeFirst();
    const link = inserted ?? (await trx.selectFrom('issue_links').selectAll().where('project_id', '=', project.id).where('url', '=', url).executeTakeFirstOrThrow());
    if (link.key !== key) throw conflict(`${url} is already linked in this project as ${link.key}`, 'body/key');
    if (!inserted && title !== undefined && title !== link.title) {
      // The issue may have been renamed in the tracker since it was first linked.
      await trx.updateTable('issue_links').set({ title }).where('id', '=', link.id).execute();
      await recordAudit(trx, at, actor, { action: 'issue_link.update', subjectType: 'issue_link', subjectId: link.id, scopePath: project.fullPath, before: { title: link.title }, after: { title } });
    }

    const linked: number[] = [];
    for (const part of chunks(ids)) {
      const rows = await trx
        .insertInto('vulnerability_issue_links')
        .values(part.map((id) => ({ vulnerability_id: id, issue_link_id: link.id, created_by_id: actor.userId, created_at: now })))
        .onConflict((oc) => oc.columns(['vulnerability_id', 'issue_link_id']).doNothing())
        .returning('vulnerability_id')
        .execute();
      linked.push(...rows.map((r) => r.vulnerability_id));
    }
    await appendHistory(
      trx,
      now,
      actor,
      linked.map((id) => ({ projectId: project.id, vulnerabilityId: id, kind: 'issue_link', reason: 'linked', from: null, to: key, comment: url })),
    );
    if (inserted || linked.length > 0) {
      await recordAudit(trx, at, actor, {
        action: inserted ? 'issue_link.create' : 'issue_link.link',
        subjectType: 'issue_link',
        subjectId: link.id,
        scopePath: project.fullPath,
        after: { ...(inserted && link), vulnerability_ids: linked },
      });
    }
    const [result] = await withVulnerabilities(trx, [{ ...link, title: title ?? link.title }]);
    return { link: result!, created: inserted !== undefined, linked };
  });
}

/** Unlinks one vulnerability from an issue; the link itself goes when it covers nothing any more. */
export async function unlinkIssue(svc: Services, actor: Actor, project: Project, vulnerabilityId: number, linkId: number): Promise<void> {
  const at = svc.clock.now();
  await svc.db.kysely.transaction().execute(async (trx) => {
    const link = await trx
      .selectFrom('issue_links')
      .innerJoin('vulnerability_issue_links', 'vulnerability_issue_links.issue_link_id', 'issue_links.id')
      .selectAll('issue_links')
      .where('issue_links.id', '=', linkId)
      .where('vulnerability_issue_links.vulnerability_id', '=', vulnerabilityId)
      .executeTakeFirst();
    if (!link) throw notFound(`issue link ${linkId} of vulnerability ${vulnerabilityId}`);
    await trx.deleteFrom('vulnerability_issue_links').where('issue_link_id', '=', linkId).where('vulnerability_id', '=', vulnerabilityId).execute();
    await appendHistory(trx, toDbTime(at), actor, [{ projectId: project.id, vulnerabilityId, kind: 'issue_link', reason: 'unlinked', from: link.key, to: null, comment: link.url }]);
    await recordAudit(trx, at, actor, { action: 'issue_link.unlink', subjectType: 'issue_link', subjectId: linkId, scopePath: project.fullPath, after: { vulnerability_ids: [vulnerabilityId] } });
    const remaining = await trx.selectFrom('vulnerability_issue_links').select('vulnerability_id').where('issue_link_id', '=', linkId).limit(1).executeTakeFirst();
    if (!remaining) {
      await trx.deleteFrom('issue_links').where('id', '=', linkId).execute();
      await recordAudit(trx, at, actor, { action: 'issue_link.delete', subjectType: 'issue_link', subjectId: linkId, scopePath: project.fullPath, before: link });
    }
  });
}

/** The project's issue links, newest first. */
export async function listProjectIssueLinks(svc: Services, projectId: number, page: PageRequest): Promise<Page<IssueLink>> {
  const before = decodeCursor(page.cursor, 'number');
  let query = svc.db.kysely.selectFrom('issue_links').selectAll().where('project_id', '=', projectId).orderBy('id', 'desc').limit(page.limit + 1);
  if (before !== null) query = query.where('id', '<', before);
  const rows = toPage(await query.execute(), page.limit, (row) => row.id, (row) => row);
  return { items: await withVulnerabilities(svc.db.kysely, rows.items), nextCursor: rows.nextCursor };
}

export async function listVulnerabilityIssueLinks(svc: Services, vulnerabilityId: number): Promise<IssueLink[]> {
  const rows = await svc.db.kysely
    .selectFrom('issue_links')
    .innerJoin('vulnerability_issue_links', 'vulnerability_issue_links.issue_link_id', 'issue_links.id')
    .selectAll('issue_links')
    .where('vulnerability_issue_links.vulnerability_id', '=', vulnerabilityId)
    .orderBy('issue_links.id')
    .execute();
  return withVulnerabilities(svc.db.kysely, rows);
}

/** Adds each link's vulnerability count and first ids, in one query for the lot. */
async function withVulnerabilities(db: Kysely<Database>, rows: Selectable<IssueLinksTable>[]): Promise<IssueLink[]> {
  const covered = new Map<number, { count: number; ids: number[] }>(rows.map((r) => [r.id, { count: 0, ids: [] }]));
  if (rows.length > 0) {
    const ranked = db
      .selectFrom('vulnerability_issue_links')
      .select((eb) => [
        'issue_link_id',
        'vulnerability_id',
        eb.fn.countAll().over((o) => o.partitionBy('issue_link_id')).as('total'),
        eb.fn.agg<number>('row_number').over((o) => o.partitionBy('issue_link_id').orderBy('vulnerability_id')).as('position'),
      ])
      .where('issue_link_id', 'in', [...covered.keys()]);
    const found = await db.selectFrom(ranked.as('ranked')).selectAll().where('position', '<=', MAX_LISTED_IDS).orderBy('issue_link_id').orderBy('vulnerability_id').execute();
    for (const f of found) {
      const entry = covered.get(f.issue_link_id)!;
      entry.count = Number(f.total);
      entry.ids.push(f.vulnerability_id);
    }
  }
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    url: r.url,
    key: r.key,
    title: r.title,
    createdBy: r.created_by,
    createdAt: r.created_at,
    vulnerabilityCount: covered.get(r.id)!.count,
    vulnerabilityIds: covered.get(r.id)!.ids,
  }));
}
