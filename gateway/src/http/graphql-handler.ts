import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

/** Options of {@link readBody}. */
export interface ReadBodyOptions {
  /** Largest accepted body in bytes. @default 1_000_000 */
  maxBytes?: number;
}

/** A request body larger than allowed. */
export class BodyTooLargeError extends Error {}

/**
 * Reads a request body: JSON when the content type says so (undefined when empty), text otherwise.
 * @throws BodyTooLargeError past `maxBytes`; SyntaxError on malformed JSON
 */
export async function readBody(
  req: IncomingMessage,
  { maxBytes = 1_000_000 }: ReadBodyOptions = {},
): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLargeError(`body exceeds ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  return (req.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text;
}

/** Node request headers as Apollo Server's HeaderMap. */
export function headerMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Writes a small JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Answers a GraphQL-over-HTTP request (GET or POST) with Apollo Server's
 * `executeHTTPGraphQLRequest`, on a plain `node:http` server. `body` may be passed when the caller
 * has already read it.
 */
export async function handleGraphQL<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  context: () => Promise<TContext>,
  body?: unknown,
): Promise<void> {
  let parsed = body;
  if (parsed === undefined && req.method === 'POST') {
    try {
      parsed = await readBody(req);
    } catch (err) {
      const tooLarge = err instanceof BodyTooLargeError;
      sendJson(res, tooLarge ? 413 : 400, {
        errors: [
          {
            message: tooLarge ? 'request body too large' : 'request body is not valid JSON',
            extensions: { code: tooLarge ? 'QUERY_TOO_COMPLEX' : 'BAD_USER_INPUT' },
          },
        ],
      });
      return;
    }
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: req.method ?? 'GET',
      headers: headerMap(req),
      search: url.search,
      body: parsed,
    },
    context,
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
