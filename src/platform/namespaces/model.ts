import type { Selectable } from 'kysely';
import type { NamespacesTable, ProjectsTable } from '../db/schema.js';

export interface Group {
  id: number;
  parentId: number | null;
  path: string;
  fullPath: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface Project {
  id: number;
  groupId: number;
  path: string;
  fullPath: string;
  name: string;
  description: string;
  defaultBranch: string;
  /** Resolve vulnerabilities automatically once the default branch no longer detects them. */
  autoResolve: boolean;
  /** Where the code is browsed (http(s), no credentials): vulnerability locations link into it. */
  repositoryUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export type GroupRow = Selectable<NamespacesTable>;
export type ProjectRow = Selectable<ProjectsTable>;

export function toGroup(row: GroupRow): Group {
  return {
    id: row.id,
    parentId: row.parent_id,
    path: row.path,
    fullPath: row.full_path,
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    groupId: row.namespace_id,
    path: row.path,
    fullPath: row.full_path,
    name: row.name,
    description: row.description,
    defaultBranch: row.default_branch,
    autoResolve: row.auto_resolve === 1,
    repositoryUrl: row.repository_url,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A git branch name, by git's check-ref-format rules (the ones a user can actually trip over). */
export function branchProblem(name: string): string | null {
  if (name.length === 0 || name.length > 255) return 'must be 1–255 characters';
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return 'must not contain spaces, control characters or any of ~ ^ : ? * [ \\';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return 'must not start or end with "/" or contain "//"';
  if (name.includes('..') || name.includes('@{') || name.endsWith('.') || name.endsWith('.lock')) {
    return 'must not contain ".." or "@{" nor end with "." or ".lock"';
  }
  return null;
}

export const MAX_REPOSITORY_URL = 500;

/**
 * A repository URL is shown to everyone who can see the project and put in links, so only a plain http(s) address:
 * no `javascript:` or other scheme, and no user:password@ (a token pasted with a clone URL would leak).
 */
export function repositoryUrlProblem(value: string): string | null {
  if (value.length > MAX_REPOSITORY_URL) return `must be at most ${MAX_REPOSITORY_URL} characters`;
  const absolute = 'must be an absolute http:// or https:// URL';
  // The URL parser also accepts "https:host" and stray whitespace; insist on the form that is stored and linked.
  if (!/^https?:\/\/[^\s/?#]/i.test(value) || /\s/.test(value)) return absolute;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return absolute;
  }
  if (url.username !== '' || url.password !== '') return 'must not contain credentials (user:password@)';
  if (value.includes('?') || value.includes('#')) return 'must not have a query or a fragment';
  return null;
}
