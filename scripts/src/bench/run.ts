/**
 * `npm run bench`: benchmarks the hub as real processes over real Postgres.
 *
 *   npm run bench -- --quick                       # smoke run, under a minute
 *   npm run bench                                  # 5 provinces × 200,000 workers, every scenario
 *   npm run bench -- --provinces 3 --scenarios read,batch --requests 1000
 *   npm run bench -- --scenarios relay             # the relay's lag and throughput (#13)
 *   npm run bench -- --scenarios boarding-gate     # departTrip's boarding gate, own vs relayed records (#14)
 *   npm run bench -- --provinces 31 --scenarios scatter   # fan-outs vs one province, injected latency (#17.3)
 *   npm run bench -- --provinces 1 --scenarios table-sizes  # bytes per row in a province database (#17.7)
 *   npm run bench -- --provinces 31 --scenarios subscriptions  # 10,000 live subscribers (#17.4)
 *     with --subscribers 1000,10000 --rate 10,50 --duration 30 --filters-per-province 10 (ulimit -n 12000)
 *
 * Starts national, the provinces (a fresh database each, dropped at the end) and the sharded
 * gateway with the harness, loads the generated data straight into the province databases,
 * starts the plain `@apollo/gateway` baseline over the first province, runs the scenarios and
 * prints the machine, the settings and every result (throughput, p50/p99, errors, the sharding
 * overhead, statements per province, memory over time). See BENCHMARKS.md for recorded runs.
 *
 * `subscriptions` is not run by default: only when `--scenarios` names it. It starts its own
 * federation (subscriptions.ts: pools sized for a shared server, no loaded workers), so with
 * `--scenarios subscriptions` alone the bench hub is not started at all; named with others, it
 * runs after them, once the hub has closed. It fails the run when a client lost, repeated or
 * got a foreign delivery.
 */
import { describeMachine, machineLines } from './machine.js';
import {
  hubScenarios,
  parseBenchOptions,
  settingLines,
  type BenchOptions,
  type ScenarioName,
} from './options.js';
import { BenchReport } from './report.js';
import { startBenchHub, type BenchHub } from './bench-hub.js';
import type { Scenario } from './scenario.js';
import { federatedRead } from './scenarios/federated-read.js';
import { entityBatch } from './scenarios/entity-batch.js';
import { bulkRegistration } from './scenarios/bulk-registration.js';
import { mixedLoad } from './scenarios/mixed-load.js';
import { relay } from './scenarios/relay.js';
import { boardingGate } from './scenarios/boarding-gate.js';
import { scatter } from './scenarios/scatter.js';
import { tableSizes } from './scenarios/table-sizes.js';
import { subscriptions } from './scenarios/subscriptions.js';

/** Every scenario by name, in the order they run. */
export const SCENARIO_RUNNERS: Record<ScenarioName, Scenario> = {
  'federated-read': federatedRead,
  'entity-batch': entityBatch,
  'bulk-registration': bulkRegistration,
  'mixed-load': mixedLoad,
  'boarding-gate': boardingGate,
  relay,
  scatter,
  'table-sizes': tableSizes,
};

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const started = performance.now();
  const report = new BenchReport();
  report.say('# p2p hub benchmark');
  for (const line of machineLines(await describeMachine(options.databaseUrl))) report.say(line);
  for (const line of settingLines(options)) report.say(`settings  ${line}`);
  const onHub = hubScenarios(options.scenarios);
  if (onHub.length > 0)
    report.say(
      'settings  loopback only, undici keep-alive, closed loop (each virtual client sends its next request when the answer is read)',
    );
  report.say('');

  let hub: BenchHub | undefined;
  let stopSubscriptions: (() => Promise<void>) | undefined;
  let interrupted = false;
  const stop = () => {
    if (interrupted) return;
    interrupted = true;
    report.say('interrupted: stopping the services and dropping the databases…');
    void Promise.allSettled([hub?.close(), stopSubscriptions?.()]).finally(() => process.exit(130));
  };
  // `on`, not `once`: the harness kills the services and re-raises a signal no one else listens to
  // (harness/service-process.ts), and a `once` listener is gone by the time it looks.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  let failed = false;
  if (onHub.length > 0)
    failed = !(await runOnHub(options, onHub, report, (running) => {
      hub = running;
    }));
  hub = undefined; // closed by runOnHub
  if (options.scenarios.includes('subscriptions')) {
    const scenarioStarted = performance.now();
    const passed = await subscriptions(options, report, (s) => {
      stopSubscriptions = s;
    });
    if (!passed) failed = true;
    report.say(`  (subscriptions: ${((performance.now() - scenarioStarted) / 1000).toFixed(0)} s)`);
  }
  for (const line of report.summaryLines()) report.say(line);
  report.say(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return failed ? 1 : 0;
}

/**
 * Starts the bench hub, runs `scenarios` on it and closes it.
 * @returns false when the hub or a scenario failed
 */
async function runOnHub(
  options: BenchOptions,
  scenarios: readonly ScenarioName[],
  report: BenchReport,
  started: (hub: BenchHub) => void,
): Promise<boolean> {
  const hubStarted = performance.now();
  const log = (line: string) => report.say(line);
  let hub: BenchHub | undefined;
  let failed = false;
  try {
    hub = await startBenchHub({
      provinces: options.provinces,
      workersPerProvince: options.workersPerProvince,
      databaseUrl: options.databaseUrl,
      connections: options.concurrency,
      log,
      ...(options.cpuProfileDir ? { cpuProfileDir: options.cpuProfileDir } : {}),
    });
    started(hub);
    report.say(`settings  auth: ${hub.auth.description}`);
    report.say(`  ready after ${((performance.now() - hubStarted) / 1000).toFixed(0)} s`);
    for (const name of scenarios) {
      const scenarioStarted = performance.now();
      try {
        await SCENARIO_RUNNERS[name]({ hub, options, report });
      } catch (err) {
        failed = true;
        report.say(`  ${name} FAILED: ${(err as Error).message}`);
        for (const line of hub.recentErrors()) report.say(`    service log: ${line}`);
      }
      report.say(`  (${name}: ${((performance.now() - scenarioStarted) / 1000).toFixed(0)} s)`);
    }
  } catch (err) {
    failed = true;
    report.say(`benchmark FAILED: ${(err as Error).stack ?? err}`);
  } finally {
    await hub?.close().catch((err: unknown) => report.say(`closing failed: ${(err as Error).message}`));
  }
  return !failed;
}

process.exitCode = await main();
