import type { RelayedTrip } from '@p2p/schema';
import type { TripRow } from '../db/schema/index.js';

/** A trip as the relay tells it to other provinces: ids, places, times and status, no manifest. */
export function relayedTrip(trip: TripRow): RelayedTrip {
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
  };
}
