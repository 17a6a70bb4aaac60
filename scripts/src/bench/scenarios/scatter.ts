/**
 * Scenario "scatter" (#17.3): the fan-outs of the hub — a `trips(destination:)` page, the
 * nation's `summary` with its 31 `children`, a 100-id entity batch spread over every province, and
 * a province's `summary` (#17.2: its own service alone answers it) —
 * against the same operations when the hub holds ONE province ("the province asked alone").
 *
 * The provinces share two cores here; to measure the gateway as if each province ran on its own
 * machine, every province and national are reached through a bench-only delaying proxy
 * (`delay-proxy.ts`) that adds a fixed latency to each request (`--injected-latency`), and two
 * extra gateways are started over the proxies (`proxied-gateway.ts`): one over every province,
 * one over a single province at a time (a few provinces are sampled; all hold the same generated
 * data). Both are measured in alternating batches, one request at a time. Reported per operation:
 * latency of each side, the ratio of the fan-out's p50 to the slowest single province's p50, the
 * gateway's own CPU per request (/proc), and the longest wait for a province per request as the
 * proxies saw it (which shows how much of the latency is the box's contention among 31 provinces).
 *
 * Then the same measurement again, "provinces replayed": through a second set of proxies in replay
 * mode, which record each distinct request's answer (method, path, body) during a warm-up pass and
 * serve it again from memory after the same delay, without asking the province. Each province then
 * answers in exactly the injected latency, as one alone on its own idle machine would (none of the
 * box's contention among the provinces), so what is left in the ratio is the gateway's own fan-out
 * work. The operations cycle through {@link REPLAY_CYCLE} request indices so every request of the
 * measured pass repeats one of the warm-up; the proxies' hits and misses are reported (a miss is a
 * request that reached a province during the measurement).
 *
 * With `BENCH_CPU_PROF_DIR` set, the gateway over every province writes a V8 CPU profile there when
 * it stops (`--cpu-prof`).
 *
 * Then one province is made slow (2 s more at its replaying proxy, the others replaying in the
 * injected latency) and each operation is sent again: every answer must come within the province
 * timeout (plus national's hop), with the slow province's part a `PROVINCE_UNAVAILABLE` error
 * naming it and the rest of the answer served.
 */
import { RECEIVING_CITIES } from '../geography.js';
import type { Operation } from '../graphql-client.js';
import { formatMs, LatencyRecorder } from '../latency.js';
import { WORKERS_PER_BATCH, workersById } from '../operations.js';
import { startDelayProxy, type DelayProxy } from '../delay-proxy.js';
import { startProxiedGateway, type ProxiedGateway } from '../proxied-gateway.js';
import { loadedWorkerId, randomFor, type ScenarioContext } from '../scenario.js';

const NAME = 'scatter';
/** `PROVINCE_TIMEOUT_MS` of the gateways measured for latency: the deployed default. */
const MEASURED_PROVINCE_TIMEOUT_MS = 5_000;
/** `PROVINCE_TIMEOUT_MS` of the gateway of the slow-province check: below the slow province's 2 s, so its part times out. */
export const SCATTER_PROVINCE_TIMEOUT_MS = 1_000;
/** What the slow province adds at its proxy. */
export const SLOW_PROVINCE_EXTRA_MS = 2_000;
const PAGE = 20;

