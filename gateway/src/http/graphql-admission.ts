import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { describeCaller, type Caller } from '@p2p/schema';
import { answerGraphQL, malformedBody, MalformedBodyError, sendError, type Logger } from '@p2p/runtime';
import type { GraphQLError } from 'graphql';
import { assertAnonymousBatch, batchSize } from '../limits/batch-limit.js';
import { readLimitedBody } from '../limits/body-size-limit.js';
import type { QueryLimits } from '../limits/limit-options.js';
import { rateLimited } from '../limits/limit-errors.js';
import { admitRequest, type OperationLimitPolicy } from '../limits/operation-limits.js';
import type { RateLimiter } from '../limits/rate-limit.js';
import type { GatewayContext } from '../auth/gateway-context.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { TrustedDocuments } from '../trusted-documents/trusted-documents.js';
import { trustHttpRequest } from '../trusted-documents/trusted-http.js';

/** What the gateway checks before Apollo Server sees a GraphQL request. */
export interface GraphQLAdmissionOptions {
  apollo: ApolloServer<GatewayContext>;
  verify: TokenVerifier;
  limits: QueryLimits;
  limiter: RateLimiter;
  logger: Logger;
  /** Tokens, aliases, depth, cost… of each operation, checked before Apollo Server validates it. */
  operationLimits: OperationLimitPolicy;
  /** Which operations run, by id or text (trusted-documents/); absent: texts only, as Apollo Server takes them. */
  trusted?: TrustedDocuments;
}

/** The rate limiter's key of a caller: the token's subject, or the client address when anonymous (HTTP and subscriptions). */
export function rateKey(caller: Caller | null, req: IncomingMessage): string {
  return caller
    ? `caller:${caller.role}:${caller.subject}`
    : `address:${req.socket.remoteAddress ?? 'unknown'}`;
}

/**
 * The `/graphql` entry, in order: body size (413), batch size, authentication (a bad or expired
 * token is 401 at once; no token is anonymous: no batches, public fields only), the caller's
 * rate limit (429, each operation of a batch counts), the trusted-documents rule (ids become their
 * registered text; in safelist mode a text is refused), each operation's limits before it is
 * validated (tokens, aliases, repeated fields, public fields, page size, depth, cost: see
 * limits/operation-limits.ts), then Apollo Server with the caller in the operation's context.
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
      if (err instanceof MalformedBodyError) return sendError(res, malformedBody());
      return sendError(res, err as GraphQLError);
    }
    let caller: Caller | null;
    let operations: number;
    try {
      operations = batchSize(body, limits.maxBatch);
      const header = req.headers.authorization;
      caller = await verify(Array.isArray(header) ? header[0] : header);
      if (!caller) assertAnonymousBatch(operations);
    } catch (err) {
      const error = err as GraphQLError;
      if (error.extensions?.code === 'UNAUTHENTICATED')
        logger.info({ reason: error.message.slice(0, 120) }, 'request refused: token not accepted');
      return sendError(res, error);
    }
    const decision = await limiter.take(rateKey(caller, req), operations);
    if (!decision.allowed) {
      logger.warn(
        {
          caller: describeCaller(caller),
          retryAfterSeconds: decision.retryAfterSeconds,
        },
        'request refused: rate limit',
      );
      return sendError(
        res,
        rateLimited(
          `too many requests from ${caller ? describeCaller(caller) : 'this address'}: at most ${limits.ratePerSecond} operations per second (bursts of ${limits.rateBurst}); retry in ${decision.retryAfterSeconds} s`,
          decision.retryAfterSeconds,
        ),
      );
    }
    try {
      if (options.trusted) body = trustHttpRequest(options.trusted, req, body);
      admitRequest(req, body, options.operationLimits, caller);
    } catch (err) {
      return sendError(res, err as GraphQLError);
    }
    return answerGraphQL(apollo, req, res, { context: async () => ({ caller }), body });
  };
}
