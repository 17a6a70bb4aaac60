/** Tells the home province of each worker on a trip what happened to it (TRIP facts). To be built. */
import type { TripNews } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import type { TripRow } from '../db/schema/index.js';
import type { OutboxBatch } from '../outbox.js';

/** Tells each home province of workers on `trip` about `news`. */
export async function tellHomes(
  _ctx: ProvinceContext,
  _tx: Tx,
  _events: OutboxBatch,
  _trip: TripRow,
  _news: TripNews,
  _changed: readonly string[],
): Promise<void> {}
