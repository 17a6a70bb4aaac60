import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { statDaily, statDelta, statTotal } from '../db/schema/index.js';
import { startBackgroundTask } from '../background-task.js';
import { rowsOf } from '../db/sql-rows.js';

/** What one fold did. */
export interface FoldResult {
  /** Delta rows folded (and deleted). */
  deltas: number;
  /** `stat_total` rows written. */
  totals: number;
  /** `stat_daily` rows written. */
  snapshots: number;
  /** False when another process held the fold lock: nothing was done. */
  locked: boolean;
}

/** The advisory lock that lets one fold at a time run on a database (several processes may share it). */
export const FOLD_LOCK = 4_502_021;

/** Options of {@link foldDeltas}. */
export interface FoldOptions {
  /** Most delta rows one fold takes (oldest first). @default 50_000 */
  maxDeltas?: number;
}

/**
 * Folds the committed deltas (at most `maxDeltas`, oldest first) into the counters, in ONE
 * transaction under an advisory lock (a second folder skips instead of waiting):
 * - deletes them and sums them per (part, region, metric) into `stat_total`;
 * - updates the daily snapshots: for each day D a counter changed on, the row (counter, D) gets
 *   the value at the end of D (the latest earlier snapshot + the deltas up to D), and snapshots
 *   after the first changed day are raised by the deltas before them — a transaction that began
 *   before midnight and committed after is folded into the right day even after later days.
 * Writers never wait: they only append deltas, which the fold deletes by id. Readers use one
 * statement, which sees the fold entirely or not at all. The statement never joins two of its
 * intermediate results (whose sizes the planner can only guess): running sums come from one
 * window over the changes, and existing snapshots from one index probe per changed counter, so its
 * cost stays linear in the number of changed counters whatever plan is chosen; the deltas to fold
 * are those up to an id cutoff computed once (deltas of transactions still running are not
 * visible, stay, and are folded next time).
 */
export async function foldDeltas(db: Db, options: FoldOptions = {}): Promise<FoldResult> {
  const maxDeltas = options.maxDeltas ?? 50_000;
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ locked: boolean }>(
      await tx.execute(sql`SELECT pg_try_advisory_xact_lock(${FOLD_LOCK}) AS locked`),
    );
    if (!lock?.locked) return { deltas: 0, totals: 0, snapshots: 0, locked: false };
    const [row] = rowsOf<{ deltas: number; totals: number; snapshots: number }>(
      await tx.execute(sql`
      WITH folded AS (
        DELETE FROM ${statDelta}
        WHERE id <= (SELECT max(id) FROM (SELECT id FROM ${statDelta} ORDER BY id LIMIT ${maxDeltas}) AS oldest)
        RETURNING part, region, metric, day, delta
      ),
      batch AS (SELECT part, region, metric, day, sum(delta)::bigint AS delta FROM folded GROUP BY 1, 2, 3, 4),
      totals AS (
        INSERT INTO ${statTotal} AS t (part, region, metric, value)
        SELECT part, region, metric, sum(delta)::bigint FROM batch GROUP BY 1, 2, 3
        ON CONFLICT (part, region, metric) DO UPDATE SET value = t.value + excluded.value
        RETURNING 1
      ),
      first_days AS (SELECT part, region, metric, min(day) AS day FROM batch GROUP BY 1, 2, 3),
      later AS (
        SELECT f.part, f.region, f.metric, s.day, 0::bigint AS delta
        FROM first_days AS f
        CROSS JOIN LATERAL (
          SELECT p.day FROM ${statDaily} AS p WHERE p.part = f.part AND p.region = f.region AND p.metric = f.metric AND p.day > f.day OFFSET 0
        ) AS s
      ),
      raised AS (
        SELECT part, region, metric, day, max(added)::bigint AS added
        FROM (
          SELECT part, region, metric, day,
            sum(delta) OVER (PARTITION BY part, region, metric ORDER BY day RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS added
          FROM (SELECT part, region, metric, day, delta FROM batch UNION ALL SELECT part, region, metric, day, delta FROM later) AS changes
        ) AS running
        GROUP BY 1, 2, 3, 4
      ),
      snapshots AS (
        INSERT INTO ${statDaily} AS s (part, region, metric, day, value)
        SELECT x.part, x.region, x.metric, x.day, x.added + coalesce((
          SELECT p.value FROM ${statDaily} AS p
          WHERE p.part = x.part AND p.region = x.region AND p.metric = x.metric AND p.day <= x.day
          ORDER BY p.day DESC LIMIT 1), 0)
        FROM raised AS x
        ON CONFLICT (part, region, metric, day) DO UPDATE SET value = excluded.value
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM folded)::int AS deltas, (SELECT count(*) FROM totals)::int AS totals,
        (SELECT count(*) FROM snapshots)::int AS snapshots`),
    );
    return {
      deltas: Number(row?.deltas ?? 0),
      totals: Number(row?.totals ?? 0),
      snapshots: Number(row?.snapshots ?? 0),
      locked: true,
    };
  });
}

/**
 * Whether any delta is committed: one read, no transaction. The folder asks this first, so an idle
 * province costs one trivial statement per interval instead of a transaction of four (31 idle
 * provinces folded 30 times a second: a third of all the statements of the subscriptions bench).
 */
export async function deltasPending(db: Db): Promise<boolean> {
  const [row] = rowsOf<{ pending: boolean }>(
    await db.execute(sql`SELECT EXISTS (SELECT 1 FROM ${statDelta}) AS pending`),
  );
  return row?.pending === true;
}

/** What a fold that found nothing to do reports. */
const NOTHING_FOLDED: FoldResult = { deltas: 0, totals: 0, snapshots: 0, locked: true };

/** Options of {@link startStatisticsFolder}. */
export interface StatisticsFolderOptions extends FoldOptions {
  /** Pause between folds when the last one left nothing behind. @default 1_000 */
  intervalMs?: number;
  log?: Logger;
}

/** A background task folding deltas until stopped. */
export interface StatisticsFolder {
  /** Folds now (waiting for a running fold first); what the background task does every interval. Works after `stop()` too. */
  foldNow(): Promise<FoldResult>;
  /** Stops the background task and waits for a running fold. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts folding the deltas of `db` every `intervalMs` when there are any ({@link deltasPending}),
 * and again at once while a fold comes back full (`maxDeltas`), so a burst of writes is caught up
 * without waiting. Failures (database down) are logged and retried at the next interval. The timer
 * does not keep the process alive.
 */
export function startStatisticsFolder(db: Db, options: StatisticsFolderOptions = {}): StatisticsFolder {
  const intervalMs = options.intervalMs ?? 1_000;
  const maxDeltas = options.maxDeltas ?? 50_000;
  const task = startBackgroundTask({
    run: async () => ((await deltasPending(db)) ? foldDeltas(db, { maxDeltas }) : NOTHING_FOLDED),
    firstDelayMs: intervalMs,
    nextDelayMs: (result) => (result.deltas >= maxDeltas ? 0 : intervalMs),
    failureDelayMs: intervalMs,
    onResult: (result) => {
      if (result.deltas > 0) options.log?.debug(result, 'statistics deltas folded');
    },
    onFailure: (err) =>
      options.log?.warn({ err: { message: err.message } }, 'statistics fold failed; retrying'),
  });
  return { foldNow: task.runNow, stop: task.stop };
}
