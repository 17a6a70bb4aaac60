import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ApolloServer, BaseContext } from '@apollo/server';
import type { ProvinceRegistry } from '../shard/province-registry.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Logger } from '../observability/logger.js';
import { handleGraphQL, sendJson } from './graphql-handler.js';
import { sendLandingPage, serveIdeAsset } from './landing-page.js';

/** What the gateway's HTTP routes serve. */
export interface GatewayRoutesOptions {
  apollo: ApolloServer<BaseContext>;
  registry: ProvinceRegistry;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Subgraphs served plainly (no provinces), shown in `/health`. */
  plainSubgraphs: () => string[];
  /** Answers `/graphql` requests (limits and authentication first, see http/graphql-admission.ts); @default Apollo with an empty context */
  graphql?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/** The `/health` document: the gateway's status and each province's state. */
export function healthDocument(registry: ProvinceRegistry, plainSubgraphs: string[] = []) {
  const provinces = registry.snapshot();
  const degraded = provinces.some((p) => p.status === 'down' || p.status === 'incompatible');
  return {
    status: degraded ? 'degraded' : 'ok',
    time: new Date().toISOString(),
    provinces: provinces.map((p) => ({
      code: p.code,
      url: p.baseUrl,
      state: p.status,
      checkedAt: p.checkedAt,
      latencyMs: p.latencyMs,
      problems: p.problems,
    })),
    subgraphs: plainSubgraphs,
  };
}

const wantsHtml = (req: IncomingMessage) => (req.headers.accept ?? '').includes('text/html');

/**
 * The gateway's HTTP surface on one `node:http` server: `/graphql` (POST and GET; a browser's GET
 * gets the IDE), `/` (the IDE), `/ide/*` (its files from node_modules), `/health`, `/metrics`.
 * WebSocket upgrades are left to the server's `upgrade` listeners.
 */
export function gatewayRoutes(options: GatewayRoutesOptions): RequestListener {
  const { apollo, registry, metrics, logger } = options;
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/graphql') {
      if (method === 'GET' && wantsHtml(req) && !url.searchParams.has('query')) return sendLandingPage(res);
      if (method !== 'GET' && method !== 'POST') {
        res.writeHead(405, { allow: 'GET, POST' }).end();
        return;
      }
      return options.graphql ? options.graphql(req, res) : handleGraphQL(apollo, req, res, async () => ({}));
    }
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/') return sendLandingPage(res);
    if (path.startsWith('/ide/') && serveIdeAsset(path.slice('/ide/'.length), res)) return;
    if (path === '/health') return sendJson(res, 200, healthDocument(registry, options.plainSubgraphs()));
    if (path === '/metrics') {
      const { contentType, body } = await metrics.render();
      res.writeHead(200, { 'content-type': contentType });
      res.end(body);
      return;
    }
    sendJson(res, 404, { error: 'not found', see: ['/graphql', '/health', '/metrics'] });
  };
  return (req, res) => {
    route(req, res).catch((err: unknown) => {
      logger.error('http request failed', {
        path: (req.url ?? '').split('?')[0],
        error: (err as Error).message,
      });
      if (!res.headersSent)
        sendJson(res, 500, {
          errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        });
      else res.end();
    });
  };
}
