/**
 * Command-line options of `npm run bench` (scripts/src/bench/run.ts):
 *
 *   npm run bench -- [--provinces N] [--workers-per-province N] [--scenarios a,b] [--duration s]
 *                    [--concurrency N] [--requests N] [--bulk-workers N] [--relay-duration s]
 *                    [--relay-backlog N] [--injected-latency ms] [--database-url URL] [--cpu-prof DIR] [--quick]
 *
 * `--quick` is the smoke mode (under a minute): 2 provinces of 5,000 workers, short runs, no
 * statement count (it waits for Postgres' statistics);
 * options given explicitly still win.
 */
import { parseArgs } from 'node:util';

/** The scenarios, in the order they run. */
export const SCENARIOS = [
  'federated-read',
  'entity-batch',
  'bulk-registration',
  'mixed-load',
  'boarding-gate',
  'scatter',
  'table-sizes',
  // Last: it leaves a backlog behind and turns the relay off and on.
  'relay',
] as const;
/** A scenario name. */
export type ScenarioName = (typeof SCENARIOS)[number];

/** Short names accepted by `--scenarios` (`relay` and `boarding-gate` are their own). */
const ALIASES: Record<string, ScenarioName> = {
  read: 'federated-read',
  batch: 'entity-batch',
  bulk: 'bulk-registration',
  mixed: 'mixed-load',
};

/** The settings of one benchmark run. */
export interface BenchOptions {
  /** Number of provinces (the first N of PROVINCE_ORDER). @default 5 (quick: 2) */
  provinces: number;
  /** Workers loaded into each province. @default 200_000 (quick: 5_000) */
  workersPerProvince: number;
  /** Scenarios to run. @default all of {@link SCENARIOS} */
  scenarios: ScenarioName[];
  /** Seconds the mixed load is held. @default 180 (quick: 5) */
  durationSeconds: number;
  /** Requests in flight at once. @default 16 */
  concurrency: number;
  /** Requests per measured target (each side of a comparison gets this many). @default 1_000 (quick: 60) */
  requests: number;
  /** Workers registered through the API by the bulk-registration scenario. @default 100_000 (quick: 2_000) */
  bulkWorkers: number;
  /** Seconds the relay scenario holds cross-province trips under the mixed load. @default 60 (quick: 8) */
  relayDurationSeconds: number;
  /** RELAY events the relay scenario lets pile up with the relay off, then drains. @default 5_000 (quick: 400) */
  relayBacklog: number;
  /** Milliseconds the scatter scenario's proxies add before every province and national request. @default 50 */
  injectedLatencyMs: number;
  /** PostgreSQL server; one fresh database per province is created on it and dropped after. @default $DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres */
  databaseUrl: string;
  /** Directory where every started service writes a V8 CPU profile when it stops (`--cpu-prof DIR`). @default none */
  cpuProfileDir?: string;
  quick: boolean;
}

const USAGE = `npm run bench -- [--provinces N] [--workers-per-province N] [--scenarios ${SCENARIOS.join(',')}] [--duration s] [--concurrency N] [--requests N] [--bulk-workers N] [--relay-duration s] [--relay-backlog N] [--injected-latency ms] [--database-url URL] [--cpu-prof DIR] [--quick]`;

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name}: a positive whole number, got "${value}"\n${USAGE}`);
  return n;
}

/** The scenario list of `--scenarios` (names or short names read, batch, bulk, mixed). */
export function parseScenarios(value: string | undefined): ScenarioName[] {
  if (value === undefined || value.trim() === '' || value === 'all') return [...SCENARIOS];
  const chosen = new Set<ScenarioName>();
  for (const raw of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const name = ALIASES[raw] ?? (SCENARIOS as readonly string[]).find((s) => s === raw);
    if (!name) throw new Error(`--scenarios: unknown scenario "${raw}" (one of ${SCENARIOS.join(', ')})`);
    chosen.add(name as ScenarioName);
  }
  return SCENARIOS.filter((s) => chosen.has(s));
}

/**
 * Reads the options from the command line.
 * @throws Error with the usage line on a bad option
 */
export function parseBenchOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      provinces: { type: 'string' },
      'workers-per-province': { type: 'string' },
      scenarios: { type: 'string' },
      duration: { type: 'string' },
      concurrency: { type: 'string' },
      requests: { type: 'string' },
      'bulk-workers': { type: 'string' },
      'relay-duration': { type: 'string' },
      'relay-backlog': { type: 'string' },
      'injected-latency': { type: 'string' },
      'database-url': { type: 'string' },
      'cpu-prof': { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new Error(USAGE);
  const quick = values.quick ?? false;
  return {
    provinces: positiveInt(values.provinces, 'provinces') ?? (quick ? 2 : 5),
    workersPerProvince:
      positiveInt(values['workers-per-province'], 'workers-per-province') ?? (quick ? 5_000 : 200_000),
    scenarios: parseScenarios(values.scenarios),
    durationSeconds: positiveInt(values.duration, 'duration') ?? (quick ? 5 : 180),
    concurrency: positiveInt(values.concurrency, 'concurrency') ?? 16,
    requests: positiveInt(values.requests, 'requests') ?? (quick ? 60 : 1_000),
    bulkWorkers: positiveInt(values['bulk-workers'], 'bulk-workers') ?? (quick ? 2_000 : 100_000),
    relayDurationSeconds: positiveInt(values['relay-duration'], 'relay-duration') ?? (quick ? 8 : 60),
    relayBacklog: positiveInt(values['relay-backlog'], 'relay-backlog') ?? (quick ? 400 : 5_000),
    injectedLatencyMs: positiveInt(values['injected-latency'], 'injected-latency') ?? 50,
    databaseUrl:
      values['database-url'] ?? (env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'),
    ...(values['cpu-prof'] ? { cpuProfileDir: values['cpu-prof'] } : {}),
    quick,
  };
}

/** The settings as printed at the head of a report. */
export function settingLines(o: BenchOptions): string[] {
  return [
    `provinces ${o.provinces}, ${o.workersPerProvince.toLocaleString('en')} workers each${o.quick ? ' (--quick)' : ''}`,
    `scenarios ${o.scenarios.join(', ')}`,
    `concurrency ${o.concurrency}, ${o.requests.toLocaleString('en')} requests per measured target, mixed load ${o.durationSeconds} s, bulk registration ${o.bulkWorkers.toLocaleString('en')} workers`,
    `relay: trips under the mixed load ${o.relayDurationSeconds} s, backlog ${o.relayBacklog.toLocaleString('en')} events`,
    `scatter: ${o.injectedLatencyMs} ms injected before every province and national request`,
  ];
}
