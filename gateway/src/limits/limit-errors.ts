import { HeaderMap } from '@apollo/server';
import { hubError } from '@p2p/schema';
import type { GraphQLError } from 'graphql';

/** QUERY_TOO_COMPLEX (HTTP 400, or `status`): the request exceeds a limit; nothing was sent to any province. */
export function tooComplex(message: string, limit: string, status = 400): GraphQLError {
  return hubError('QUERY_TOO_COMPLEX', message, { limit, http: { status } });
}

/** RATE_LIMITED (HTTP 429 with `retry-after`): the caller sent too many operations. */
export function rateLimited(message: string, retryAfterSeconds: number): GraphQLError {
  return hubError('RATE_LIMITED', message, {
    retryAfterSeconds,
    http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
  });
}
