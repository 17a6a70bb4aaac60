import type { RelayedTrip } from '@p2p/schema';
import type { TripRow } from '../db/schema/index.js';

/**
 * A trip as the relay tells it to other provinces: ids, places, times and status, no manifest;
 * `stops` (every stop in order, the destination last) when the trip has intermediate ones.
 */
export function relayedTrip(trip: TripRow, stops?: readonly string[]): RelayedTrip {
  return {
    id: trip.id,
    organizer: trip.organizer,
    mode: trip.mode,
    vehicleCode: trip.vehicleCode,
    origin: trip.origin,
    destination: trip.destination,
    departureAt: trip.departureAt.toISOString(),
    expectedArrivalAt: trip.expectedArrivalAt.toISOString(),
    arrivedAt: trip.arrivedAt?.toISOString() ?? null,
    status: trip.status,
    ...(stops && stops.length > 1 ? { stops: [...stops] } : {}),
  };
}
