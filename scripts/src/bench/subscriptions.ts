/**
 * Benchmark of the gateway's subscriptions (not a test), #17.4's scenario. Run on its own:
 *
 *   node --conditions=source --import tsx scripts/src/bench/subscriptions.ts
 *     [--subscribers 1000,10000] [--provinces all|N|code,code] [--filters-per-province 10]
 *     [--rate 10,50] [--duration 30] [--provinces-per-process 1] [--database-url postgres://…]
 *     [--cpu-prof DIR]
 *
 * or as `npm run bench -- --provinces 31 --scenarios subscriptions` (run.ts calls
 * {@link runSubscriptionsBench}; options.ts maps its options).
 *
 * Starts a federation (real processes; real Postgres with `--database-url`, each province's pool
 * sized to the server's max_connections as `npm start` does), opens N graphql-ws clients (one
 * WebSocket each) on ONE gateway, spread over ~10 destination filters per province (the
 * province, its first cities and their first counties, from GB/T 2260: 287 over 31 provinces),
 * each client a city officer of its filter's region (a province officer for a province filter),
 * so clients of one filter share a principal and clients of different filters do not. Then
 * plans trips through the gateway at a steady rate, each into one of the filters' counties from
 * another province's county (the `PLANNED` arrivals event: it matches the county, its city and
 * its province filter). Reports the event-to-client latency (from the event's commit timestamp
 * `at` to its arrival at each client: same machine, same clock) p50/p90/p99/max over every
 * delivery, the deliveries per second, the gateway's CPU per delivery and its memory per
 * subscriber (RSS with the clients connected less before), and checks PER CLIENT that it got
 * every measured trip whose destination lies in its filter, each once, and nothing else.
 *
 * The clients live in processes of their own, 5,000 to a process (subscriber-process.ts), apart
 * from this one's work (the federation's output, the planned trips), so this process's pauses do
 * not count as the hub's latency. The gateway holds N server sockets (plus 31 province links): the
 * open-files limit, which every process here inherits, must allow it (`ulimit -n`: 10,000 clients
 * need > 10,100); the bench checks it before it starts anything.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childRegionCodes, findRegion, regionContains } from '@p2p/schema';
import { graphqlRequest } from '@p2p/runtime';
import { BUSY_SERVICE_NODE_ARGS, startFederation, type RunningFederation } from '../harness/federation.js';
import { provincePoolSize, readServerConnections } from '../connection-budget.js';
import { PROVINCE_ORDER } from './geography.js';
import { positiveIntList, SUBSCRIPTION_DEFAULTS } from './options.js';
import {
  cpuSnapshot,
  machineCpuMs,
  postgresServerCpuMs,
  serviceGroup,
  serviceMemory,
} from './service-usage.js';
import type { SubscriberCommand, SubscriberReply, SubscriberSpec } from './subscriber-process.js';

/** Clients per subscriber process (subscriber-process.ts). */
const CLIENTS_PER_PROCESS = 5_000;

/** How long a subscriber process may take to dispose its clients before it is killed. @default 10 s */
const CLOSE_GRACE_MS = 10_000;

/** A forked subscriber process: each command sent gets its reply, matched by the command's number. */
class SubscriberProcess {
  private readonly replies = new Map<number, (reply: SubscriberReply) => void>();
  private sent = 0;
  private readonly exited: Promise<void>;
  private failure: Error | undefined;

  constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: SubscriberReply & { id: number }) => {
      this.replies.get(reply.id)?.(reply);
      this.replies.delete(reply.id);
    });
    // A failed fork or a send on a channel already gone: the process is as good as exited.
    child.on('error', (err) => {
      this.failure ??= new Error(`a subscriber process failed: ${err.message}`);
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.failure ??= new Error(`a subscriber process exited (${code ?? signal})`);
        resolve();
      }),
    );
  }

  /** Forks one, with the young generation of the busy services. */
  static start(): SubscriberProcess {
    return new SubscriberProcess(
      fork(fileURLToPath(new URL('./subscriber-process.ts', import.meta.url)), [], {
        execArgv: ['--conditions=source', '--import', 'tsx', ...BUSY_SERVICE_NODE_ARGS],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
  }

  /** Sends `command`; resolves with its reply, rejects when the process exits (or failed) first. */
  ask<T extends SubscriberReply['type']>(
    command: SubscriberCommand,
  ): Promise<Extract<SubscriberReply, { type: T }>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.sent;
    const reply = new Promise<SubscriberReply>((resolve) => this.replies.set(id, resolve));
    this.child.send({ ...command, id });
    return Promise.race([reply, this.exited.then(() => Promise.reject(this.failure))]) as Promise<
      Extract<SubscriberReply, { type: T }>
    >;
  }

  /** Disposes its clients and ends it; kills it when that takes over {@link CLOSE_GRACE_MS}. */
  async close(): Promise<void> {
    const killer = setTimeout(() => this.child.kill('SIGKILL'), CLOSE_GRACE_MS);
    try {
      if (!this.failure) await this.ask<'closed'>({ type: 'close' }).catch(() => {});
      if (this.child.connected) this.child.disconnect();
      await this.exited;
    } finally {
      clearTimeout(killer);
    }
  }
}

/** What one run of the subscriptions benchmark measures. */
export interface SubscriptionBenchSettings {
  /** Subscriber counts measured in turn, increasing (clients are added up to each). @default [1_000] */
  subscribers: number[];
  /** Event rates (planned trips per second) measured at each count. @default [10] */
  rates: number[];
  /** Seconds each measured phase sends events. @default 30 */
  durationSeconds: number;
  /** Province codes of the federation. @default all 31 of PROVINCE_ORDER */
  provinces: string[];
  /** Destination filters per province (10: 287 over 31 provinces). @default 10 */
  filtersPerProvince: number;
  /** Provinces served by one process (`HOSTED_PROVINCES`). @default 1 */
  provincesPerProcess?: number;
  /** PostgreSQL server, one fresh database per province. @default $DATABASE_URL, else PGlite */
  databaseUrl?: string;
  /** Directory where every service writes a V8 CPU profile when it stops. @default none */
  cpuProfileDir?: string;
}

/** What one phase (a subscriber count at one rate) measured. */
export interface SubscriptionPhase {
  subscribers: number;
  /** Events per second asked for. */
  rate: number;
  /** Measured events sent (planTrip answered with an id). */
  events: number;
  /** Deliveries received while measuring, and expected. */
  deliveries: number;
  expected: number;
  /** The per-client check: missing, repeated and outside-the-filter deliveries. */
  lost: number;
  repeated: number;
  foreign: number;
  /** Event-to-client latency over every delivery, ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Gateway CPU per delivery, µs. */
  gatewayCpuPerDeliveryUs: number;
  /** Gateway RSS per subscriber, KiB (with the clients connected, less before). */
  gatewayKiBPerSubscriber: number;
}

/** How {@link runSubscriptionsBench} reports. */
export interface SubscriptionBenchHooks {
  /** Receives every report line. @default console.log */
  log?: (line: string) => void;
  /** Called once the federation is up with what stops the run's clients and federation (on a signal). */
  onFederation?: (stop: () => Promise<void>) => void;
}

/** The provinces of `--provinces`: `all`, the first N of PROVINCE_ORDER, or codes `450000,410000`. */
export function subscriptionProvinces(value: string): string[] {
  if (value === 'all') return [...PROVINCE_ORDER];
  if (/^\d{1,2}$/.test(value)) return PROVINCE_ORDER.slice(0, Number(value));
  return value.split(',');
}

/** Reads the standalone script's options (see the head of this file). */
export function parseSubscriptionArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): SubscriptionBenchSettings {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (name: string) => {
    const v = value(name);
    return v === undefined ? undefined : positiveIntList(v, name);
  };
  const one = (name: string) => {
    const l = list(name);
    if (l && l.length !== 1) throw new Error(`--${name}: one positive whole number, got "${value(name)}"`);
    return l?.[0];
  };
  const databaseUrl = value('database-url') ?? env.DATABASE_URL;
  const profile = value('cpu-prof');
  const perProcess = one('provinces-per-process');
  return {
    subscribers: list('subscribers') ?? [...SUBSCRIPTION_DEFAULTS.subscribers],
    rates: list('rate') ?? [...SUBSCRIPTION_DEFAULTS.rates],
    durationSeconds: one('duration') ?? SUBSCRIPTION_DEFAULTS.durationSeconds,
    filtersPerProvince: one('filters-per-province') ?? SUBSCRIPTION_DEFAULTS.filtersPerProvince,
    ...(perProcess ? { provincesPerProcess: perProcess } : {}),
    provinces: subscriptionProvinces(value('provinces') ?? 'all'),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(profile ? { cpuProfileDir: profile } : {}),
  };
}

