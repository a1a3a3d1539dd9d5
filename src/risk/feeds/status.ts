import type { Services } from '../../platform/context.js';
import { currentImport, latestAttempt, type FeedImport, type FeedName } from './imports.js';
import { sourceLabel } from './source.js';

export interface FeedStatus {
  feed: FeedName;
  /** The snapshot in use, or null when the feed was never imported. */
  current: FeedImport | null;
  /** The last import attempt (a refusal shows here while `current` stays in use). */
  lastAttempt: FeedImport | null;
  /** Hours since the data in use was published: what a person needs to judge it. */
  ageHours: number | null;
  /** Older than two refresh periods: someone should import a newer file. */
  stale: boolean;
  refreshUrl: string | null;
  refreshHours: number;
}

export const FEEDS: readonly FeedName[] = ['epss', 'kev'];

export async function feedStatus(svc: Services, feed: FeedName): Promise<FeedStatus> {
  const current = await currentImport(svc.db.kysely, feed);
  const lastAttempt = await latestAttempt(svc.db.kysely, feed);
  const published = current?.publishedAt ? Date.parse(current.publishedAt) : null;
  const ageHours = published === null ? null : Math.max(0, (svc.clock.now().getTime() - published) / 3_600_000);
  const refreshHours = svc.config.feedRefreshHours;
  // Shown to every signed-in user: never with the credentials a mirror may need.
  const refreshUrl = feed === 'epss' ? svc.config.epssUrl : svc.config.kevUrl;
  return {
    feed,
    current,
    lastAttempt,
    ageHours,
    stale: ageHours === null || ageHours > 2 * Math.max(refreshHours, 24),
    refreshUrl: refreshUrl && sourceLabel(refreshUrl),
    refreshHours,
  };
}
