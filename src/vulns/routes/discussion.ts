import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { hasRole } from '../../platform/auth/roles.js';
import type { Services } from '../../platform/context.js';
import { actorOf, projectOf } from '../../platform/http/access.js';
import { Closed, Line, NoQuery, PageOf, PageQuery, pageOf, Ref, Text } from '../../platform/http/schemas.js';
import { addComment, deleteComment, editComment, listComments, MAX_COMMENT_LENGTH, type Comment } from '../comments.js';
import { linkIssue, listProjectIssueLinks, listVulnerabilityIssueLinks, MAX_LISTED_IDS, unlinkIssue, type IssueLink } from '../issue-links.js';

const CommentJson = Type.Object({
  id: Type.Integer(),
  vulnerability_id: Type.Integer(),
  author: Type.Object({ id: Type.Union([Type.Integer(), Type.Null()]), username: Type.String() }),
  body: Type.String({ description: 'Markdown, as written' }),
  body_html: Type.String({ description: 'the Markdown rendered to HTML that is safe to insert into a page' }),
  created_at: Type.String(),
  updated_at: Type.String(),
  edited_at: Type.Union([Type.String(), Type.Null()]),
});

function commentJson(c: Comment) {
  return {
    id: c.id,
    vulnerability_id: c.vulnerabilityId,
    author: { id: c.authorId, username: c.author },
    body: c.body,
    body_html: c.bodyHtml,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    edited_at: c.editedAt,
  };
}

const IssueLinkJson = Type.Object({
  id: Type.Integer(),
  project_id: Type.Integer(),
  url: Type.String(),
  key: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  created_by: Type.String(),
  created_at: Type.String(),
  vulnerability_count: Type.Integer(),
  vulnerability_ids: Type.Array(Type.Integer(), { description: `the first ${MAX_LISTED_IDS} linked vulnerabilities by id; vulnerability_count counts them all` }),
});

function issueLinkJson(l: IssueLink) {
  return {
    id: l.id,
    project_id: l.projectId,
    url: l.url,
    key: l.key,
    title: l.title,
    created_by: l.createdBy,
    created_at: l.createdAt,
    vulnerability_count: l.vulnerabilityCount,
    vulnerability_ids: l.vulnerabilityIds,
  };
}

const Id = Type.Integer({ minimum: 1 });
const CommentBody = Type.Object({ body: Text(MAX_COMMENT_LENGTH, { minLength: 1, description: `Markdown, 1–${MAX_COMMENT_LENGTH} characters` }) }, Closed);
const IssueFields = {
  url: Line(2048),
  key: Line(100),
  title: Type.Optional(Line(500)),
};
const MAX_LINKED = 1000;

