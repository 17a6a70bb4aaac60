import { parse } from 'graphql';
import { SYSTEM_CALLER } from '@p2p/schema';
import type { ProvinceClient } from '../shard/province-client.js';
import type { ProvinceRegistry, ProvinceStatus } from '../shard/province-registry.js';
import { ProvinceFetchError } from '../shard/province-errors.js';
import type { ShardedSubgraph } from '../shard/sharded-subgraph.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { silentLogger, type Logger } from '@p2p/runtime';
import { contractIncompatibilities } from './schema-compat.js';

/** Options of {@link ProvinceHealth}. */
export interface ProvinceHealthOptions {
  registry: ProvinceRegistry;
  client: ProvinceClient;
  /** The logical subgraphs whose served SDL is checked against the contract. */
  subgraphs: readonly ShardedSubgraph[];
  /** Milliseconds between checks; 0 disables periodic checks. @default 30000 */
  intervalMs?: number;
  metrics?: GatewayMetrics;
  /** @default silentLogger */
  logger?: Logger;
}

/** Most problems kept per province (the first ones say enough). */
const MAX_PROBLEMS = 20;
const SERVICE_QUERY = 'query __ProvinceContractCheck__ { _service { sdl } }';

/**
 * Checks, at start and periodically, that each province answers and that the `_service { sdl }`
 * of each of its logical subgraphs keeps the contract. An incompatible province is not routed to
 * (the router answers PROVINCE_INCOMPATIBLE for its part); a province that does not answer is
 * marked down but still tried, since it may be back before the next check.
 */
export class ProvinceHealth {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Served SDL text → problems, so an unchanged schema is not compared again. */
  private readonly verdicts = new Map<string, string[]>();
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
    const { registry, client, subgraphs, metrics } = this.options;
    const started = performance.now();
    const down: string[] = [];
    const incompatible: string[] = [];
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
          for (const p of this.compare(sg, sdl)) incompatible.push(`${sg.name}: ${p}`);
        } catch (err) {
          down.push(`${sg.name}: ${err instanceof ProvinceFetchError ? err.reason : 'network'}`);
        }
      }),
    );
    const status: ProvinceStatus = down.length ? 'down' : incompatible.length ? 'incompatible' : 'up';
    const previous = registry.snapshot().find((s) => s.code === code)?.status;
    registry.update(code, {
      status,
      checkedAt: new Date().toISOString(),
      latencyMs: Math.round(performance.now() - started),
      problems: [...down, ...incompatible].slice(0, MAX_PROBLEMS),
    });
    metrics?.provinceState.set({ province: code }, status === 'up' ? 1 : 0);
    if (previous !== status) {
      this.logger[status === 'up' ? 'info' : 'warn'](
        {
          province: code,
          from: previous ?? 'unknown',
          to: status,
          problems: down.length + incompatible.length,
        },
        'province state changed',
      );
    }
  }

  private compare(sg: ShardedSubgraph, sdl: string): string[] {
    const key = `${sg.name}\n${sdl}`;
    let problems = this.verdicts.get(key);
    if (!problems) {
      try {
        problems = contractIncompatibilities(sg.contract, parse(sdl));
      } catch {
        problems = ['served SDL does not parse'];
      }
      if (this.verdicts.size > 100) this.verdicts.clear();
      this.verdicts.set(key, problems);
    }
    return problems;
  }
}
