import { provinceOf } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { loaderFor, type ProvinceContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { statDaily, statDelta, statTotal } from '../db/schema/index.js';
import { rowsOf } from '../db/sql-rows.js';
import type { FigureRequest } from './figures.js';
import { CORRIDOR_METRIC_PREFIX, Figures, TRIP_QUANTITIES, type TripQuantity } from './metrics.js';
import type { SummaryScope } from './scope.js';
import type { MovedCount, TransportStats } from './transport.js';

/** `Corridor` of the contract: the trips from one province to another. */
export interface Corridor {
  /** `<origin province code>-<destination province code>`, e.g. `410000-110000`. */
  key: string;
  origin: { code: string };
  destination: { code: string };
  trips: number;
  passengers: number;
  moved: MovedCount;
}

/** `TransportStats` with its corridors, as a client reads it (the recount of the tests computes it). */
export interface TransportStatsWithCorridors extends TransportStats {
  corridors: Corridor[];
}

/**
 * Reads the corridor counters (migration 0014, `corridor.<o>.<d>.<quantity>`) of many (key, day)
 * requests in ONE statement. The corridor counters a key has are those in its `stat_total` rows
 * plus those of its unfolded deltas (a counter's daily snapshots only exist once it is folded
 * into its total); per request and counter the value is then read like {@link readFigures}: one
 * folded row (total, or the latest snapshot on or before the day) plus the unfolded deltas. The
 * cost is bounded by the corridors touching the key (at most 31 × 30 pairs × 4 quantities),
 * whatever the number of trips.
 * @returns one {@link Figures} per request, in request order, holding only corridor counters.
 */
export async function readCorridorFigures(
  db: Executor,
  requests: readonly FigureRequest[],
): Promise<Figures[]> {
  if (requests.length === 0) return [];
  const like = `${CORRIDOR_METRIC_PREFIX}%`;
  const result = await db.execute(sql`
    SELECT r.n::int AS n, m.metric,
      (coalesce(CASE WHEN r.day IS NULL
          THEN (SELECT t.value FROM ${statTotal} AS t WHERE t.part = 'transport' AND t.region = r.region AND t.metric = m.metric)
          ELSE (SELECT s.value FROM ${statDaily} AS s WHERE s.part = 'transport' AND s.region = r.region AND s.metric = m.metric AND s.day <= r.day
                ORDER BY s.day DESC LIMIT 1)
        END, 0)
      + coalesce((SELECT sum(d.delta) FROM ${statDelta} AS d
          WHERE d.part = 'transport' AND d.region = r.region AND d.metric = m.metric AND (r.day IS NULL OR d.day <= r.day)), 0))::float8 AS value
    FROM unnest(${sql.param(requests.map((r) => r.region))}::text[], ${sql.param(requests.map((r) => r.asOf))}::date[]) WITH ORDINALITY AS r(region, day, n)
    CROSS JOIN LATERAL (
      SELECT t.metric FROM ${statTotal} AS t WHERE t.part = 'transport' AND t.region = r.region AND t.metric LIKE ${like}
      UNION
      SELECT d.metric FROM ${statDelta} AS d WHERE d.part = 'transport' AND d.region = r.region AND d.metric LIKE ${like}
    ) AS m`);
  const values = requests.map(() => new Map<string, number>());
  for (const row of rowsOf<{ n: number; metric: string; value: number }>(result)) {
    values[Number(row.n) - 1]!.set(row.metric, Number(row.value));
  }
  return values.map((v) => new Figures(v));
}

/**
 * The corridors of the figures read by {@link readCorridorFigures}: one per (origin province,
 * destination province) with at least one trip not cancelled, in key order.
 */
export function corridorsFrom(figures: Figures): Corridor[] {
  const pairs = new Map<string, Corridor>();
  for (const [metric, value] of figures.entries()) {
    const match = /^corridor\.(\d{2})\.(\d{2})\.(\w+)$/.exec(metric);
    if (!match || !TRIP_QUANTITIES.includes(match[3] as TripQuantity)) continue;
    const [, o, d, quantity] = match as unknown as [string, string, string, TripQuantity];
    const key = `${provinceOf(o)}-${provinceOf(d)}`;
    let corridor = pairs.get(key);
    if (!corridor) {
      corridor = {
        key,
        origin: { code: provinceOf(o) },
        destination: { code: provinceOf(d) },
        trips: 0,
        passengers: 0,
        moved: { trips: 0, passengers: 0 },
      };
      pairs.set(key, corridor);
    }
    if (quantity === 'movedTrips') corridor.moved.trips = value;
    else if (quantity === 'movedPassengers') corridor.moved.passengers = value;
    else corridor[quantity] = value;
  }
  return [...pairs.values()]
    .filter((c) => c.trips > 0)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * This province's corridors touching the scope, as of the scope's day, from the counters; batched
 * per request like the part figures (a `dailySeries` reads them in one statement).
 */
export async function corridors(ctx: ProvinceContext, scope: SummaryScope): Promise<Corridor[]> {
  const loader = loaderFor<Figures>(ctx, 'summary:corridors', (keys) =>
    readCorridorFigures(
      ctx.db,
      keys.map((key) => {
        const [region, asOf] = key.split('|') as [string, string];
        return { region, asOf: asOf === '' ? null : asOf };
      }),
    ),
  );
  return corridorsFrom(await loader.load(`${scope.prefix}|${scope.asOf ?? ''}`));
}