/** The soft open-files limit of this process (`ulimit -n`), or undefined off Linux. */
function openFilesLimit(): number | undefined {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Six-digit regions below `code` (cities, counties; not townships). */
const childrenOf = (code: string) => childRegionCodes(code).filter((c) => c.length === 6);

/**
 * The destination filters of a province: itself, then its first cities each with its first two
 * counties, at most `count`; and the counties among them (where the benchmark's trips go).
 */
export function provinceFilters(province: string, count: number): string[] {
  const filters = [province];
  for (const city of childrenOf(province).slice(0, 3)) {
    if (filters.length >= count) break;
    filters.push(city);
    for (const county of childrenOf(city).slice(0, 2)) if (filters.length < count) filters.push(county);
  }
  // More than ten: the other cities and counties, in code order (a few provinces carrying ~300 filters).
  for (const city of childrenOf(province)) {
    if (filters.length >= count) break;
    if (!filters.includes(city)) filters.push(city);
    for (const county of childrenOf(city))
      if (filters.length < count && !filters.includes(county)) filters.push(county);
  }
  return filters;
}

/** A filter no other filter lies inside (a county, or a city without counties): trips go there. */
const leaves = (filters: readonly string[]) =>
  filters.filter((f) => !filters.some((g) => g !== f && regionContains(f, g)));

/** The q-quantile of sorted values. */
const quantile = (sorted: Float64Array, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** Reads the subscription gauges from the gateway's /metrics. */
async function subscriptionMetrics(gatewayUrl: string, adminToken: string): Promise<Record<string, number>> {
  const text = await (
    await fetch(new URL('/metrics', gatewayUrl), { headers: { authorization: `Bearer ${adminToken}` } })
  ).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^p2p_gateway_subscription_(\w+) (\S+)$/.exec(line);
    if (match) out[match[1]!] = Number(match[2]);
  }
  return out;
}

const gatewayUsage = () => serviceMemory().find((m) => m.service === 'gateway');

/** Where the machine's CPU goes: ms so far per group of processes, and the machine's busy and total ms. */
function cpuByGroup(): Map<string, number> {
  const out = new Map<string, number>([['Postgres', postgresServerCpuMs()]]);
  for (const [service, ms] of cpuSnapshot()) {
    const group = service === 'load generator' ? 'bench' : serviceGroup(service);
    out.set(group, (out.get(group) ?? 0) + ms);
  }
  const machine = machineCpuMs();
  out.set('machine busy', machine.busyMs);
  out.set('machine', machine.totalMs);
  return out;
}

/** The cores each group used between two {@link cpuByGroup} snapshots, and how busy the machine was. */
export function coresUsed(before: Map<string, number>, after: Map<string, number>, seconds: number): string {
  const spent = (group: string) => (after.get(group) ?? 0) - (before.get(group) ?? 0);
  const groups = ['gateway', 'provinces', 'national', 'Postgres', 'bench subscribers', 'bench'];
  const busy = spent('machine') > 0 ? (100 * spent('machine busy')) / spent('machine') : NaN;
  return `${groups.map((g) => `${g} ${(spent(g) / 1000 / seconds).toFixed(2)}`).join(', ')} cores; machine ${busy.toFixed(0)}% busy`;
}

/**
 * Runs the benchmark: starts its own federation, measures every rate at every subscriber count,
 * stops the clients and the federation (dropping its databases) whatever happens.
 * @returns what each phase measured, in order
 * @throws Error when the open-files limit is too low for the subscribers, or a phase cannot start
 */
export async function runSubscriptionsBench(
  settings: SubscriptionBenchSettings,
  hooks: SubscriptionBenchHooks = {},
): Promise<SubscriptionPhase[]> {
  const log = hooks.log ?? ((line: string) => console.log(line));
  const most = Math.max(...settings.subscribers);
  const openFiles = openFilesLimit();
  if (openFiles !== undefined && openFiles <= most + 100)
    throw new Error(
      `${most} subscribers need an open-files limit above ${most + 100} (ulimit -n is ${openFiles}): raise it with ulimit -n ${most + 1_000}`,
    );
  const cpu = cpus()[0]?.model ?? 'unknown';
  const filters = settings.provinces.flatMap((p) => provinceFilters(p, settings.filtersPerProvince));
  const destinations = leaves(filters);
  log(
    `machine: ${availableParallelism()} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  log(
    `settings: ${settings.subscribers.join(', then ')} subscribers (one WebSocket each) on one gateway over ${filters.length} destination filters (${destinations.length} of them counties the trips go to) in ${settings.provinces.length} provinces${(settings.provincesPerProcess ?? 1) > 1 ? ` (${settings.provincesPerProcess} per process)` : ''}; events (planned trips) for ${settings.durationSeconds} s at ${settings.rates.join(', ')}/s; ${settings.databaseUrl ? 'PostgreSQL' : 'PGlite'}`,
  );

  const started = Date.now();
  const pool = settings.databaseUrl
    ? provincePoolSize(await readServerConnections(settings.databaseUrl), settings.provinces.length)
    : undefined;
  const hub: RunningFederation = await startFederation({
    provinces: settings.provinces,
    databaseUrl: settings.databaseUrl ?? '',
    ...(pool !== undefined ? { env: { DATABASE_POOL_SIZE: String(pool) } } : {}),
    readyTimeoutMs: 600_000,
    ...(settings.provincesPerProcess ? { provincesPerProcess: settings.provincesPerProcess } : {}),
    // One officer token per filter is shared by its ~33 clients: the per-caller caps and the rate limit are off.
    gatewayEnv: {
      SUBSCRIPTION_MAX_CONNECTIONS_PER_CALLER: '0',
      RATE_LIMIT_PER_SECOND: '0',
    },
    // Node 20 refuses --cpu-prof in NODE_OPTIONS: every service writes its profile (the gateway's is the one named in its pid).
    ...(settings.cpuProfileDir
      ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`] }
      : {}),
    onLog: (service, line, stream) => {
      if ((stream === 'stderr' && !line.startsWith('{')) || /"level":"(error|fatal)"/.test(line))
        console.error(`[${service}] ${line.slice(0, 300)}`);
    },
  });
  log(
    `federation up in ${((Date.now() - started) / 1000).toFixed(1)} s${pool !== undefined ? ` (province pools of ${pool})` : ''}`,
  );
  // The clients, CLIENTS_PER_PROCESS to a process of their own (subscriber-process.ts).
  const processes = Array.from({ length: Math.ceil(most / CLIENTS_PER_PROCESS) }, () =>
    SubscriberProcess.start(),
  );
  const phases: SubscriptionPhase[] = [];
  // Once, whoever asks first (a signal, or the run's end after it): both wait for the same stop,
  // so neither exits while the other still drops the databases.
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.allSettled(processes.map((p) => p.close()));
      await hub.close();
    })());
  hooks.onFederation?.(stop);
  try {
    const wsUrl = hub.gatewayUrl.replace(/^http/, 'ws');
    const officer = (filter: string) =>
      findRegion(filter)?.level === 'PROVINCE'
        ? hub.authorization('province', filter)
        : hub.authorization('city', filter);
    const params = new Map<string, Record<string, string>>();
    for (const filter of filters) params.set(filter, await officer(filter));
    const clientFilter = (i: number) => filters[i % filters.length]!;
    // At most 200 handshakes in flight in all: a gateway busy with thousands at once lets some wait
    // past graphql-ws's connection_init timeout (4408).
    const handshakesEach = Math.max(1, Math.floor(200 / processes.length));

    let errors = 0;
    const errorSamples = new Set<string>();
    let slowConsumerCloses = 0;
    /** Adds up what the subscriber processes report of their clients' errors (since they started). */
    const countErrors = (
      replies: { errors: number; errorSamples: string[]; slowConsumerCloses: number }[],
    ) => {
      errors = replies.reduce((n, r) => n + r.errors, 0);
      slowConsumerCloses = replies.reduce((n, r) => n + r.slowConsumerCloses, 0);
      for (const r of replies) for (const e of r.errorSamples) if (errorSamples.size < 5) errorSamples.add(e);
    };
    /** Errors of the bench's own requests (planTrip), beside the clients'. */
    let requestErrors = 0;
    const query = `subscription Arrivals($d: RegionCode!, $after: String) { arrivals(destination: $d, after: $after) { cursor kind at trip { id vehicleCode status } } }`;
    const memoryBefore = gatewayUsage()?.rssBytes ?? NaN;
    let connected = 0;
    let kibPerSubscriber = NaN;
    /** Opens clients up to `count` (client i in process i mod P) and waits until they are all subscribed from a known position. */
    const connectUpTo = async (count: number) => {
      const connectStarted = Date.now();
      const shares: SubscriberSpec[][] = processes.map(() => []);
      for (let i = connected; i < count; i++)
        shares[i % processes.length]!.push({ filter: clientFilter(i), params: params.get(clientFilter(i))! });
      countErrors(
        await Promise.all(
          processes.map((p, k) =>
            p.ask<'opened'>({ type: 'open', wsUrl, query, clients: shares[k]!, handshakes: handshakesEach }),
          ),
        ),
      );
      // Ready: every client subscribed to every province's feed, and every feed knows its position
      // (a client "from now" starts there: nothing committed later can be missed).
      connected = count;
      const taps = count * settings.provinces.length;
      let metrics = await subscriptionMetrics(hub.gatewayUrl, hub.adminToken);
      while (
        (metrics.client_taps !== taps || metrics.upstream_feeds_starting !== 0) &&
        Date.now() - connectStarted < 600_000
      ) {
        await new Promise((r) => setTimeout(r, 1_000));
        metrics = await subscriptionMetrics(hub.gatewayUrl, hub.adminToken);
      }
      if (metrics.client_taps !== taps)
        throw new Error(
          `only ${metrics.client_taps} of ${taps} client taps after 10 min (${metrics.connections} connections, errors: ${[...errorSamples].join('; ')})`,
        );
      const memoryAfter = gatewayUsage()?.rssBytes ?? NaN;
      kibPerSubscriber = (memoryAfter - memoryBefore) / count / 1024;
      log(
        `gateway pid ${gatewayUsage()?.pid}: ${count} subscribers ready in ${((Date.now() - connectStarted) / 1000).toFixed(1)} s: ${metrics.connections} connections, ${metrics.client_taps} client taps, ${metrics.upstream_feeds} upstream feeds; gateway RSS ${(memoryBefore / 2 ** 20).toFixed(0)} → ${(memoryAfter / 2 ** 20).toFixed(0)} MiB (${kibPerSubscriber.toFixed(1)} KiB per subscriber), load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
    };

    /** Plans trip `n` into destination `n mod D` from the next province's first county. */
    const tripIds = new Map<string, string>(); // trip id → its destination
    const origins = new Map(
      settings.provinces.map((p) => [p, destinations.find((d) => d.startsWith(p.slice(0, 2))) ?? p]),
    );
    const planTrip = async (n: number, label: string) => {
      const destination = destinations[n % destinations.length]!;
      const destinationProvince = `${destination.slice(0, 2)}0000`;
      const index = settings.provinces.indexOf(destinationProvince);
      const originProvince = settings.provinces[(index + 1 + (n % 7)) % settings.provinces.length]!;
      let answer: Awaited<ReturnType<typeof graphqlRequest>>;
      try {
        answer = await graphqlRequest(
          hub.gatewayUrl,
          `mutation Plan($input: PlanTripInput!) { planTrip(input: $input) { id } }`,
          {
            input: {
              mode: 'BUS',
              vehicleCode: `SUB-${label}-${n}`,
              origin: origins.get(originProvince),
              destination,
              departureAt: '2030-03-01T08:00:00+08:00',
              expectedArrivalAt: '2030-03-02T08:00:00+08:00',
              capacity: 50,
            },
          },
          await hub.authorization('province', originProvince),
        );
      } catch (err) {
        // The request itself failed (a reset connection, the gateway gone): counted, not fatal.
        requestErrors++;
        const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
        if (errorSamples.size < 5)
          errorSamples.add(
            `request failed: ${(err as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`,
          );
        return undefined;
      }
      const id = (answer.data as { planTrip?: { id: string } } | undefined)?.planTrip?.id;
      if (!id) {
        requestErrors++;
        if (errorSamples.size < 5) errorSamples.add(JSON.stringify(answer.errors).slice(0, 300));
        return undefined;
      }
      tripIds.set(id, destination);
      return id;
    };
    /**
     * Each process waits (at most a minute) for its clients' `measured` trips, then checks them:
     * every measured trip into the client's filter once, nothing outside its filter. Returns the
     * sums over the processes and every delivery's latency, sorted.
     */
    const checkAll = async (measured: string[]) => {
      const checks = await Promise.all(
        processes.map((p) =>
          p.ask<'checked'>({ type: 'check', measured, trips: [...tripIds], deadlineMs: 60_000 }),
        ),
      );
      countErrors(checks);
      const total = (key: 'expected' | 'lost' | 'repeated' | 'foreign' | 'unknown') =>
        checks.reduce((n, c) => n + c[key], 0);
      return {
        expected: total('expected'),
        lost: total('lost'),
        repeated: total('repeated'),
        foreign: total('foreign'),
        /** Deliveries of trips whose planTrip answered an error (e.g. a timeout) yet committed: unknown here. */
        unknown: total('unknown'),
        sorted: Float64Array.from(checks.flatMap((c) => c.latencies)).sort(),
        errorSamples: [...new Set(checks.flatMap((c) => c.errorSamples))],
      };
    };
    /**
     * Every client leaves at once (a network cut, a replica's clients moving): how long until the
     * gateway has let them all go (no connection, no client tap), and how long its /metrics took to
     * answer meanwhile (its event loop's longest wait, near enough).
     */
    const leaveAtOnce = async () => {
      const leaving = Date.now();
      const closed = Promise.all(processes.map((p) => p.close()));
      let slowestMetricsMs = 0;
      /** /metrics requests that failed (a gateway too busy to take the connection in time). */
      let unanswered = 0;
      let metrics: Record<string, number> | undefined;
      do {
        await new Promise((r) => setTimeout(r, 100));
        const asked = Date.now();
        metrics = await subscriptionMetrics(hub.gatewayUrl, hub.adminToken).catch(() => {
          unanswered++;
          return undefined;
        });
        slowestMetricsMs = Math.max(slowestMetricsMs, Date.now() - asked);
      } while (
        (metrics === undefined || metrics.connections !== 0 || metrics.client_taps !== 0) &&
        Date.now() - leaving < 120_000
      );
      const goneSeconds = (Date.now() - leaving) / 1000;
      await closed;
      log(
        `${connected} clients left at once: the gateway had let them all go in ${goneSeconds.toFixed(1)} s (${metrics?.connections ?? '?'} connections, ${metrics?.client_taps ?? '?'} client taps left); its /metrics answered in at most ${slowestMetricsMs} ms meanwhile${unanswered ? `, and ${unanswered} of its requests failed` : ''}`,
      );
    };
    /**
     * Every client leaves at once and comes back with its last cursor (a gateway replica gone, its
     * clients moved to another, #17.6), while trips go on being planned at `rate`: how long until
     * all are subscribed again, and the per-client check of the trips planned meanwhile (each once,
     * none missed; nothing a client had before the move comes again).
     */
    const moveAtOnce = async (rate: number) => {
      log(
        `--- ${connected} subscribers leave at once and come back with their last cursors, trips planned at ${rate}/s meanwhile`,
      );
      const moving = Date.now();
      let moved = false;
      const replies = Promise.all(
        processes.map((p) => p.ask<'moved'>({ type: 'move', handshakes: handshakesEach })),
      ).finally(() => (moved = true));
      const planned: string[] = [];
      const inFlight: Promise<void>[] = [];
      // Planned from the moment they leave until they are all back (at least 5 s).
      for (let e = 0; !moved || Date.now() - moving < 5_000; e++) {
        const due = moving + (e * 1000) / rate;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        inFlight.push(
          planTrip(e, `move${phase}`).then((id) => {
            if (id) planned.push(id);
          }),
        );
      }
      const back = await replies;
      await Promise.all(inFlight);
      const check = await checkAll(planned);
      const { sorted } = check;
      log(
        `all ${connected} subscribed again with their cursors in ${Math.max(...back.map((b) => b.seconds)).toFixed(1)} s; ${planned.length} trips planned meanwhile: ${sorted.length} of ${check.expected} deliveries; per-client check: lost ${check.lost}, repeated ${check.repeated}, outside the client's filter ${check.foreign}; event-to-client latency of those trips (they waited for the move): p50 ${quantile(sorted, 0.5).toFixed(0)} ms, p99 ${quantile(sorted, 0.99).toFixed(0)} ms, max ${(sorted[sorted.length - 1] ?? NaN).toFixed(0)} ms; client errors ${errors}${errors ? ` (${check.errorSamples.slice(0, 3).join('; ')})` : ''}, request errors ${requestErrors}`,
      );
    };
    let phase = 0;
    /** One measured phase at `rate` events/s over the clients connected now. */
    const measure = async (rate: number) => {
      phase++;
      const events = Math.round(rate * settings.durationSeconds);
      log(`--- ${connected} subscribers, ${events} events at ${rate}/s`);
      // Warm-up (not measured, not checked for loss): one trip into each destination, 16 at a time.
      for (let from = 0; from < destinations.length; from += 16)
        await Promise.all(
          destinations.slice(from, from + 16).map((_, i) => planTrip(from + i, `warm${phase}`)),
        );
      await new Promise((r) => setTimeout(r, 3_000));

      const measured: string[] = [];
      const cpuBefore = gatewayUsage()?.cpuMs ?? NaN;
      const groupsBefore = cpuByGroup();
      const loadAtStart = loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
      await Promise.all(processes.map((p) => p.ask<'measuring'>({ type: 'measure' })));
      const sendStarted = Date.now();
      const inFlight: Promise<void>[] = [];
      for (let e = 0; e < events; e++) {
        const due = sendStarted + (e * 1000) / rate;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        inFlight.push(
          planTrip(e, `m${phase}`).then((id) => {
            if (id) measured.push(id);
          }),
        );
      }
      await Promise.all(inFlight);
      const sendSeconds = (Date.now() - sendStarted) / 1000;
      const { expected: expectedTotal, lost, repeated, foreign, unknown, sorted } = await checkAll(measured);
      const drainSeconds = (Date.now() - sendStarted) / 1000;
      const cpuAfter = gatewayUsage()?.cpuMs ?? NaN;
      const groupsAfter = cpuByGroup();
      const metrics = await subscriptionMetrics(hub.gatewayUrl, hub.adminToken);
      const cpuMs = cpuAfter - cpuBefore;
      const cpuPerDeliveryUs = (1000 * cpuMs) / Math.max(1, sorted.length);
      log(
        `sent ${measured.length} events in ${sendSeconds.toFixed(1)} s (${(measured.length / sendSeconds).toFixed(1)}/s), load average at start ${loadAtStart}; deliveries ${sorted.length} of ${expectedTotal} expected (${(sorted.length / drainSeconds).toFixed(0)}/s over ${drainSeconds.toFixed(1)} s), client errors ${errors}, request errors ${requestErrors}${errorSamples.size ? ` (${[...errorSamples].join('; ')})` : ''}, closed as slow consumers ${slowConsumerCloses}`,
      );
      log(
        `per-client check: lost ${lost}, repeated ${repeated}, outside the client's filter ${foreign}, of trips whose planTrip answered an error ${unknown}`,
      );
      log(
        `event-to-client latency: p50 ${quantile(sorted, 0.5).toFixed(0)} ms, p90 ${quantile(sorted, 0.9).toFixed(0)} ms, p99 ${quantile(sorted, 0.99).toFixed(0)} ms, max ${(sorted[sorted.length - 1] ?? NaN).toFixed(0)} ms`,
      );
      log(
        `gateway: ${cpuMs.toFixed(0)} ms CPU over the run = ${cpuPerDeliveryUs.toFixed(0)} µs per delivery (${(cpuMs / 1000 / drainSeconds).toFixed(2)} cores), ${metrics.upstream_feeds} shared upstream feeds, ${metrics.resolution_queries} federated resolution queries since start, max ${metrics.buffered_events_max} events buffered for one client`,
      );
      log(`CPU over the phase: ${coresUsed(groupsBefore, groupsAfter, drainSeconds)}`);
      phases.push({
        subscribers: connected,
        rate,
        events: measured.length,
        deliveries: sorted.length,
        expected: expectedTotal,
        lost,
        repeated,
        foreign,
        p50Ms: quantile(sorted, 0.5),
        p99Ms: quantile(sorted, 0.99),
        maxMs: sorted[sorted.length - 1] ?? NaN,
        gatewayCpuPerDeliveryUs: cpuPerDeliveryUs,
        gatewayKiBPerSubscriber: kibPerSubscriber,
      });
    };
    for (const count of settings.subscribers) {
      await connectUpTo(count);
      for (const rate of settings.rates) await measure(rate);
    }
    await moveAtOnce(settings.rates[0]!);
    await leaveAtOnce();
  } finally {
    await stop();
  }
  return phases;
}

/** True when every client got every measured trip of its filter, once, and nothing else. */
export const phaseChecked = (p: SubscriptionPhase) => p.lost === 0 && p.repeated === 0 && p.foreign === 0;

/** One phase as a summary line. */
export function formatPhase(p: SubscriptionPhase): string {
  return `  subscriptions / ${p.subscribers.toLocaleString('en')} subscribers, ${p.rate}/s: ${p.events} events, ${p.deliveries} of ${p.expected} deliveries, p50 ${p.p50Ms.toFixed(0)} ms  p99 ${p.p99Ms.toFixed(0)} ms  max ${p.maxMs.toFixed(0)} ms, gateway ${p.gatewayCpuPerDeliveryUs.toFixed(0)} µs CPU per delivery, ${p.gatewayKiBPerSubscriber.toFixed(1)} KiB per subscriber; lost ${p.lost}, repeated ${p.repeated}, outside the filter ${p.foreign}${phaseChecked(p) ? '' : '  (CHECK FAILED)'}`;
}

/** Run as a script (not imported by run.ts): parses the flags and runs once. */
async function main(): Promise<number> {
  let stop: (() => Promise<void>) | undefined;
  let stopping = false;
  const interrupted = () => {
    if (stopping) return;
    stopping = true;
    console.error('interrupted: stopping the clients and the federation…');
    void (stop?.() ?? Promise.resolve())
      .catch((error: unknown) =>
        console.error(`stopping failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => process.exit(130));
  };
  // `on`, not `once`: the harness kills the services and re-raises a signal no one else listens to
  // (harness/service-process.ts), and a `once` listener is gone by the time it looks: the
  // databases were left behind.
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  await runSubscriptionsBench(parseSubscriptionArgs(process.argv.slice(2)), {
    onFederation: (s) => {
      stop = s;
    },
  });
  return 0;
}

/** Whether node was started on this file (importing it runs nothing). */
function runAsScript(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (runAsScript())
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
