import type { ProvinceRegistry } from './province-registry.js';
import type { ProvinceFailure } from './province-errors.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { silentLogger, type Logger } from '@p2p/runtime';

/** Options of {@link ProvinceBreaker}. */
export interface ProvinceBreakerOptions {
  registry: ProvinceRegistry;
  /** Checks one province now and records its state in the registry (ProvinceHealth.probe). */
  probe: (province: string) => Promise<void>;
  /** While a province is down, at most one probe per this many milliseconds. @default 2000 */
  retryAfterMs?: number;
  metrics?: GatewayMetrics;
  /** @default silentLogger */
  logger?: Logger;
}

/**
 * A circuit breaker per province, so a province that hangs costs one timeout per retry window
 * rather than a full timeout on every request. A fetch that times out or cannot connect marks the
 * province down; while it is down, requests skip it at once (PROVINCE_UNAVAILABLE, reason `down`),
 * except one per `retryAfterMs`, which first probes it with a health check and goes ahead if it is back.
 */
export class ProvinceBreaker {
  private readonly lastProbe = new Map<string, number>();
  private readonly probing = new Set<string>();
  private readonly retryAfterMs: number;
  private readonly logger: Logger;

  constructor(private readonly options: ProvinceBreakerOptions) {
    this.retryAfterMs = options.retryAfterMs ?? 2000;
    this.logger = options.logger ?? silentLogger;
  }

  /** Whether a request may go to the province now (probing it first when its window is open). */
  async available(province: string): Promise<boolean> {
    const { registry } = this.options;
    if (registry.status(province) !== 'down') return true;
    if (this.probing.has(province)) return false;
    if (Date.now() - (this.lastProbe.get(province) ?? 0) < this.retryAfterMs) return false;
    this.probing.add(province);
    this.lastProbe.set(province, Date.now());
    try {
      await this.options.probe(province);
    } finally {
      this.probing.delete(province);
    }
    return registry.status(province) === 'up' || registry.status(province) === 'unknown';
  }

  /**
   * Records a failed fetch: a timeout or a connection failure marks the province down. A timeout
   * also counts as the window's probe (asking again costs another timeout); a refused connection
   * does not, so a province that restarts is found back by the very next request.
   */
  failed(province: string, reason: ProvinceFailure): void {
    const { registry, metrics } = this.options;
    if (reason !== 'timeout' && reason !== 'network') return;
    if (reason === 'timeout') this.lastProbe.set(province, Date.now());
    const status = registry.status(province);
    if (status === 'down' || status === 'incompatible') return;
    registry.update(province, { status: 'down', problems: [`fetch: ${reason}`] });
    metrics?.provinceState.set({ province }, 0);
    this.logger.warn({ province, from: status, to: 'down', reason }, 'province state changed');
  }
}
