/**
 * Group and project paths (`acme/platform/api`): rules for one segment and the ancestor arithmetic that role
 * inheritance is built on. Pure functions, no I/O.
 */
export const MAX_DEPTH = 20;
export const SEGMENT_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$';
export const SEGMENT_RULE = '1–100 characters: letters, digits, "_", "-" and ".", starting with a letter, digit or "_"';
const segment = new RegExp(SEGMENT_PATTERN);

/** Why a path segment is refused, or null when it is fine. */
export function segmentProblem(value: string): string | null {
  if (!segment.test(value)) {
    return `must be ${SEGMENT_RULE}`;
  }
  if (value.includes('..')) return 'must not contain ".."';
  if (/^\d+$/.test(value)) return 'must not be only digits (numbers address things by id)';
  if (/\.(git|atom)$/i.test(value)) return 'must not end in .git or .atom';
  return null;
}

export function pathKey(fullPath: string): string {
  return fullPath.toLowerCase();
}

export function joinPath(parent: string | null, leaf: string): string {
  return parent ? `${parent}/${leaf}` : leaf;
}

export function depthOf(fullPath: string): number {
  return fullPath.split('/').length;
}

/** `a/b/c` → `['a', 'a/b']`: the groups whose roles a thing at `a/b/c` inherits. */
export function ancestorPaths(fullPath: string): string[] {
  const parts = fullPath.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** `a/b` → `['a', 'a/b']`. */
export function selfAndAncestorPaths(fullPath: string): string[] {
  return [...ancestorPaths(fullPath), fullPath];
}

/** Numeric ids and full paths both address groups and projects in URLs. */
export function isNumericId(ref: string): boolean {
  return /^\d{1,15}$/.test(ref);
}
