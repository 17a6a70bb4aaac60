/**
 * Benchmark (not a test): latency of the national `summary` through the gateway with a small and
 * a large number of workers per province, on real PostgreSQL, to show that statistics cost O(1)
 * in data size (the ratio of the two should stay near 1).
 *
 *   node --conditions=source --import tsx scripts/src/bench/summary.ts \
 *     [--provinces 5] [--small 10000] [--large 1000000] [--requests 500] [--warmup 200] [--database postgres://…] \
 *     [--children 1] [--pool 2] [--grow 1] [--count 0]
 *
 * With `--children 1` the request is the ministry dashboard's: ONE `summary { children { … } }`
 * of the nation (the 31 provinces, every part), checked by summing the children's workers; after
 * the timing, the statements each province sent for a number of such requests are counted from its
 * statement log (one `readFigures` statement per part and request expected, whatever the number
 * of children or workers). `--pool` sets the provinces' DATABASE_POOL_SIZE (31 provinces × 2
 * federations must stay under the server's max_connections; each province also holds one LISTEN
 * connection). `--grow 1` uses one federation, measured at `small`, grown to `large`, measured again.
 *
 * Real processes (harness): TWO federations side by side (national, one province per code on its
 * own fresh database, the gateway), one loaded with `small` and one with `large` workers per
 * province; their requests are interleaved so that whatever else the machine does weighs on both
 * alike. Besides latency, the run reports the table blocks each request touched in the province
 * databases (`pg_statio_user_tables`), a measure of work that the machine's load does not blur,
 * and the sequential scans of record tables during the measurement (none expected). Read as the
 * ministry. Records are generated inside Postgres (`INSERT … SELECT FROM
 * generate_series`, 100,000 rows per statement) straight into the province tables: workers over
 * every township of the province (a third of them at work, a fifth registered-poor), one trip per
 * 100 workers (every status, 20 passengers each, the non-boarded refused or absent, some fevers
 * at arrival), one enterprise and one observation (active, released or transferred) per 100
 * workers, one worker in 97 under observation at home. The
 * province's statement triggers add the matching counter deltas (one aggregated INSERT per
 * statement); the run waits until the province has folded them, ANALYZEs, then measures.
 */
import pg from 'pg';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { graphqlData, isMainModule } from '@p2p/runtime';
import { databaseUrlFor } from '../harness/province-storage.js';
import { formatMs, LatencyRecorder, type LatencySummary } from './latency.js';
import { townshipsIn } from './geography.js';
import { waitForFold } from './load-province.js';
import { describeMachine, machineLines } from './machine.js';
import { childRegionCodes } from '@p2p/schema';
import { countStatements, ProvinceStatementLog } from './statement-count.js';

/** Options of a run (command-line flags of the same names). */
export interface SummaryBenchOptions {
  /** How many provinces (Beijing, Hebei, Guangdong, Guangxi, Sichuan, …). @default 5 */
  provinces: number;
  /** Workers per province of the small federation. @default 10_000 */
  small: number;
  /** Workers per province of the large federation. @default 1_000_000 */
  large: number;
  /** Timed requests per federation. @default 500 */
  requests: number;
  /** Untimed requests per federation first (the gateways' JIT and the caches warm up). @default 200 */
  warmup: number;
  /** A PostgreSQL server URL; one database per province is created on it and dropped at the end. @default DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres */
  database: string;
  /** 1: time the nation's `summary { children }` (Summary.children, #15) instead of the nation's summary. @default 0 */
  children: number;
  /** The provinces' DATABASE_POOL_SIZE; 0: their default. @default 0 */
  pool: number;
  /**
   * 1: ONE federation, measured with `small` workers per province, then grown to `large` and
   * measured again (not interleaved): for 31 provinces, whose two federations would need more
   * connections than the server allows. @default 0
   */
  grow: number;
  /** With `children`, 0 skips counting statements (it restarts every province twice). @default 1 */
  count: number;
}

