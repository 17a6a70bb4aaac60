/**
 * A client's vector cursor against the provinces' outbox retention: each province keeps its
 * events for a while (30 days by default) and records how far it pruned. A position below that
 * cannot be replayed, so the subscription is refused with CURSOR_EXPIRED (naming the province)
 * instead of silently skipping what was pruned. A province that does not answer is not checked
 * here; if it did prune, its own subscription refuses the position and the feed moves on (see
 * `UpstreamFeed`).
 */
import { hubError } from '@p2p/schema';
import type { SubscriptionTopic } from './topics.js';
import type { UpstreamFeeds } from './upstream-feeds.js';
import type { ProvincePositions } from './vector-cursor.js';

/**
 * Checks every connected province of `start` in parallel.
 * @throws CURSOR_EXPIRED (extensions: `field`, `province`, `prunedThrough`) for the first province whose position was pruned.
 */
export async function assertCursorsRetained(feeds: UpstreamFeeds, topic: SubscriptionTopic, start: ProvincePositions, field = 'after'): Promise<void> {
  const connected = new Set(feeds.provinces);
  const checks = [...start].filter(([province]) => connected.has(province));
  const answers = await Promise.all(checks.map(async ([province, after]) => ({ province, after, through: await feeds.prunedThrough(province, topic.subgraph) })));
  const expired = answers.find(({ after, through }) => through !== undefined && after < through);
  if (!expired) return;
  throw hubError(
    'CURSOR_EXPIRED',
    `${field}: province ${expired.province} no longer keeps the events after this cursor (pruned through #${expired.through}); subscribe again without ${field} and re-read the current state`,
    { field, province: expired.province, prunedThrough: String(expired.through) },
  );
}
