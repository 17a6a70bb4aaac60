/**
 * Command-line options of `npm run bench` (scripts/src/bench/run.ts):
 *
 *   npm run bench -- [--provinces N] [--workers-per-province N] [--scenarios a,b] [--duration s]
 *                    [--concurrency N] [--requests N] [--bulk-workers N] [--relay-duration s]
 *                    [--relay-backlog N] [--injected-latency ms] [--subscribers N,N] [--rate N,N]
 *                    [--filters-per-province N] [--provinces-per-process N] [--database-url URL]
 *                    [--cpu-prof DIR] [--quick]
 *
 * `--quick` is the smoke mode (under a minute): 2 provinces of 5,000 workers, short runs, no
 * statement count (it waits for Postgres' statistics); for `subscriptions` 100 subscribers, 5
 * events/s for 5 s. Options given explicitly still win.
 *
 * `subscriptions` (#17.4, subscriptions.ts) is not among the scenarios run by default nor by
 * `--scenarios all`: it starts its own federation (pools sized for a shared server, no loaded
 * workers) after the bench hub has closed, and needs `ulimit -n` above its subscriber count.
 */
import { parseArgs } from 'node:util';
import { PROVINCE_ORDER } from './geography.js';

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

/**
 * Scenarios that start their own federation instead of the bench hub, run only when named in
 * `--scenarios`, after the hub's scenarios and once the hub has closed.
 */
export const OWN_FEDERATION_SCENARIOS = ['subscriptions'] as const;
/** A scenario with its own federation. */
export type OwnFederationScenarioName = (typeof OWN_FEDERATION_SCENARIOS)[number];
/** Any name `--scenarios` accepts (short names aside). */
export type AnyScenarioName = ScenarioName | OwnFederationScenarioName;

/** Every scenario name, in the order they run. */
const ALL_SCENARIOS: readonly AnyScenarioName[] = [...SCENARIOS, ...OWN_FEDERATION_SCENARIOS];

/** Defaults of the subscriptions benchmark (subscriptions.ts run on its own). */
export const SUBSCRIPTION_DEFAULTS = {
  /** @default [1_000] */
  subscribers: [1_000],
  /** @default [10] (`npm run bench` measures 10,50) */
  rates: [10],
  /** @default 30 */
  durationSeconds: 30,
  /** @default 10 (287 filters over 31 provinces) */
  filtersPerProvince: 10,
} as const;

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
  /** Scenarios to run. @default all of {@link SCENARIOS} (not `subscriptions`) */
  scenarios: AnyScenarioName[];
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
  /**
   * Live subscribers the subscriptions scenario measures, in increasing order (clients are added
   * up to each count, every rate is measured at each). @default [1_000] (quick: [100])
   */
  subscribers: number[];
  /** Events (planned trips) per second the subscriptions scenario sends at each subscriber count. @default [10, 50] (quick: [5]) */
  subscriptionRates: number[];
  /** Seconds each subscriptions phase sends events (`--duration` when given). @default 30 (quick: 5) */
  subscriptionSeconds: number;
  /** Destination filters per province the subscribers spread over (10: 287 over 31 provinces). @default 10 */
  filtersPerProvince: number;
  /** Provinces per process in the subscriptions scenario's federation (`HOSTED_PROVINCES`). @default 1 */
  provincesPerProcess: number;
  /** PostgreSQL server; one fresh database per province is created on it and dropped after. @default $DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres */
  databaseUrl: string;
  /** Directory where every started service writes a V8 CPU profile when it stops (`--cpu-prof DIR`). @default none */
  cpuProfileDir?: string;
  quick: boolean;
}

const USAGE = `npm run bench -- [--provinces N] [--workers-per-province N] [--scenarios ${ALL_SCENARIOS.join(',')}] [--duration s] [--concurrency N] [--requests N] [--bulk-workers N] [--relay-duration s] [--relay-backlog N] [--injected-latency ms] [--subscribers N,N] [--rate N,N] [--filters-per-province N] [--provinces-per-process N] [--database-url URL] [--cpu-prof DIR] [--quick]
  default scenarios (also --scenarios all): ${SCENARIOS.join(',')}
  subscriptions (#17.4) runs only when named: it starts its own federation after the others, and needs ulimit -n above --subscribers
  e.g. npm run bench -- --provinces 31 --scenarios subscriptions --subscribers 1000,10000 --rate 10,50  (--duration: seconds per phase, default 30)`;

/** The highest `--provinces`: every province of PROVINCE_ORDER. */
const MAX_PROVINCES = PROVINCE_ORDER.length;

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name}: a positive whole number, got "${value}"\n${USAGE}`);
  return n;
}

/**
 * A comma-separated list of positive whole numbers (`1000,10000`; `_` separators allowed).
 * @throws Error naming the option and the bad item
 */
export function positiveIntList(value: string, name: string): number[] {
  const items = value.split(',').map((s) => s.trim());
  return items.map((item) => {
    const n = Number(item.replaceAll('_', ''));
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`--${name}: a comma-separated list of positive whole numbers, got "${value}"`);
    return n;
  });
}

/** `--rate`'s list, or undefined when absent; with the usage line on a bad item. */
function intList(value: string | undefined, name: string): number[] | undefined {
  if (value === undefined) return undefined;
  try {
    return positiveIntList(value, name);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${USAGE}`);
  }
}

