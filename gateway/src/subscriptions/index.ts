/**
 * The gateway's subscriptions (`arrivals`, `returnRequestsFiled`, `departures`,
 * `returnRequestUpdates`) over graphql-ws at `/graphql`:
 * shared upstream feeds to every connected province, merged per client with a vector cursor,
 * each event's selection resolved through the federated query pipeline. See README "Subscriptions".
 */
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import { buildSchema, printSchema, type GraphQLSchema } from 'graphql';
import type { Logger } from '@p2p/runtime';
import type { RateLimiter } from '../limits/rate-limit.js';
import type { ProvinceRegistry } from '../shard/province-registry.js';
import { DEFAULT_MAX_BUFFERED_EVENTS } from './client-stream.js';
import type { SubscriptionConnectHook } from './connections.js';
import { EventResolvers, type FederatedExecutor } from './event-resolver.js';
import { subscribeWith } from './execution.js';
import { ClientBacklog } from './client-backlog.js';
import { registerSubscriptionMetrics, type SubscriptionStats } from './metrics.js';
import {
  DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION,
  type OperationAdmission,
} from './subscription-admission.js';
import { UpstreamFeeds } from './upstream-feeds.js';
import { serveGatewaySubscriptions } from './ws-server.js';

/** Every close code of the subscriptions, and the reason texts sent with the hub's own. */
export { SubscriptionCloseCode, CLOSE_REASONS, TOKEN_EXPIRED_REASON } from './close-codes.js';
/** The caps' defaults and the hook of further checks of each subscribe message (the query limits). */
export {
  DEFAULT_MAX_CONNECTIONS_PER_CALLER,
  DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION,
  type OperationAdmission,
  type SubscribeOperation,
} from './subscription-admission.js';
/** Shared, immutable cursor states (encoded once for every client with the same history). */
export { CursorState } from './cursor-state.js';
/** The vector cursor codec (per-province positions as base64url JSON). */
export { encodeVectorCursor, decodeVectorCursor, type ProvincePositions } from './vector-cursor.js';
/** The default bounded buffer of a client subscription (1,000 events). */
export { DEFAULT_MAX_BUFFERED_EVENTS } from './client-stream.js';
/** The `onConnect` authentication hook and what it returns. */
export type { SubscriptionConnectHook, ConnectionIdentity } from './connections.js';
/** Upstream counters. */
export type { UpstreamStats } from './upstream-feeds.js';
/** The gateway's own pipeline as the executor of resolution queries. */
export { apolloExecutor, type FederatedExecutor, type OperationRunner } from './event-resolver.js';

/** Settings of the gateway's subscriptions (`GatewayOptions.subscriptions`). */
export interface SubscriptionOptions {
  /**
   * Authentication of `connection_init`: gets the connection params and the upgrade request,
   * returns the caller's identity, or false to refuse (close 4403). Absent: everyone is admitted.
   */
  onConnect?: SubscriptionConnectHook;
  /** Events a client may have waiting; one more closes it with 4600 SlowConsumer. @default 1000 */
  maxBufferedEvents?: number;
  /**
   * Ping interval towards clients: one that sent nothing by its next ping is dropped
   * (`client-heartbeat.ts`); 0: no pings. @default DEFAULT_CLIENT_KEEPALIVE_MS (15 s)
   */
  keepAliveMs?: number;
  /** Ping interval towards provinces. @default 5_000 */
  upstreamKeepAliveMs?: number;
  /** A province ping unanswered this long drops the link (it is re-established). @default 5_000 */
  upstreamPongTimeoutMs?: number;
  /** Recent events each shared upstream feed keeps for clients joining behind. @default 1000 */
  historySize?: number;
  /** An upstream feed without clients is kept this long. @default 10_000 */
  lingerMs?: number;
  /** Upgrade headers of each province link (the hook for the gateway's signed caller assertion). */
  upstreamHeaders?: (province: string) => Promise<Record<string, string>> | Record<string, string>;
  /**
   * Subscriptions one connection may have open; one more is refused with QUERY_TOO_COMPLEX
   * (`SUBSCRIPTION_MAX_PER_CONNECTION`; 0: no cap). @default 20
   */
  maxSubscriptionsPerConnection?: number;
  /**
   * Connections one caller (the rate limiter's key: the token's subject) may have open to this
   * gateway process; one more is closed with 4629 TooManyConnections
   * (`SUBSCRIPTION_MAX_CONNECTIONS_PER_CALLER`; 0: no cap). @default 10
   */
  maxConnectionsPerCaller?: number;
  /** Further checks of each subscribe message before it is parsed (the query limits plug in here). */
  admitOperation?: OperationAdmission;
}

