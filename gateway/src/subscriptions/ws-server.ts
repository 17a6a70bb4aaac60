/**
 * The thin WebSocket adapter of the gateway's subscriptions: graphql-ws
 * (`graphql-transport-ws`) over `ws` on the gateway's own http.Server (graphql-ws-transport.ts:
 * results serialised once are sent as they are), at `/graphql` (the
 * same URL as GraphQL over HTTP). Other upgrade paths get 404. Each connection is admitted by
 * the `onConnect` hook and the per-caller connection cap, lives until its token expires, and
 * each `subscribe` message passes `admitSubscription` (subscription-admission.ts) first.
 */
import type { IncomingMessage, Server } from 'node:http';
import { hubError } from '@p2p/schema';
import type { ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import type { Context } from 'graphql-ws';
import { WebSocket, WebSocketServer } from 'ws';
import { routeUpgrades, type Logger } from '@p2p/runtime';
import { CallerConnections } from './caller-connections.js';
import { CLOSE_REASONS, SubscriptionCloseCode, TOKEN_EXPIRED_REASON } from './close-codes.js';
import {
  admitConnection,
  connectionState,
  type ConnectionState,
  type SubscriptionConnectHook,
} from './connections.js';
import type { SubscriptionContext } from './execution.js';
import {
  DEFAULT_MAX_CONNECTIONS_PER_CALLER,
  admitSubscription,
  type SubscriptionAdmissionOptions,
} from './subscription-admission.js';
import { atExpiry, endingAtExpiry, tokenExpired } from './token-expiry.js';
import { subscribeByIdReviver } from '../trusted-documents/trusted-subscriptions.js';
import { serveGraphqlWs } from './graphql-ws-transport.js';
import { DEFAULT_CLIENT_KEEPALIVE_MS } from './client-heartbeat.js';

/** Options of {@link serveGatewaySubscriptions}. */
export interface GatewayWsOptions {
  httpServer: Server;
  /** The gateway's API schema (with its `Subscription` type). */
  schema: GraphQLSchema;
  /** graphql-js `subscribe` with the subscription resolvers. */
  subscribe: (args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
  /** @default '/graphql' */
  path?: string;
  /** Authentication of `connection_init`. Absent: everyone, as principal `anonymous`. */
  onConnect?: SubscriptionConnectHook;
  /** WebSocket ping interval; a client that sent nothing by its next ping is dropped (dead within 2 intervals). @default DEFAULT_CLIENT_KEEPALIVE_MS */
  keepAliveMs?: number;
  /** Largest message accepted from a client. @default 65_536 */
  maxPayloadBytes?: number;
  /** Connections a caller may have open (0: no cap). @default DEFAULT_MAX_CONNECTIONS_PER_CALLER */
  maxConnectionsPerCaller?: number;
  /** What each `subscribe` message must pass (caps, rate limit, query limits). */
  admission: SubscriptionAdmissionOptions;
  logger: Logger;
}

/** How long an expired connection waits for its subscriptions' errors to go out before it is closed anyway. */
const EXPIRED_CLOSE_GRACE_MS = 1_000;

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

  const callers = new CallerConnections(
    options.maxConnectionsPerCaller ?? DEFAULT_MAX_CONNECTIONS_PER_CALLER,
  );
  type ServerContext = Context<Record<string, unknown>, { socket: WebSocket; request: IncomingMessage }>;
  /** Closes an expired connection once its subscriptions have been told (or after the grace time). */
  const closeIfIdle = (ctx: ServerContext) => {
    if (Object.keys(ctx.subscriptions).length === 0)
      ctx.extra.socket.close(SubscriptionCloseCode.Forbidden, TOKEN_EXPIRED_REASON);
  };
  const expire = (ctx: ServerContext, state: ConnectionState) => {
    logger.info({ principal: state.principal }, 'subscription connection ended: token expired');
    state.expire();
    setImmediate(() => closeIfIdle(ctx));
    setTimeout(
      () => ctx.extra.socket.close(SubscriptionCloseCode.Forbidden, TOKEN_EXPIRED_REASON),
      EXPIRED_CLOSE_GRACE_MS,
    ).unref();
  };

  const disposable = serveGraphqlWs<Record<string, unknown>>(
    {
      schema: options.schema,
      // A subscribe by id (trusted documents) may omit `query`; the admission resolves the id.
      jsonMessageReviver: subscribeByIdReviver,
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        const identity = options.onConnect
          ? await options.onConnect({ connectionParams: ctx.connectionParams ?? {}, request })
          : {};
        if (identity === false) {
          logger.info('subscription connection refused by the onConnect hook');
          return false;
        }
        if (identity.expiresAt !== undefined && identity.expiresAt <= Date.now()) {
          logger.info('subscription connection refused: token expired');
          return false;
        }
        if (socket.readyState !== WebSocket.OPEN) return false; // left while being authenticated
        const state = admitConnection(ctx, socket, identity, request);
        if (!callers.take(state.callerKey)) {
          logger.warn(
            { principal: state.principal },
            'subscription connection refused: too many connections for this caller',
          );
          const code = SubscriptionCloseCode.TooManyConnections;
          socket.close(code, CLOSE_REASONS[code]);
          return false;
        }
        socket.once('close', () => callers.release(state.callerKey));
        if (state.expiresAt !== undefined)
          socket.once(
            'close',
            atExpiry(state.expiresAt, () => expire(ctx, state)),
          );
        return true;
      },
      onSubscribe: (ctx, _id, payload) =>
        // The count is taken now, before any await: a burst of subscribe messages is counted in full.
        admitSubscription(
          {
            connection: connectionState(ctx)!,
            open: Object.keys(ctx.subscriptions).length,
            operation: payload,
          },
          options.admission,
        ),
      context: (ctx): SubscriptionContext => ({ connection: connectionState(ctx)! }),
      subscribe: options.subscribe,
      onOperation: (ctx, _id, _payload, _args, result) => {
        const state = connectionState(ctx);
        if (!state || !(Symbol.asyncIterator in result)) return undefined;
        return endingAtExpiry(result, state.onExpiry, () => tokenExpired(state.expiresAt));
      },
      onComplete: (ctx) => {
        if (connectionState(ctx)?.expired) setImmediate(() => closeIfIdle(ctx));
      },
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
    options.keepAliveMs ?? DEFAULT_CLIENT_KEEPALIVE_MS,
    logger,
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
