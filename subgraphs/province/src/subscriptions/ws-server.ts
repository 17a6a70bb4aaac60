/**
 * The thin WebSocket adapter of the province's subscriptions: graphql-ws (`graphql-transport-ws`
 * protocol) over `ws`, on the province's own http.Server, at the subgraph paths
 * `/transport/graphql` and `/employment/graphql` (the same URLs as their HTTP endpoints).
 * Everything else (what an event is, how it is read) lives in the transport-free modules.
 */
import type { IncomingMessage, Server } from 'node:http';
import { routeUpgrades } from '@p2p/runtime';
import { CALLER_HEADER, hubError } from '@p2p/schema';
import {
  getOperationAST,
  Kind,
  GraphQLError,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { CloseCode, type Context } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { admittedUntil } from '../access/gateway-signature.js';
import { accessOf, bindAccess, type RequestAccess } from '../access/request-access.js';
import type { ProvinceContext } from '../context.js';
import { DocumentCache } from './document-cache.js';
import { SUBSCRIPTION_SUBGRAPHS, type SubscriptionSubgraph } from './schema.js';

/** Options of {@link serveSubscriptionsOverWebSocket}. */
export interface SubscriptionWsOptions {
  httpServer: Server;
  schemas: Record<SubscriptionSubgraph, GraphQLSchema>;
  /** A fresh context per subscription (it lives as long as the subscription). */
  contextFor(subgraph: SubscriptionSubgraph): ProvinceContext;
  /**
   * Admission of the upgrade request (the gateway's signed caller assertion in its headers),
   * checked at `connection_init` (refused: close 4403 Forbidden). The access it binds holds until
   * the assertion's expiry ({@link admittedUntil}): then the socket is closed (4403) unless the
   * link renewed it first with a graphql-ws `ping` whose payload carries a fresh assertion in
   * `x-p2p-caller` (admitted exactly like a new upgrade). Absent: no access is bound.
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

/** graphql-ws's per-connection context, over `ws`. */
type WsContext = Context<Record<string, unknown> | undefined, Extra>;

/** What a connection was admitted for, and until when. */
interface AdmittedConnection {
  access: RequestAccess;
  /** The assertion's expiry (ms); undefined when admitted without one (no expiry). */
  until: number | undefined;
  /** Closes the socket at `until`. */
  expiry?: NodeJS.Timeout;
}

/** The queries the gateway's link runs over a province's WebSocket; every other query goes over HTTP. */
const WS_QUERIES = new Set(['outboxHead', 'outboxEpoch', 'outboxPrunedThrough', '__typename']);

/**
 * Why an operation is not served over the WebSocket: only subscriptions and the WebSocket-only
 * queries (`outboxHead`, `outboxEpoch`, `outboxPrunedThrough`) are; queries and mutations go over HTTP, where
 * each request carries its own assertion. Undefined when it is served.
 */
function refusedOperation(
  query: string,
  operationName: string | null | undefined,
  parse: (query: string) => DocumentNode,
): GraphQLError | undefined {
  let operation: ReturnType<typeof getOperationAST>;
  try {
    operation = getOperationAST(parse(query), operationName);
  } catch (err) {
    return err instanceof GraphQLError ? err : hubError('BAD_USER_INPUT', 'the operation is not GraphQL');
  }
  if (!operation || operation.operation === 'subscription') return undefined;
  if (
    operation.operation === 'query' &&
    operation.selectionSet.selections.every(
      (selection) => selection.kind === Kind.FIELD && WS_QUERIES.has(selection.name.value),
    )
  )
    return undefined;
  return hubError(
    'FORBIDDEN',
    `a province's WebSocket serves only subscriptions and outboxHead / outboxEpoch / outboxPrunedThrough; send ${operation.operation === 'mutation' ? 'mutations' : 'queries'} over HTTP`,
  );
}

/** The upgrade request as it would look carrying `assertion`: a renewal is admitted like a new upgrade. */
function withAssertion(request: IncomingMessage, assertion: string): IncomingMessage {
  return Object.create(request, {
    headers: { value: { ...request.headers, [CALLER_HEADER]: assertion }, enumerable: true },
  }) as IncomingMessage;
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
  /** Each query text parsed and validated once (the gateway sends the same few, ~310 times each). */
  const documents = new DocumentCache();
  /** What each connection was admitted for (graphql-ws's per-connection context object). */
  const connections = new WeakMap<object, AdmittedConnection>();

  /** Admits `request` for the connection; false when refused. */
  const admitConnection = async (ctx: WsContext, request: IncomingMessage): Promise<boolean> => {
    if (!options.admit) return true;
    const probe = options.contextFor(subgraph(ctx.extra.request));
    const refused = await options.admit(request, probe);
    if (refused) {
      log.warn({ code: refused.extensions?.code }, 'subscription connection refused');
      return false;
    }
    const previous = connections.get(ctx);
    clearTimeout(previous?.expiry);
    const admitted: AdmittedConnection = { access: accessOf(probe), until: admittedUntil(probe) };
    if (admitted.until !== undefined) {
      // The access ends with the assertion: the link renews it, or reconnects with a fresh one.
      admitted.expiry = setTimeout(
        () => ctx.extra.socket.close(CloseCode.Forbidden, 'caller assertion expired'),
        Math.max(0, admitted.until - Date.now()),
      );
      admitted.expiry.unref();
    }
    connections.set(ctx, admitted);
    return true;
  };

  const disposable = useServer(
    {
      schema: (ctx) => options.schemas[subgraph(ctx.extra.request)],
      parse: documents.parse,
      validate: documents.validate,
      onConnect: (ctx) => admitConnection(ctx, ctx.extra.request),
      onPing: async (ctx, payload) => {
        const assertion = payload?.[CALLER_HEADER];
        if (!options.admit || typeof assertion !== 'string' || !connections.has(ctx)) return;
        if (!(await admitConnection(ctx, withAssertion(ctx.extra.request, assertion))))
          ctx.extra.socket.close(CloseCode.Forbidden, 'caller assertion renewal refused');
      },
      onSubscribe: (ctx, _id, payload) => {
        const admitted = connections.get(ctx);
        if (admitted?.until !== undefined && admitted.until <= Date.now()) {
          ctx.extra.socket.close(CloseCode.Forbidden, 'caller assertion expired');
          return [hubError('UNAUTHENTICATED', "the connection's caller assertion has expired")];
        }
        const refused = refusedOperation(payload.query, payload.operationName, documents.parse);
        return refused ? [refused] : undefined;
      },
      context: (ctx) => {
        const context = options.contextFor(subgraph(ctx.extra.request));
        const admitted = connections.get(ctx);
        if (admitted) bindAccess(context, admitted.access);
        return context;
      },
      onClose: (ctx) => clearTimeout(connections.get(ctx)?.expiry),
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
