/**
 * Serves an Apollo Server on a plain `node:http` server: `POST|GET /graphql` through Apollo's
 * own `executeHTTPGraphQLRequest`, `GET /health` for probes, 404 elsewhere. No web framework.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';

/** Options of {@link graphqlRequestListener}. */
export interface GraphQLHttpOptions {
  /**
   * Path of the GraphQL endpoint.
   * @default '/graphql'
   */
  path?: string;
  /**
   * Largest request body accepted, in bytes (larger → 413).
   * @default 1_000_000
   */
  maxBodyBytes?: number;
}

/** Thrown while reading a request body that is too large or not JSON. */
class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads and parses a JSON request body (undefined when empty). */
async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyError(413, `request body larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(400, 'request body is not valid JSON');
  }
}

/** Copies Node's request headers into Apollo's HeaderMap (lower-case names). */
function headerMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Writes a small JSON answer. */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Passes one HTTP request through Apollo Server and writes its answer. */
async function serveGraphQL(
  server: ApolloServer<BaseContext>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  maxBodyBytes: number,
) {
  const httpGraphQLRequest: HTTPGraphQLRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    headers: headerMap(req),
    search: url.search,
    body: await readJsonBody(req, maxBodyBytes),
  };
  const answer = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => ({}) });
  const headers: Record<string, string> = {};
  for (const [name, value] of answer.headers) headers[name] = value;
  res.writeHead(answer.status ?? 200, headers);
  if (answer.body.kind === 'complete') {
    res.end(answer.body.string);
    return;
  }
  for await (const chunk of answer.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * A `node:http` request listener for a started Apollo Server.
 * Errors outside GraphQL (bad body, crash) answer a JSON `{ errors: [...] }` with a status.
 */
export function graphqlRequestListener(
  server: ApolloServer<BaseContext>,
  options: GraphQLHttpOptions = {},
): RequestListener {
  const path = options.path ?? '/graphql';
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (url.pathname !== path) {
      sendJson(res, 404, {
        errors: [{ message: `no such path: ${url.pathname}`, extensions: { code: 'NOT_FOUND' } }],
      });
      return;
    }
    serveGraphQL(server, req, res, url, maxBodyBytes).catch((error: unknown) => {
      const status = error instanceof BodyError ? error.status : 500;
      const message = error instanceof BodyError ? error.message : 'Internal server error';
      const code =
        status === 413 ? 'QUERY_TOO_COMPLEX' : status === 400 ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR';
      if (status === 500)
        console.error(JSON.stringify({ level: 'error', msg: 'request failed', error: String(error) }));
      if (res.headersSent) res.destroy();
      else sendJson(res, status, { errors: [{ message, extensions: { code } }] });
    });
  };
}
