/**
 * Relayed copies of trips organised by another province whose origin lies in this one
 * (`trip_copies`, kept by `relay/trip-copy-facts.ts`; the copies kept for a destination or a stop
 * here are counted, never served: every query below reads only copies leaving from here): DESIGN.md, "a trip organised outside its
 * origin's province is owned by the organiser; the origin's province keeps a relayed index entry
 * so `trips(origin:)` and `ReturnRequest.trip` still route to one place and find it". A copy is
 * served like an own trip (its manifest from the relayed jsonb); this province counts a copy only
 * under its own keys, never the nation's (migration 0015): the organiser counts it there once.
 */
import { decodeCursor, provinceOf } from '@p2p/schema';
import { and, count, desc, eq, getTableColumns, ne, sql } from 'drizzle-orm';
import type { Executor } from '../db/database.js';
import { tripCopies, tripPassengers, trips, type TripCopyRow, type TripRow } from '../db/schema/index.js';
import { keysetPage, orderByInstant, type Connection } from '../pagination.js';
import { tripFilters, type TripFilter } from './trip-filter.js';

/** A trip as this province serves it: one it organised, or the relayed copy of one organised elsewhere. */
export type ServedTrip = TripRow | TripCopyRow;

/** True for a relayed copy (it carries its manifest). */
export function isTripCopy(trip: ServedTrip): trip is TripCopyRow {
  return Array.isArray((trip as Partial<TripCopyRow>).passengers);
}

/**
 * True when a `trips` page of this province includes the relayed copies: only when `origin` is
 * given and lies in this province. The gateway sends such a query to this province alone (it routes
 * `trips` by `origin`), while a query without `origin` goes to every province, where the organiser
 * answers with its own trip: a copy never appears twice in one merged page.
 */
export function pageIncludesCopies(province: string, args: TripFilter): boolean {
  return args.origin != null && provinceOf(args.origin) === province;
}

/** The keyset order of both tables: departureAt, then id (`schema/src/cursor.ts`). */
const orderOf = (table: typeof trips | typeof tripCopies) =>
  orderByInstant<ServedTrip>(table.departureAt, table.id, (t) => t.departureAt);

/** A copy's `shuttle_id` column in the UNION ALL: the copy does not know its shuttle (`shuttles.ts`). */
const NO_SHUTTLE = () => sql<string | null>`NULL::text COLLATE "C"`.as('shuttle_id');

/** The columns both tables share, in one order, for the UNION ALL. */
function sharedColumns(table: typeof trips | typeof tripCopies) {
  const { passengers: _, stops: _stops, keeper: _keeper, ...columns } = getTableColumns(tripCopies);
  return Object.fromEntries(
    Object.keys(columns).map((name) => [name, table[name as keyof typeof columns]]),
  ) as { [K in keyof typeof columns]: (typeof trips)[K] };
}

/**
 * A keyset page of this province's own trips AND the relayed copies matching the filters, in one
 * order (departureAt, then id): one UNION ALL statement (each branch filtered and cut at the
 * cursor, so each uses its own indexes), one COUNT per table when `totalCount` is read.
 */
export function ownAndCopiedTripPage(db: Executor, args: TripFilter): Promise<Connection<ServedTrip>> {
  const ownFilters = tripFilters(trips, args);
  const copyFilters = tripFilters(tripCopies, args);
  return keysetPage<ServedTrip>(
    args,
    orderOf(trips),
    async (afterOwn, limit) => {
      const afterCopy = args.after != null ? orderOf(tripCopies).after(decodeCursor(args.after)) : undefined;
      const own = db
        .select({
          ...sharedColumns(trips),
          shuttleId: trips.shuttleId,
          passengers: sql<TripCopyRow['passengers'] | null>`NULL::jsonb`.as('passengers'),
          stops: sql<TripCopyRow['stops'] | null>`NULL::jsonb`.as('stops'),
        })
        .from(trips)
        .where(and(...ownFilters, afterOwn));
      const copies = db
        .select({
          ...sharedColumns(tripCopies),
          shuttleId: NO_SHUTTLE(),
          passengers: sql<TripCopyRow['passengers'] | null>`${tripCopies.passengers}`.as('passengers'),
          stops: sql<TripCopyRow['stops'] | null>`${tripCopies.stops}`.as('stops'),
        })
        .from(tripCopies)
        .where(and(...copyFilters, afterCopy));
      const rows = await own.unionAll(copies).orderBy(sql`departure_at`, sql`id`).limit(limit);
      return rows.map(({ passengers, stops, ...trip }) =>
        passengers == null ? trip : { ...trip, passengers, stops: stops ?? [] },
      );
    },
    async () => {
      const [[own], [copied]] = await Promise.all([
        db
          .select({ n: count() })
          .from(trips)
          .where(and(...ownFilters)),
        db
          .select({ n: count() })
          .from(tripCopies)
          .where(and(...copyFilters)),
      ]);
      return (own?.n ?? 0) + (copied?.n ?? 0);
    },
  );
}

/**
 * Per worker id, the most recent (by departure, then id) trip not cancelled whose manifest names
 * him, among this province's own trips and the relayed copies of trips leaving from this province
 * (`province`; a copy kept for its destination or a stop only counts, it is not served here): ONE
 * statement (a UNION ALL of the manifests and the copies' relayed manifests, `DISTINCT ON` the
 * worker).
 */
export async function tripsCarrying(
  db: Executor,
  province: string,
  workerIds: readonly string[],
): Promise<Map<string, ServedTrip>> {
  if (workerIds.length === 0) return new Map();
  const ids = sql`${sql.param([...workerIds])}::text[]`;
  const own = db
    .select({
      workerId: sql<string>`${tripPassengers.workerId}`.as('worker_id'),
      ...sharedColumns(trips),
      shuttleId: trips.shuttleId,
      passengers: sql<TripCopyRow['passengers'] | null>`NULL::jsonb`.as('passengers'),
      stops: sql<TripCopyRow['stops'] | null>`NULL::jsonb`.as('stops'),
    })
    .from(tripPassengers)
    .innerJoin(trips, eq(trips.id, tripPassengers.tripId))
    .where(and(sql`${tripPassengers.workerId} = ANY(${ids})`, ne(trips.status, 'CANCELLED')));
  const copied = db
    .select({
      workerId: sql<string>`p->>'workerId'`.as('worker_id'),
      ...sharedColumns(tripCopies),
      shuttleId: NO_SHUTTLE(),
      passengers: sql<TripCopyRow['passengers'] | null>`${tripCopies.passengers}`.as('passengers'),
      stops: sql<TripCopyRow['stops'] | null>`${tripCopies.stops}`.as('stops'),
    })
    .from(tripCopies)
    .innerJoin(sql`jsonb_array_elements(${tripCopies.passengers}) AS p`, sql`true`)
    .where(
      and(
        sql`p->>'workerId' = ANY(${ids})`,
        ne(tripCopies.status, 'CANCELLED'),
        sql`${tripCopies.origin} LIKE ${`${province.slice(0, 2)}%`}`,
      ),
    );
  const carrying = own.unionAll(copied).as('carrying');
  const rows = await db
    .selectDistinctOn([carrying.workerId])
    .from(carrying)
    .orderBy(carrying.workerId, desc(carrying.departureAt), desc(carrying.id));
  return new Map(
    rows.map(({ workerId, passengers, stops, ...trip }) => [
      workerId,
      passengers == null ? trip : { ...trip, passengers, stops: stops ?? [] },
    ]),
  );
}
