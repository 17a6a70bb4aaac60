/**
 * Every change of a trip is news for the provinces that keep records about it: the home
 * province of each worker on it (`tell-homes.ts`: his status, work region, current trip) and,
 * for a trip organised outside its origin's province, the origin's province (`tell-origin.ts`:
 * its relayed copy). Called by every trip mutation inside its transaction, after the change.
 */
import type { TripNews } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import type { TripRow } from '../db/schema/index.js';
import type { OutboxBatch } from '../outbox.js';
import { stopRegionsOf } from './stop-records.js';
import { tellHomes } from './tell-homes.js';
import { tellOrigin } from './tell-origin.js';

/**
 * Tells the provinces concerned what happened to `trip` (as it is now).
 * @param changed for ASSIGNED and REMOVED, the workers added or taken off the manifest.
 * @param stop for ARRIVED and HANDED_OVER, the stop where it happened (`stops.ts`).
 */
export async function announceTrip(
  ctx: ProvinceContext,
  tx: Tx,
  events: OutboxBatch,
  trip: TripRow,
  news: TripNews,
  changed: readonly string[] = [],
  stop?: string,
): Promise<void> {
  const stops = await stopRegionsOf(tx, trip);
  await tellHomes(ctx, tx, events, trip, news, changed, stop, stops);
  await tellOrigin(ctx, tx, events, trip, news, stops);
}
