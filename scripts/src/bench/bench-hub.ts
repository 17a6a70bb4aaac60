/**
 * The system under test, as real processes: the federation of the harness (national, one province
 * service per province over its own fresh Postgres database, the sharded gateway), the data loaded
 * straight into the province databases, and beside it the plain `@apollo/gateway` baseline over
 * ONE province service (the first province), with keep-alive clients for both gateways.
 */
import {
  BUSY_SERVICE_NODE_ARGS,
  databaseUrlFor,
  startFederation,
  startService,
  type RunningFederation,
  type ServiceProcess,
} from '../harness/index.js';
import { benchProvinces } from './geography.js';
import { GraphQLClient } from './graphql-client.js';
import { loadProvinces, unknownTables, waitForFold, type LoadResult } from './load-province.js';
import { BENCH_GATEWAY_SETTINGS, createBenchAuth, type BenchAuth } from './bench-auth.js';
import { ProvinceStatementLog } from './statement-count.js';
import { RelayApplyLog } from './relay-apply-log.js';
import pg from 'pg';
import { provincePoolSize, readServerConnections } from '../connection-budget.js';

/**
 * Each province's `DATABASE_POOL_SIZE` on the shared server (connection-budget.ts, as `npm start`
 * does), so 31 provinces fit in the server's `max_connections`; undefined (the service's default)
 * when DATABASE_POOL_SIZE is set in the env.
 */
async function sharedPoolSize(databaseUrl: string, provinces: number): Promise<number | undefined> {
  if (process.env.DATABASE_POOL_SIZE) return undefined;
  return provincePoolSize(await readServerConnections(databaseUrl), provinces);
}

/** Options of {@link startBenchHub}. */
export interface BenchHubOptions {
  /** How many provinces (the first N of PROVINCE_ORDER). */
  provinces: number;
  workersPerProvince: number;
  /** PostgreSQL server URL; the harness creates one database per province on it. */
  databaseUrl: string;
  /** Keep-alive connections per gateway client (the load's concurrency). */
  connections: number;
  /** Progress lines. */
  log: (line: string) => void;
  /** Where every service (both gateways included) writes a V8 CPU profile when stopped. @default none */
  cpuProfileDir?: string;
}

/** The running system under test. */
export interface BenchHub {
  /** Province codes, in PROVINCE_ORDER. */
  provinces: string[];
  /** The province the plain baseline serves. */
  baselineProvince: string;
  workersPerProvince: number;
  federation: RunningFederation;
  /** The sharded hub gateway. */
  sharded: GraphQLClient;
  /** The plain `@apollo/gateway` over the baseline province. */
  plain: GraphQLClient;
  /** Full connection URL of each province's database. */
  databaseUrls: Record<string, string>;
  /** The server URL the province databases live on. */
  serverUrl: string;
  /** Keys and tokens of this run. */
  auth: BenchAuth;
  /** The provinces' statement log lines, collected while a count is on. */
  statementLog: ProvinceStatementLog;
  /** The relayed batches the provinces applied, as they logged them. */
  relayApplies: RelayApplyLog;
  /** The last error lines the services printed (for a failed scenario's report). */
  recentErrors(): string[];
  /** How the data was loaded. */
  loads: LoadResult[];
  /** Tables of the province schema the loader does not fill (reported, may be inconsistent). */
  unfilledTables: string[];
  /** A worker index never used before in `province` (new people for registrations). */
  freshWorkerIndex(province: string): number;
  close(): Promise<void>;
}

/**
 * Checks that the provinces' statistics counters (kept by their triggers) match what was loaded:
 * each province's summary counts exactly its loaded workers and trips (cancelled trips count none).
 * @throws Error naming the province whose counters disagree
 */
async function checkCounters(
  client: GraphQLClient,
  loads: readonly LoadResult[],
  log: (line: string) => void,
): Promise<void> {
  const query =
    'query LoadedCounts($scope: RegionCode) { summary(scope: $scope) { workers { registered } transport { outbound { trips passengers } internal { trips passengers } } } }';
  for (const load of loads) {
    type Counts = {
      summary: {
        workers: { registered: number };
        transport: {
          outbound: { trips: number; passengers: number };
          internal: { trips: number; passengers: number };
        };
      };
    };
    const { summary } = await client.data<Counts>({
      name: 'summary',
      query,
      variables: { scope: load.province },
    });
    const trips = summary.transport.outbound.trips + summary.transport.internal.trips;
    if (summary.workers.registered !== load.rows.workers || trips !== load.countedTrips) {
      throw new Error(
        `province ${load.province}: counters say ${summary.workers.registered} workers and ${trips} trips, ${load.rows.workers} and ${load.countedTrips} (not cancelled) were loaded`,
      );
    }
  }
  log(
    `  statistics counters agree with the loaded rows in every province (summary: workers registered, trips organised)`,
  );
}