export const discussionRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/vulnerabilities/:id/comments',
      {
        config: { access: { who: 'project-of', resource: 'vulnerability', role: 'reporter' } },
        schema: { tags: ['vulnerabilities'], summary: 'Comments on a vulnerability, oldest first', params: Type.Object({ id: Id }), querystring: Type.Object(PageQuery, Closed), response: { 200: PageOf(CommentJson) } },
      },
      async (request) => {
        const page = await listComments(svc, request.params.id, pageOf(request.query));
        return { items: page.items.map(commentJson), next_cursor: page.nextCursor };
      },
    );

    app.post(
      '/api/v1/vulnerabilities/:id/comments',
      {
        config: { access: { who: 'project-of', resource: 'vulnerability', role: 'developer' } },
        schema: { tags: ['vulnerabilities'], summary: 'Comment on a vulnerability (Markdown)', params: Type.Object({ id: Id }), querystring: NoQuery, body: CommentBody, response: { 201: CommentJson } },
      },
      async (request, reply) => reply.code(201).send(commentJson(await addComment(svc, actorOf(request), projectOf(request), request.params.id, request.body.body))),
    );

    app.patch(
      '/api/v1/vulnerabilities/:id/comments/:commentId',
      {
        config: { access: { who: 'project-of', resource: 'vulnerability', role: 'developer' } },
        schema: { tags: ['vulnerabilities'], summary: 'Edit your own comment', params: Type.Object({ id: Id, commentId: Id }), querystring: NoQuery, body: CommentBody, response: { 200: CommentJson } },
      },
      async (request) => commentJson(await editComment(svc, actorOf(request), projectOf(request), request.params.id, request.params.commentId, request.body.body)),
    );

    app.delete(
      '/api/v1/vulnerabilities/:id/comments/:commentId',
      {
        config: { access: { who: 'project-of', resource: 'vulnerability', role: 'developer' } },
        schema: { tags: ['vulnerabilities'], summary: 'Delete a comment (your own, or any as a maintainer)', params: Type.Object({ id: Id, commentId: Id }), querystring: NoQuery },
      },
      async (request, reply) => {
        await deleteComment(svc, actorOf(request), projectOf(request), request.params.id, request.params.commentId, hasRole(request.role, 'maintainer'));
        return reply.code(204).send();
      },
    );

    app.get(
      '/api/v1/projects/:project/issue-links',
      {
        config: { access: { who: 'project', role: 'reporter' } },
        schema: { tags: ['vulnerabilities'], summary: "The project's links to external issues, newest first", params: Type.Object({ project: Ref }), querystring: Type.Object(PageQuery, Closed), response: { 200: PageOf(IssueLinkJson) } },
      },
      async (request) => {
        const page = await listProjectIssueLinks(svc, projectOf(request).id, pageOf(request.query));
        return { items: page.items.map(issueLinkJson), next_cursor: page.nextCursor };
      },
    );

    app.post(
      '/api/v1/projects/:project/issue-links',
      {
        config: { access: { who: 'project', role: 'developer' } },
        schema: {
          tags: ['vulnerabilities'],
          summary: 'Link vulnerabilities of the project to an external issue (the link for that URL is reused): 201 when the link is new',
          params: Type.Object({ project: Ref }),
          querystring: NoQuery,
          body: Type.Object({ ...IssueFields, vulnerability_ids: Type.Array(Id, { minItems: 1, maxItems: MAX_LINKED }) }, Closed),
          response: { 200: IssueLinkJson, 201: IssueLinkJson },
        },
      },
      async (request, reply) => {
        const { vulnerability_ids: ids, ...input } = request.body;
        const result = await linkIssue(svc, actorOf(request), projectOf(request), input, ids, 'body/vulnerability_ids');
        return reply.code(result.created ? 201 : 200).send(issueLinkJson(result.link));
      },
    );

    app.get(
      '/api/v1/vulnerabilities/:id/issue-links',
      {
        config: { access: { who: 'project-of', resource: 'vulnerability', role: 'reporter' } },
        schema: { tags: ['vulnerabilities'], summary: 'The external issues a vulnerability is linked to', params: Type.Object({ id: Id }), querystring: NoQuery, response: { 200: Type.Object({ items: Type.Array(IssueLinkJson) }) } },
      },
      async (request) => ({ items: (await listVulnerabilityIssueLinks(svc, request.params.id)).map(issueLinkJson) }),
    );

    app.post(
      '/api/v1/vulnerabilities/:id/issue-links',
      {
        config: { access: { who: 'project-of', resource: 'vulnerability', role: 'developer' } },
        schema: {
          tags: ['vulnerabilities'],
          summary: "Link a vulnerability to an external issue (the project's link for that URL is reused): 201 when newly linked",
          params: Type.Object({ id: Id }),
          querystring: NoQuery,
          body: Type.Object(IssueFields, Closed),
          response: { 200: IssueLinkJson, 201: IssueLinkJson },
        },
      },
      async (request, reply) => {
        const result = await linkIssue(svc, actorOf(request), projectOf(request), request.body, [request.params.id], 'path/id');
        return reply.code(result.linked.length > 0 ? 201 : 200).send(issueLinkJson(result.link));
      },
    );

    app.delete(
      '/api/v1/vulnerabilities/:id/issue-links/:linkId',
      {
        config: { access: { who: 'project-of', resource: 'vulnerability', role: 'developer' } },
        schema: { tags: ['vulnerabilities'], summary: 'Unlink a vulnerability from an external issue', params: Type.Object({ id: Id, linkId: Id }), querystring: NoQuery },
      },
      async (request, reply) => {
        await unlinkIssue(svc, actorOf(request), projectOf(request), request.params.id, request.params.linkId);
        return reply.code(204).send();
      },
    );
  };
