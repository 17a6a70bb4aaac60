import { sql } from 'drizzle-orm';
import { loaderFor, type ProvinceContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { statDaily, statDelta, statTotal, type StatisticsPart } from '../db/schema/index.js';
import { rowsOf } from '../db/sql-rows.js';
import { Figures, PART_METRICS } from './metrics.js';
import type { SummaryScope } from './scope.js';

/** One set of figures to read: a counter key as of a day. */
export interface FigureRequest {
  /** The counter key (a scope's region-code prefix, '' for the nation). */
  region: string;
  /** The end of this day (YYYY-MM-DD, China Standard Time); null for the live figures. */
  asOf: string | null;
}

/**
 * Reads the counters of `part` for many (key, day) requests in ONE statement, so that a whole
 * `dailySeries` costs one round trip per part. Per request and counter it reads one folded row —
 * `stat_total` for the live figures, the latest `stat_daily` snapshot on or before the day
 * otherwise — plus the unfolded deltas of that key (up to that day). Every lookup is an index
 * probe: the cost is requests × counters, whatever the number of records. One statement also
 * means one snapshot, so a concurrent fold (which moves deltas into the folded rows atomically)
 * is never seen half done.
 * @returns one {@link Figures} per request, in request order.
 */
export async function readFigures(
  db: Executor,
  part: StatisticsPart,
  requests: readonly FigureRequest[],
): Promise<Figures[]> {
  if (requests.length === 0) return [];
  const metrics = PART_METRICS[part];
  const result = await db.execute(sql`
    SELECT r.n::int AS n, m.metric,
      (coalesce(CASE WHEN r.day IS NULL
          THEN (SELECT t.value FROM ${statTotal} AS t WHERE t.part = ${part} AND t.region = r.region AND t.metric = m.metric)
          ELSE (SELECT s.value FROM ${statDaily} AS s WHERE s.part = ${part} AND s.region = r.region AND s.metric = m.metric AND s.day <= r.day
                ORDER BY s.day DESC LIMIT 1)
        END, 0)
      + coalesce((SELECT sum(d.delta) FROM ${statDelta} AS d
          WHERE d.part = ${part} AND d.region = r.region AND d.metric = m.metric AND (r.day IS NULL OR d.day <= r.day)), 0))::float8 AS value
    FROM unnest(${sql.param(requests.map((r) => r.region))}::text[], ${sql.param(requests.map((r) => r.asOf))}::date[]) WITH ORDINALITY AS r(region, day, n)
    CROSS JOIN unnest(${sql.param([...metrics])}::text[]) AS m(metric)`);
  const values = requests.map(() => new Map<string, number>());
  for (const row of rowsOf<{ n: number; metric: string; value: number }>(result)) {
    values[Number(row.n) - 1]!.set(row.metric, Number(row.value));
  }
  return values.map((v) => new Figures(v));
}

/**
 * The figures of `part` for a summary scope, batched per request: every Summary entity of one
 * `_entities` call (a `dailySeries` sends one per day) is read by the same statement.
 */
export function partFigures(
  ctx: ProvinceContext,
  part: StatisticsPart,
  scope: SummaryScope,
): Promise<Figures> {
  const loader = loaderFor<Figures>(ctx, `summary:${part}`, (keys) =>
    readFigures(
      ctx.db,
      part,
      keys.map((key) => {
        const [region, asOf] = key.split('|') as [string, string];
        return { region, asOf: asOf === '' ? null : asOf };
      }),
    ),
  );
  return loader.load(`${scope.prefix}|${scope.asOf ?? ''}`);
}
