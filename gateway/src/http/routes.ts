import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  internalError,
  methodNotAllowed,
  noSuchPath,
  safeError,
  sendError,
  sendJson,
  serveInSpan,
  type Logger,
} from '@p2p/runtime';
import type { ProvinceRegistry } from '../shard/province-registry.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { healthDetails, publicHealth } from '../health/health-document.js';
import { ADMIN_PATHS, adminRefusal, RELAY_BACKLOG_PATH } from './admin-access.js';
import { sendLandingPage, serveIdeAsset } from './landing-page.js';
import { serveConsole, type ConsoleSiteOptions } from './console-site.js';
import type { TrustedDocumentsMode } from '../trusted-documents/trusted-documents.js';
import type { GatewayRelay } from '../relay/gateway-relay.js';

/** What the gateway's admin paths serve. */
export interface AdminRoutesOptions {
  registry: ProvinceRegistry;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Subgraphs served plainly (no provinces), shown in `/health/details`. */
  plainSubgraphs: () => string[];
  /** The relay between provinces, when it runs (`/health`, `/health/details`, `/relay/backlog`). */
  relay?: GatewayRelay;
}

/** What the gateway's public HTTP routes serve. */
export interface GatewayRoutesOptions extends AdminRoutesOptions {
  /** Answers `/graphql` requests (limits and authentication first, see http/graphql-admission.ts). */
  graphql: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Bearer token admitting `/health/details` and `/metrics` on this port; absent: refused here. */
  adminToken?: string;
  /** The console at `/console/` (http/console-site.ts). */
  console: ConsoleSiteOptions & { development: boolean; trustedDocuments: TrustedDocumentsMode };
}

const wantsHtml = (req: IncomingMessage) => (req.headers.accept ?? '').includes('text/html');

/** Serves `/health/details` or `/metrics`; false for another path. */
async function serveAdminPath(
  path: string,
  res: ServerResponse,
  options: AdminRoutesOptions,
): Promise<boolean> {
  if (path === '/health/details') {
    sendJson(res, 200, healthDetails(options.registry, options.plainSubgraphs(), options.relay));
    return true;
  }
  if (path === RELAY_BACKLOG_PATH) {
    if (!options.relay) return false;
    sendJson(res, 200, await options.relay.backlog());
    return true;
  }
  if (path === '/metrics') {
    const { contentType, body } = await options.metrics.render();
    res.writeHead(200, { 'content-type': contentType });
    res.end(body);
    return true;
  }
  return false;
}

/** Runs `route`, answering 500 INTERNAL_SERVER_ERROR (and logging the cause) when it fails. */
function guarded(
  logger: Logger,
  route: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): RequestListener {
  return (req, res) => {
    route(req, res).catch((err: unknown) => {
      logger.error({ path: (req.url ?? '').split('?')[0], err: safeError(err) }, 'http request failed');
      if (!res.headersSent) sendError(res, internalError());
      else res.end();
    });
  };
}

const PUBLIC_PATHS = ['/graphql', '/health', '/console/', '/graphiql', '/'];

/**
 * The gateway's public HTTP surface on one `node:http` server: `/graphql` (POST and GET; a
 * browser's GET gets the IDE), `/` (redirected to the console), `/console/*` (the console and its
 * `config.json`), `/graphiql` (the IDE), `/ide/*` (its files from node_modules), `/health`
 * (up/down only), and the admin paths `/health/details` and `/metrics` only with the admin token.
 * WebSocket upgrades are left to the server's `upgrade` listeners.
 */
export function gatewayRoutes(options: GatewayRoutesOptions): RequestListener {
  return guarded(options.logger, async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/graphql') {
      if (method === 'GET' && wantsHtml(req) && !url.searchParams.has('query')) return sendLandingPage(res);
      if (method !== 'GET' && method !== 'POST')
        return sendError(res, methodNotAllowed(method, ['GET', 'POST']));
      // One trace per client request, rooted here (a client's own `traceparent` is not followed).
      return serveInSpan(req, res, { name: `${method} /graphql`, route: '/graphql', parent: 'root' }, () =>
        options.graphql(req, res),
      );
    }
    if (method !== 'GET' && method !== 'HEAD') return sendError(res, methodNotAllowed(method, ['GET']));
    if (path === '/') {
      res.writeHead(302, { location: '/console/' });
      res.end();
      return;
    }
    if (path === '/graphiql') return sendLandingPage(res);
    if (await serveConsole(path, req, res, options.console)) return;
    if (path.startsWith('/ide/') && serveIdeAsset(path.slice('/ide/'.length), res)) return;
    if (path === '/health') return sendJson(res, 200, publicHealth(options.registry, options.relay));
    if (ADMIN_PATHS.includes(path)) {
      const refused = adminRefusal(req, options.adminToken);
      if (refused) return sendError(res, refused);
      if (!(await serveAdminPath(path, res, options))) sendError(res, noSuchPath(path, PUBLIC_PATHS));
      return;
    }
    sendError(res, noSuchPath(path, PUBLIC_PATHS));
  });
}

/**
 * The admin listener (`adminPort`): `/health`, `/health/details` and `/metrics` without a token;
 * it is protected by where it listens (`adminHost`, loopback by default).
 */
export function adminRoutes(options: AdminRoutesOptions): RequestListener {
  return guarded(options.logger, async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return sendError(res, methodNotAllowed(method, ['GET']));
    if (path === '/health') return sendJson(res, 200, publicHealth(options.registry, options.relay));
    if (await serveAdminPath(path, res, options)) return;
    sendError(res, noSuchPath(path, ['/health', ...ADMIN_PATHS]));
  });
}
