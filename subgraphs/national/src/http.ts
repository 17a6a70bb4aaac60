/**
 * The national subgraph's HTTP surface on a plain `node:http` server: `POST|GET /graphql`
 * through Apollo's own `executeHTTPGraphQLRequest`, `GET /health` for probes, and the edge
 * errors every service answers the same way (`@p2p/runtime` edge-errors.ts).
 */
import type { RequestListener } from 'node:http';
import type { ApolloServer, BaseContext } from '@apollo/server';
import {
  answerGraphQL,
  internalError,
  methodNotAllowed,
  noSuchPath,
  safeError,
  sendError,
  sendJson,
  serveInSpan,
  type Logger,
} from '@p2p/runtime';

/** Options of {@link nationalRequestListener}. */
export interface NationalHttpOptions {
  /** Largest request body accepted, in bytes (larger: 413). @default 1_000_000 */
  maxBodyBytes?: number;
  logger: Logger;
}

/** A `node:http` request listener for the started national Apollo Server. */
export function nationalRequestListener(
  server: ApolloServer<BaseContext>,
  options: NationalHttpOptions,
): RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (url.pathname === '/health') {
      if (method !== 'GET' && method !== 'HEAD') return sendError(res, methodNotAllowed(method, ['GET']));
      return sendJson(res, 200, { status: 'ok' });
    }
    if (url.pathname !== '/graphql') return sendError(res, noSuchPath(url.pathname, ['/graphql', '/health']));
    if (method !== 'GET' && method !== 'POST')
      return sendError(res, methodNotAllowed(method, ['GET', 'POST']));
    // A request of a trace the gateway started is served in a span of that trace.
    serveInSpan(req, res, { name: `${method} /graphql`, route: '/graphql', parent: 'remote' }, () =>
      answerGraphQL(server, req, res, {
        context: async () => ({}),
        maxBodyBytes: options.maxBodyBytes,
      }),
    ).catch((error: unknown) => {
      options.logger.error({ err: safeError(error) }, 'request failed');
      if (res.headersSent) res.destroy();
      else sendError(res, internalError());
    });
  };
}
