/**
 * Benchmark of the gateway's subscriptions (not a test):
 *
 *   node --conditions=source --import tsx scripts/src/bench/subscriptions.ts [--subscribers 1000]
 *     [--events 300] [--rate 20] [--provinces 130000,410000,450000] [--database-url postgres://…]
 *
 * Starts a federation (real processes), opens N graphql-ws clients (one WebSocket each) on ONE
 * gateway, all following arrivals into Beijing with three different region filters (110000,
 * 110100, 110105: every event matches all three), then sends ETA changes through the gateway's
 * mutations at a steady rate from every province. Reports the event-to-client latency (from the
 * event's commit timestamp `at` to its arrival at each client: same machine, same clock), p50,
 * p90, p99 and max over every delivery, how many deliveries arrived, and from the gateway's
 * /metrics how many upstream subscriptions it opened and how many federated resolution queries
 * it sent. Prints the machine and the settings first.
 */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startFederation } from '../harness/federation.js';
import { graphqlData, graphqlRequest } from '@p2p/runtime';

interface Settings {
  subscribers: number;
  events: number;
  rate: number;
  provinces: string[];
  databaseUrl?: string;
}

function parseArgs(argv: string[]): Settings {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    subscribers: Number(value('subscribers') ?? 1000),
    events: Number(value('events') ?? 300),
    rate: Number(value('rate') ?? 20),
    provinces: (value('provinces') ?? '130000,410000,450000').split(','),
    ...((value('database-url') ?? process.env.DATABASE_URL)
      ? { databaseUrl: value('database-url') ?? process.env.DATABASE_URL }
      : {}),
  };
}

const FILTERS = ['110000', '110100', '110105'];
const ORIGINS: Record<string, string> = {
  110000: '110105',
  130000: '130426',
  410000: '411624',
  440000: '440306',
  450000: '450204',
};

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

