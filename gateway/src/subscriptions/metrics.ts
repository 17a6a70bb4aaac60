/**
 * Prometheus gauges of the gateway's subscriptions, read from the live counters at scrape time:
 * client connections, shared upstream feeds, upstream subscriptions opened since start (the
 * sharing shows as far fewer of them than client subscriptions) and federated resolution queries.
 */
import { Gauge, type Registry } from 'prom-client';
import type { UpstreamStats } from './upstream-feeds.js';

/** What the gauges read. */
export type SubscriptionStats = UpstreamStats & { connections: number; resolutionQueries: number };

/** Registers the subscription gauges in `registry` (the one `/metrics` serves). */
export function registerSubscriptionMetrics(registry: Registry, stats: () => SubscriptionStats): void {
  const gauge = (name: string, help: string, read: (s: SubscriptionStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(stats()));
      },
    });
  gauge('p2p_gateway_subscription_connections', 'Open graphql-ws client connections', (s) => s.connections);
  gauge(
    'p2p_gateway_subscription_client_taps',
    'Client subscriptions attached to upstream feeds (one per province each)',
    (s) => s.taps,
  );
  gauge(
    'p2p_gateway_subscription_upstream_feeds',
    'Shared upstream subscriptions (province, field, region) alive',
    (s) => s.feeds,
  );
  gauge(
    'p2p_gateway_subscription_upstream_opened',
    'Upstream subscriptions opened since start, resubscriptions included',
    (s) => s.subscriptionsOpened,
  );
  gauge(
    'p2p_gateway_subscription_resolution_queries',
    'Federated queries sent to resolve events since start',
    (s) => s.resolutionQueries,
  );
}
