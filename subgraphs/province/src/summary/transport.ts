import { sql } from 'drizzle-orm';
import type { Executor } from '../db/database.js';
import { tripPassengers, trips, type TransportMode } from '../db/schema/index.js';
import { insideRegion } from '../pagination.js';
import type { SummaryScope } from './scope.js';

/** Trips and the people on them. */
export interface TripCount {
  trips: number;
  passengers: number;
}

/** `TransportStats` of the contract. */
export interface TransportStats {
  outbound: TripCount;
  inbound: TripCount;
  internal: TripCount;
  byMode: (TripCount & { mode: TransportMode })[];
}

type FlowDirection = 'outbound' | 'inbound' | 'internal';

/**
 * This province's trips relative to the scope (CANCELLED excluded): outbound (origin inside,
 * destination outside), inbound (the reverse), internal (both inside; every trip for CN).
 * Passengers: those who boarded once a trip departed, those assigned while it is PLANNED.
 * One grouped query (COUNT for now; to be replaced by O(1) counters).
 */
export async function transportStats(db: Executor, scope: SummaryScope): Promise<TransportStats> {
  const originInside = insideRegion(trips.origin, scope.prefix);
  const destinationInside = insideRegion(trips.destination, scope.prefix);
  const direction = sql<FlowDirection>`CASE WHEN ${originInside} AND ${destinationInside} THEN 'internal'
    WHEN ${originInside} THEN 'outbound' ELSE 'inbound' END`;
  const passengers = sql`(SELECT count(*) FROM ${tripPassengers}
    WHERE ${tripPassengers.tripId} = ${trips.id} AND (${trips.status} = 'PLANNED' OR ${tripPassengers.boarded}))`;
  const rows = await db
    .select({
      direction,
      mode: trips.mode,
      trips: sql<number>`count(*)`.mapWith(Number),
      passengers: sql<number>`coalesce(sum(${passengers}), 0)`.mapWith(Number),
    })
    .from(trips)
    .where(sql`${trips.status} <> 'CANCELLED' AND (${originInside} OR ${destinationInside})`)
    .groupBy(sql`1`, trips.mode);
  const stats: TransportStats = {
    outbound: { trips: 0, passengers: 0 },
    inbound: { trips: 0, passengers: 0 },
    internal: { trips: 0, passengers: 0 },
    byMode: [],
  };
  const byMode = new Map<TransportMode, TripCount & { mode: TransportMode }>();
  for (const row of rows) {
    stats[row.direction].trips += row.trips;
    stats[row.direction].passengers += row.passengers;
    const mode = byMode.get(row.mode) ?? { mode: row.mode, trips: 0, passengers: 0 };
    mode.trips += row.trips;
    mode.passengers += row.passengers;
    byMode.set(row.mode, mode);
  }
  stats.byMode = [...byMode.values()].sort((a, b) => a.mode.localeCompare(b.mode));
  return stats;
}
