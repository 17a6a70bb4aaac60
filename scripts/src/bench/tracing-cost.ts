/**
 * Benchmark (not a test): what tracing costs when it is on (#18.3). The same `trips` query (the
 * bench's `tripsToDestination`: trips of both provinces into Shenzhen with their passengers' names
 * and home regions, so a transport fetch per province, a workers fetch per province and national)
 * timed against TWO federations side by side, one with tracing off and one exporting every span
 * (always-on sampling, the default `http/protobuf`, the default 5 s batch delay) to an OTLP sink in
 * this process.
 *
 *   node --conditions=source --import tsx scripts/src/bench/tracing-cost.ts \
 *     [--requests 600] [--warmup 100] [--trips 10] [--concurrency 8] [--database postgres://…] \
 *     [--sampler parentbased_always_on]
 *
 * `--sampler always_off` keeps tracing registered (context manager, propagation) but records no
 * span: the cost of the context propagation alone (Node 20's AsyncLocalStorage runs on promise
 * hooks), apart from making and exporting spans.
 *
 * Real processes (harness), two provinces each (Guangxi, Henan), each over its own fresh database
 * (PostgreSQL with `--database` or DATABASE_URL, else PGlite), the same data entered through the
 * gateway in both (`--trips` trips per province into Shenzhen, 5 passengers each). Requests are
 * interleaved in rounds of 20 (off, on, off, on…) so that whatever else the machine does weighs on
 * both alike: first one at a time (latency p50/p95), then `--concurrency` in flight (throughput).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { residentIdFrom } from '@p2p/schema';
import { graphqlData } from '@p2p/runtime';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { startOtlpCollector } from '../harness/otlp-collector.js';
import { GraphQLClient } from './graphql-client.js';
import { formatMs, LatencyRecorder } from './latency.js';
import { tripsToDestination } from './operations.js';
import { serviceMemory } from './service-usage.js';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '600' },
    warmup: { type: 'string', default: '100' },
    trips: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
    database: { type: 'string', default: process.env.DATABASE_URL ?? '' },
    sampler: { type: 'string', default: 'parentbased_always_on' },
  },
});
const REQUESTS = Number(args.requests);
const WARMUP = Number(args.warmup);
const TRIPS = Number(args.trips);
const CONCURRENCY = Number(args.concurrency);
const ROUND = 20;
const DESTINATION = '440300';
const ORIGINS = [
  { province: '450000', city: '450200' },
  { province: '410000', city: '411600' },
];
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Enters the same workers and trips into a federation through its gateway, as the cities' officers. */
async function seed(federation: RunningFederation): Promise<void> {
  for (const origin of ORIGINS) {
    const officer = await federation.authorization('city', origin.city);
    const inputs = Array.from({ length: TRIPS * 5 }, (_, i) => ({
      name: `追踪基准${i}`,
      idNumber: residentIdFrom(origin.city, '19900101', i + 1),
      phone: `139${String(i).padStart(8, '0')}`,
      homeRegion: origin.city,
    }));
    const { registerWorkers } = await graphqlData<{ registerWorkers: { id: string }[] }>(
      federation.gatewayUrl,
      'mutation($i: [RegisterWorkerInput!]!) { registerWorkers(inputs: $i) { id } }',
      { i: inputs },
      officer,
    );
    for (let t = 0; t < TRIPS; t++) {
      const { planTrip } = await graphqlData<{ planTrip: { id: string } }>(
        federation.gatewayUrl,
        'mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }',
        {
          input: {
            mode: 'BUS',
            vehicleCode: `桂A·B${String(t).padStart(4, '0')}`,
            origin: origin.city,
            destination: DESTINATION,
            departureAt: `2020-02-${String(10 + t).padStart(2, '0')}T07:00:00+08:00`,
            expectedArrivalAt: `2020-02-${String(11 + t).padStart(2, '0')}T07:00:00+08:00`,
            capacity: 50,
          },
        },
        officer,
      );
      await graphqlData(
        federation.gatewayUrl,
        'mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }',
        { t: planTrip.id, w: registerWorkers.slice(t * 5, t * 5 + 5).map((w) => w.id) },
        officer,
      );
    }
  }
}

interface Side {
  name: string;
  client: GraphQLClient;
  sequential: LatencyRecorder;
  concurrentMs: number;
  concurrentCount: number;
  errors: number;
}

/**
 * CPU milliseconds used so far by the services of each federation (/proc, see service-usage.ts),
 * split by whether the process was started with tracing: CPU per request hardly moves when other
 * work shares the machine, unlike latencies.
 */