const FIRST_PROVINCES = ['110000', '130000', '440000', '450000', '510000', '410000', '320000', '420000'];
/** Beijing, Hebei, Guangdong, Guangxi, Sichuan, Henan, Jiangsu, Hubei, then the other 23 in code order. */
const PROVINCE_CODES = [
  ...FIRST_PROVINCES,
  ...[...childRegionCodes(null)].sort().filter((code) => !FIRST_PROVINCES.includes(code)),
];
const BATCH = 100_000;
const NATIONAL = `query { summary { scope
  workers { registered atHome travelling atWork underObservation priority flow { withinTownship withinCounty withinCity withinProvince crossProvince } }
  transport { outbound { trips passengers moved { trips passengers } } inbound { trips passengers moved { trips passengers } } internal { trips passengers moved { trips passengers } } byMode { mode trips passengers } }
  employment { enterprises keyEnterprises openings filled fillRate }
  health { boardingRefused { fever healthCode } feverAtArrival underObservation released } } }`;
/** The ministry dashboard's request: every province's figures in one request (Summary.children). */
const CHILDREN = `query { summary { children { scope region { code name }
  workers { registered atHome travelling atWork underObservation priority flow { withinTownship withinCounty withinCity withinProvince crossProvince } }
  transport { outbound { trips passengers moved { trips passengers } } inbound { trips passengers moved { trips passengers } } internal { trips passengers moved { trips passengers } } byMode { mode trips passengers } }
  employment { enterprises keyEnterprises openings filled fillRate }
  health { boardingRefused { fever healthCode } feverAtArrival underObservation released } } } }`;

/** Parses `--name value` flags over the defaults. */
export function parseOptions(argv: readonly string[]): SummaryBenchOptions {
  const options: SummaryBenchOptions = {
    provinces: 5,
    small: 10_000,
    large: 1_000_000,
    requests: 500,
    warmup: 200,
    database: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    children: 0,
    pool: 0,
    grow: 0,
    count: 1,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]!.replace(/^--/, '') as keyof SummaryBenchOptions;
    if (!(name in options) || argv[i + 1] === undefined)
      throw new Error(`unknown or valueless flag ${argv[i]}; flags: ${Object.keys(options).join(', ')}`);
    (options as unknown as Record<string, unknown>)[name] =
      name === 'database' ? argv[i + 1] : Number(argv[i + 1]);
  }
  if (options.provinces < 1 || options.provinces > PROVINCE_CODES.length)
    throw new Error(`--provinces: 1 to ${PROVINCE_CODES.length}`);
  return options;
}

