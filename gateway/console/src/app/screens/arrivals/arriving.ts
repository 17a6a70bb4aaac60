/** When a bus stands out on the arrivals board. */
import type { ArrivalTripFragment } from '../../generated/graphql.js';

/** How close to its ETA a departed trip counts as arriving. */
export const ARRIVING_WITHIN_MS = 30 * 60_000;

/**
 * True for a trip on the road whose ETA is at most {@link ARRIVING_WITHIN_MS} away or already
 * past (a late bus stands out too).
 */
export function isArriving(
  trip: Pick<ArrivalTripFragment, 'status' | 'expectedArrivalAt'>,
  now: number,
): boolean {
  if (trip.status !== 'DEPARTED') return false;
  return Date.parse(trip.expectedArrivalAt) - now <= ARRIVING_WITHIN_MS;
}

/** Minutes until the ETA (negative when late), rounded towards zero. */
export function minutesToEta(trip: Pick<ArrivalTripFragment, 'expectedArrivalAt'>, now: number): number {
  return Math.trunc((Date.parse(trip.expectedArrivalAt) - now) / 60_000);
}
