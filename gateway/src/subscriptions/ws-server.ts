/**
 * The thin WebSocket adapter of the gateway's subscriptions: graphql-ws
 * (`graphql-transport-ws`) over `ws` on the gateway's own http.Server, at `/graphql` (the
 * same URL as GraphQL over HTTP). Other upgrade paths get 404.
 */
import type { Server } from 'node:http';
import { hubError } from '@p2p/schema';
import type { ExecutionArgs, ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { routeUpgrades, type Logger } from '@p2p/runtime';
import { admitConnection, connectionState, type SubscriptionConnectHook } from './connections.js';
import type { SubscriptionContext } from './execution.js';

/** Options of {@link serveGatewaySubscriptions}. */
export interface GatewayWsOptions {
  httpServer: Server;
  /** The gateway's API schema (with its `Subscription` type). */
  schema: GraphQLSchema;
  /** graphql-js `subscribe` with the subscription resolvers. */
  subscribe: (args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
  /** @default '/graphql' */
  path?: string;
  /** The gateway's operation limits, before graphql-ws validates a subscription: errors to refuse it with, or undefined. */
  refuseOperation?: (payload: {
    query?: unknown;
    operationName?: unknown;
    variables?: unknown;
  }) => readonly GraphQLError[] | undefined;
  /** Authentication of `connection_init`. Absent: everyone, as principal `anonymous`. */
  onConnect?: SubscriptionConnectHook;
  /** WebSocket ping interval; a client that misses a pong for as long is dropped (dead within 2 intervals). @default 6_000 */
  keepAliveMs?: number;
  /** Largest message accepted from a client. @default 65_536 */
  maxPayloadBytes?: number;
  logger: Logger;
}

/** The running adapter. */
export interface GatewayWsServer {
  /** Open client connections. */
  readonly connections: number;
  /** Closes every connection (1001 Going away) and stops taking upgrades. Idempotent. */
  close(): Promise<void>;
}

/** Serves graphql-ws at `path` on `httpServer`. */
export function serveGatewaySubscriptions(options: GatewayWsOptions): GatewayWsServer {
  const path = options.path ?? '/graphql';
  const { logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 65_536 });
  const stopRouting = routeUpgrades(options.httpServer, wss, (requested) => requested === path);

  const disposable = useServer<Record<string, unknown>>(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        const identity = options.onConnect
          ? await options.onConnect({
              connectionParams: ctx.connectionParams ?? {},
              request: ctx.extra.request,
            })
          : {};
        if (identity === false) {
          logger.info('subscription connection refused by the onConnect hook');
          return false;
        }
        admitConnection(ctx, ctx.extra.socket, identity);
        return true;
      },
      onSubscribe: (_ctx, _id, payload) => options.refuseOperation?.(payload),
      context: (ctx): SubscriptionContext => ({ connection: connectionState(ctx)! }),
      subscribe: options.subscribe,
      execute: () => ({
        errors: [
          hubError(
            'BAD_USER_INPUT',
            'this WebSocket serves subscriptions; send queries and mutations with POST /graphql',
          ),
        ],
      }),
      onError: (_ctx, _id, _payload, errors) => {
        logger.debug(
          {
            codes: errors.map((e) => String(e.extensions?.code ?? 'GRAPHQL_VALIDATION_FAILED')).join(','),
          },
          'subscription refused',
        );
      },
    },
    wss,
    options.keepAliveMs ?? 6_000,
  );

  let closing: Promise<void> | undefined;
  return {
    get connections() {
      return wss.clients.size;
    },
    close: () =>
      (closing ??= (async () => {
        stopRouting();
        await disposable.dispose();
      })()),
  };
}
