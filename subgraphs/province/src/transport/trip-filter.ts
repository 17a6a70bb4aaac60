/** The filters of the `trips` connection, as SQL on the trips table or on the relayed copies. */
import { regionPrefix } from '@p2p/schema';
import { sql, type SQL } from 'drizzle-orm';
import { tripCopies, tripStops, trips, type TripStatus } from '../db/schema/index.js';
import { insideRegion, type PageArgs } from '../pagination.js';

/** Filters of the `trips` connection (an empty status list means any status). */
export interface TripFilter extends PageArgs {
  origin?: string | null;
  /** The destination or any stop lies inside it. */
  destination?: string | null;
  status?: TripStatus[] | null;
}

/**
 * A trip whose destination or one of whose stops lies inside the region of `prefix` (#14: a city
 * finds the trips that drop workers there, as `arrivals` follows them): own trips by `trip_stops`,
 * relayed copies by their `stops`.
 */
function stopsInside(table: typeof trips | typeof tripCopies, prefix: string): SQL {
  const stop =
    table === trips
      ? sql`EXISTS (SELECT 1 FROM ${tripStops} WHERE ${tripStops.tripId} = ${trips.id} AND ${insideRegion(tripStops.region, prefix)})`
      : sql`EXISTS (SELECT 1 FROM jsonb_array_elements_text(${tripCopies.stops}) AS s(region) WHERE s.region LIKE ${`${prefix}%`})`;
  return sql`(${insideRegion(table.destination, prefix)} OR ${stop})`;
}

/** The conditions of `args` on `table` (own trips or relayed copies: the same columns). */
export function tripFilters(table: typeof trips | typeof tripCopies, args: TripFilter): SQL[] {
  const filters: SQL[] = [];
  if (args.origin != null) filters.push(insideRegion(table.origin, regionPrefix(args.origin)));
  if (args.destination != null) filters.push(stopsInside(table, regionPrefix(args.destination)));
  if (args.status?.length) filters.push(sql`${table.status} = ANY(${sql.param(args.status)}::text[])`);
  return filters;
}