function cpuBySide(): Record<'off' | 'on', { gateway: number; others: number }> {
  const out = { off: { gateway: 0, others: 0 }, on: { gateway: 0, others: 0 } };
  for (const m of serviceMemory()) {
    let env = '';
    try {
      env = readFileSync(`/proc/${m.pid}/environ`, 'utf8');
    } catch {}
    const side = out[env.includes('OTEL_EXPORTER_OTLP_ENDPOINT=') ? 'on' : 'off'];
    if (m.service === 'gateway') side.gateway += m.cpuMs;
    else side.others += m.cpuMs;
  }
  return out;
}

async function sendOne(side: Side, record?: LatencyRecorder): Promise<void> {
  const started = performance.now();
  const outcome = await side.client.send(tripsToDestination(DESTINATION));
  record?.record(performance.now() - started);
  if (outcome.error) side.errors++;
}

async function main(): Promise<void> {
  const sink = await startOtlpCollector();
  const databaseUrl = args.database || '';
  say(
    `# tracing on (OTEL_TRACES_SAMPLER=${args.sampler}) vs off: ${REQUESTS} trips queries each, ${databaseUrl ? 'PostgreSQL' : 'PGlite'}`,
  );
  const common = {
    provinces: ORIGINS.map((o) => o.province),
    databaseUrl,
    gatewayEnv: { RATE_LIMIT_PER_SECOND: '0' },
  };
  const off = await startFederation(common);
  let on: RunningFederation | undefined;
  try {
    on = await startFederation({
      ...common,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLER: args.sampler },
    });
    await Promise.all([seed(off), seed(on)]);
    const sides: Side[] = [];
    for (const [name, federation] of [
      ['off', off],
      ['on', on],
    ] as const) {
      const auth = await federation.authorization('ministry');
      sides.push({
        name,
        client: new GraphQLClient(federation.gatewayUrl, {
          connections: CONCURRENCY,
          headersFor: () => auth,
        }),
        sequential: new LatencyRecorder(),
        concurrentMs: 0,
        concurrentCount: 0,
        errors: 0,
      });
    }
    for (const side of sides) for (let i = 0; i < WARMUP; i++) await sendOne(side);
    const cpuBefore = cpuBySide();
    for (let done = 0; done < REQUESTS; done += ROUND)
      for (const side of sides) for (let i = 0; i < ROUND; i++) await sendOne(side, side.sequential);
    const cpuAfter = cpuBySide();
    const cpu = (side: 'off' | 'on', part: 'gateway' | 'others') =>
      (cpuAfter[side][part] - cpuBefore[side][part]) / REQUESTS;
    for (let done = 0; done < REQUESTS; done += ROUND * CONCURRENCY)
      for (const side of sides) {
        const started = performance.now();
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            for (let i = 0; i < ROUND; i++) await sendOne(side);
          }),
        );
        side.concurrentMs += performance.now() - started;
        side.concurrentCount += ROUND * CONCURRENCY;
      }
    const [offSide, onSide] = sides as [Side, Side];
    const a = offSide.sequential.summary();
    const b = onSide.sequential.summary();
    const rate = (s: Side) => (s.concurrentCount / s.concurrentMs) * 1000;
    say('');
    say(`| tracing | requests | p50 ms | p95 ms | mean ms | req/s at ${CONCURRENCY} in flight | errors |`);
    say('| ------- | -------- | ------ | ------ | ------- | ------------------ | ------ |');
    for (const [side, s] of [
      [offSide, a],
      [onSide, b],
    ] as const)
      say(
        `| ${side.name.padEnd(7)} | ${s.count} | ${formatMs(s.p50)} | ${formatMs(s.p95)} | ${formatMs(s.mean)} | ${rate(side).toFixed(0)} | ${side.errors} |`,
      );
    say(
      `| on/off  |  | ${(b.p50 / a.p50).toFixed(2)} | ${(b.p95 / a.p95).toFixed(2)} | ${(b.mean / a.mean).toFixed(2)} | ${(rate(onSide) / rate(offSide)).toFixed(2)} |  |`,
    );
    say('');
    say('| tracing | gateway CPU ms/request | provinces + national CPU ms/request |');
    say('| ------- | ---------------------- | ----------------------------------- |');
    for (const side of ['off', 'on'] as const)
      say(`| ${side.padEnd(7)} | ${cpu(side, 'gateway').toFixed(2)} | ${cpu(side, 'others').toFixed(2)} |`);
    say(
      `| on/off  | ${(cpu('on', 'gateway') / cpu('off', 'gateway')).toFixed(2)} | ${(cpu('on', 'others') / cpu('off', 'others')).toFixed(2)} |`,
    );
    await on.close();
    say(
      `sink: ${sink.received.requests} OTLP export requests, ${(sink.received.bytes / 1024).toFixed(0)} KiB (protobuf) ≈ ${(
        sink.received.bytes / (WARMUP + REQUESTS + onSide.concurrentCount)
      ).toFixed(0)} bytes per traced query, all services`,
    );
    await Promise.all(sides.map((s) => s.client.close()));
  } finally {
    await Promise.allSettled([off.close(), on?.close()]);
    await sink.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
