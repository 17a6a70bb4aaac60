import type { GraphQLSchema } from 'graphql';
import { SYSTEM_CALLER, judgeServedSdl, type ServedContract } from '@p2p/schema';
import type { ProvinceClient } from '../shard/province-client.js';
import type { ProvinceRegistry, ProvinceStatus } from '../shard/province-registry.js';
import { ProvinceFetchError } from '../shard/province-errors.js';
import type { ShardedSubgraph } from '../shard/sharded-subgraph.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { silentLogger, type Logger } from '@p2p/runtime';
import { readConformanceReport } from './conformance-reports.js';

/** Options of {@link ProvinceHealth}. */
export interface ProvinceHealthOptions {
  registry: ProvinceRegistry;
  client: ProvinceClient;
  /** The logical subgraphs whose served SDL is checked against the contract. */
  subgraphs: readonly ShardedSubgraph[];
  /** Milliseconds between checks; 0 disables periodic checks. @default 30000 */
  intervalMs?: number;
  metrics?: GatewayMetrics;
  /**
   * `CONFORMANCE_REPORT_DIR`: each check also reads the province's last conformance kit report,
   * `<dir>/<province>.json`, and a province without a passing one is not routed to
   * (conformance-reports.ts). @default undefined (no report required)
   */
  conformanceReportDir?: string;
  /** @default silentLogger */
  logger?: Logger;
}

/** Most problems kept per province (the first ones say enough). */
const MAX_PROBLEMS = 20;
const SERVICE_QUERY = 'query __ProvinceContractCheck__ { _service { sdl } }';

/**
 * Checks, at start and periodically, that each province answers and that the `_service { sdl }`
 * of each of its logical subgraphs keeps the contract (see {@link judgeServedSdl}, shared with the conformance kit: a province
 * one minor behind is routed to, except for fetches asking what its minor lacks). An incompatible
 * province is not routed to (the router answers PROVINCE_INCOMPATIBLE for its part); a province
 * that does not answer is marked down but still tried, since it may be back before the next check.
 * With `conformanceReportDir`, each check also re-reads the province's last conformance kit report:
 * without a passing one the province is `incompatible` (PROVINCE_INCOMPATIBLE, reason
 * `conformance`) whatever its schema, until a check finds a passing one.
 */
export class ProvinceHealth {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Served SDL text → verdict, so an unchanged schema is not compared again. */
  private readonly verdicts = new Map<string, ServedContract>();
  /** The contract versions each province last declared, as the metric's label. */
  private readonly versions = new Map<string, string>();
  private readonly probes = new Map<string, Promise<void>>();
  private readonly logger: Logger;

  constructor(private readonly options: ProvinceHealthOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Runs a first check of every province, then keeps checking every `intervalMs`. */
  async start(): Promise<void> {
    await this.checkAll();
    const interval = this.options.intervalMs ?? 30_000;
    if (interval > 0) {
      this.timer = setInterval(() => void this.checkAll(), interval);
      this.timer.unref();
    }
  }

  /** Stops periodic checks (waits for a check under way). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Checks every province now (a check already under way is awaited instead). */
  checkAll(): Promise<void> {
    this.running ??= Promise.all(this.options.registry.codes.map((code) => this.probe(code)))
      .then(() => undefined)
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Checks one province now; a check of it already under way is awaited instead. */
  probe(code: string): Promise<void> {
    let running = this.probes.get(code);
    if (!running) {
      running = this.checkProvince(code).finally(() => this.probes.delete(code));
      this.probes.set(code, running);
    }
    return running;
  }

  private async checkProvince(code: string): Promise<void> {
    const { registry, client, subgraphs, metrics, conformanceReportDir } = this.options;
    const started = performance.now();
    const report = conformanceReportDir ? readConformanceReport(conformanceReportDir, code) : undefined;
    const down: string[] = [];
    const incompatible: string[] = [];
    const versions = new Set<string>();
    const lacking: string[] = [];
    const lagging = new Map<string, GraphQLSchema>();
    await Promise.all(
      subgraphs.map(async (sg) => {
        const url = registry.subgraphUrl(code, sg.name)!;
        try {
          const answer = await client.send(
            { province: code, subgraph: sg.name, url },
            { query: SERVICE_QUERY },
            { mutation: false, caller: SYSTEM_CALLER },
          );
          const sdl = (answer.data?._service as { sdl?: unknown } | undefined)?.sdl;
          if (typeof sdl !== 'string') {
            incompatible.push(`${sg.name}: no _service { sdl }`);
            return;
          }
          const verdict = this.compare(sg, sdl);
          versions.add(verdict.version ?? 'none');
          for (const p of verdict.problems) incompatible.push(`${sg.name}: ${p}`);
          for (const l of verdict.lacking) lacking.push(`${sg.name}: ${l}`);
          if (verdict.schema) lagging.set(sg.name, verdict.schema);
        } catch (err) {
          down.push(`${sg.name}: ${err instanceof ProvinceFetchError ? err.reason : 'network'}`);
        }
      }),
    );
    const conformance = (await report) ?? null;
    const refused =
      conformance && conformance.verdict !== 'passed' ? [`conformance: ${conformance.why}`] : [];
    // A refused report keeps the province out even while it does not answer: it is not tried.
    const status: ProvinceStatus = refused.length
      ? 'incompatible'
      : down.length
        ? 'down'
        : incompatible.length
          ? 'incompatible'
          : 'up';
    const before = registry.snapshot().find((s) => s.code === code);
    const previous = before?.status;
    // A province that did not answer keeps what it last declared: it is still tried, as it was.
    const contract = down.length ? (before?.contract ?? []) : [...versions].sort();
    const lacks = down.length ? (before?.lacking ?? []) : status === 'up' ? lacking : [];
    if (!down.length) registry.setLagging(code, status === 'up' ? lagging : new Map());
    registry.update(code, {
      status,
      checkedAt: new Date().toISOString(),
      latencyMs: Math.round(performance.now() - started),
      problems: [...refused, ...down, ...incompatible].slice(0, MAX_PROBLEMS),
      contract,
      lacking: lacks.slice(0, MAX_PROBLEMS),
      conformance,
    });
    metrics?.provinceState.set({ province: code }, status === 'up' ? 1 : 0);
    if (!down.length) this.reportContract(code, contract.join(','), lacks.length);
    if (previous !== status) {
      this.logger[status === 'up' ? 'info' : 'warn'](
        {
          province: code,
          from: previous ?? 'unknown',
          to: status,
          problems: refused.length + down.length + incompatible.length,
          ...(conformance ? { conformance: conformance.verdict } : {}),
        },
        'province state changed',
      );
    }
  }

  private compare(sg: ShardedSubgraph, sdl: string): ServedContract {
    const key = `${sg.name}\n${sdl}`;
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      verdict = judgeServedSdl(sg, sdl);
      if (this.verdicts.size > 100) this.verdicts.clear();
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  /** The contract metrics: the versions a province declares (1 on its label) and what it lacks. */
  private reportContract(code: string, version: string, lacking: number): void {
    const { metrics } = this.options;
    if (!metrics || !version) return;
    const before = this.versions.get(code);
    if (before !== undefined && before !== version)
      metrics.provinceContract.remove({ province: code, version: before });
    this.versions.set(code, version);
    metrics.provinceContract.set({ province: code, version }, 1);
    metrics.provinceContractLacking.set({ province: code }, lacking);
  }
}
