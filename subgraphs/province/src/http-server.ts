import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { PROVINCE_SUBGRAPHS, type ProvinceSubgraph } from '@p2p/schema';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { ProvinceContext } from './context.js';
import type { SubgraphServers } from './graphql/subgraph-servers.js';
import { safeError } from './logger.js';

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
  /** `GET /health`. */
  health(): Promise<{ status: number; body: Record<string, unknown> }>;
  log: Logger;
}

const GRAPHQL_PATH = new RegExp(`^/(${PROVINCE_SUBGRAPHS.join('|')})/graphql/?$`);

/**
 * One plain `node:http` server for the three logical subgraphs (`/workers/graphql`,
 * `/employment/graphql`, `/transport/graphql`) and `/health`. The caller keeps the
 * `http.Server`, so WebSocket upgrades can later be attached to the same port.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  const server = createServer((req, res) => {
    const started = performance.now();
    handle(options, req, res)
      .catch((err: unknown) => {
        const status = (err as { status?: number }).status ?? 500;
        if (status >= 500) options.log.error({ err: safeError(err) }, 'request failed');
        if (!res.headersSent)
          sendJson(res, status, {
            errors: [
              {
                message:
                  status === 413
                    ? 'request body too large'
                    : status === 400
                      ? 'request body is not JSON'
                      : 'internal error',
                extensions: { code: status < 500 ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR' },
              },
            ],
          });
        else res.destroy();
      })
      .finally(() => {
        options.log.debug(
          {
            method: req.method,
            path: req.url?.split('?')[0],
            status: res.statusCode,
            ms: Math.round(performance.now() - started),
          },
          'request',
        );
      });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

async function handle(options: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://province.local');
  if (url.pathname === '/health') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'use GET' });
    const { status, body } = await options.health();
    return sendJson(res, status, body);
  }
  const match = GRAPHQL_PATH.exec(url.pathname);
  if (!match)
    return sendJson(res, 404, {
      error: `no such path; try /health or /{${PROVINCE_SUBGRAPHS.join(',')}}/graphql`,
    });
  if (req.method !== 'GET' && req.method !== 'POST') {
    res.setHeader('allow', 'GET, POST');
    return sendJson(res, 405, { error: 'use GET or POST' });
  }
  const subgraph = match[1] as ProvinceSubgraph;
  const context = options.contextFor(subgraph);
  const raw = req.method === 'POST' ? await readBody(req) : undefined;
  const refused = await options.admit(req, context, raw ?? new Uint8Array());
  if (refused) return sendJson(res, 401, { errors: [refused] });
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const body = raw ? parseBody(raw, headers.get('content-type')) : undefined;
  const response = await options.servers[subgraph].executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method, headers, search: url.search, body },
    context: async () => context,
  });
  res.statusCode = response.status ?? 200;
  for (const [key, value] of response.headers) res.setHeader(key, value);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8');
  if (!contentType?.includes('json')) return text;
  if (text.length === 0) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw Object.assign(new Error('request body is not JSON'), { status: 400 });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
