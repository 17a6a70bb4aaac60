import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The relay's Prometheus metrics, registered in the gateway's registry (`/metrics`). */
export class RelayMetrics {
  /** Events a target has not applied yet, per source and target (as of the last read). */
  readonly backlog: Gauge<'source' | 'target'>;
  /** Source commit → applied at the target, per event. */
  readonly lag: Histogram<'source' | 'target'>;
  /** Events applied, per source and target. */
  readonly applied: Counter<'source' | 'target'>;
  /** 1 while the last read of a source succeeded. */
  readonly sourceUp: Gauge<'source'>;
  /** 1 while a pair is refused (another epoch, pruned events, a batch the target refuses): needs an operator. */
  readonly alarm: Gauge<'source' | 'target'>;
  /** 1 while a pair is held: its source or target is a province the gateway does not route to. */
  readonly held: Gauge<'source' | 'target'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.backlog = new Gauge({
      name: 'p2p_gateway_relay_backlog_events',
      help: 'Relay events of a source province its target province has not applied yet',
      labelNames: ['source', 'target'] as const,
      registers,
    });
    this.lag = new Histogram({
      name: 'p2p_gateway_relay_lag_seconds',
      help: "Relay lag: from the source province's commit to the target province's apply",
      labelNames: ['source', 'target'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
      registers,
    });
    this.applied = new Counter({
      name: 'p2p_gateway_relay_applied_total',
      help: 'Relay events applied by their target province',
      labelNames: ['source', 'target'] as const,
      registers,
    });
    this.sourceUp = new Gauge({
      name: 'p2p_gateway_relay_source_up',
      help: 'The relay reads the source province (1) or cannot (0)',
      labelNames: ['source'] as const,
      registers,
    });
    this.alarm = new Gauge({
      name: 'p2p_gateway_relay_alarm',
      help: 'A source/target pair is refused and needs an operator (another epoch, pruned events, a refused batch)',
      labelNames: ['source', 'target'] as const,
      registers,
    });
    this.held = new Gauge({
      name: 'p2p_gateway_relay_held',
      help: 'A source/target pair is held: the source or the target is a province the gateway does not route to (its contract, its conformance report); nothing is skipped',
      labelNames: ['source', 'target'] as const,
      registers,
    });
  }
}
