/** Keeps the origin's province's copy of a trip organised elsewhere (TRIP_COPY facts). To be built. */
import type { TripNews } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import type { TripRow } from '../db/schema/index.js';
import type { OutboxBatch } from '../outbox.js';

/** Sends the origin's province the trip as it is now, when the origin lies in another province. */
export async function tellOrigin(
  _ctx: ProvinceContext,
  _tx: Tx,
  _events: OutboxBatch,
  _trip: TripRow,
  _news: TripNews,
): Promise<void> {}
