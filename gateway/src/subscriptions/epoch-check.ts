/**
 * A client's vector cursor against the provinces' epochs (DESIGN.md, "Decisions"): a position of
 * another epoch than the province's current one belongs to a sequence that restarted (the
 * province was restored from a backup): the events after it may be gone, or different events now
 * carry the same seqs. The WHOLE subscription is refused with CURSOR_EXPIRED naming the province:
 * restarting that province alone "from now" would silently skip what the client missed (or
 * deliver again what it has), and the client must re-read the current state (a fresh list query)
 * anyway. A position without an epoch (a cursor issued before epochs) is taken as the current
 * epoch's. A province that does not answer is not checked here: the shared feed subscribes with
 * its own epoch and ends the clients of another one (`UpstreamFeed.attach`).
 */
import { hubError } from '@p2p/schema';
import type { SubscriptionTopic } from './topics.js';
import type { UpstreamFeeds } from './upstream-feeds.js';
import type { ProvinceEpochs } from './vector-cursor.js';

/** The CURSOR_EXPIRED error of a position of `province` from before its sequence restarted (now `epoch`). */
export function epochExpired(province: string, epoch: string, field = 'after') {
  return hubError(
    'CURSOR_EXPIRED',
    `${field}: province ${province} restarted its event sequence since this cursor (it was restored from a backup): events after the cursor may be gone or different; subscribe again without ${field} (from now) and re-read the current state with a fresh list query`,
    { field, province, epoch },
  );
}

/**
 * Checks the epoch of every connected province of `epochs` in parallel.
 * @throws CURSOR_EXPIRED (extensions: `field`, `province`, `epoch`) for the first province whose epoch changed.
 */
export async function assertCursorEpochs(
  feeds: Pick<UpstreamFeeds, 'provinces' | 'currentEpoch'>,
  topic: Pick<SubscriptionTopic, 'subgraph'>,
  epochs: ProvinceEpochs,
  field = 'after',
): Promise<void> {
  const known = new Set(feeds.provinces);
  const answers = await Promise.all(
    [...epochs]
      .filter(([province]) => known.has(province))
      .map(async ([province, epoch]) => ({
        province,
        epoch,
        current: await feeds.currentEpoch(province, topic.subgraph),
      })),
  );
  const restarted = answers.find(({ epoch, current }) => current !== undefined && current !== epoch);
  if (restarted) throw epochExpired(restarted.province, restarted.current!, field);
}
