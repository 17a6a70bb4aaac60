/**
 * The thin WebSocket adapter of the province's subscriptions: graphql-ws (`graphql-transport-ws`
 * protocol) over `ws`, on the province's own http.Server, at the subgraph paths
 * `/transport/graphql` and `/employment/graphql` (the same URLs as their HTTP endpoints).
 * Everything else (what an event is, how it is read) lives in the transport-free modules.
 */
import type { IncomingMessage, Server } from 'node:http';
import { routeUpgrades } from '@p2p/runtime';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { accessOf, bindAccess, type RequestAccess } from '../access/request-access.js';
import type { ProvinceContext } from '../context.js';
import { SUBSCRIPTION_SUBGRAPHS, type SubscriptionSubgraph } from './schema.js';

/** Options of {@link serveSubscriptionsOverWebSocket}. */
export interface SubscriptionWsOptions {
  httpServer: Server;
  schemas: Record<SubscriptionSubgraph, GraphQLSchema>;
  /** A fresh context per subscription (it lives as long as the subscription). */
  contextFor(subgraph: SubscriptionSubgraph): ProvinceContext;
  /**
   * Admission of the upgrade request (e.g. the gateway's signed caller assertion in its headers),
   * checked once at `connection_init` (refused: close 4403 Forbidden); the access it binds holds
   * for every subscription of the connection, however long it lives. Absent: no access is bound.
   */
  admit?: (req: IncomingMessage, context: ProvinceContext) => Promise<GraphQLFormattedError | undefined>;
  log: Logger;
  /** WebSocket ping interval; a peer that misses a pong for as long is dropped. @default 6_000 */
  keepAliveMs?: number;
}

/** The WebSocket side of the subscription service. */
export interface SubscriptionWsServer {
  /** Closes every connection (1001 Going away) and stops taking upgrades. Idempotent. */
  close(): Promise<void>;
}

const PATH = new RegExp(`^/(${SUBSCRIPTION_SUBGRAPHS.join('|')})/graphql/?$`);

function subgraphOf(req: IncomingMessage): SubscriptionSubgraph | undefined {
  const path = new URL(req.url ?? '/', 'http://province.local').pathname;
  return PATH.exec(path)?.[1] as SubscriptionSubgraph | undefined;
}

/** Serves graphql-ws on the subgraph paths of `httpServer`; other upgrade requests get 404. */
export function serveSubscriptionsOverWebSocket(options: SubscriptionWsOptions): SubscriptionWsServer {
  const { log } = options;
  const wss = new WebSocketServer({ noServer: true });
  const stopRouting = routeUpgrades(options.httpServer, wss, (path) => PATH.test(path));

  const subgraph = (request: IncomingMessage) => subgraphOf(request) ?? 'transport';
  /** The access admitted for each connection (graphql-ws's per-connection context object). */
  const admitted = new WeakMap<object, RequestAccess>();
  const disposable = useServer(
    {
      schema: (ctx) => options.schemas[subgraph(ctx.extra.request)],
      onConnect: async (ctx) => {
        if (!options.admit) return true;
        const probe = options.contextFor(subgraph(ctx.extra.request));
        const refused = await options.admit(ctx.extra.request, probe);
        if (refused) {
          log.warn({ code: refused.extensions?.code }, 'subscription connection refused');
          return false;
        }
        admitted.set(ctx, accessOf(probe));
        return true;
      },
      context: (ctx) => {
        const context = options.contextFor(subgraph(ctx.extra.request));
        const access = admitted.get(ctx);
        if (access) bindAccess(context, access);
        return context;
      },
      onError: (_ctx, _id, _payload, errors) => {
        log.debug({ codes: errors.map((e) => e.extensions?.code ?? 'GRAPHQL') }, 'subscription refused');
      },
    },
    wss,
    options.keepAliveMs ?? 6_000,
  );

  let closing: Promise<void> | undefined;
  return {
    close: () =>
      (closing ??= (async () => {
        stopRouting();
        await disposable.dispose();
      })()),
  };
}
