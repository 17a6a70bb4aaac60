import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import { bodyErrorOf, sendError } from './edge-errors.js';
import { readBody } from './http-body.js';

/** Node request headers as Apollo Server's HeaderMap (lower-case names). */
export function headerMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Options of {@link answerGraphQL}. */
export interface AnswerGraphQLOptions<TContext extends BaseContext> {
  /** The operation's context, built once per HTTP request. */
  context: () => Promise<TContext>;
  /** The body when the caller has already read it; absent: read here (POST only). */
  body?: unknown;
  /** Largest body read here (larger: 413). @default 1_000_000 */
  maxBodyBytes?: number;
}

/**
 * True when the client accepts only `application/json` (not `application/graphql-response+json`):
 * GraphQL over HTTP then wants HTTP 200 for a well-formed GraphQL response, also one carrying a
 * parse, validation or variable-coercion error.
 */
function acceptsOnlyLegacyJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('application/graphql-response+json');
}

/** Writes Apollo's answer to the Node response, streaming incremental bodies. */
async function writeAnswer(res: ServerResponse, answer: HTTPGraphQLResponse, status: number): Promise<void> {
  for (const [key, value] of answer.headers) res.setHeader(key, value);
  res.statusCode = status;
  if (answer.body.kind === 'complete') {
    res.end(answer.body.string);
    return;
  }
  for await (const chunk of answer.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * Answers a GraphQL-over-HTTP request (GET or POST) with Apollo Server's
 * `executeHTTPGraphQLRequest` on a plain `node:http` server: reads the body within its limit
 * (edge errors of edge-errors.ts when it is too large or not JSON), passes the headers, writes
 * the answer (streamed when incremental). A request accepting only `application/json` gets 200
 * for a GraphQL request error (Apollo answers 400), as GraphQL over HTTP recommends.
 */
export async function answerGraphQL<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  options: AnswerGraphQLOptions<TContext>,
): Promise<void> {
  let body = options.body;
  if (body === undefined && req.method === 'POST') {
    try {
      body = await readBody(req, { maxBytes: options.maxBodyBytes ?? 1_000_000 });
    } catch (err) {
      const edge = bodyErrorOf(err);
      if (!edge) throw err;
      sendError(res, edge);
      return;
    }
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const answer = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: (req.method ?? 'GET').toUpperCase(),
      headers: headerMap(req),
      search: url.search,
      body,
    },
    context: options.context,
  });
  let status = answer.status ?? 200;
  const json = (answer.headers.get('content-type') ?? '').startsWith('application/json');
  if (status === 400 && json && acceptsOnlyLegacyJson(req)) status = 200;
  await writeAnswer(res, answer, status);
}
