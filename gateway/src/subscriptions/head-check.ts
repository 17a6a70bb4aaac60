/**
 * A client's vector cursor against the provinces' heads: a position beyond every event a
 * province has given out in its current epoch cannot come from this subscription (it is forged),
 * so the subscription is refused with BAD_USER_INPUT naming the province. A province that does not answer is not checked here: its shared feed never
 * takes a client's position (`UpstreamFeed`), and the province refuses it on its own port.
 *
 * Epochs (DESIGN.md, "Decisions"): a position of another epoch is CURSOR_EXPIRED, checked before
 * (`epoch-check.ts`); a position ahead of the head in the same epoch is BAD_USER_INPUT here. A
 * province this gateway saw go back below positions it had given out in its epoch (a restore it
 * did not notice, `UpstreamFeeds.wentBackBelow`): a position beyond where it went back was given
 * out before, its events may be gone or different, so it is CURSOR_EXPIRED like another epoch's.
 */
import { hubError } from '@p2p/schema';
import { askConnectedProvinces } from './connected-positions.js';
import { epochExpired } from './epoch-check.js';
import type { SubscriptionTopic } from './topics.js';
import type { UpstreamFeeds } from './upstream-feeds.js';
import type { ProvincePositions } from './vector-cursor.js';

/**
 * Checks every connected province of `start` in parallel.
 * @throws CURSOR_EXPIRED (extensions: `field`, `province`, `epoch`) for the first province that went back below its position.
 * @throws BAD_USER_INPUT (extensions: `field`, `province`) for the first province whose position is ahead of its head.
 */
export async function assertCursorsReached(
  feeds: Pick<UpstreamFeeds, 'provinces' | 'headReaches' | 'wentBackBelow'>,
  topic: SubscriptionTopic,
  start: ProvincePositions,
  field = 'after',
): Promise<void> {
  const answers = await askConnectedProvinces(feeds.provinces, start, (province, after) =>
    feeds.headReaches(province, topic.subgraph, after),
  );
  for (const { province, after } of answers) {
    const wentBack = feeds.wentBackBelow(province);
    if (wentBack && after > wentBack.head) throw epochExpired(province, wentBack.epoch, field);
  }
  const ahead = answers.find(({ answer }) => answer === false);
  if (ahead)
    throw hubError(
      'BAD_USER_INPUT',
      `${field}: the position of province ${ahead.province} (#${ahead.after}) is ahead of its latest event; pass the cursor of the last event received, or omit ${field} to start from now`,
      { field, province: ahead.province },
    );
}
