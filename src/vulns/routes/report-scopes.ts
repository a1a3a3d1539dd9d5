import type { FastifyRequest } from 'fastify';
import { Type, type TObject } from 'typebox';
import { callerOf, groupOf, projectOf, type Access } from '../../platform/http/access.js';
import { Ref } from '../../platform/http/schemas.js';
import type { Where } from '../report.js';

/**
 * The vulnerability report exists at three levels with one query language and one answer: a project, a group's
 * subtree, and every project the caller can see. Each report route (list, export, facets) is registered once per
 * level from this table, so the three cannot drift apart.
 */
export interface ReportScope {
  /** What precedes `/vulnerabilities` in the URL. */
  prefix: string;
  access: Access;
  params: TObject;
  /** Completes "The vulnerability report of …". */
  what: string;
  where(request: FastifyRequest): Where;
  /** Names the download (exportFileName makes it safe). */
  label(request: FastifyRequest): string;
}

export const REPORT_SCOPES: readonly ReportScope[] = [
  {
    prefix: '/api/v1/projects/:project',
    access: { who: 'project', role: 'reporter' },
    params: Type.Object({ project: Ref }),
    what: 'the project',
    where: (request) => ({ kind: 'project', projectId: projectOf(request).id }),
    label: (request) => projectOf(request).fullPath,
  },
  {
    prefix: '/api/v1/groups/:group',
    access: { who: 'group', role: 'reporter' },
    params: Type.Object({ group: Ref }),
    what: 'every project below the group',
    where: (request) => ({ kind: 'group', group: groupOf(request) }),
    label: (request) => groupOf(request).fullPath,
  },
  {
    prefix: '/api/v1',
    // Any user: what they see is narrowed to their projects inside the query, not refused at the door.
    access: { who: 'signed-in' },
    params: Type.Object({}),
    what: 'every project you can see (all of them for an administrator)',
    where: (request) => {
      const user = callerOf(request);
      return { kind: 'instance', userId: user.isAdmin ? null : user.id };
    },
    label: () => 'all',
  },
];
