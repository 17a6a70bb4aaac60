/**
 * Scenario "subscriptions" (#17.4) as `npm run bench` runs it: subscriptions.ts's benchmark on its
 * own federation (not the bench hub), with the settings mapped from `npm run bench`'s options.
 */
import { benchProvinces } from '../geography.js';
import type { BenchOptions } from '../options.js';
import type { BenchReport } from '../report.js';
import {
  formatPhase,
  phaseChecked,
  runSubscriptionsBench,
  type SubscriptionBenchSettings,
} from '../subscriptions.js';

/**
 * The subscriptions benchmark's settings from `npm run bench`'s options: the first `--provinces`
 * of PROVINCE_ORDER (31: all), its own per-phase `--duration` default (30 s, not the mixed load's 180 s).
 */
export function subscriptionSettings(o: BenchOptions): SubscriptionBenchSettings {
  return {
    subscribers: o.subscribers,
    rates: o.subscriptionRates,
    durationSeconds: o.subscriptionSeconds,
    provinces: benchProvinces(o.provinces),
    filtersPerProvince: o.filtersPerProvince,
    ...(o.provincesPerProcess > 1 ? { provincesPerProcess: o.provincesPerProcess } : {}),
    databaseUrl: o.databaseUrl,
    ...(o.cpuProfileDir ? { cpuProfileDir: o.cpuProfileDir } : {}),
  };
}

/**
 * Runs the benchmark and adds each phase to the report's summary.
 * @param onFederation receives what stops the run's clients and federation (for a signal)
 * @returns false when it failed, or a client lost, repeated or got a foreign delivery
 */
export async function subscriptions(
  options: BenchOptions,
  report: BenchReport,
  onFederation?: (stop: () => Promise<void>) => void,
): Promise<boolean> {
  report.heading('subscriptions: live subscribers on one gateway, on its own federation (#17.4)');
  try {
    const phases = await runSubscriptionsBench(subscriptionSettings(options), {
      log: (line) => report.say(line),
      ...(onFederation ? { onFederation } : {}),
    });
    // Already printed as the bench went: only kept for the summary.
    report.facts.push(...phases.map(formatPhase));
    return phases.length > 0 && phases.every(phaseChecked);
  } catch (err) {
    report.say(`  subscriptions FAILED: ${(err as Error).message}`);
    return false;
  }
}
