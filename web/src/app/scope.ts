/**
 * Where the user is looking: the whole instance, a group (with its subtree) or a project. Pages take a scope,
 * and the scope knows its API prefix and its app URLs, so every page builds links the same way.
 */
export type NamespaceScope = { kind: 'group' | 'project'; path: string };
export type Scope = { kind: 'instance' } | NamespaceScope;

export type Tab = 'vulnerabilities' | 'dashboard' | 'branches';

export function apiPrefix(scope: Scope): string {
  if (scope.kind === 'instance') return '/api/v1';
  return `/api/v1/${scope.kind === 'group' ? 'groups' : 'projects'}/${encodeURIComponent(scope.path)}`;
}

/** App URL of a scope's tab; paths keep their slashes (acme/web/api), "/-/" separates the path from the tab. */
export function scopeUrl(scope: Scope, tab: Tab = 'vulnerabilities', search = ''): string {
  const query = search && !search.startsWith('?') ? `?${search}` : search;
  if (scope.kind === 'instance') return `/-/${tab}${query}`;
  const path = scope.path.split('/').map(encodeURIComponent).join('/');
  return `/${scope.kind === 'group' ? 'groups' : 'projects'}/${path}/-/${tab}${query}`;
}

/** The inverse of scopeUrl, for the router's splat; null when the URL names no tab. */
export function parseScopeUrl(kind: 'group' | 'project', splat: string): { scope: NamespaceScope; tab: Tab } | null {
  const at = splat.indexOf('/-/');
  const path = at === -1 ? splat.replace(/\/$/, '') : splat.slice(0, at);
  const tab = at === -1 ? 'vulnerabilities' : splat.slice(at + 3).replace(/\/$/, '');
  if (!path || !['vulnerabilities', 'dashboard', 'branches'].includes(tab)) return null;
  return { scope: { kind, path: path.split('/').map(decodeURIComponent).join('/') }, tab: tab as Tab };
}

export function scopeName(scope: Scope): string {
  return scope.kind === 'instance' ? 'All projects' : scope.path;
}

export const vulnerabilityUrl = (id: number) => `/vulnerabilities/${id}`;
