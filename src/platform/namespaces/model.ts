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
