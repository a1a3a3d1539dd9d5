import type { Kysely, Selectable } from 'kysely';
import type { Actor } from '../platform/audit/actor.js';
import { recordAudit } from '../platform/audit/audit.js';
import type { Services } from '../platform/context.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../platform/db/paging.js';
import type { Database } from '../platform/db/schema.js';
import { toDbTime } from '../platform/db/time.js';
import { forbidden, invalid, notFound } from '../platform/errors.js';
import type { Project } from '../platform/namespaces/model.js';
import type { VulnerabilityCommentsTable } from './discussion-tables.js';
import { appendHistory } from './events.js';
import { renderMarkdown } from './markdown.js';

/**
 * Comments on a vulnerability, in Markdown. Only the author may edit one; the author or a maintainer may delete
 * it. A deletion keeps the row but wipes the body. Neither the history nor the audit log copies the text: both
 * are append-only, so a secret pasted by mistake could never be removed from them.
 */
export const MAX_COMMENT_LENGTH = 20_000;

export interface Comment {
  id: number;
  vulnerabilityId: number;
  authorId: number | null;
  author: string;
  body: string;
  bodyHtml: string;
  createdAt: string;
  updatedAt: string;
  editedAt: string | null;
}

function toComment(row: Selectable<VulnerabilityCommentsTable>): Comment {
  return {
    id: row.id,
    vulnerabilityId: row.vulnerability_id,
    authorId: row.author_id,
    author: row.author,
    body: row.body ?? '',
    bodyHtml: row.body_html ?? '',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    editedAt: row.edited_at,
  };
}

/** Checks and renders a body before any transaction starts, so a slow render never holds a write lock. */
function rendered(body: string): string {
  if (!body.trim()) throw invalid('body/body', 'must not be blank');
  return renderMarkdown(body);
}

export async function listComments(svc: Services, vulnerabilityId: number, page: PageRequest): Promise<Page<Comment>> {
  const after = decodeCursor(page.cursor, 'number');
  let query = svc.db.kysely
    .selectFrom('vulnerability_comments')
    .selectAll()
    .where('vulnerability_id', '=', vulnerabilityId)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .limit(page.limit + 1);
  if (after !== null) query = query.where('id', '>', after);
  return toPage(await query.execute(), page.limit, (row) => row.id, toComment);
}

export async function addComment(svc: Services, actor: Actor, project: Project, vulnerabilityId: number, body: string): Promise<Comment> {
  const html = rendered(body);
  const now = toDbTime(svc.clock.now());
  return svc.db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('vulnerability_comments')
      .values({ project_id: project.id, vulnerability_id: vulnerabilityId, author_id: actor.userId, author: actor.name, body, body_html: html, created_at: now, updated_at: now, edited_at: null, deleted_at: null, deleted_by: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await record(trx, svc, actor, project, row, 'create');
    return toComment(row);
  });
}

export async function editComment(svc: Services, actor: Actor, project: Project, vulnerabilityId: number, commentId: number, body: string): Promise<Comment> {
  const html = rendered(body);
  const now = toDbTime(svc.clock.now());
  return svc.db.kysely.transaction().execute(async (trx) => {
    const existing = await findLive(trx, vulnerabilityId, commentId);
    if (!isAuthor(existing, actor)) throw forbidden('only the author may edit a comment');
    if (existing.body === body) return toComment(existing);
    const row = await trx.updateTable('vulnerability_comments').set({ body, body_html: html, updated_at: now, edited_at: now }).where('id', '=', commentId).returningAll().executeTakeFirstOrThrow();
    await record(trx, svc, actor, project, row, 'update');
    return toComment(row);
  });
}

/** `moderator`: the caller may delete anyone's comment (maintainers and above). */
export async function deleteComment(svc: Services, actor: Actor, project: Project, vulnerabilityId: number, commentId: number, moderator: boolean): Promise<void> {
  const now = toDbTime(svc.clock.now());
  await svc.db.kysely.transaction().execute(async (trx) => {
    const existing = await findLive(trx, vulnerabilityId, commentId);
    if (!moderator && !isAuthor(existing, actor)) throw forbidden('only the author or a maintainer may delete a comment');
    const row = await trx
      .updateTable('vulnerability_comments')
      .set({ body: null, body_html: null, updated_at: now, deleted_at: now, deleted_by: actor.name })
      .where('id', '=', commentId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await record(trx, svc, actor, project, row, 'delete');
  });
}

function isAuthor(row: Selectable<VulnerabilityCommentsTable>, actor: Actor): boolean {
  return actor.userId !== null && row.author_id === actor.userId;
}

/** A comment of this vulnerability that is not deleted; anything else is "not found", whatever it is. */
async function findLive(trx: Kysely<Database>, vulnerabilityId: number, commentId: number): Promise<Selectable<VulnerabilityCommentsTable>> {
  const row = await trx
    .selectFrom('vulnerability_comments')
    .selectAll()
    .where('id', '=', commentId)
    .where('vulnerability_id', '=', vulnerabilityId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound(`comment ${commentId}`);
  return row;
}

/** The history says what happened to which comment (its id in `to`); the audit action is the same in its own words. */
const HISTORY_REASON = { create: 'added', update: 'edited', delete: 'deleted' } as const;

async function record(trx: Kysely<Database>, svc: Services, actor: Actor, project: Project, row: Selectable<VulnerabilityCommentsTable>, action: keyof typeof HISTORY_REASON): Promise<void> {
  await appendHistory(trx, row.updated_at, actor, [
    { projectId: row.project_id, vulnerabilityId: row.vulnerability_id, kind: 'comment', reason: HISTORY_REASON[action], from: null, to: String(row.id), comment: null },
  ]);
  await recordAudit(trx, svc.clock.now(), actor, {
    action: `comment.${action}`,
    subjectType: 'vulnerability_comment',
    subjectId: row.id,
    scopePath: project.fullPath,
    after: { vulnerability_id: row.vulnerability_id, author: row.author, length: row.body?.length ?? 0 },
  });
}
