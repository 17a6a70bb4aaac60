/**
 * Scenario 4, mixed read/write load held for minutes (`--duration`): what a working day of the
 * hub looks like — receiving cities following trips, clerks looking workers up and paging through
 * them, return requests, dashboards, and writes (new registrations, health checks, employment and
 * travel intents). Every interval it reports throughput, errors, latency and the resident memory
 * of the gateway and the provinces: a flat RSS line says no leak.
 */
import { findRegion } from '@p2p/schema';
import { RECEIVING_CITIES, provinceGeography, receivingCounty } from '../geography.js';
import { LatencyRecorder, formatMs } from '../latency.js';
import { runLoad } from '../load-generator.js';
import type { Operation } from '../graphql-client.js';
import * as op from '../operations.js';
import { workerIdentity } from '../population.js';
import { formatMegabytes, serviceMemory } from '../service-usage.js';
import { loadedWorkerId, randomFor, warmUp, type ScenarioContext } from '../scenario.js';

const NAME = 'mixed load';

/** The city a county belongs to (a city without counties is its own). */
const cityOf = (county: string) =>
  findRegion(county)?.level === 'COUNTY' ? findRegion(county)!.parent! : county;

/** The mix, in percent: 75 % reads, 25 % writes. */
export const MIX: readonly { percent: number; kind: string }[] = [
  { percent: 25, kind: 'tripsToDestination' },
  { percent: 25, kind: 'worker' },
  { percent: 10, kind: 'workers page' },
  { percent: 10, kind: 'returnRequests' },
  { percent: 5, kind: 'summary' },
  { percent: 8, kind: 'registerWorker' },
  { percent: 7, kind: 'recordHealthCheck' },
  { percent: 5, kind: 'reportEmployment' },
  { percent: 5, kind: 'reportTravelIntent' },
];

/** Operation `n` of the mix (the relay scenario runs the same mix beside its trips). */
export function mixedOperation(ctx: ScenarioContext, n: number): Operation {
  const { hub } = ctx;
  const random = randomFor(4, n);
  const province = random.pick(hub.provinces);
  let draw = random.next() * 100;
  const kind = MIX.find((m) => (draw -= m.percent) < 0)?.kind ?? 'worker';
  switch (kind) {
    case 'tripsToDestination':
      return op.tripsToDestination(random.pick(RECEIVING_CITIES), undefined, 5);
    case 'workers page':
      return op.workersPage(random.pick(provinceGeography(province).counties));
    // Return requests live in the enterprise's province: ask a city of a connected one.
    case 'returnRequests':
      return op.returnRequestsTo(cityOf(random.pick(provinceGeography(province).counties)));
    case 'summary':
      return op.workerSummary(random.pick(provinceGeography(province).counties));
    case 'registerWorker':
      return op.registerWorker(province, workerIdentity(province, hub.freshWorkerIndex(province)));
    case 'recordHealthCheck':
      return op.recordHealthCheck(loadedWorkerId(hub, random, province));
    case 'reportEmployment':
      return op.reportEmployment(loadedWorkerId(hub, random, province), receivingCounty(random));
    case 'reportTravelIntent':
      return op.reportTravelIntent(loadedWorkerId(hub, random, province), receivingCounty(random));
    default:
      return op.workerById(loadedWorkerId(hub, random, province));
  }
}

/**
 * The gateway's V8 heap in use, from its Prometheus `/metrics` (prom-client's default process
 * metrics): unlike RSS, it does not include memory V8 keeps reserved, so a leak shows as a climb
 * that garbage collection never brings back. NaN when unavailable.
 */
export async function gatewayHeapUsed(gatewayUrl: string, adminToken: string): Promise<number> {
  try {
    const text = await (
      await fetch(new URL('/metrics', gatewayUrl), { headers: { authorization: `Bearer ${adminToken}` } })
    ).text();
    const value = /^p2p_gateway_nodejs_heap_size_used_bytes\s+(\S+)/m.exec(text)?.[1];
    return value === undefined ? Number.NaN : Number(value);
  } catch {
    return Number.NaN;
  }
}

