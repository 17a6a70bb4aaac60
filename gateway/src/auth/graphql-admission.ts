import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { badInput, describeCaller, type Caller } from '@p2p/schema';
import type { GraphQLError } from 'graphql';
import { handleGraphQL } from '../http/graphql-handler.js';
import type { Logger } from '../observability/logger.js';
import { batchSize } from '../limits/batch-limit.js';
import { readLimitedBody } from '../limits/body-size-limit.js';
import type { QueryLimits } from '../limits/limit-options.js';
import { rateLimited } from '../limits/limit-errors.js';
import type { RateLimiter } from '../limits/rate-limit.js';
import type { GatewayContext } from './gateway-context.js';
import type { TokenVerifier } from './token-verifier.js';

/** What the gateway checks before Apollo Server sees a GraphQL request. */
export interface GraphQLAdmissionOptions {
  apollo: ApolloServer<GatewayContext>;
  verify: TokenVerifier;
  limits: QueryLimits;
  limiter: RateLimiter;
  logger: Logger;
}

/** Answers a request with one error, its HTTP status and headers taken from `extensions.http`. */
export function sendRefusal(res: ServerResponse, error: GraphQLError): void {
  const { http, ...extensions } = error.extensions as {
    http?: { status?: number; headers?: Map<string, string> };
  };
  const text = JSON.stringify({ errors: [{ message: error.message, extensions }] });
  res.statusCode = http?.status ?? 400;
  for (const [name, value] of http?.headers ?? []) res.setHeader(name, value);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/** The rate limiter's key of a caller: the token's subject, or the client address when anonymous (HTTP and subscriptions). */
export function rateKey(caller: Caller | null, req: IncomingMessage): string {
  return caller
    ? `caller:${caller.role}:${caller.subject}`
    : `address:${req.socket.remoteAddress ?? 'unknown'}`;
}

/**
 * The `/graphql` entry, in order: body size (413), batch size, authentication (a bad or expired
 * token is 401 at once; no token is anonymous, limited to public fields by
 * `publicFieldsPlugin`), the caller's rate limit (429, each operation of a batch counts), then
 * Apollo Server with the caller in the operation's context. Depth, cost and page size are
 * checked per operation by `queryLimitsPlugin`.
 */
export function graphqlAdmission(
  options: GraphQLAdmissionOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { apollo, verify, limits, limiter, logger } = options;
  return async (req, res) => {
    let body: unknown;
    try {
      if (req.method === 'POST') body = await readLimitedBody(req, limits.maxBodyBytes);
    } catch (err) {
      if (err instanceof SyntaxError) return sendRefusal(res, badInput('the request body is not valid JSON'));
      return sendRefusal(res, err as GraphQLError);
    }
    let caller: Caller | null;
    let operations: number;
    try {
      operations = batchSize(body, limits.maxBatch);
      const header = req.headers.authorization;
      caller = await verify(Array.isArray(header) ? header[0] : header);
    } catch (err) {
      const error = err as GraphQLError;
      if (error.extensions?.code === 'UNAUTHENTICATED')
        logger.info('request refused: token not accepted', { reason: error.message.slice(0, 120) });
      return sendRefusal(res, error);
    }
    const decision = await limiter.take(rateKey(caller, req), operations);
    if (!decision.allowed) {
      logger.warn('request refused: rate limit', {
        caller: describeCaller(caller),
        retryAfterSeconds: decision.retryAfterSeconds,
      });
      return sendRefusal(
        res,
        rateLimited(
          `too many requests from ${caller ? describeCaller(caller) : 'this address'}: at most ${limits.ratePerSecond} operations per second (bursts of ${limits.rateBurst}); retry in ${decision.retryAfterSeconds} s`,
          decision.retryAfterSeconds,
        ),
      );
    }
    return handleGraphQL(apollo, req, res, async () => ({ caller }), body);
  };
}
