/**
 * A feed file that cannot be imported. `where` names the place (e.g. `line 2`, `/vulnerabilities/17/dueDate`,
 * or the source itself) so whoever runs the import can find it.
 */
export class FeedError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
  }
}

/** One skipped line or entry, reported back to whoever imported the feed. */
export interface SkippedItem {
  where: string;
  reason: string;
}

/** Skipped items are counted in full but listed only up to this many. */
export const SKIPPED_LISTED = 100;

/**
 * A feed with this many bad items is not a slightly damaged feed but the wrong file (or a broken download):
 * it is rejected whole instead of imported in part.
 */
export function tooManySkipped(skipped: number, kept: number): boolean {
  return skipped > Math.max(10, (skipped + kept) * 0.01);
}
