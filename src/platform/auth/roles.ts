/**
 * Roles per group and project, inherited down the namespace tree: the effective role on a project is the
 * strongest of its own membership and those of every ancestor group.
 */
export const ROLES = ['reporter', 'developer', 'maintainer', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/** Token scopes: what a credential may do, on top of what its user may do. */
export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleRank(role: Role | null): number {
  return role === null ? 0 : ROLES.indexOf(role) + 1;
}

export function hasRole(have: Role | null, need: Role): boolean {
  return roleRank(have) >= roleRank(need);
}

export function strongestRole(roles: Iterable<string>): Role | null {
  let best: Role | null = null;
  for (const role of roles) if (isRole(role) && roleRank(role) > roleRank(best)) best = role;
  return best;
}

export function parseScopes(text: string): { scopes: Scope[] } | { error: string } {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) return { error: 'at least one scope is required (read, write, admin)' };
  const unknown = parts.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) return { error: `unknown scope ${unknown.map((s) => `"${s}"`).join(', ')} (known: ${SCOPES.join(', ')})` };
  return { scopes: [...new Set(parts as Scope[])].sort((a, b) => SCOPES.indexOf(a) - SCOPES.indexOf(b)) };
}

/** `write` implies `read`: a token that may change things may also look at them. */
export function scopeAllows(granted: readonly Scope[], needed: Scope): boolean {
  if (granted.includes(needed)) return true;
  return needed === 'read' && granted.includes('write');
}
