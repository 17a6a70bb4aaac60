/**
 * The province's subscription service: the outbox is the event log; one LISTEN connection wakes
 * one shared feed; one shared tail reads the new events once for every stream; each subscription replays after its cursor and follows the feed; graphql-ws
 * serves them at `/transport/graphql` (`arrivals`, `departures`) and `/employment/graphql`
 * (`returnRequestsFiled`) on the province's http.Server.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { ProvinceContext } from '../context.js';
import type { ProvinceDatabase } from '../db/database.js';
import type { ContractRelease } from '@p2p/schema';
import { listenToOutbox } from './outbox-listener.js';
import { OutboxFeed } from './outbox-feed.js';
import { EventTail } from './event-tail.js';
import { subscriptionSchemas, type ResolverGuard, type SubscriptionSubgraph } from './schema.js';
import { serveSubscriptionsOverWebSocket } from './ws-server.js';

/** The shared, gap-safe high-water mark of the outbox. */
export { OutboxFeed } from './outbox-feed.js';
/** The latest events of the outbox, read once for every stream of the process. */
export { EventTail } from './event-tail.js';
/** One subscription's replay-then-follow stream of outbox events. */
export { followEvents, type OutboxEventRecord } from './event-stream.js';
/** The topic rule: which events a subscription follows, filtered by which region column. */
export { EVENT_TOPICS, type EventTopic } from '../event-topics.js';
/** The subgraph cursor parser (a decimal seq, or `<epoch>:<seq>`). */
export { parseEpochCursor, type SeqCursor } from './epoch-cursor.js';
/** The logical subgraphs served over graphql-ws. */
export { SUBSCRIPTION_SUBGRAPHS, type SubscriptionSubgraph } from './schema.js';

/** Options of {@link startSubscriptionService}. */
export interface SubscriptionServiceOptions {
  httpServer: Server;
  database: ProvinceDatabase;
  /** A fresh context per subscription. */
  contextFor(subgraph: SubscriptionSubgraph): ProvinceContext;
  /** See `SubscriptionWsOptions.admit`. Absent: every connection is admitted. */
  admit?: (req: IncomingMessage, context: ProvinceContext) => Promise<GraphQLFormattedError | undefined>;
  /** Wraps the served resolver maps (e.g. with the access rules used over HTTP). */
  guard?: ResolverGuard;
  /** The contract served (as over HTTP). @default 'current' */
  servedContract?: ContractRelease;
  log: Logger;
  /** @default 30_000 */
  safetyIntervalMs?: number;
  /** @default 6_000 */
  keepAliveMs?: number;
}

/** A running subscription service. */
export interface SubscriptionService {
  feed: OutboxFeed;
  /** Closes the WebSocket connections, the LISTEN connection and the feed. Idempotent. */
  close(): Promise<void>;
}

/** Starts listening, reads the outbox head, then takes WebSocket upgrades. */
export async function startSubscriptionService(
  options: SubscriptionServiceOptions,
): Promise<SubscriptionService> {
  const log = options.log.child({ component: 'subscriptions' });
  const feed = new OutboxFeed({
    db: options.database.db,
    log,
    ...(options.safetyIntervalMs ? { safetyIntervalMs: options.safetyIntervalMs } : {}),
  });
  const listener = await listenToOutbox({
    target: options.database.listenTarget,
    onWake: () => feed.wake(),
    log,
  });
  await feed.start();
  const tail = new EventTail({ db: options.database.db, feed, log });
  const ws = serveSubscriptionsOverWebSocket({
    httpServer: options.httpServer,
    schemas: subscriptionSchemas({ feed, tail }, options.guard, options.servedContract),
    contextFor: options.contextFor,
    ...(options.admit ? { admit: options.admit } : {}),
    log,
    ...(options.keepAliveMs ? { keepAliveMs: options.keepAliveMs } : {}),
  });
  log.debug({ head: feed.head }, 'subscriptions ready');
  let closing: Promise<void> | undefined;
  return {
    feed,
    close: () =>
      (closing ??= (async () => {
        await ws.close();
        feed.close();
        await listener.close();
      })()),
  };
}
