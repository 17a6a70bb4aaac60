import type { IncomingMessage } from 'node:http';
import type { ReceivedDocument, TrustedDocuments } from './trusted-documents.js';

const GET_PARAMS = ['query', 'operationName', 'variables', 'extensions', 'documentId'] as const;

/** GET parameters as an operation object (`extensions` parsed when it is JSON). */
function operationOfSearch(params: URLSearchParams): ReceivedDocument {
  const received: ReceivedDocument = {};
  for (const name of GET_PARAMS) {
    const value = params.get(name);
    if (value === null) continue;
    if (name === 'extensions') {
      try {
        received.extensions = JSON.parse(value);
      } catch {
        received.extensions = value; // left to Apollo Server, which reports it
      }
    } else received[name] = value;
  }
  return received;
}

/** Writes `resolved` back into `params` (query set, ids removed). */
function writeSearch(params: URLSearchParams, resolved: ReceivedDocument): void {
  for (const name of ['query', 'extensions', 'documentId'] as const) {
    const value = resolved[name];
    if (value === undefined) params.delete(name);
    else params.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
}

/**
 * Applies the trusted-documents rule to every operation of a `/graphql` request (the GET
 * parameters, the POST body or each element of a batch) and returns the body to run: ids of
 * registered operations are replaced by their text, so the query limits and Apollo Server see
 * the text. A GET's parameters are rewritten in `req.url` (read by the limits and Apollo Server).
 * @throws GraphQLError OPERATION_NOT_TRUSTED, PERSISTED_QUERY_NOT_FOUND or
 *   PERSISTED_QUERY_NOT_SUPPORTED for the first operation refused: the whole request is refused
 */
export function trustHttpRequest(trusted: TrustedDocuments, req: IncomingMessage, body: unknown): unknown {
  if (req.method === 'GET') {
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    const before = operationOfSearch(url.searchParams);
    const resolved = trusted.resolve(before, 'http');
    if (resolved !== before) {
      writeSearch(url.searchParams, resolved);
      req.url = `${url.pathname}${url.search}`;
    }
    return body;
  }
  const one = (received: unknown) =>
    received && typeof received === 'object' && !Array.isArray(received)
      ? trusted.resolve(received as ReceivedDocument, 'http')
      : received;
  return Array.isArray(body) ? body.map(one) : one(body);
}
