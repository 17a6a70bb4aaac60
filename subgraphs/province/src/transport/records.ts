import { regionPrefix } from '@p2p/schema';
import { and, getTableColumns, ne, sql, type SQL } from 'drizzle-orm';
import { loaderFor, type ProvinceContext } from '../context.js';
import type { Executor } from '../db/database.js';
import {
  tripPassengers,
  trips,
  type PassengerRow,
  type TripRow,
  type TripStatus,
} from '../db/schema/index.js';
import { insideRegion, tablePage, orderByInstant, type Connection, type PageArgs } from '../pagination.js';
import { findRecords, ownRecordLoader } from '../own-records.js';

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
 * The request's loader of "the trip a worker travels on": per worker id, the most recent
 * (by departure) non-cancelled trip of this province whose manifest names him, or null.
 * One `DISTINCT ON` statement per tick.
 */
export function tripOfWorkerLoader(ctx: ProvinceContext) {
  return loaderFor<TripRow | null>(ctx, 'tripOfWorker', async (workerIds) => {
    const rows = await ctx.db
      .selectDistinctOn([tripPassengers.workerId], {
        workerId: tripPassengers.workerId,
        trip: getTableColumns(trips),
      })
      .from(tripPassengers)
      .innerJoin(trips, sql`${trips.id} = ${tripPassengers.tripId}`)
      .where(
        and(sql`${tripPassengers.workerId} = ANY(${idsParam(workerIds)})`, ne(trips.status, 'CANCELLED')),
      )
      .orderBy(tripPassengers.workerId, sql`${trips.departureAt} DESC`, sql`${trips.id} DESC`);
    const byWorker = new Map(rows.map((r) => [r.workerId, r.trip]));
    return workerIds.map((id) => byWorker.get(id) ?? null);
  });
}

/** Filters of the `trips` connection (an empty status list means any status). */
export interface TripFilter extends PageArgs {
  origin?: string | null;
  destination?: string | null;
  status?: TripStatus[] | null;
}

/** A keyset page of this province's trips, ordered by departureAt, then id. */
export function tripPage(db: Executor, args: TripFilter): Promise<Connection<TripRow>> {
  const filters: SQL[] = [];
  if (args.origin != null) filters.push(insideRegion(trips.origin, regionPrefix(args.origin)));
  if (args.destination != null) filters.push(insideRegion(trips.destination, regionPrefix(args.destination)));
  if (args.status?.length) filters.push(sql`${trips.status} = ANY(${sql.param(args.status)}::text[])`);
  return tablePage<TripRow>(
    db,
    trips,
    filters,
    args,
    orderByInstant(trips.departureAt, trips.id, (t) => t.departureAt),
  );
}