/** Starts everything, loads the data and returns the hub; on failure stops what started. */
export async function startBenchHub(options: BenchHubOptions): Promise<BenchHub> {
  const provinces = benchProvinces(options.provinces);
  const baselineProvince = provinces[0]!;
  const { log } = options;
  log(
    `starting national, ${provinces.length} provinces (${provinces.join(', ')}) and the gateway on ${new URL(options.databaseUrl).host}…`,
  );
  let started = performance.now();
  const statementLog = new ProvinceStatementLog();
  const relayApplies = new RelayApplyLog();
  const errors: string[] = [];
  const onLog = (service: string, line: string, stream: 'stdout' | 'stderr') => {
    statementLog.onLine(service, line);
    relayApplies.onLine(service, line);
    if (stream === 'stderr' || /"level":"(error|fatal)"|"level":(50|60)\b/.test(line)) {
      errors.push(`${service}: ${line.slice(0, 600)}`);
      if (errors.length > 20) errors.shift();
    }
  };
  const profileArgs = options.cpuProfileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]
    : undefined;
  const pool = await sharedPoolSize(options.databaseUrl, provinces.length);
  if (pool !== undefined)
    log(`  each province pools ${pool} database connections (+1 LISTEN), from the server's max_connections`);
  const federation = await startFederation({
    provinces,
    databaseUrl: options.databaseUrl,
    ...(pool !== undefined ? { env: { DATABASE_POOL_SIZE: String(pool) } } : {}),
    gatewayEnv: { ...BENCH_GATEWAY_SETTINGS },
    readyTimeoutMs: 120_000,
    onLog,
    // Where the CPU goes: each service writes its profile (CPU.<date>.<pid>…cpuprofile) when stopped.
    ...(profileArgs ? { nodeArgs: profileArgs } : {}),
  });
  let plainService: ServiceProcess | undefined;
  const clients: GraphQLClient[] = [];
  try {
    log(
      `  started in ${((performance.now() - started) / 1000).toFixed(1)} s (migrations applied by each province)`,
    );
    const auth = await createBenchAuth(federation, provinces);
    const databaseUrls = Object.fromEntries(
      provinces.map((code) => {
        const name = new URL(federation.provinceStorage[code]!).pathname.slice(1);
        return [code, databaseUrlFor(options.databaseUrl, name)];
      }),
    );
    const probe = new pg.Client({ connectionString: databaseUrls[baselineProvince] });
    await probe.connect();
    const unfilledTables = await unknownTables(probe).finally(() => probe.end());
    if (unfilledTables.length)
      log(`  note: the province schema has tables this loader does not fill: ${unfilledTables.join(', ')}`);

    started = performance.now();
    const homes = provinces.map((province) => ({ province, workers: options.workersPerProvince }));
    log(
      `loading ${options.workersPerProvince.toLocaleString('en')} workers per province (with trips, manifests, enterprises, return requests)…`,
    );
    const loads = await loadProvinces(
      provinces.map((province) => ({
        province,
        databaseUrl: databaseUrls[province]!,
        workers: options.workersPerProvince,
        homes,
      })),
      2,
      (r) =>
        log(
          `  ${r.province}: ${Object.entries(r.rows)
            .map(([t, n]) => `${n.toLocaleString('en')} ${t}`)
            .join(', ')} in ${r.seconds.toFixed(1)} s` +
            ` (inserts: ${Object.entries(r.secondsByTable)
              .map(([t, s]) => `${t} ${s.toFixed(1)} s`)
              .join(', ')})`,
        ),
    );
    const seconds = (performance.now() - started) / 1000;
    const rows = loads.reduce((n, r) => n + Object.values(r.rows).reduce((a, b) => a + b, 0), 0);
    log(
      `  loaded ${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds).toLocaleString('en')} rows/s, ${Math.round((options.workersPerProvince * provinces.length) / seconds).toLocaleString('en')} workers/s)`,
    );
    const folding = await waitForFold(Object.values(databaseUrls));
    log(`  the provinces folded the statistics deltas of the load in ${folding.toFixed(1)} s more`);

    plainService = await startService({
      name: 'plain gateway',
      entry: 'scripts/src/bench/plain-gateway.ts',
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        PLAIN_PROVINCE_URL: federation.provinceUrls[baselineProvince]!,
        PLAIN_NATIONAL_URL: federation.nationalUrl,
        ...auth.plainGatewayEnv,
      },
      // The same node options as the hub's gateway, so the two are compared on equal terms.
      nodeArgs: [...BUSY_SERVICE_NODE_ARGS, ...(profileArgs ?? [])],
      readyTimeoutMs: 120_000,
    });
    const sharded = new GraphQLClient(federation.gatewayUrl, {
      connections: options.connections,
      headersFor: auth.headersFor,
    });
    const plain = new GraphQLClient(plainService.url, {
      connections: options.connections,
      headersFor: auth.headersFor,
    });
    clients.push(sharded, plain);
    await checkCounters(sharded, loads, log);
    const nextIndex = new Map(provinces.map((p) => [p, options.workersPerProvince]));
    return {
      provinces,
      baselineProvince,
      workersPerProvince: options.workersPerProvince,
      federation,
      sharded,
      plain,
      databaseUrls,
      serverUrl: options.databaseUrl,
      auth,
      statementLog,
      relayApplies,
      recentErrors: () => errors.splice(0),
      loads,
      unfilledTables,
      freshWorkerIndex(province) {
        const index = nextIndex.get(province)!;
        nextIndex.set(province, index + 1);
        return index;
      },
      async close() {
        await Promise.allSettled(clients.map((c) => c.close()));
        await plainService?.stop();
        await federation.close();
      },
    };
  } catch (err) {
    await Promise.allSettled(clients.map((c) => c.close()));
    await plainService?.stop().catch(() => {});
    await federation.close().catch(() => {});
    throw err;
  }
}