/** `--subscribers`' list: increasing, since clients are added up to each count. */
function increasingList(value: string | undefined, name: string): number[] | undefined {
  const list = intList(value, name);
  if (list?.some((n, i) => i > 0 && n <= list[i - 1]!))
    throw new Error(
      `--${name}: counts in increasing order (clients are added up to each), got "${value}"\n${USAGE}`,
    );
  return list;
}

/**
 * The scenario list of `--scenarios` (names or short names read, batch, bulk, mixed), in running
 * order. Absent, empty or `all`: every scenario of {@link SCENARIOS}, not `subscriptions`.
 */
export function parseScenarios(value: string | undefined): AnyScenarioName[] {
  if (value === undefined || value.trim() === '' || value === 'all') return [...SCENARIOS];
  const chosen = new Set<AnyScenarioName>();
  for (const raw of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const name = ALIASES[raw] ?? ALL_SCENARIOS.find((s) => s === raw);
    if (!name) throw new Error(`--scenarios: unknown scenario "${raw}" (one of ${ALL_SCENARIOS.join(', ')})`);
    chosen.add(name);
  }
  return ALL_SCENARIOS.filter((s) => chosen.has(s));
}

/** The scenarios of `scenarios` that run on the bench hub (all but {@link OWN_FEDERATION_SCENARIOS}). */
export function hubScenarios(scenarios: readonly AnyScenarioName[]): ScenarioName[] {
  return scenarios.filter((s): s is ScenarioName => (SCENARIOS as readonly string[]).includes(s));
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
      subscribers: { type: 'string' },
      rate: { type: 'string' },
      'filters-per-province': { type: 'string' },
      'provinces-per-process': { type: 'string' },
      'database-url': { type: 'string' },
      'cpu-prof': { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new Error(USAGE);
  const quick = values.quick ?? false;
  const provinces = positiveInt(values.provinces, 'provinces') ?? (quick ? 2 : 5);
  if (provinces > MAX_PROVINCES)
    throw new Error(`--provinces: at most ${MAX_PROVINCES} (every province), got ${provinces}\n${USAGE}`);
  const duration = positiveInt(values.duration, 'duration');
  return {
    provinces,
    workersPerProvince:
      positiveInt(values['workers-per-province'], 'workers-per-province') ?? (quick ? 5_000 : 200_000),
    scenarios: parseScenarios(values.scenarios),
    durationSeconds: duration ?? (quick ? 5 : 180),
    concurrency: positiveInt(values.concurrency, 'concurrency') ?? 16,
    requests: positiveInt(values.requests, 'requests') ?? (quick ? 60 : 1_000),
    bulkWorkers: positiveInt(values['bulk-workers'], 'bulk-workers') ?? (quick ? 2_000 : 100_000),
    relayDurationSeconds: positiveInt(values['relay-duration'], 'relay-duration') ?? (quick ? 8 : 60),
    relayBacklog: positiveInt(values['relay-backlog'], 'relay-backlog') ?? (quick ? 400 : 5_000),
    injectedLatencyMs: positiveInt(values['injected-latency'], 'injected-latency') ?? 50,
    subscribers:
      increasingList(values.subscribers, 'subscribers') ??
      (quick ? [100] : [...SUBSCRIPTION_DEFAULTS.subscribers]),
    subscriptionRates: intList(values.rate, 'rate') ?? (quick ? [5] : [10, 50]),
    subscriptionSeconds: duration ?? (quick ? 5 : SUBSCRIPTION_DEFAULTS.durationSeconds),
    filtersPerProvince:
      positiveInt(values['filters-per-province'], 'filters-per-province') ??
      SUBSCRIPTION_DEFAULTS.filtersPerProvince,
    provincesPerProcess: positiveInt(values['provinces-per-process'], 'provinces-per-process') ?? 1,
    databaseUrl:
      values['database-url'] ?? (env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'),
    ...(values['cpu-prof'] ? { cpuProfileDir: values['cpu-prof'] } : {}),
    quick,
  };
}

/** The settings as printed at the head of a report. */
export function settingLines(o: BenchOptions): string[] {
  const subscriptions = o.scenarios.includes('subscriptions')
    ? [
        `subscriptions: ${o.subscribers.map((n) => n.toLocaleString('en')).join(', then ')} subscribers, ${o.subscriptionRates.join(', ')} events/s for ${o.subscriptionSeconds} s each, ${o.filtersPerProvince} filters per province${o.provincesPerProcess > 1 ? `, ${o.provincesPerProcess} provinces per process` : ''}, on its own federation`,
      ]
    : [];
  if (hubScenarios(o.scenarios).length === 0)
    return [
      `provinces ${o.provinces}${o.quick ? ' (--quick)' : ''}`,
      `scenarios ${o.scenarios.join(', ')}`,
      ...subscriptions,
    ];
  return [
    `provinces ${o.provinces}, ${o.workersPerProvince.toLocaleString('en')} workers each${o.quick ? ' (--quick)' : ''}`,
    `scenarios ${o.scenarios.join(', ')}`,
    `concurrency ${o.concurrency}, ${o.requests.toLocaleString('en')} requests per measured target, mixed load ${o.durationSeconds} s, bulk registration ${o.bulkWorkers.toLocaleString('en')} workers`,
    `relay: trips under the mixed load ${o.relayDurationSeconds} s, backlog ${o.relayBacklog.toLocaleString('en')} events`,
    `scatter: ${o.injectedLatencyMs} ms injected before every province and national request`,
    ...subscriptions,
  ];
}
