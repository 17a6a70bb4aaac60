/**
 * Benchmark of the gateway's subscriptions (not a test), #17.4's scenario:
 *
 *   node --conditions=source --import tsx scripts/src/bench/subscriptions.ts
 *     [--subscribers 10000] [--provinces all|N|code,code] [--filters-per-province 10]
 *     [--rate 10] [--duration 30] [--database-url postgres://…] [--cpu-prof DIR]
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
 * This process holds the N client sockets and the gateway N server sockets (plus 31 province
 * links): the open-files limit must allow it (`ulimit -n`: 10,000 clients need > 10,100).
 */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { childRegionCodes, findRegion, regionContains } from '@p2p/schema';
import { graphqlRequest } from '@p2p/runtime';
import { startFederation } from '../harness/federation.js';
import { provincePoolSize, readServerConnections } from '../connection-budget.js';
import { PROVINCE_ORDER } from './geography.js';
import { serviceMemory } from './service-usage.js';

interface Settings {
  /** Subscriber counts measured in turn (clients are added up to each). */
  subscribers: number[];
  /** Event rates measured at each count. */
  rates: number[];
  durationSeconds: number;
  provinces: string[];
  filtersPerProvince: number;
  databaseUrl?: string;
  cpuProfileDir?: string;
}

function parseArgs(argv: string[]): Settings {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const provinces = value('provinces') ?? 'all';
  const databaseUrl = value('database-url') ?? process.env.DATABASE_URL;
  const profile = value('cpu-prof');
  return {
    subscribers: (value('subscribers') ?? '1000').split(',').map(Number),
    rates: (value('rate') ?? '10').split(',').map(Number),
    durationSeconds: Number(value('duration') ?? 30),
    filtersPerProvince: Number(value('filters-per-province') ?? 10),
    provinces:
      provinces === 'all'
        ? [...PROVINCE_ORDER]
        : /^\d{1,2}$/.test(provinces)
          ? PROVINCE_ORDER.slice(0, Number(provinces))
          : provinces.split(','),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(profile ? { cpuProfileDir: profile } : {}),
  };
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

/** What one client received: trip id + event kind → deliveries. */
type Received = Map<string, number>;

async function main(): Promise<void> {
  const settings = parseArgs(process.argv.slice(2));
  const cpu = cpus()[0]?.model ?? 'unknown';
  const filters = settings.provinces.flatMap((p) => provinceFilters(p, settings.filtersPerProvince));
  const destinations = leaves(filters);
  console.log(
    `machine: ${availableParallelism()} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `settings: ${settings.subscribers.join(', then ')} subscribers (one WebSocket each) on one gateway over ${filters.length} destination filters (${destinations.length} of them counties the trips go to) in ${settings.provinces.length} provinces; events (planned trips) for ${settings.durationSeconds} s at ${settings.rates.join(', ')}/s; ${settings.databaseUrl ? 'PostgreSQL' : 'PGlite'}`,
  );

  const started = Date.now();
  const pool = settings.databaseUrl
    ? provincePoolSize(await readServerConnections(settings.databaseUrl), settings.provinces.length)
    : undefined;
  const hub = await startFederation({
    provinces: settings.provinces,
    databaseUrl: settings.databaseUrl ?? '',
    ...(pool !== undefined ? { env: { DATABASE_POOL_SIZE: String(pool) } } : {}),
    readyTimeoutMs: 600_000,
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
  console.log(
    `federation up in ${((Date.now() - started) / 1000).toFixed(1)} s${pool !== undefined ? ` (province pools of ${pool})` : ''}`,
  );
  const clients: Client[] = [];
  try {
    const wsUrl = hub.gatewayUrl.replace(/^http/, 'ws');
    const officer = (filter: string) =>
      findRegion(filter)?.level === 'PROVINCE'
        ? hub.authorization('province', filter)
        : hub.authorization('city', filter);
    const params = new Map<string, Record<string, string>>();
    for (const filter of filters) params.set(filter, await officer(filter));
    const clientFilter = (i: number) => filters[i % filters.length]!;

    const received: Received[] = Array.from({ length: Math.max(...settings.subscribers) }, () => new Map());
    const latencies: number[] = [];
    let errors = 0;
    const errorSamples = new Set<string>();
    let slowConsumerCloses = 0;
    let measuring = false;
    const query = `subscription Arrivals($d: RegionCode!) { arrivals(destination: $d) { cursor kind at trip { id vehicleCode status } } }`;
    const memoryBefore = gatewayUsage()?.rssBytes ?? NaN;
    let connected = 0;
    let acknowledged = 0;
    /** Opens clients up to `count` and waits until they are all subscribed from a known position. */
    const connectUpTo = async (count: number) => {
      const connectStarted = Date.now();
      for (let i = connected; i < count; i++) {
        const client = createClient({
          url: wsUrl,
          webSocketImpl: WebSocket,
          connectionParams: params.get(clientFilter(i))!,
          retryAttempts: 0,
          keepAlive: 30_000,
          lazy: false,
          onNonLazyError: () => {}, // counted by the subscription's error callback
          on: { connected: () => acknowledged++ },
        });
        clients.push(client);
        const mine = received[i]!;
        client.subscribe<{ arrivals: { at: string; kind: string; trip: { id: string } | null } }>(
          { query, variables: { d: clientFilter(i) } },
          {
            next: (r) => {
              const now = Date.now();
              const event = r.data?.arrivals;
              if (!event?.trip) {
                errors++;
                if (errorSamples.size < 5) errorSamples.add(JSON.stringify(r).slice(0, 300));
                return;
              }
              const key = `${event.trip.id} ${event.kind}`;
              mine.set(key, (mine.get(key) ?? 0) + 1);
              if (measuring) latencies.push(now - Date.parse(event.at));
            },
            error: (e) => {
              if ((e as { code?: number })?.code === 4600) slowConsumerCloses++;
              else {
                errors++;
                if (errorSamples.size < 5)
                  errorSamples.add(String((e as Error)?.message ?? JSON.stringify(e)));
              }
            },
            complete: () => {},
          },
        );
        // At most 200 handshakes in flight: a gateway busy with thousands at once lets some wait
        // past graphql-ws's connection_init timeout (4408).
        while (i - acknowledged >= 200) await new Promise((r) => setTimeout(r, 20));
      }
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
      console.log(
        `gateway pid ${gatewayUsage()?.pid}: ${count} subscribers ready in ${((Date.now() - connectStarted) / 1000).toFixed(1)} s: ${metrics.connections} connections, ${metrics.client_taps} client taps, ${metrics.upstream_feeds} upstream feeds; gateway RSS ${(memoryBefore / 2 ** 20).toFixed(0)} → ${(memoryAfter / 2 ** 20).toFixed(0)} MiB (${((memoryAfter - memoryBefore) / count / 1024).toFixed(1)} KiB per subscriber), load average ${loadavg()
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
      const answer = await graphqlRequest(
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
      const id = (answer.data as { planTrip?: { id: string } } | undefined)?.planTrip?.id;
      if (!id) {
        errors++;
        if (errorSamples.size < 5) errorSamples.add(JSON.stringify(answer.errors).slice(0, 300));
        return undefined;
      }
      tripIds.set(id, destination);
      return id;
    };
    let phase = 0;
    /** One measured phase at `rate` events/s over the clients connected now. */
    const measure = async (rate: number) => {
      phase++;
      const events = Math.round(rate * settings.durationSeconds);
      console.log(`--- ${connected} subscribers, ${events} events at ${rate}/s`);
      // Warm-up (not measured, not checked for loss): one trip into each destination.
      await Promise.all(destinations.map((_, n) => planTrip(n, `warm${phase}`)));
      await new Promise((r) => setTimeout(r, 3_000));
      latencies.length = 0;
      for (const mine of received) mine.clear();

      const measured: string[] = [];
      const cpuBefore = gatewayUsage()?.cpuMs ?? NaN;
      const loadAtStart = loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
      measuring = true;
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
      // Expected deliveries per client: every measured trip into its filter.
      const expectedOf = (filter: string) =>
        measured.filter((id) => regionContains(filter, tripIds.get(id)!)).map((id) => `${id} PLANNED`);
      const expected = new Map(filters.map((f) => [f, expectedOf(f)]));
      const expectedTotal = received
        .slice(0, connected)
        .reduce((n, _, i) => n + expected.get(clientFilter(i))!.length, 0);
      const deadline = Date.now() + 60_000;
      const deliveredMeasured = () => {
        let n = 0;
        received.slice(0, connected).forEach((mine, i) => {
          for (const key of expected.get(clientFilter(i))!) if (mine.has(key)) n++;
        });
        return n;
      };
      while (deliveredMeasured() < expectedTotal && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 250));
      const drainSeconds = (Date.now() - sendStarted) / 1000;
      const cpuAfter = gatewayUsage()?.cpuMs ?? NaN;
      measuring = false;
      const metrics = await subscriptionMetrics(hub.gatewayUrl, hub.adminToken);

      // The per-client check: each measured trip into its filter once, nothing outside its filter.
      let lost = 0;
      let repeated = 0;
      let foreign = 0;
      /** Events of trips whose planTrip answered an error (e.g. a timeout) yet committed: unknown here. */
      let unknown = 0;
      received.slice(0, connected).forEach((mine, i) => {
        const filter = clientFilter(i);
        for (const key of expected.get(filter)!) if (!mine.has(key)) lost++;
        for (const [key, count] of mine) {
          const destination = tripIds.get(key.split(' ')[0]!);
          if (!destination) unknown += count;
          else if (!regionContains(filter, destination)) foreign += count;
          else if (count > 1) repeated += count - 1;
        }
      });
      const sorted = Float64Array.from(latencies).sort();
      const cpuMs = cpuAfter - cpuBefore;
      console.log(
        `sent ${measured.length} events in ${sendSeconds.toFixed(1)} s (${(measured.length / sendSeconds).toFixed(1)}/s), load average at start ${loadAtStart}; deliveries ${latencies.length} of ${expectedTotal} expected (${(latencies.length / drainSeconds).toFixed(0)}/s over ${drainSeconds.toFixed(1)} s), client errors ${errors}${errorSamples.size ? ` (${[...errorSamples].join('; ')})` : ''}, closed as slow consumers ${slowConsumerCloses}`,
      );
      console.log(
        `per-client check: lost ${lost}, repeated ${repeated}, outside the client's filter ${foreign}, of trips whose planTrip answered an error ${unknown}`,
      );
      console.log(
        `event-to-client latency: p50 ${quantile(sorted, 0.5).toFixed(0)} ms, p90 ${quantile(sorted, 0.9).toFixed(0)} ms, p99 ${quantile(sorted, 0.99).toFixed(0)} ms, max ${(sorted[sorted.length - 1] ?? NaN).toFixed(0)} ms`,
      );
      console.log(
        `gateway: ${cpuMs.toFixed(0)} ms CPU over the run = ${((1000 * cpuMs) / Math.max(1, latencies.length)).toFixed(0)} µs per delivery (${(cpuMs / 1000 / drainSeconds).toFixed(2)} cores), ${metrics.upstream_feeds} shared upstream feeds, ${metrics.resolution_queries} federated resolution queries since start, max ${metrics.buffered_events_max} events buffered for one client`,
      );
    };
    for (const count of settings.subscribers) {
      await connectUpTo(count);
      for (const rate of settings.rates) await measure(rate);
    }
  } finally {
    await Promise.allSettled(clients.map((c) => c.dispose()));
    await hub.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