/** What {@link attachSubscriptions} needs from the gateway. */
export interface AttachSubscriptionsOptions extends SubscriptionOptions {
  httpServer: Server;
  /** The gateway's API schema. */
  schema: GraphQLSchema;
  registry: ProvinceRegistry;
  /** Runs the resolution queries through the gateway's own pipeline. */
  execute: FederatedExecutor;
  logger: Logger;
  /** Where to register the subscription gauges (the registry `/metrics` serves). */
  metricsRegistry?: Registry;
  /** The per-caller rate limiter of HTTP: each subscribe message takes one operation from it. Absent: not limited. */
  limiter?: RateLimiter;
}

/** The running subscription service of the gateway. */
export interface GatewaySubscriptions {
  /** Upstream counters and open client connections. */
  stats(): SubscriptionStats;
  /** Closes client connections (1001), upstream feeds and province links. */
  close(): Promise<void>;
}

/** Serves the subscriptions on the gateway's http.Server. */
export function attachSubscriptions(options: AttachSubscriptionsOptions): GatewaySubscriptions {
  const logger = options.logger;
  const feeds = new UpstreamFeeds({
    registry: options.registry,
    logger,
    ...(options.lingerMs !== undefined ? { lingerMs: options.lingerMs } : {}),
    ...(options.historySize ? { historySize: options.historySize } : {}),
    ...(options.upstreamKeepAliveMs ? { keepAliveMs: options.upstreamKeepAliveMs } : {}),
    ...(options.upstreamPongTimeoutMs ? { pongTimeoutMs: options.upstreamPongTimeoutMs } : {}),
    ...(options.upstreamHeaders ? { upstreamHeaders: options.upstreamHeaders } : {}),
  });
  const resolvers = new EventResolvers({ execute: options.execute, logger });
  const backlog = new ClientBacklog();
  const ws = serveGatewaySubscriptions({
    httpServer: options.httpServer,
    // A copy without resolvers: Apollo Server instruments the gateway's schema objects in place
    // (its willResolveField wrappers), which would hide the subscription field resolver.
    schema: buildSchema(printSchema(options.schema)),
    subscribe: subscribeWith({
      feeds,
      resolvers,
      execute: options.execute,
      maxBufferedEvents: options.maxBufferedEvents ?? DEFAULT_MAX_BUFFERED_EVENTS,
      backlog,
    }),
    ...(options.onConnect ? { onConnect: options.onConnect } : {}),
    ...(options.keepAliveMs !== undefined ? { keepAliveMs: options.keepAliveMs } : {}),
    ...(options.maxConnectionsPerCaller !== undefined
      ? { maxConnectionsPerCaller: options.maxConnectionsPerCaller }
      : {}),
    admission: {
      maxSubscriptionsPerConnection:
        options.maxSubscriptionsPerConnection ?? DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      ...(options.limiter ? { limiter: options.limiter } : {}),
      ...(options.admitOperation ? { admitOperation: options.admitOperation } : {}),
    },
    logger,
  });
  const stats = (): SubscriptionStats => ({
    ...feeds.stats(),
    ...backlog.stats(),
    connections: ws.connections,
    resolutionQueries: resolvers.queries,
  });
  if (options.metricsRegistry) registerSubscriptionMetrics(options.metricsRegistry, stats);
  let closing: Promise<void> | undefined;
  return {
    stats,
    close: () =>
      (closing ??= (async () => {
        await ws.close();
        await feeds.close();
      })()),
  };
}
