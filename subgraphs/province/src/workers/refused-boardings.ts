/**
 * `refusedBoardings(homeRegion)`: the home side's list for follow-up of its workers a boarding
 * gate left behind, whichever province organised the trip (its record of the trip, `worker_trips`,
 * told by the organiser's TRIP fact: `relay/trip-facts.ts`). Every refusal is listed, ABSENT
 * included (the trip left without him; the reason says why). Keyset order: the refusal's time (the
 * trip's departure), then the id `${tripId}:${workerId}` in byte order.
 */
import { assertInstant, badInput, regionPrefix, type BoardingRefusalReason, type Keyset } from '@p2p/schema';
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/database.js';
import { rowsOf } from '../db/sql-rows.js';
import { entityRef } from '../graphql/references.js';
import { keysetPage, type Connection, type KeysetOrder, type PageArgs } from '../pagination.js';

/** A `RefusedBoarding` as resolved. */
export interface RefusedBoarding {
  id: string;
  worker: { __typename: 'Worker'; id: string };
  trip: { __typename: 'Trip'; id: string };
  reason: BoardingRefusalReason;
  refusedAt: Date;
}

/** A row of the page's statement. */
interface Row {
  id: string;
  worker_id: string;
  trip_id: string;
  refusal: BoardingRefusalReason;
  refused_ms: number | string;
}

const ID = sql.raw(`(t."trip_id" || ':' || t."worker_id") COLLATE "C"`);

const ORDER: KeysetOrder<RefusedBoarding> = {
  keyOf: (r) => r.refusedAt.toISOString(),
  after: (a: Keyset): SQL => {
    let at: Date;
    try {
      at = assertInstant(a.k);
    } catch {
      throw badInput('after: not a cursor returned by this connection', 'after');
    }
    return sql`(t."refused_at", ${ID}) > (${at.toISOString()}::timestamptz, ${a.id})`;
  },
  columns: [],
};

/** The page (see the module comment); one statement, one COUNT when `totalCount` is read. */
export function refusedBoardingPage(
  db: Executor,
  args: PageArgs & { homeRegion: string },
): Promise<Connection<RefusedBoarding>> {
  const where = sql`t."refusal" IS NOT NULL AND t."refused_at" IS NOT NULL
    AND w."home_region" LIKE ${`${regionPrefix(args.homeRegion)}%`}`;
  const from = sql`"worker_trips" AS t JOIN "workers" AS w ON w."id" = t."worker_id"`;
  return keysetPage<RefusedBoarding>(
    args,
    ORDER,
    async (after, limit) => {
      const rows = rowsOf<Row>(
        await db.execute(sql`SELECT ${ID} AS id, t."worker_id", t."trip_id", t."refusal",
            (extract(epoch FROM t."refused_at") * 1000)::float8 AS refused_ms
          FROM ${from} WHERE ${where} ${after ? sql`AND ${after}` : sql``}
          ORDER BY t."refused_at", ${ID} LIMIT ${limit}`),
      );
      return rows.map((r) => ({
        id: r.id,
        worker: entityRef('Worker', r.worker_id),
        trip: entityRef('Trip', r.trip_id),
        reason: r.refusal,
        refusedAt: new Date(Number(r.refused_ms)),
      }));
    },
    async () =>
      Number(
        rowsOf<{ n: number | string }>(
          await db.execute(sql`SELECT count(*) AS n FROM ${from} WHERE ${where}`),
        )[0]?.n ?? 0,
      ),
  );
}
