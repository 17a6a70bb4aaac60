/**
 * Relayed copies of trips organised by another province whose origin lies in this one
 * (`trip_copies`, kept by `relay/trip-copy-facts.ts`): DESIGN.md, "a trip organised outside its
 * origin's province is owned by the organiser; the origin's province keeps a relayed index entry
 * so `trips(origin:)` and `ReturnRequest.trip` still route to one place and find it". A copy is
 * served like an own trip (its manifest from the relayed jsonb) and never counted in this
 * province's statistics (its own table, without counter triggers).
 */
import { decodeCursor, provinceOf } from '@p2p/schema';
import { and, count, getTableColumns, ne, sql } from 'drizzle-orm';
import type { Executor } from '../db/database.js';
import { tripCopies, trips, type TripCopyRow, type TripRow } from '../db/schema/index.js';
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

/** The columns both tables share, in one order, for the UNION ALL. */
function sharedColumns(table: typeof trips | typeof tripCopies) {
  const { passengers: _, ...columns } = getTableColumns(tripCopies);
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
          passengers: sql<TripCopyRow['passengers'] | null>`NULL::jsonb`.as('passengers'),
        })
        .from(trips)
        .where(and(...ownFilters, afterOwn));
      const copies = db
        .select({
          ...sharedColumns(tripCopies),
          passengers: sql<TripCopyRow['passengers'] | null>`${tripCopies.passengers}`.as('passengers'),
        })
        .from(tripCopies)
        .where(and(...copyFilters, afterCopy));
      const rows = await own.unionAll(copies).orderBy(sql`departure_at`, sql`id`).limit(limit);
      return rows.map(({ passengers, ...trip }) => (passengers == null ? trip : { ...trip, passengers }));
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
 * Per worker id, the copies not cancelled whose relayed manifest names him (one statement), most
 * recent departure first.
 */
export async function copiesCarrying(
  db: Executor,
  workerIds: readonly string[],
): Promise<Map<string, TripCopyRow[]>> {
  const byWorker = new Map<string, TripCopyRow[]>();
  if (workerIds.length === 0) return byWorker;
  const wanted = new Set(workerIds);
  const rows = await db
    .select()
    .from(tripCopies)
    .where(
      and(
        ne(tripCopies.status, 'CANCELLED'),
        sql`EXISTS (SELECT 1 FROM jsonb_array_elements(${tripCopies.passengers}) AS p WHERE p->>'workerId' = ANY(${sql.param([...wanted])}::text[]))`,
      ),
    )
    .orderBy(sql`${tripCopies.departureAt} DESC`, sql`${tripCopies.id} DESC`);
  for (const copy of rows)
    for (const { workerId } of copy.passengers)
      if (wanted.has(workerId)) byWorker.set(workerId, [...(byWorker.get(workerId) ?? []), copy]);
  return byWorker;
}

/** The later of two trips by (departureAt, id), the keyset order; either may be missing. */
export function laterTrip<T extends ServedTrip>(a: T | null | undefined, b: T | null | undefined): T | null {
  if (!a) return b ?? null;
  if (!b) return a;
  const at = a.departureAt.getTime() - b.departureAt.getTime();
  return at > 0 || (at === 0 && a.id > b.id) ? a : b;
}