/** Generates workers `from..to` (and their trips, manifests and enterprises) in one province database. */
async function loadRange(
  client: pg.Client,
  province: string,
  places: readonly string[],
  from: number,
  to: number,
): Promise<void> {
  const p2 = province.slice(0, 2);
  const homes = townshipsIn(province);
  const params = [homes, places, from, to, p2];
  await client.query(
    `INSERT INTO workers (id, name, id_number, phone, home_region, work_region, status, poverty_status)
    SELECT 'W' || $5 || '-b' || lpad(i::text, 21, '0'), '工人' || i, 'bench' || i, '13800000000', ($1::text[])[1 + i % cardinality($1::text[])],
      CASE WHEN i % 3 = 2 THEN ($2::text[])[1 + (i * 7) % cardinality($2::text[])] END,
      CASE WHEN i % 97 = 0 THEN 'OBSERVATION' ELSE (ARRAY['AT_HOME', 'TRAVELLING', 'AT_WORK'])[1 + i % 3] END, CASE WHEN i % 5 = 0 THEN 'REGISTERED_POOR' ELSE 'NONE' END
    FROM generate_series($3::int, $4::int) AS i`,
    params,
  );
  await client.query(
    `INSERT INTO trips (id, organizer, mode, vehicle_code, origin, destination, departure_at, expected_arrival_at, capacity, status)
    SELECT 'T' || $5 || '-b' || t, ($1::text[])[1 + t % cardinality($1::text[])], (ARRAY['BUS', 'TRAIN', 'FLIGHT'])[1 + t % 3], 'V' || t, ($1::text[])[1 + t % cardinality($1::text[])],
      ($2::text[])[1 + (t * 13) % cardinality($2::text[])], now(), now(), 40, (ARRAY['PLANNED', 'DEPARTED', 'ARRIVED', 'HANDED_OVER', 'CANCELLED'])[1 + t % 5]
    FROM generate_series(($3::int + 99) / 100, $4::int / 100) AS t WHERE t > 0`,
    params,
  );
  await client.query(
    `INSERT INTO trip_passengers (trip_id, worker_id, boarded, refusal, arrival_fever)
    SELECT 'T' || $3 || '-b' || ((i + 99) / 100), 'W' || $3 || '-b' || lpad(i::text, 21, '0'), i % 4 <> 0,
      CASE WHEN i % 4 = 0 THEN (ARRAY['FEVER', 'HEALTH_CODE', 'NO_HEALTH_RECORD', 'ABSENT'])[1 + (i / 4) % 4] END, i % 4 <> 0 AND i % 45 = 0
    FROM generate_series($1::int, $2::int) AS i WHERE i % 5 = 0 AND (i + 99) / 100 <= $2::int / 100`,
    [from, to, p2],
  );
  await client.query(
    `INSERT INTO enterprises (id, name, region, sector, key, openings, filled)
    SELECT 'E' || $4 || '-b' || e, '企业' || e, ($1::text[])[1 + e % cardinality($1::text[])], '制造业', e % 7 = 0, e % 50, (e % 50) / 2
    FROM generate_series(($2::int + 99) / 100, $3::int / 100) AS e WHERE e > 0`,
    [homes, from, to, p2],
  );
  await client.query(
    `INSERT INTO observations (id, worker_id, region, kind, site, reason, started_at, days, ended_at, outcome)
    SELECT 'O' || $4 || '-b' || o, 'W' || $4 || '-b' || lpad((o * 100)::text, 21, '0'), ($1::text[])[1 + o % cardinality($1::text[])],
      'CENTRALISED', '隔离酒店', 'ORDERED', now() - interval '3 days', 14,
      CASE WHEN o % 3 <> 0 THEN now() END, (ARRAY[NULL, 'RELEASED', 'TRANSFERRED_TO_HOSPITAL'])[1 + o % 3]
    FROM generate_series(($2::int + 99) / 100, $3::int / 100) AS o WHERE o > 0`,
    [homes, from, to, p2],
  );
}

/** Loads workers `from..to` into a province in 100,000-row statements, waits for the fold, VACUUM ANALYZEs (so that autovacuum does not run during the measurement). */
async function loadProvince(
  url: string,
  province: string,
  places: readonly string[],
  from: number,
  to: number,
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let start = from; start <= to; start += BATCH)
      await loadRange(client, province, places, start, Math.min(to, start + BATCH - 1));
    await waitForFold([url], { maxWaitMs: Infinity, deltasLeft: 0, pollMs: 200 });
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

/** Provinces loaded at the same time: each holds two connections while loading (31 at once would pass max_connections). */
const LOADING_AT_ONCE = 5;

/** Loads workers `from..to` into every province, {@link LOADING_AT_ONCE} at a time. */
async function loadProvinces(
  databases: Record<string, string>,
  provinces: readonly string[],
  places: readonly string[],
  from: number,
  to: number,
): Promise<void> {
  for (let i = 0; i < provinces.length; i += LOADING_AT_ONCE)
    await Promise.all(
      provinces.slice(i, i + LOADING_AT_ONCE).map((p) => loadProvince(databases[p]!, p, places, from, to)),
    );
}

