/**
 * What every scenario gets, and the steps they share: warming both gateways up (plan, parse and
 * analysis caches, JIT, keep-alive connections) before anything is measured, picking loaded
 * workers, and the plain-versus-sharded comparison on single-province queries.
 */
import type { BenchHub } from './bench-hub.js';
import type { BenchOptions } from './options.js';
import type { BenchReport, MeasuredLine, OverheadLine } from './report.js';
import type { GraphQLClient, Operation } from './graphql-client.js';
import { runInterleaved, runLoad } from './load-generator.js';
import { Random } from './people.js';
import { workerIdentity } from './population.js';
import { serviceCpuMs } from './service-usage.js';

/** The context of a scenario run. */
export interface ScenarioContext {
  hub: BenchHub;
  options: BenchOptions;
  report: BenchReport;
}

/** A scenario: measures something and reports it. */
export type Scenario = (ctx: ScenarioContext) => Promise<void>;

/**
 * Sends `requests` operations to each client before measuring; fails when any of them errs (a
 * benchmark of failing requests measures nothing).
 * @default requests 50 (quick: 16)
 */
export async function warmUp(ctx: ScenarioContext, clients: readonly GraphQLClient[], next: (n: number) => Operation, requests = ctx.options.quick ? 16 : 50): Promise<void> {
  for (const client of clients) {
    const result = await runLoad(client, next, { concurrency: ctx.options.concurrency, maxRequests: requests, maxDurationMs: 120_000 });
    if (result.errors) throw new Error(`warm-up of ${client.url} failed: ${[...result.errorSamples.keys()].join('; ')}`);
  }
}

/** The id of a random loaded worker of `province` (deterministic in `random`). */
export function loadedWorkerId(hub: BenchHub, random: Random, province: string): string {
  return workerIdentity(province, random.int(0, hub.workersPerProvince - 1)).id;
}

/** A random generator for operation `n` of a scenario (same n, same draw, whichever target). */
export function randomFor(scenario: number, n: number): Random {
  return new Random(Math.imul(scenario + 1, 0x9e3779b1) ^ Math.imul(n + 1, 0x85ebca77));
}

/**
 * Checks that the plain and the sharded gateway give the same answer to `operation`: the sharded
 * router must add nothing and lose nothing on a single-province query.
 */
export async function sameAnswer(hub: BenchHub, operation: Operation): Promise<boolean> {
  const [plain, sharded] = await Promise.all([hub.plain.data(operation), hub.sharded.data(operation)]);
  return JSON.stringify(plain) === JSON.stringify(sharded);
}

/** Overall time limit of one measurement, so a slow machine still ends. */
export function measurementBudgetMs(ctx: ScenarioContext): number {
  return ctx.options.quick ? 6_000 : 240_000;
}

/** The process of each compared gateway, whose CPU time is read around its batches. */
const GATEWAY_PROCESS: Record<string, string> = { plain: 'plain gateway', sharded: 'gateway' };

/**
 * The sharding overhead on a single-province query: the same operations through the plain
 * `@apollo/gateway` over the baseline province and through the sharded gateway, in alternating
 * batches (10 rounds, order reversed every round), both warmed up first. Besides latency and
 * throughput, each gateway's own CPU time per request is reported: it compares the gateways'
 * work even when other jobs share the machine.
 */
export async function compareWithPlain(ctx: ScenarioContext, scenario: string, next: (n: number) => Operation): Promise<{ plain: MeasuredLine; sharded: MeasuredLine; overhead: OverheadLine }> {
  const { hub, options, report } = ctx;
  const identical = await sameAnswer(hub, next(0));
  report.say(`  single-province query (province ${hub.baselineProvince}): plain and sharded answers ${identical ? 'identical' : 'DIFFER'}`);
  const rounds = 10;
  const cpu = new Map<string, number>();
  const totals = await runInterleaved(
    [{ label: 'plain', client: hub.plain }, { label: 'sharded', client: hub.sharded }],
    next,
    {
      rounds, requestsPerBatch: Math.max(1, Math.ceil(options.requests / rounds)), concurrency: options.concurrency, maxDurationMs: measurementBudgetMs(ctx),
      onBatch: (label, phase) => {
        const now = serviceCpuMs(GATEWAY_PROCESS[label]!);
        cpu.set(label, (cpu.get(label) ?? 0) + (phase === 'end' ? now : -now));
      },
    },
  );
  const cpuPerRequest = (label: string) => (cpu.get(label) ?? 0) / Math.max(1, totals.get(label)!.requests);
  const plain = report.measured(scenario, `one province, plain @apollo/gateway`, totals.get('plain')!, `gateway CPU ${cpuPerRequest('plain').toFixed(2)} ms/request`);
  const sharded = report.measured(scenario, `one province, sharded gateway`, totals.get('sharded')!, `gateway CPU ${cpuPerRequest('sharded').toFixed(2)} ms/request`);
  return { plain, sharded, overhead: report.overhead(scenario, plain, sharded, cpuPerRequest('sharded') / cpuPerRequest('plain')) };
}
