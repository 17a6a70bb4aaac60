/**
 * Loads one province's generated data straight into its real Postgres database (after the
 * province service has run its migrations): workers, trips with their manifests, enterprises and
 * return requests, thousands of rows per statement, then VACUUM ANALYZE so the planner knows the
 * sizes and autovacuum has nothing left to do during the measurements.
 * The province's statistics counters stay consistent by themselves: its statement triggers append
 * the deltas of every INSERT (the run checks the summaries against the loaded counts).
 * No outbox events are written: the load is history imported in bulk, not changes that happened.
 */
import pg from 'pg';
import { tables } from '@p2p/province';
import { generateProvince } from './population.js';
import { generateEmployment } from './employment-data.js';
import { insertRows, type SqlRunner } from './table-insert.js';

/** What to load into one province. */
export interface ProvinceLoad {
  province: string;
  /** `postgres://…/<the province's database>` */
  databaseUrl: string;
  /** Workers whose home is in the province. */
  workers: number;
  /**
   * Enterprises located in the province.
   * @default workers / 100
   */
  enterprises?: number;
  /**
   * Return requests filed by those enterprises.
   * @default workers / 20
   */
  returnRequests?: number;
  /** Every province of the run with its worker count (return requests name their workers). */
  homes: readonly { province: string; workers: number }[];
}

/** What was loaded, and how long it took. */
export interface LoadResult {
  province: string;
  rows: Record<string, number>;
  /** Trips that count in the statistics (all but CANCELLED). */
  countedTrips: number;
  seconds: number;
  /** Seconds spent inserting into each table (generation excluded). */
  secondsByTable: Record<string, number>;
}

/**
 * Tables this loader fills, knowingly leaves empty, or leaves to the province's triggers (the
 * `stat_` counters); any other table is reported.
 */
const KNOWN_TABLES = new Set([
  'workers',
  'trips',
  'trip_passengers',
  'enterprises',
  'return_requests',
  'outbox',
  'idempotency_keys',
  'stat_delta',
  'stat_total',
  'stat_daily',
]);

/**
 * Tables of the province schema this loader does not know (e.g. counters added after it was
 * written): their content may not match the loaded rows, so the run says so.
 */
export async function unknownTables(db: SqlRunner): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  return rows.map((r) => r.name).filter((name) => !KNOWN_TABLES.has(name) && !name.startsWith('__'));
}

/**
 * Rows per INSERT. Each statement also runs the province's statistics trigger once, whose cost
 * grows with the distinct regions touched rather than with the rows, so big statements load
 * faster (measured: see BENCHMARKS.md).
 */
export const ROWS_PER_STATEMENT = 20_000;

/** Loads one province; the database must be empty and migrated. */
export async function loadProvince(load: ProvinceLoad): Promise<LoadResult> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: load.databaseUrl });
  await client.connect();
  const rows: Record<string, number> = {
    workers: 0,
    trips: 0,
    trip_passengers: 0,
    enterprises: 0,
    return_requests: 0,
  };
  let countedTrips = 0;
  const secondsByTable: Record<string, number> = {};
  const timed = async (table: string, insert: Promise<number>) => {
    const t = performance.now();
    const n = await insert;
    secondsByTable[table] = (secondsByTable[table] ?? 0) + (performance.now() - t) / 1000;
    return n;
  };
  try {
    // Each statement is its own transaction; losing the last ones in a crash only loses benchmark data.
    await client.query('SET synchronous_commit = off');
    // The next chunk is generated (CPU here) while Postgres inserts the previous one.
    let inserting: Promise<void> = Promise.resolve();
    for (const chunk of generateProvince({
      province: load.province,
      workers: load.workers,
      chunkSize: ROWS_PER_STATEMENT,
    })) {
      await inserting;
      inserting = (async () => {
        rows.workers! += await timed(
          'workers',
          insertRows(client, tables.workers, chunk.workers, { rowsPerStatement: ROWS_PER_STATEMENT }),
        );
        rows.trips! += await timed('trips', insertRows(client, tables.trips, chunk.trips));
        countedTrips += chunk.trips.filter((t) => t.status !== 'CANCELLED').length;
        rows.trip_passengers! += await timed(
          'trip_passengers',
          insertRows(client, tables.tripPassengers, chunk.passengers, {
            rowsPerStatement: ROWS_PER_STATEMENT,
          }),
        );
      })();
    }
    await inserting;
    const employment = generateEmployment({
      province: load.province,
      enterprises: load.enterprises ?? Math.max(1, Math.floor(load.workers / 100)),
      returnRequests: load.returnRequests ?? Math.floor(load.workers / 20),
      homes: load.homes,
    });
    for (const chunk of employment) {
      rows.enterprises! += await timed(
        'enterprises',
        insertRows(client, tables.enterprises, chunk.enterprises),
      );
      rows.return_requests! += await timed(
        'return_requests',
        insertRows(client, tables.returnRequests, chunk.returnRequests, {
          rowsPerStatement: ROWS_PER_STATEMENT,
        }),
      );
    }
    // VACUUM too, so autovacuum does not wake up on the fresh rows in the middle of a measurement.
    await timed(
      'VACUUM ANALYZE',
      client.query('VACUUM (ANALYZE)').then(() => 0),
    );
  } finally {
    await client.end();
  }
  return {
    province: load.province,
    rows,
    countedTrips,
    seconds: (performance.now() - started) / 1000,
    secondsByTable,
  };
}

/** Options of {@link waitForFold}. */
export interface FoldWaitOptions {
  /** Give up after this long. @default 300_000 */
  maxWaitMs?: number;
  /** Done once at most this many deltas are left unfolded (the benchmarks' background writes keep a few coming). @default 999 */
  deltasLeft?: number;
  /** @default 1_000 */
  pollMs?: number;
}

/**
 * Waits until each province has folded the statistics deltas its triggers appended during the
 * load (its background fold takes them 50,000 at a time): measuring while a province still folds
 * a million deltas would measure the fold.
 * @returns seconds waited
 */
export async function waitForFold(
  databaseUrls: readonly string[],
  options: FoldWaitOptions = {},
): Promise<number> {
  const { maxWaitMs = 300_000, deltasLeft = 999, pollMs = 1_000 } = options;
  const started = performance.now();
  for (const url of databaseUrls) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      while (performance.now() - started < maxWaitMs) {
        const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM stat_delta');
        if (Number(rows[0]!.n) <= deltasLeft) break;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    } finally {
      await client.end();
    }
  }
  return (performance.now() - started) / 1000;
}

/**
 * Loads several provinces, `concurrency` at a time (each load keeps one Postgres backend and the
 * generator busy: more than the cores only interleaves them).
 * @default concurrency 2
 */
export async function loadProvinces(
  loads: readonly ProvinceLoad[],
  concurrency = 2,
  onLoaded?: (result: LoadResult) => void,
): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, loads.length) }, async () => {
      while (next < loads.length) {
        const result = await loadProvince(loads[next++]!);
        results.push(result);
        onLoaded?.(result);
      }
    }),
  );
  return results.sort((a, b) => a.province.localeCompare(b.province));
}