/** One federation of the run, loaded with `workers` per province. */
interface LoadedHub {
  label: string;
  workers: number;
  federation: RunningFederation;
  /** The province databases, by province code. */
  databases: Record<string, string>;
  headers: Record<string, string>;
  provinces: readonly string[];
  /** The provinces' statement log (fed while counting, see {@link countStatements}). */
  statementLog: ProvinceStatementLog;
  /** Whether the request is the nation's `summary { children }`. */
  children: boolean;
}

/** Starts a federation on fresh databases and loads `workers` per province. */
async function startLoadedHub(
  options: SummaryBenchOptions,
  provinces: readonly string[],
  places: readonly string[],
  workers: number,
): Promise<LoadedHub> {
  const statementLog = new ProvinceStatementLog();
  const federation = await startFederation({
    provinces: [...provinces],
    databaseUrl: options.database,
    gatewayEnv: { RATE_LIMIT_PER_SECOND: '0' },
    ...(options.pool
      ? {
          provinceEnv: Object.fromEntries(
            provinces.map((p) => [p, { DATABASE_POOL_SIZE: String(options.pool) }]),
          ),
        }
      : {}),
    // Services log JSON lines; errors (pino level ≥ 50) are shown, the rest is kept quiet.
    onLog: (service, line) => {
      statementLog.onLine(service, line);
      if (/"level":\s*(5\d|60)/.test(line)) console.error(`[${service}] ${line.slice(0, 2000)}`);
    },
  });
  try {
    const databases = Object.fromEntries(
      provinces.map((p) => [
        p,
        databaseUrlFor(options.database, new URL(federation.provinceStorage[p]!).pathname.slice(1)),
      ]),
    );
    const started = performance.now();
    await loadProvinces(databases, provinces, places, 1, workers);
    console.log(
      `loaded ${workers.toLocaleString('en')} workers per province (${(workers * provinces.length).toLocaleString('en')} in all) in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    return {
      label: `${workers.toLocaleString('en')} workers/province`,
      workers: workers * provinces.length,
      federation,
      databases,
      headers: await federation.authorization('ministry'),
      provinces,
      statementLog,
      children: options.children === 1,
    };
  } catch (err) {
    await federation.close();
    throw err;
  }
}

/** Block accesses (read or hit: heap, index, TOAST) and sequential scans, summed over a hub's province databases. */
interface TableActivity {
  /** Blocks of the counter tables (stat_total, stat_daily, stat_delta): what a summary reads. */
  counterBlocks: number;
  /** Blocks of the record tables (workers, trips, trip_passengers, enterprises, observations). */
  recordBlocks: number;
  /** Sequential scans of the record tables. */
  recordScans: number;
}

const RECORD_TABLES = `('workers', 'trips', 'trip_passengers', 'enterprises', 'observations')`;

/** The cumulative table activity of a hub's province databases (statistics views). */
async function tableActivity(hub: LoadedHub): Promise<TableActivity> {
  const total: TableActivity = { counterBlocks: 0, recordBlocks: 0, recordScans: 0 };
  for (const url of Object.values(hub.databases)) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const blocks = `sum(heap_blks_read + heap_blks_hit + coalesce(idx_blks_read, 0) + coalesce(idx_blks_hit, 0) + coalesce(toast_blks_read, 0) + coalesce(toast_blks_hit, 0))`;
      const { rows } = await client.query<Record<keyof TableActivity, string | null>>(`SELECT
        (SELECT ${blocks} FROM pg_statio_user_tables WHERE relname LIKE 'stat\\_%') AS "counterBlocks",
        (SELECT ${blocks} FROM pg_statio_user_tables WHERE relname IN ${RECORD_TABLES}) AS "recordBlocks",
        (SELECT sum(seq_scan) FROM pg_stat_user_tables WHERE relname IN ${RECORD_TABLES}) AS "recordScans"`);
      for (const key of Object.keys(total) as (keyof TableActivity)[])
        total[key] += Number(rows[0]![key] ?? 0);
    } finally {
      await client.end();
    }
  }
  return total;
}

/** What one hub's measurement found. */
interface Measured {
  latency: LatencySummary;
  /** Per request: counter-table and record-table blocks; record-table sequential scans in all. */
  counterBlocks: number;
  recordBlocks: number;
  recordScans: number;
  /** Requests that failed (not timed), and the first failure. */
  failures: number;
  firstFailure?: string;
}

/** One national summary (or the nation's children) through a hub's gateway; checks the worker total; returns milliseconds. */
async function timedSummary(hub: LoadedHub): Promise<number> {
  const started = performance.now();
  type Figures = { workers: { registered: number } };
  const { summary } = await graphqlData<{ summary: Figures & { children: Figures[] } }>(
    hub.federation.gatewayUrl,
    hub.children ? CHILDREN : NATIONAL,
    undefined,
    hub.headers,
  );
  const ms = performance.now() - started;
  const registered = hub.children
    ? summary.children.reduce((n, child) => n + child.workers.registered, 0)
    : summary.workers.registered;
  if (hub.children && summary.children.length !== 31)
    throw new Error(`${hub.label}: ${summary.children.length} children of the nation, expected 31`);
  if (registered !== hub.workers)
    throw new Error(`${hub.label}: national registered ${registered}, expected ${hub.workers}`);
  return ms;
}

/** The summary statements (`readFigures`: one per part and `_entities` call) each province sent per request. */
const FIGURES_STATEMENT = /WITH ORDINALITY AS r\(region, day, n\)/;

/**
 * Counts, from the provinces' statement logs, the counter reads of `requests` requests: per
 * province, `readFigures` statements per request and the most counter keys one of them read.
 */
async function countFigureReads(
  hub: LoadedHub,
  requests: number,
): Promise<{ perRequest: Record<string, number>; other: Record<string, number> }> {
  const counted = await countStatements({
    federation: hub.federation,
    provinces: hub.provinces,
    log: hub.statementLog,
    requests,
    send: async () => {
      await timedSummary(hub);
    },
    table: 'stat_total',
  });
  const perRequest: Record<string, number> = {};
  const other: Record<string, number> = {};
  for (const p of hub.provinces) {
    const statements = hub.statementLog.statements.get(p) ?? [];
    const figures = statements.filter((sql) => FIGURES_STATEMENT.test(sql)).length;
    perRequest[p] = figures / counted.requests;
    other[p] = statements.length - figures;
  }
  return { perRequest, other };
}

/**
 * Times national summaries on every hub, INTERLEAVED (one request to each in turn, the order
 * rotating), so that other work on the machine weighs on all of them alike; then the blocks the
 * requests touched in the province databases (statistics views are flushed by idle backends
 * within 10 s, hence the pauses). A failed request is counted and reported, not timed.
 */
async function measure(hubs: readonly LoadedHub[], options: SummaryBenchOptions): Promise<Measured[]> {
  const recorders = hubs.map(() => new LatencyRecorder());
  const failures = hubs.map(() => ({ count: 0, first: undefined as string | undefined }));
  const attempt = async (j: number, timed: boolean) => {
    try {
      const ms = await timedSummary(hubs[j]!);
      if (timed) recorders[j]!.record(ms);
    } catch (err) {
      failures[j]!.count++;
      failures[j]!.first ??= (err as Error).message.slice(0, 300);
    }
  };
  for (let i = 0; i < options.warmup; i++) for (let j = 0; j < hubs.length; j++) await attempt(j, false);
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const before = await Promise.all(hubs.map(tableActivity));
  for (let i = 0; i < options.requests; i++)
    for (let k = 0; k < hubs.length; k++) await attempt((i + k) % hubs.length, true);
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const after = await Promise.all(hubs.map(tableActivity));
  return hubs.map((_, j) => ({
    latency: recorders[j]!.summary(),
    counterBlocks: (after[j]!.counterBlocks - before[j]!.counterBlocks) / options.requests,
    recordBlocks: (after[j]!.recordBlocks - before[j]!.recordBlocks) / options.requests,
    recordScans: after[j]!.recordScans - before[j]!.recordScans,
    failures: failures[j]!.count,
    ...(failures[j]!.first ? { firstFailure: failures[j]!.first } : {}),
  }));
}

/** Runs the benchmark and prints its report. */
export async function runSummaryBench(options: SummaryBenchOptions): Promise<void> {
  const provinces = PROVINCE_CODES.slice(0, options.provinces);
  const places = provinces.flatMap((p) => townshipsIn(p).filter((_, i) => i % 25 === 0));
  console.log(machineLines(await describeMachine(options.database)).join('\n'));
  console.log(
    options.grow
      ? `provinces ${provinces.join(' ')}; one federation with ${options.small} workers per province, measured, then grown to ${options.large} and measured again; ${options.requests} timed requests each after ${options.warmup} untimed`
      : `provinces ${provinces.join(' ')}; two federations side by side, ${options.small} and ${options.large} workers per province; ${options.requests} timed requests each (interleaved) after ${options.warmup} untimed`,
  );
  const hubs: LoadedHub[] = [];
  try {
    let results: Measured[];
    if (options.grow) {
      const small = await startLoadedHub(options, provinces, places, options.small);
      hubs.push(small);
      const [first] = await measure([small], options);
      const started = performance.now();
      await loadProvinces(small.databases, provinces, places, options.small + 1, options.large);
      console.log(
        `grown to ${options.large.toLocaleString('en')} workers per province in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
      hubs.push({
        ...small,
        label: `${options.large.toLocaleString('en')} workers/province`,
        workers: options.large * provinces.length,
      });
      const [second] = await measure([hubs[1]!], options);
      results = [first!, second!];
    } else {
      for (const workers of [options.large, options.small])
        hubs.unshift(await startLoadedHub(options, provinces, places, workers));
      results = await measure(hubs, options);
    }
    console.log(
      `\n${options.children ? "the nation's summary { children } (31 provinces)" : 'national summary'} through the gateway: latency (ms); blocks touched per request in the province databases`,
    );
    console.log(
      'data                          p50     p90     p99     max  counter blocks  record blocks  record seq scans  failed',
    );
    results.forEach((m, j) => {
      const s = m.latency;
      console.log(
        `${hubs[j]!.label.padEnd(28)}${[s.p50, s.p90, s.p99, s.max].map((v) => formatMs(v).padStart(8)).join('')}` +
          `${m.counterBlocks.toFixed(1).padStart(16)}${m.recordBlocks.toFixed(1).padStart(15)}${String(m.recordScans).padStart(18)}${String(m.failures).padStart(8)}`,
      );
      if (m.firstFailure) console.log(`  first failure: ${m.firstFailure}`);
    });
    const [small, large] = [results[0]!, results[1]!];
    console.log(
      `ratio large/small: p50 ${(large.latency.p50 / small.latency.p50).toFixed(2)}, p99 ${(large.latency.p99 / small.latency.p99).toFixed(2)}, counter blocks ${(large.counterBlocks / small.counterBlocks).toFixed(2)}`,
    );
    if (options.children && options.count) {
      // On the large federation only: restarting 31 provinces twice takes minutes.
      const hub = hubs.at(-1)!;
      const { perRequest, other } = await countFigureReads(hub, 10);
      const counts = Object.values(perRequest);
      const listed = Object.entries(perRequest).map(([p, n]) => `${p} ${n}`);
      console.log(
        `${hub.label}: readFigures statements per request and province: min ${Math.min(...counts)}, max ${Math.max(...counts)} (${listed.join(', ')}); other statements in the 10 requests' time (fold): ${Object.values(other).reduce((a, b) => a + b, 0)}`,
      );
    }
  } finally {
    await Promise.all(
      [...new Set(hubs.map((hub) => hub.federation))].map((federation) => federation.close()),
    );
  }
}

if (isMainModule(import.meta.url)) {
  runSummaryBench(parseOptions(process.argv.slice(2))).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