async function main(): Promise<void> {
  const settings = parseArgs(process.argv.slice(2));
  const cpu = cpus()[0]?.model ?? 'unknown';
  console.log(
    `machine: ${availableParallelism()} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `settings: ${settings.subscribers} subscribers (one WebSocket each) on one gateway, filters ${FILTERS.join('/')}, ${settings.events} events at ${settings.rate}/s from ${settings.provinces.join(', ')}, ${settings.databaseUrl ? 'PostgreSQL' : 'PGlite'}`,
  );

  const started = Date.now();
  const hub = await startFederation({
    provinces: settings.provinces,
    ...(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : { databaseUrl: '' }),
    // One caller holds every subscriber's connection: the per-caller caps and rate limit are off.
    gatewayEnv: { SUBSCRIPTION_MAX_CONNECTIONS_PER_CALLER: '0', RATE_LIMIT_PER_SECOND: '0' },
    onLog: (service, line, stream) => {
      if ((stream === 'stderr' && !line.startsWith('{')) || /"level":"(error|fatal)"/.test(line))
        console.error(`[${service}] ${line.slice(0, 300)}`);
    },
  });
  console.log(`federation up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const clients: Client[] = [];
  try {
    const trips = await Promise.all(
      settings.provinces.flatMap((province) =>
        [0, 1].map(async (n) => {
          const data = await graphqlData(
            hub.gatewayUrl,
            `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`,
            {
              input: {
                mode: 'BUS',
                vehicleCode: `BENCH-${province}-${n}`,
                origin: ORIGINS[province],
                destination: '110105',
                departureAt: '2030-03-01T08:00:00+08:00',
                expectedArrivalAt: '2030-03-02T08:00:00+08:00',
                capacity: 50,
              },
            },
            await hub.authorization('province', province),
          );
          return {
            province,
            id: data.planTrip.id as string,
            headers: await hub.authorization('province', province),
          };
        }),
      ),
    );

    const wsUrl = hub.gatewayUrl.replace(/^http/, 'ws');
    const connectionParams = await hub.authorization('city', '110100');
    const received = new Int32Array(settings.subscribers);
    const latencies = new Float64Array(settings.subscribers * (settings.events + 10));
    let deliveries = 0;
    let errors = 0;
    let slowConsumerCloses = 0;
    let measuring = false;
    const query = `subscription($d: RegionCode!) { arrivals(destination: $d) { cursor kind at trip { id vehicleCode status } } }`;
    for (let i = 0; i < settings.subscribers; i++) {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
        keepAlive: 10_000,
      });
      clients.push(client);
      client.subscribe<{ arrivals: { at: string } }>(
        { query, variables: { d: FILTERS[i % FILTERS.length] } },
        {
          next: (r) => {
            const now = Date.now();
            if (!r.data) {
              errors++;
              return;
            }
            received[i]!++;
            if (measuring) latencies[deliveries++] = now - Date.parse(r.data.arrivals.at);
          },
          error: (e) => ((e as { code?: number })?.code === 4600 ? slowConsumerCloses++ : errors++),
          complete: () => {},
        },
      );
    }
    // Warm-up: one event must reach every client before measuring.
    const sendEta = async (trip: (typeof trips)[number], minute: number) => {
      const at = new Date(Date.parse('2030-03-02T08:00:00+08:00') + minute * 60_000).toISOString();
      const answer = await graphqlRequest(
        hub.gatewayUrl,
        `mutation($id: ID!, $at: DateTime!) { updateEta(tripId: $id, expectedArrivalAt: $at) { id } }`,
        { id: trip.id, at },
        trip.headers,
      );
      if (answer.errors?.length) errors++;
    };
    const waitAll = async (count: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (received.some((n) => n < count) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
    };
    let ready = false;
    for (let attempt = 0; attempt < 20 && !ready; attempt++) {
      await new Promise((r) => setTimeout(r, 1_000));
      received.fill(0);
      await sendEta(trips[0]!, 1);
      await waitAll(1, 5_000);
      ready = received.every((n) => n >= 1);
    }
    if (!ready)
      throw new Error(
        `only ${received.filter((n) => n >= 1).length} of ${settings.subscribers} subscribers got the warm-up event`,
      );
    console.log(
      `${settings.subscribers} subscribers ready after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    received.fill(0);
    measuring = true;

    const sendStarted = Date.now();
    const inFlight: Promise<void>[] = [];
    for (let e = 0; e < settings.events; e++) {
      const due = sendStarted + (e * 1000) / settings.rate;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      inFlight.push(sendEta(trips[e % trips.length]!, 10 + e));
    }
    await Promise.all(inFlight);
    const sendSeconds = (Date.now() - sendStarted) / 1000;
    await waitAll(settings.events, 60_000);
    measuring = false;
    const metrics = await subscriptionMetrics(hub.gatewayUrl, hub.adminToken);

    const sorted = latencies.slice(0, deliveries).sort();
    const expected = settings.subscribers * settings.events;
    console.log(
      `sent ${settings.events} events in ${sendSeconds.toFixed(1)} s (${(settings.events / sendSeconds).toFixed(1)}/s); deliveries ${deliveries} of ${expected} (${((100 * deliveries) / expected).toFixed(2)} %), client errors ${errors}, closed as slow consumers ${slowConsumerCloses}`,
    );
    console.log(
      `event-to-client latency: p50 ${quantile(sorted, 0.5).toFixed(0)} ms, p90 ${quantile(sorted, 0.9).toFixed(0)} ms, p99 ${quantile(sorted, 0.99).toFixed(0)} ms, max ${(sorted[sorted.length - 1] ?? NaN).toFixed(0)} ms`,
    );
    console.log(
      `gateway: ${metrics.connections} connections, ${metrics.client_taps} client taps, ${metrics.upstream_feeds} shared upstream feeds, ${metrics.upstream_opened} upstream subscriptions opened (${settings.subscribers} × ${settings.provinces.length} = ${settings.subscribers * settings.provinces.length} without sharing), ${metrics.resolution_queries} federated resolution queries for ${settings.events + 1} events`,
    );
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
