/**
 * Strings from reports are stored up to a limit; longer ones are cut and marked, never rejected and never
 * allowed to bloat the database.
 */
export const TRUNCATION_MARKER = '… [truncated by Vigil]';

export const FIELD_LIMITS = {
  title: 1_000,
  description: 65_536,
  solution: 16_384,
  identifier: 1_000,
  path: 4_096,
  snippet: 4_096,
  other: 4_096,
} as const;

export function clip(value: string, max: number): string {
  return value.length <= max ? value : value.slice(0, max - TRUNCATION_MARKER.length) + TRUNCATION_MARKER;
}
