/**
 * Prometheus gauges of the gateway's subscriptions, read from the live counters at scrape time:
 * client connections, the events waiting in client buffers and the clients cut off for reading too
 * slowly, shared upstream feeds, upstream subscriptions opened since start (the
 * sharing shows as far fewer of them than client subscriptions) and federated resolution queries.
 */
import { Gauge, type Registry } from 'prom-client';
import type { BacklogStats } from './client-backlog.js';
import type { UpstreamStats } from './upstream-feeds.js';

/** What the gauges read. */
export type SubscriptionStats = UpstreamStats &
  BacklogStats & { connections: number; resolutionQueries: number };

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
    'p2p_gateway_subscription_upstream_feeds_held',
    'Upstream feeds held because their province is not routed to (its contract, its conformance report): none of its events is delivered; they resume from their positions',
    (s) => s.held,
  );
  gauge(
    'p2p_gateway_subscription_upstream_feeds_starting',
    "Upstream feeds that have not read their province's position yet (their new clients wait for it)",
    (s) => s.starting,
  );
  gauge(
    'p2p_gateway_subscription_upstream_opened',
    'Upstream subscriptions opened since start, resubscriptions included',
    (s) => s.subscriptionsOpened,
  );
  gauge(
    'p2p_gateway_subscription_buffered_events',
    'Events waiting in client buffers (received from the provinces, not yet sent), all clients',
    (s) => s.bufferedEvents,
  );
  gauge(
    'p2p_gateway_subscription_buffered_events_max',
    'The most events waiting for one client (past 1,000 by default it is cut off)',
    (s) => s.maxBufferedEvents,
  );
  gauge(
    'p2p_gateway_subscription_slow_consumers_closed',
    'Clients cut off for reading too slowly since start (close code 4600)',
    (s) => s.slowConsumersClosed,
  );
  gauge(
    'p2p_gateway_subscription_resolution_queries',
    'Federated queries sent to resolve events since start',
    (s) => s.resolutionQueries,
  );
}
