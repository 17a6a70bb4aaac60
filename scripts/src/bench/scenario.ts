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
import { cpuPerRequest, cpuSnapshot } from './service-usage.js';

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
 * @default requests 50 (quick: 8)
 */
export async function warmUp(
  ctx: ScenarioContext,
  clients: readonly GraphQLClient[],
  next: (n: number) => Operation,
  requests = ctx.options.quick ? 8 : 50,
): Promise<void> {
  for (const client of clients) {
    const result = await runLoad(client, next, {
      concurrency: ctx.options.concurrency,
      maxRequests: requests,
      maxDurationMs: 120_000,
    });
    if (result.errors)
      throw new Error(`warm-up of ${client.url} failed: ${[...result.errorSamples.keys()].join('; ')}`);
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

/**
 * Overall time limit of one measurement, so a slow machine still ends (the report shows how many
 * requests were measured).
 * @returns 4 s with --quick, 180 s otherwise
 */
export function measurementBudgetMs(ctx: ScenarioContext): number {
  return ctx.options.quick ? 4_000 : 180_000;
}

/** Operations whose plain and sharded answers are compared before a comparison is measured. */
const COMPARED_ANSWERS = 10;

/** The process of each compared gateway, whose CPU time is read around its batches. */
const GATEWAY_PROCESS: Record<string, string> = { plain: 'plain gateway', sharded: 'gateway' };

/** CPU spent by each service during one target's batches (added up over its batches). */
class BatchCpu {
  private readonly spent = new Map<string, Map<string, number>>();
  private started = new Map<string, number>();

  /** `onBatch` of {@link runInterleaved}. */
  readonly onBatch = (label: string, phase: 'start' | 'end') => {
    const now = cpuSnapshot();
    if (phase === 'start') {
      this.started = now;
      return;
    }
    const total = this.spent.get(label) ?? new Map<string, number>();
    for (const [service, ms] of now)
      total.set(service, (total.get(service) ?? 0) + ms - (this.started.get(service) ?? ms));
    this.spent.set(label, total);
  };

  /** The label's gateway CPU milliseconds per request. */
  gatewayPerRequest(label: string, requests: number): number {
    return (this.spent.get(label)?.get(GATEWAY_PROCESS[label]!) ?? 0) / Math.max(1, requests);
  }

  /** Where the label's CPU went, per request (see {@link cpuPerRequest}). */
  breakdown(label: string, requests: number): string {
    const spent = new Map(this.spent.get(label) ?? []);
    spent.set('gateway', spent.get(GATEWAY_PROCESS[label]!) ?? 0);
    spent.delete('plain gateway');
    return cpuPerRequest(new Map(), spent, requests);
  }
}

/**
 * The sharding overhead on a single-province query: the same operations through the plain
 * `@apollo/gateway` over the baseline province and through the sharded gateway, in alternating
 * batches (10 rounds, order reversed every round), both warmed up first. Besides latency and
 * throughput, each gateway's own CPU time per request is reported: it compares the gateways'
 * work even when other jobs share the machine.
 */
export async function compareWithPlain(
  ctx: ScenarioContext,
  scenario: string,
  next: (n: number) => Operation,
): Promise<{ plain: MeasuredLine; sharded: MeasuredLine; overhead: OverheadLine }> {
  const { hub, options, report } = ctx;
  // The first operations (e.g. every destination of the federated read), each answer by both.
  let identical = 0;
  for (let n = 0; n < COMPARED_ANSWERS; n++) if (await sameAnswer(hub, next(n))) identical++;
  report.say(
    `  single-province query (province ${hub.baselineProvince}): plain and sharded answers ${identical === COMPARED_ANSWERS ? 'identical' : 'DIFFER'} (${identical} of ${COMPARED_ANSWERS} operations)`,
  );
  const rounds = 10;
  const cpu = new BatchCpu();
  const totals = await runInterleaved(
    [
      { label: 'plain', client: hub.plain },
      { label: 'sharded', client: hub.sharded },
    ],
    next,
    {
      rounds,
      requestsPerBatch: Math.max(1, Math.ceil(options.requests / rounds)),
      concurrency: options.concurrency,
      maxDurationMs: measurementBudgetMs(ctx),
      onBatch: cpu.onBatch,
    },
  );
  const requests = (label: string) => totals.get(label)!.requests;
  const cpuPerRequestOf = (label: string) => cpu.gatewayPerRequest(label, requests(label));
  const plain = report.measured(scenario, `one province, plain @apollo/gateway`, totals.get('plain')!);
  report.say(`    ${cpu.breakdown('plain', requests('plain'))}`);
  const sharded = report.measured(scenario, `one province, sharded gateway`, totals.get('sharded')!);
  report.say(`    ${cpu.breakdown('sharded', requests('sharded'))}`);
  return {
    plain,
    sharded,
    overhead: report.overhead(
      scenario,
      plain,
      sharded,
      cpuPerRequestOf('sharded') / cpuPerRequestOf('plain'),
    ),
  };
}