/** RSS of the gateway and the range over provinces, as printed. */
function memoryColumns(): { gateway: number; provinceMin: number; provinceMax: number; text: string } {
  const memory = serviceMemory();
  const gateway = memory.find((m) => m.service === 'gateway')?.rssBytes ?? 0;
  const provinces = memory.filter((m) => m.service.startsWith('province')).map((m) => m.rssBytes);
  const provinceMin = provinces.length ? Math.min(...provinces) : 0;
  const provinceMax = provinces.length ? Math.max(...provinces) : 0;
  return {
    gateway,
    provinceMin,
    provinceMax,
    text: `gateway ${formatMegabytes(gateway).padStart(7)}  provinces ${formatMegabytes(provinceMin)}–${formatMegabytes(provinceMax)}`,
  };
}

/** Runs the scenario. */
export async function mixedLoad(ctx: ScenarioContext): Promise<void> {
  const { options, report, hub } = ctx;
  const durationMs = options.durationSeconds * 1000;
  report.heading(
    `4. ${NAME}: ${options.durationSeconds} s at concurrency ${options.concurrency}; ${MIX.map((m) => `${m.kind} ${m.percent}%`).join(', ')}`,
  );
  await warmUp(ctx, [hub.sharded], (n) => mixedOperation(ctx, 10_000_000 + n), options.quick ? 16 : 100);

  const intervalMs = Math.max(2_000, Math.round(durationMs / 12));
  let interval = { requests: 0, errors: 0, latency: new LatencyRecorder() };
  const started = performance.now();
  const first = memoryColumns();
  const firstHeap = await gatewayHeapUsed(hub.federation.gatewayUrl, hub.federation.adminToken);
  const heapText = (bytes: number) =>
    `gateway heap used ${Number.isNaN(bytes) ? '-' : formatMegabytes(bytes)}`;
  report.say(
    `  ${'t (s)'.padStart(6)} ${'req/s'.padStart(8)} ${'errors'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  RSS`,
  );
  report.say(
    `  ${'0'.padStart(6)} ${''.padStart(8)} ${''.padStart(7)} ${''.padStart(7)} ${''.padStart(7)}  ${first.text}  ${heapText(firstHeap)}`,
  );
  const flush = async () => {
    const s = interval.latency.summary();
    const elapsed = (performance.now() - started) / 1000;
    const line = `  ${elapsed.toFixed(0).padStart(6)} ${(interval.requests / (intervalMs / 1000)).toFixed(1).padStart(8)} ${String(interval.errors).padStart(7)} ${formatMs(s.p50).padStart(7)} ${formatMs(s.p99).padStart(7)}  ${memoryColumns().text}`;
    interval = { requests: 0, errors: 0, latency: new LatencyRecorder() };
    report.say(
      `${line}  ${heapText(await gatewayHeapUsed(hub.federation.gatewayUrl, hub.federation.adminToken))}`,
    );
  };
  const timer = setInterval(() => void flush(), intervalMs);
  const result = await runLoad(hub.sharded, (n) => mixedOperation(ctx, n), {
    concurrency: options.concurrency,
    maxRequests: Number.MAX_SAFE_INTEGER,
    maxDurationMs: durationMs,
    onOutcome: (_operation, outcome, ms) => {
      interval.requests++;
      if (outcome.error) interval.errors++;
      interval.latency.record(ms);
    },
  }).finally(() => clearInterval(timer));
  const last = memoryColumns();
  const lastHeap = await gatewayHeapUsed(hub.federation.gatewayUrl, hub.federation.adminToken);
  report.measured(
    NAME,
    `all ${hub.provinces.length} provinces, sharded gateway, ${options.durationSeconds} s`,
    result,
  );
  for (const [name, recorder] of [...result.byOperation].sort()) {
    const s = recorder.summary();
    report.say(
      `    ${name.padEnd(36)} ${String(s.count).padStart(7)}  p50 ${formatMs(s.p50).padStart(6)} ms  p99 ${formatMs(s.p99).padStart(6)} ms`,
    );
  }
  report.fact(
    `  mixed load: ${result.errors} errors in ${result.requests.toLocaleString('en')} requests; RSS gateway ${formatMegabytes(first.gateway)} → ${formatMegabytes(last.gateway)} (${heapText(firstHeap)} → ${Number.isNaN(lastHeap) ? '-' : formatMegabytes(lastHeap)}), provinces ${formatMegabytes(first.provinceMin)}–${formatMegabytes(first.provinceMax)} → ${formatMegabytes(last.provinceMin)}–${formatMegabytes(last.provinceMax)}`,
  );
}
