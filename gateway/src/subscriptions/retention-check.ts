/**
 * A client's vector cursor against the provinces' outbox retention: each province keeps its
 * events for a while (30 days by default) and records, per subscription filter, the highest seq
 * it pruned. A position below it missed a pruned event, so the subscription is refused with
 * CURSOR_EXPIRED (naming the province) instead of silently skipping it; a position below only
 * events of other filters is fine. A province that does not answer is not checked here: its own
 * stream refuses such a position, and the shared feed then ends the clients concerned with
 * CURSOR_EXPIRED (`UpstreamFeed`, `ClientEventStream.expired`).
 */
import { hubError } from '@p2p/schema';
import { askConnectedProvinces } from './connected-positions.js';
import type { SubscriptionTopic } from './topics.js';
import type { UpstreamFeeds } from './upstream-feeds.js';
import type { ProvincePositions } from './vector-cursor.js';

/** The CURSOR_EXPIRED error of a position of `province` below its retention point `through`. */
export function cursorExpired(province: string, through: number, field = 'after') {
  return hubError(
    'CURSOR_EXPIRED',
    `${field}: province ${province} no longer keeps the events after this cursor (pruned through #${through}); subscribe again without ${field} and re-read the current state`,
    { field, province, prunedThrough: String(through) },
  );
}

/**
 * Checks every connected province of `start` in parallel.
 * @throws CURSOR_EXPIRED (extensions: `field`, `province`, `prunedThrough`) for the first province whose position was pruned.
 */
export async function assertCursorsRetained(
  feeds: UpstreamFeeds,
  topic: SubscriptionTopic,
  region: string,
  start: ProvincePositions,
  field = 'after',
): Promise<void> {
  const answers = await askConnectedProvinces(feeds.provinces, start, (province) =>
    feeds.prunedThrough(province, topic, region),
  );
  const expired = answers.find(({ after, answer }) => answer !== undefined && after < answer);
  if (expired) throw cursorExpired(expired.province, expired.answer!, field);
}
