import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError, readBody } from '@p2p/runtime';
import { tooComplex } from './limit-errors.js';

/** The error for a body over `maxBytes` (HTTP 413). */
export function bodyTooLarge(maxBytes: number) {
  return tooComplex(
    `the request body exceeds ${maxBytes} bytes; send less per request (e.g. fewer workers per registerWorkers call)`,
    'bodySize',
    413,
  );
}

/**
 * Reads a GraphQL request body of at most `maxBytes`: refuses at once when `content-length`
 * says more, and stops reading as soon as more arrives (chunked bodies).
 * @returns the parsed body (undefined when empty).
 * @throws GraphQLError QUERY_TOO_COMPLEX (413) past the limit; SyntaxError on malformed JSON.
 */
export async function readLimitedBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw bodyTooLarge(maxBytes);
  try {
    return await readBody(req, { maxBytes });
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw bodyTooLarge(maxBytes);
    throw err;
  }
}
