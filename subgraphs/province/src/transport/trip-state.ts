import { hubError, notFound } from '@p2p/schema';
import { eq } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { trips, type TripRow, type TripStatus } from '../db/schema/index.js';
import { ownId } from '../validation/ownership.js';

/**
 * Reads a trip of this province and locks its row for the rest of the transaction, so that
 * concurrent changes of one trip (two assignments racing for the last seat) run one after the other.
 * @throws WRONG_PROVINCE for another province's trip, NOT_FOUND for an unknown one.
 */
export async function lockTrip(ctx: ProvinceContext, tx: Tx, tripId: string): Promise<TripRow> {
  ownId(tripId, 'Trip', ctx.province, 'tripId');
  const [trip] = await tx.select().from(trips).where(eq(trips.id, tripId)).for('update');
  if (!trip) throw notFound('Trip', tripId);
  return trip;
}

/**
 * Checks the trip is in one of the states `action` needs.
 * @throws CONFLICT naming the current state, e.g. "trip T45-… is CANCELLED: it cannot depart".
 */
export function requireStatus(trip: TripRow, allowed: readonly TripStatus[], action: string): void {
  if (!allowed.includes(trip.status)) {
    throw hubError(
      'CONFLICT',
      `trip ${trip.id} is ${trip.status}: ${action} needs it ${allowed.join(' or ')}`,
      { id: trip.id, status: trip.status },
    );
  }
}
