/** Reading a trip's stops (`trip_stops`, migration 0008): see `stops.ts`. */
import { sql } from 'drizzle-orm';
import { loaderFor, type ProvinceContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { tripStops, type TripRow, type TripStopRow } from '../db/schema/index.js';

/** The stops of trips in ONE statement, each trip's in order (`seq`). */
export async function findStops(db: Executor, tripIds: readonly string[]): Promise<TripStopRow[][]> {
  if (tripIds.length === 0) return [];
  const rows = await db
    .select()
    .from(tripStops)
    .where(sql`${tripStops.tripId} = ANY(${sql.param([...tripIds])}::text[])`)
    .orderBy(tripStops.tripId, tripStops.seq);
  const byTrip = new Map<string, TripStopRow[]>();
  for (const row of rows) byTrip.set(row.tripId, [...(byTrip.get(row.tripId) ?? []), row]);
  return tripIds.map((id) => byTrip.get(id) ?? []);
}

/** The request's loader of trips' stops, by trip id (one statement per tick). */
export function stopsLoader(ctx: ProvinceContext) {
  return loaderFor<TripStopRow[]>(ctx, 'tripStops', (tripIds) => findStops(ctx.db, tripIds));
}

/** The regions a trip stops at, in order (the destination last), from its stops as read. */
export function stopRegionsFrom(stops: readonly TripStopRow[], trip: Pick<TripRow, 'destination'>): string[] {
  return stops.length > 0 ? stops.map((s) => s.region) : [trip.destination];
}

/** The regions a trip stops at, in order (the destination last). */
export async function stopRegionsOf(
  db: Executor,
  trip: Pick<TripRow, 'id' | 'destination'>,
): Promise<string[]> {
  const [stops = []] = await findStops(db, [trip.id]);
  return stopRegionsFrom(stops, trip);
}

/** The stop where a passenger alights: his `alightAt`, or the destination. */
export const alightingAt = (p: { alightAt?: string | null }, destination: string): string =>
  p.alightAt ?? destination;
