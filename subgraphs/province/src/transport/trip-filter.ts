/** The filters of the `trips` connection, as SQL on the trips table or on the relayed copies. */
import { regionPrefix } from '@p2p/schema';
import { sql, type SQL } from 'drizzle-orm';
import type { tripCopies, trips, TripStatus } from '../db/schema/index.js';
import { insideRegion, type PageArgs } from '../pagination.js';

/** Filters of the `trips` connection (an empty status list means any status). */
export interface TripFilter extends PageArgs {
  origin?: string | null;
  destination?: string | null;
  status?: TripStatus[] | null;
}

/** The conditions of `args` on `table` (own trips or relayed copies: the same columns). */
export function tripFilters(table: typeof trips | typeof tripCopies, args: TripFilter): SQL[] {
  const filters: SQL[] = [];
  if (args.origin != null) filters.push(insideRegion(table.origin, regionPrefix(args.origin)));
  if (args.destination != null) filters.push(insideRegion(table.destination, regionPrefix(args.destination)));
  if (args.status?.length) filters.push(sql`${table.status} = ANY(${sql.param(args.status)}::text[])`);
  return filters;
}
