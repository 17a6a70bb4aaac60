import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PROVINCE_SUBGRAPHS, type ProvinceSubgraph } from '@p2p/schema';
import {
  answerGraphQL,
  bodyErrorOf,
  internalError,
  methodNotAllowed,
  noSuchPath,
  parseBody,
  readRawBody,
  safeError,
  sendError,
  sendJson,
  serveInSpan,
  type ServerSpanOptions,
  type Logger,
} from '@p2p/runtime';
import type { GraphQLFormattedError } from 'graphql';
import type { ProvinceContext } from './context.js';
import type { SubgraphServers } from './graphql/subgraph-servers.js';

/** Largest request body accepted (bulk registrations of 1,000 workers fit easily). @default 8 MiB */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** What the HTTP server needs from the province service. */
export interface HttpServerOptions {
  servers: SubgraphServers;
  /** A fresh context per GraphQL request. */
  contextFor(subgraph: ProvinceSubgraph): ProvinceContext;
  /**
   * Checks the gateway's signed caller assertion against the exact bytes of the request's body
   * (empty for GET) and binds the caller to the request's context (see
   * `access/gateway-signature.ts`); returns the UNAUTHENTICATED error to answer with HTTP 401
   * instead. `/health` is not checked.
   */
  admit(
    req: IncomingMessage,
    context: ProvinceContext,
    body: Uint8Array,
  ): Promise<GraphQLFormattedError | undefined>;
  /** `GET /health`: up or down, nothing else (it is public). */
  health(): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Serves the relay's paths (`relay/relay-http.ts`); absent: they are unknown paths. */
  relay?: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;
  log: Logger;
  /** The province's code, on its server spans (`p2p.province`). */
  province?: string;
}

const GRAPHQL_PATH = new RegExp(`^/(${PROVINCE_SUBGRAPHS.join('|')})/graphql/?$`);
const SERVED = ['/health', ...PROVINCE_SUBGRAPHS.map((s) => `/${s}/graphql`)];
const RELAY_PATH = /^\/relay\/(events|apply|inbox)$/;

/**
 * One plain `node:http` server for the three logical subgraphs (`/workers/graphql`,
 * `/employment/graphql`, `/transport/graphql`), `/health` and the relay's `/relay/*`; edge errors (404, 405, 413, bad
 * JSON) as every service answers them (`@p2p/runtime` edge-errors.ts). The caller keeps the
 * `http.Server`, so WebSocket upgrades can be attached to the same port.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  const attributes = options.province ? { 'p2p.province': options.province } : {};
  const server = createServer((req, res) => {
    const started = performance.now();
    const route = routeOf(req);
    let logged = false;
    /** The request's debug line: inside its span when it has one (the line then carries the trace id). */
    const logRequest = () => {
      if (logged) return;
      logged = true;
      options.log.debug(
        {
          method: req.method,
          path: req.url?.split('?')[0],
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    };
    const span: ServerSpanOptions = {
      name: `${req.method ?? 'GET'} ${route}`,
      route,
      attributes,
      parent: 'remote',
    };
    void handle(options, req, res, span, logRequest)
      .catch((err: unknown) => {
        options.log.error({ err: safeError(err) }, 'request failed');
        if (!res.headersSent) sendError(res, internalError());
        else res.destroy();
      })
      .finally(logRequest);
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

/** The route of a request for its span's name: one of the served paths, or `other`. */
function routeOf(req: IncomingMessage): string {
  const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
  return GRAPHQL_PATH.test(path) || RELAY_PATH.test(path) || path === '/health' ? path : 'other';
}

async function handle(
  options: HttpServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  span: ServerSpanOptions,
  logRequest: () => void,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://province.local');
  const method = req.method ?? 'GET';
  if (url.pathname === '/health') {
    if (method !== 'GET' && method !== 'HEAD') return sendError(res, methodNotAllowed(method, ['GET']));
    const { status, body } = await options.health();
    return sendJson(res, status, body);
  }
  if (options.relay && RELAY_PATH.test(url.pathname)) return options.relay(req, res, url.pathname);
  const match = GRAPHQL_PATH.exec(url.pathname);
  if (!match) return sendError(res, noSuchPath(url.pathname, SERVED));
  if (method !== 'GET' && method !== 'POST') return sendError(res, methodNotAllowed(method, ['GET', 'POST']));
  const subgraph = match[1] as ProvinceSubgraph;
  const context = options.contextFor(subgraph);
  let raw: Buffer | undefined;
  let body: unknown;
  try {
    raw = method === 'POST' ? await readRawBody(req, { maxBytes: MAX_BODY_BYTES }) : undefined;
    body = raw ? parseBody(raw, req.headers['content-type']) : undefined;
  } catch (err) {
    const edge = bodyErrorOf(err);
    if (!edge) throw err;
    return sendError(res, edge);
  }
  const refused = await options.admit(req, context, raw ?? new Uint8Array());
  if (refused) return sendJson(res, 401, { errors: [refused] });
  // Only once the gateway's signature is verified, a request of a trace the gateway started (its
  // `traceparent`) is served in a span of that trace: whoever reaches this port without it may not
  // choose trace ids or force sampling. Health checks and untraced callers are served as is.
  await serveInSpan(req, res, span, async () => {
    try {
      await answerGraphQL(options.servers[subgraph], req, res, { context: async () => context, body });
    } finally {
      logRequest();
    }
  });
}