const TRIPS_PAGE = `query TripsPage($destination: RegionCode!, $first: Int) {
  trips(destination: $destination, first: $first) {
    edges { cursor node { id mode vehicleCode status departureAt origin { code } destination { code } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const PARTS = `workers { registered atWork flow { crossProvince } }
    employment { enterprises openings filled fillRate }
    transport { outbound { trips passengers } inbound { trips } internal { trips } }`;
const NATION_SUMMARY = `query NationSummary { summary { scope ${PARTS} children { scope ${PARTS} } } }`;
/** A province's summary (#17.2): since its transport and health parts are the province's own, one province answers. */
const PROVINCE_SUMMARY = `query ProvinceSummary($scope: RegionCode) { summary(scope: $scope) { scope ${PARTS}
    health { boardingRefused { fever healthCode } feverAtArrival underObservation } } }`;

/** One of the three fan-outs: its operation over every province, and over province `alone` only. */
interface FanOut {
  label: string;
  scatter(n: number): Operation;
  alone(n: number, province: string): Operation;
}

function fanOuts(ctx: ScenarioContext): FanOut[] {
  const { hub } = ctx;
  const trips = (n: number): Operation => ({
    name: 'tripsPage',
    query: TRIPS_PAGE,
    variables: { destination: RECEIVING_CITIES[n % RECEIVING_CITIES.length]!, first: PAGE },
  });
  const summary = (): Operation => ({ name: 'nationSummary', query: NATION_SUMMARY, variables: {} });
  const provinceSummary = (scope: string): Operation => ({
    name: 'provinceSummary',
    query: PROVINCE_SUMMARY,
    variables: { scope },
  });
  const batch = (n: number, from: (i: number) => string) => {
    const random = randomFor(17, n);
    return workersById(
      Array.from({ length: WORKERS_PER_BATCH }, (_, i) => loadedWorkerId(hub, random, from(i))),
    );
  };
  return [
    { label: `trips(destination:, first: ${PAGE})`, scatter: trips, alone: trips },
    { label: 'nation summary with children', scatter: summary, alone: summary },
    {
      label: 'province summary',
      scatter: (n) => provinceSummary(hub.provinces[n % hub.provinces.length]!),
      alone: (_n, province) => provinceSummary(province),
    },
    {
      label: `${WORKERS_PER_BATCH}-id entity batch`,
      scatter: (n) => batch(n, (i) => hub.provinces[i % hub.provinces.length]!),
      alone: (n, province) => batch(n, () => province),
    },
  ];
}

/**
 * The replayed measurement asks each operation with indices `n mod REPLAY_CYCLE` only: its warm-up
 * pass sends the whole cycle (which the proxies record), so every request of the measured pass is
 * one the proxies have answered before, and is replayed.
 */
const REPLAY_CYCLE = 10;

/** The delaying proxies one measurement goes through. */
interface ProxySet {
  byProvince: Map<string, DelayProxy>;
  provinces: DelayProxy[];
  national: DelayProxy;
}

/** Starts a proxy before every province and national; each is added to `opened` as it starts. */
async function startProxies(ctx: ScenarioContext, replay: boolean, opened: DelayProxy[]): Promise<ProxySet> {
  const { hub, options } = ctx;
  const national = await startDelayProxy(hub.federation.nationalUrl, options.injectedLatencyMs, { replay });
  opened.push(national);
  const byProvince = new Map<string, DelayProxy>();
  for (const code of hub.provinces) {
    const proxy = await startDelayProxy(hub.federation.provinceUrls[code]!, options.injectedLatencyMs, {
      replay,
    });
    opened.push(proxy);
    byProvince.set(code, proxy);
  }
  return { byProvince, provinces: [...byProvince.values()], national };
}

/** Replay hits and misses (requests forwarded) of the replaying proxies of `set` so far. */
function replayCounts(set: ProxySet): { hits: number; misses: number } {
  let hits = 0;
  let misses = 0;
  for (const p of [...set.provinces, set.national])
    if (p.replay) {
      hits += p.replayed;
      misses += p.forwarded;
    }
  return { hits, misses };
}

/** Latency, gateway CPU and longest province wait of one side. */
class Side {
  readonly latency = new LatencyRecorder();
  readonly longestWait = new LatencyRecorder();
  cpuMs = 0;
  errors = 0;
  readonly errorSamples = new Map<string, number>();
  /** Replay hits and misses at the proxies (province and national) while this side was measured. */
  hits = 0;
  misses = 0;
}

/** Sends `count` operations one at a time, recording into `side`. */
async function batchOf(
  gateway: ProxiedGateway,
  proxies: ProxySet,
  side: Side,
  count: number,
  next: (n: number) => Operation,
  first: number,
): Promise<void> {
  const cpuBefore = gateway.cpuMs();
  const before = replayCounts(proxies);
  for (let i = 0; i < count; i++) {
    for (const p of proxies.provinces) p.takeWindow();
    const started = performance.now();
    const outcome = await gateway.client.send(next(first + i));
    side.latency.record(performance.now() - started);
    side.longestWait.record(Math.max(...proxies.provinces.map((p) => p.takeWindow().longestMs)));
    if (outcome.error) {
      side.errors++;
      side.errorSamples.set(outcome.error, (side.errorSamples.get(outcome.error) ?? 0) + 1);
    }
  }
  side.cpuMs += gateway.cpuMs() - cpuBefore;
  const after = replayCounts(proxies);
  side.hits += after.hits - before.hits;
  side.misses += after.misses - before.misses;
}

/** Checks that each fan-out's answer is whole and says how many provinces it asked. */
async function probe(
  ctx: ScenarioContext,
  everyone: ProxiedGateway,
  proxies: ProxySet,
  kinds: readonly FanOut[],
): Promise<void> {
  const answered = (p: DelayProxy) => p.forwarded + p.replayed;
  // The answers are whole: every province answered, nothing failed (a freshly started gateway
  // on a busy box may miss the first ones: up to 5 tries).
  for (const kind of kinds) {
    let error: string | undefined = 'not sent';
    let asked = 0;
    let sent = 0;
    for (let attempt = 0; attempt < 5 && error; attempt++) {
      const before = proxies.provinces.map(answered);
      error = (await everyone.client.send(kind.scatter(attempt))).error;
      asked = proxies.provinces.filter((p, i) => answered(p) > before[i]!).length;
      sent = proxies.provinces.reduce((total, p, i) => total + answered(p) - before[i]!, 0);
    }
    if (error) throw new Error(`${NAME}: ${kind.label} failed: ${error}`);
    ctx.report.say(
      `  ${kind.label}: ${asked} of ${proxies.provinces.length} provinces asked, ${sent} province requests, answer without errors`,
    );
  }
}

/** What one measurement recorded: the gateway over every province, and each sampled province alone. */
interface Measurement {
  all: Side[];
  alone: Map<string, Side[]>;
  /** Errors of the warm-up batches (not in the sides). */
  warmErrors: number;
}

/**
 * Measures every fan-out through `everyone` against a gateway over each province of `sample` alone,
 * in alternating batches, one request at a time. Replayed (`proxies` replay): the operations cycle
 * through indices `n mod REPLAY_CYCLE`, and the warm-up sends the whole cycle first.
 */
async function measure(
  ctx: ScenarioContext,
  kinds: readonly FanOut[],
  everyone: ProxiedGateway,
  proxies: ProxySet,
  sample: readonly string[],
  gateways: ProxiedGateway[],
  replayed: boolean,
): Promise<Measurement> {
  const { hub, options } = ctx;
  const index = replayed ? (n: number) => n % REPLAY_CYCLE : (n: number) => n;
  const perBatch = options.quick ? 5 : 10;
  const rounds = Math.max(1, Math.ceil(Math.min(options.requests, options.quick ? 10 : 60) / perBatch));
  const warmCount = replayed ? REPLAY_CYCLE : perBatch;
  const warmFirst = replayed ? 0 : 1_000_000;
  const all = kinds.map(() => new Side());
  const aloneSides = new Map<string, Side[]>();
  let warmErrors = 0;
  let sequence = 0;
  for (const province of sample) {
    const alone = await startProxiedGateway({
      hub,
      provinces: new Map([[province, proxies.byProvince.get(province)!]]),
      national: proxies.national,
      provinceTimeoutMs: MEASURED_PROVINCE_TIMEOUT_MS,
      connections: 4,
      name: `gateway over ${province} alone${replayed ? ' (replayed)' : ''}`,
    });
    gateways.push(alone);
    const sides = kinds.map(() => new Side());
    aloneSides.set(province, sides);
    for (const [k, kind] of kinds.entries()) {
      const scattered = (i: number) => kind.scatter(index(i));
      const asked = (i: number) => kind.alone(index(i), province);
      const warm = new Side();
      await batchOf(everyone, proxies, warm, warmCount, scattered, warmFirst);
      await batchOf(alone, proxies, warm, warmCount, asked, warmFirst);
      warmErrors += warm.errors;
      for (let round = 0; round < rounds; round++) {
        const first = sequence;
        sequence += perBatch;
        const order = round % 2 === 0 ? [0, 1] : [1, 0];
        for (const which of order) {
          if (which === 0) await batchOf(everyone, proxies, all[k]!, perBatch, scattered, first);
          else await batchOf(alone, proxies, sides[k]!, perBatch, asked, first);
        }
      }
    }
    await alone.stop();
    gateways.pop();
  }
  ctx.report.say(
    `  one request at a time, alternating batches of ${perBatch}; alone = a gateway over that province only (same proxies, same delay); sampled provinces ${sample.join(', ')}`,
  );
  return { all, alone: aloneSides, warmErrors };
}

/** One side's line: latency, errors, gateway CPU and longest province wait (and replay counts). */
function sideLine(ctx: ScenarioContext, name: string, side: Side, replayed: boolean): void {
  const s = side.latency.summary();
  ctx.report.say(
    `    ${name}: ${s.count} requests, p50 ${formatMs(s.p50)} ms, p99 ${formatMs(s.p99)} ms, errors ${side.errors}; gateway CPU ${(side.cpuMs / Math.max(1, s.count)).toFixed(1)} ms/request; longest province wait p50 ${formatMs(side.longestWait.summary().p50)} ms${replayed ? `; replayed ${side.hits}, missed ${side.misses}` : ''}`,
  );
  for (const [reason, times] of side.errorSamples) ctx.report.say(`      error ×${times}: ${reason}`);
}

/** Prints one measurement, with a fact per fan-out. */
function reportMeasurement(
  ctx: ScenarioContext,
  kinds: readonly FanOut[],
  measured: Measurement,
  sample: readonly string[],
  replayed: boolean,
): void {
  const n = ctx.hub.provinces.length;
  for (const [k, kind] of kinds.entries()) {
    const all = measured.all[k]!;
    const s = all.latency.summary();
    ctx.report.say(`  ${kind.label}${replayed ? ', provinces replayed' : ''}`);
    sideLine(ctx, `all ${n} provinces`, all, replayed);
    let slowest = 0;
    let slowestWait = 0;
    const aloneCpu: number[] = [];
    let hits = all.hits;
    let misses = all.misses;
    for (const province of sample) {
      const side = measured.alone.get(province)![k]!;
      slowest = Math.max(slowest, side.latency.summary().p50);
      slowestWait = Math.max(slowestWait, side.longestWait.summary().p50);
      aloneCpu.push(side.cpuMs / Math.max(1, side.latency.count));
      hits += side.hits;
      misses += side.misses;
      sideLine(ctx, `${province} alone`, side, replayed);
    }
    if (!replayed) {
      const waitExcess = all.longestWait.summary().p50 - slowestWait;
      ctx.report.fact(
        `  scatter, ${kind.label}: p50 ${formatMs(s.p50)} ms over ${n} provinces vs ${formatMs(slowest)} ms for the slowest province alone = ×${(s.p50 / slowest).toFixed(2)} (target ≤ ×1.5); the provinces' own answers took ${formatMs(waitExcess)} ms longer at p50 when all ${n} ran at once on this box; without that: ×${((s.p50 - waitExcess) / slowest).toFixed(2)}`,
      );
      continue;
    }
    const cpu = (all.cpuMs / Math.max(1, s.count)).toFixed(1);
    const cpuAlone = `${Math.min(...aloneCpu).toFixed(1)}–${Math.max(...aloneCpu).toFixed(1)}`;
    ctx.report.fact(
      `  scatter replayed, ${kind.label}: p50 ${formatMs(s.p50)} ms over ${n} provinces vs ${formatMs(slowest)} ms for the slowest province alone = ×${(s.p50 / slowest).toFixed(2)} (target ≤ ×1.5); gateway CPU ${cpu} / ${cpuAlone} ms per request; measured pass ${hits} replayed, ${misses} missed${misses ? ' (MISSES: those requests reached a province, the measurement is not a pure replay)' : ''}`,
    );
  }
}

