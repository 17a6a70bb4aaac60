import { sql } from 'drizzle-orm';
import { loaderFor, type ProvinceContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { tripPassengers, trips, type PassengerRow, type TripRow } from '../db/schema/index.js';
import { tablePage, orderByInstant, type Connection } from '../pagination.js';
import { findRecords, ownRecordLoader } from '../own-records.js';
import { ownAndCopiedTripPage, pageIncludesCopies, tripsCarrying, type ServedTrip } from './trip-copies.js';
import { tripFilters, type TripFilter } from './trip-filter.js';

const idsParam = (ids: readonly string[]) => sql`${sql.param([...ids])}::text[]`;

/** Reads trips by id in ONE statement (`id = ANY($1)`), in `ids` order, undefined when unknown. */
export const findTrips = (db: Executor, ids: readonly string[]): Promise<(TripRow | undefined)[]> =>
  findRecords(db, trips, ids);

/** The manifests of trips in one statement, each in assignment order. */
export async function findPassengers(db: Executor, tripIds: readonly string[]): Promise<PassengerRow[][]> {
  if (tripIds.length === 0) return [];
  const rows = await db
    .select()
    .from(tripPassengers)
    .where(sql`${tripPassengers.tripId} = ANY(${idsParam(tripIds)})`)
    .orderBy(tripPassengers.tripId, tripPassengers.assignedAt, tripPassengers.workerId);
  const byTrip = new Map<string, PassengerRow[]>();
  for (const row of rows) byTrip.set(row.tripId, [...(byTrip.get(row.tripId) ?? []), row]);
  return tripIds.map((id) => byTrip.get(id) ?? []);
}

/** The request's Trip loader (one statement per tick; foreign, malformed or unknown ids → null). */
export const tripLoader = (ctx: ProvinceContext) => ownRecordLoader(ctx, 'Trip', trips);

/** The request's manifest loader, by trip id (one statement per tick). */
export function passengersLoader(ctx: ProvinceContext) {
  return loaderFor<PassengerRow[]>(ctx, 'passengers', (tripIds) => findPassengers(ctx.db, tripIds));
}

/**
 * The request's loader of "the trip a worker travels on": per worker id, the most recent (by
 * departure) non-cancelled trip whose manifest names him, among this province's own trips and
 * the relayed copies of trips organised elsewhere from here (`trip-copies.ts`), or null. One
 * statement per tick.
 */
export function tripOfWorkerLoader(ctx: ProvinceContext) {
  return loaderFor<ServedTrip | null>(ctx, 'tripOfWorker', async (workerIds) => {
    const carrying = await tripsCarrying(ctx.db, ctx.province, workerIds);
    return workerIds.map((id) => carrying.get(id) ?? null);
  });
}

/** Filters of the `trips` connection. */
export type { TripFilter } from './trip-filter.js';

/**
 * A keyset page of the `trips` connection, ordered by departureAt, then id: this province's own
 * trips, and when `origin` lies in this province the relayed copies of trips organised elsewhere
 * that leave from there too (`trip-copies.ts`).
 */
export function tripPage(ctx: ProvinceContext, args: TripFilter): Promise<Connection<ServedTrip>> {
  if (pageIncludesCopies(ctx.province, args)) return ownAndCopiedTripPage(ctx.db, args);
  return tablePage<TripRow>(
    ctx.db,
    trips,
    tripFilters(trips, args),
    args,
    orderByInstant(trips.departureAt, trips.id, (t) => t.departureAt),
  );
}
