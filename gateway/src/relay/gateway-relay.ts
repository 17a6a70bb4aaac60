/**
 * The gateway's relay: the pump over HTTP, its record (`RelayBook`) and what `/health`,
 * `/health/details`, `/metrics` and `/relay/backlog` show of it. One per gateway process; every
 * replica may run one (the provinces' inboxes make that safe).
 */
import type { Logger } from '@p2p/runtime';
import type { CallerAssertions } from '../auth/caller-assertions.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { ProvinceRegistry } from '../shard/province-registry.js';
import { measureBacklog, type RelayBacklog } from './relay-backlog.js';
import { RelayBook, type RelayPairState, type RelaySourceState } from './relay-book.js';
import { RelayHttpTransport } from './relay-http-transport.js';
import { RelayMetrics } from './relay-metrics.js';
import { RelayPump, type RelayPumpOptions } from './relay-pump.js';

/** Settings of the relay (`GatewayOptions.relay`). */
export type RelayOptions = Partial<
  Pick<RelayPumpOptions, 'waitMs' | 'batchSize' | 'retryMs' | 'maxRetryMs' | 'alarmRetryMs' | 'idleMs'>
> & {
  /** Time budget of an apply or inbox call (a read gets its wait on top). @default 30_000 */
  timeoutMs?: number;
};

/** A source as `/health/details` shows it. */
export interface RelaySourceDetails extends RelaySourceState {
  /** Events of this source its targets have not applied, in all (last read). */
  backlog: number;
  /** The largest lag of the last applied event over its targets (seconds). */
  lagSeconds: number | null;
}

/** The running relay. */
export interface GatewayRelay {
  /** Public `/health`: up or down per source province, nothing else. */
  publicHealth(): { source: string; state: 'up' | 'down' }[];
  /** Admin `/health/details`: sources and pairs with positions, backlogs, lags and alarms. */
  details(): { sources: RelaySourceDetails[]; pairs: (RelayPairState & { behindRetention: boolean })[] };
  /** Admin `/relay/backlog`: a fresh measure asked of the provinces. */
  backlog(): Promise<RelayBacklog>;
  /** Stops the pump and closes its connections. Idempotent. */
  stop(): Promise<void>;
}

/** Starts the relay between the registry's provinces. */
export function startRelay(options: {
  registry: ProvinceRegistry;
  assertions: CallerAssertions;
  metrics: GatewayMetrics;
  logger: Logger;
  relay?: RelayOptions;
}): GatewayRelay {
  const provinces = options.registry.codes;
  const { timeoutMs, ...pumpSettings } = options.relay ?? {};
  const transport = new RelayHttpTransport({
    registry: options.registry,
    assertions: options.assertions,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  const book = new RelayBook(provinces, new RelayMetrics(options.metrics.registry));
  // A province the gateway does not route to is neither read nor written: its pairs are held.
  const refusal = (province: string) => options.registry.refusal(province);
  const pump = new RelayPump({
    provinces,
    refusal,
    transport,
    book,
    logger: options.logger.child({ component: 'relay' }),
    ...pumpSettings,
  });
  pump.start();
  let stopping: Promise<void> | undefined;
  return {
    publicHealth: () => book.sourceStates().map(({ source, state }) => ({ source, state })),
    details() {
      const pairs = book.pairStates();
      const sources = book.sourceStates().map((s) => {
        const own = pairs.filter((p) => p.source === s.source);
        const lags = own.map((p) => p.lagSeconds).filter((l): l is number => l !== null);
        return {
          ...s,
          backlog: own.reduce((sum, p) => sum + p.backlog, 0),
          lagSeconds: lags.length > 0 ? Math.max(...lags) : null,
        };
      });
      return { sources, pairs };
    },
    backlog: () => measureBacklog(transport, provinces, refusal),
    stop: () =>
      (stopping ??= (async () => {
        await pump.stop();
        await transport.close();
      })()),
  };
}