type Answer = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: unknown[]; extensions?: { code?: unknown; province?: unknown } }[];
};

/** Checks one answer with a slow province: data served, every error its PROVINCE_UNAVAILABLE. */
function slowAnswerProblem(body: Answer | undefined, slow: string): string | undefined {
  if (!body?.data) return 'no data';
  const errors = body.errors ?? [];
  if (errors.length === 0) return 'no error for the slow province';
  const other = errors.find(
    (e) => e.extensions?.code !== 'PROVINCE_UNAVAILABLE' || e.extensions?.province !== slow,
  );
  return other ? `unexpected error: ${other.extensions?.code} ${other.message}` : undefined;
}

/** Runs the scenario. */
export async function scatter(ctx: ScenarioContext): Promise<void> {
  const { hub, options, report } = ctx;
  const delay = options.injectedLatencyMs;
  report.heading(
    `${NAME}: three fan-outs over ${hub.provinces.length} provinces vs one province asked alone, ${delay} ms injected before every province and national request`,
  );
  const opened: DelayProxy[] = [];
  const gateways: ProxiedGateway[] = [];
  try {
    const live = await startProxies(ctx, false, opened);
    const proxies = live.byProvince;
    const national = live.national;
    const everyone = await startProxiedGateway({
      hub,
      provinces: proxies,
      national,
      provinceTimeoutMs: MEASURED_PROVINCE_TIMEOUT_MS,
      connections: 4,
      name: 'scatter gateway',
      ...(process.env.BENCH_CPU_PROF_DIR
        ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF_DIR] }
        : {}),
    });
    gateways.push(everyone);
    const kinds = fanOuts(ctx);
    await probe(ctx, everyone, live, kinds);

    const n = hub.provinces.length;
    const sample = [
      ...new Set([hub.provinces[0]!, hub.provinces[Math.floor(n / 2)]!, hub.provinces[n - 1]!]),
    ];
    reportMeasurement(
      ctx,
      kinds,
      await measure(ctx, kinds, everyone, live, sample, gateways, false),
      sample,
      false,
    );
    await everyone.stop();
    gateways.splice(gateways.indexOf(everyone), 1);

    // Provinces replayed: the same measurement through proxies that answer each request seen
    // before from memory after the same delay, as a province alone on its own idle machine would;
    // what is left in the ratio is the gateway's own fan-out work.
    report.say(
      `  provinces replayed: the same measurement through proxies that record each distinct request's answer (method, path, body) in a warm-up pass over ${REPLAY_CYCLE} requests per operation and replay it after the same ${delay} ms without asking the province`,
    );
    const replaying = await startProxies(ctx, true, opened);
    const replayedEveryone = await startProxiedGateway({
      hub,
      provinces: replaying.byProvince,
      national: replaying.national,
      provinceTimeoutMs: MEASURED_PROVINCE_TIMEOUT_MS,
      connections: 4,
      name: 'scatter gateway (replayed)',
    });
    gateways.push(replayedEveryone);
    await probe(ctx, replayedEveryone, replaying, kinds);
    const replayed = await measure(ctx, kinds, replayedEveryone, replaying, sample, gateways, true);
    if (replayed.warmErrors) report.say(`  replayed warm-up: ${replayed.warmErrors} answers with errors`);
    reportMeasurement(ctx, kinds, replayed, sample, true);
    await replayedEveryone.stop();
    gateways.splice(gateways.indexOf(replayedEveryone), 1);

    // One slow province: its part times out, the rest is served (a gateway with a 1 s timeout).
    // Through the replaying proxies, so that the other provinces answer in the injected latency and
    // only the slow one misses the timeout (live, the busy box makes others miss 1 s now and then).
    const timed = await startProxiedGateway({
      hub,
      provinces: replaying.byProvince,
      national: replaying.national,
      provinceTimeoutMs: SCATTER_PROVINCE_TIMEOUT_MS,
      connections: 4,
      name: 'scatter gateway (1 s timeout)',
    });
    gateways.push(timed);
    for (const kind of kinds)
      for (let attempt = 0; attempt < 8; attempt++) {
        if (!(await timed.client.send(kind.scatter(0))).error) break;
        // A province the busy box made miss the 1 s: let its breaker probe it again.
        await new Promise((resolve) => setTimeout(resolve, 2_100));
      }
    // Index 1: recorded by the replayed measurement, and the province summary's scope is this province.
    const slow = hub.provinces[Math.min(1, n - 1)]!;
    const slowProxy = replaying.byProvince.get(slow)!;
    slowProxy.extraDelayMs = SLOW_PROVINCE_EXTRA_MS;
    report.say(
      `  one slow province: ${slow} answers ${SLOW_PROVINCE_EXTRA_MS} ms later (at its replaying proxy; the others replay in ${delay} ms); PROVINCE_TIMEOUT_MS=${SCATTER_PROVINCE_TIMEOUT_MS}`,
    );
    try {
      for (const kind of kinds) {
        const times: number[] = [];
        const problems: string[] = [];
        for (let i = 0; i < 3; i++) {
          const started = performance.now();
          const outcome = await timed.client.send(kind.scatter(1));
          times.push(performance.now() - started);
          const problem = slowAnswerProblem(outcome.body as Answer | undefined, slow);
          if (problem) problems.push(`request ${i + 1}: ${problem}`);
        }
        report.fact(
          `  scatter with ${slow} slow, ${kind.label}: answered in ${times.map((t) => formatMs(t)).join(', ')} ms (3 in a row; the first pays the ${SCATTER_PROVINCE_TIMEOUT_MS} ms timeout, then the breaker skips it), ${problems.length ? `PROBLEMS: ${problems.join('; ')}` : `data served, the only errors PROVINCE_UNAVAILABLE for ${slow}`}`,
        );
        // Let the breaker probe again before the next operation, so each one meets the slow province.
        await new Promise((resolve) => setTimeout(resolve, 2_100));
      }
    } finally {
      slowProxy.extraDelayMs = 0;
    }
  } finally {
    await Promise.allSettled(gateways.map((g) => g.stop()));
    await Promise.allSettled(opened.map((p) => p.close()));
  }
}
