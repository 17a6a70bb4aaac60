import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ERROR_CODES, type ErrorCode } from '@p2p/schema';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { safeError } from '../logger.js';

/** Apollo Server's own codes for a request it could not accept: the hub reports them as BAD_USER_INPUT. */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'BAD_USER_INPUT']);

const isHubCode = (code: unknown): code is ErrorCode => typeof code === 'string' && code in ERROR_CODES;

/** The registry code a hub error carries, looking through the errors that wrap it (scalar parsing, validation). */
function hubCodeOf(error: unknown): ErrorCode | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { originalError?: unknown }).originalError, depth++) {
    if (e instanceof GraphQLError && isHubCode(e.extensions.code) && e.extensions.code !== 'INTERNAL_SERVER_ERROR') {
      // Apollo's wrappers set their own code on top; the innermost hub error is the one that knows.
      const inner = hubCodeOf(e.originalError);
      return inner ?? e.extensions.code;
    }
  }
  return undefined;
}

/**
 * `formatError` for the province subgraphs: every `extensions.code` comes from the hub registry.
 * - a hub error (from `hubError`/`badInput`/`notFound`) keeps its code, also when graphql-js or
 *   Apollo wrapped it: a RegionCode/Date/DateTime rejected while parsing a literal is reported by
 *   Apollo as GRAPHQL_VALIDATION_FAILED, and becomes BAD_USER_INPUT here;
 * - Apollo's request errors (syntax, validation, variable coercion) become BAD_USER_INPUT;
 * - anything else is INTERNAL_SERVER_ERROR with a neutral message; the details go to the log.
 */
export function hubFormatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const { stacktrace: _stack, http: _http, ...extensions } = formatted.extensions ?? {};
    const hubCode = hubCodeOf(error);
    if (hubCode) return { ...formatted, extensions: { ...extensions, code: hubCode } };
    if (REQUEST_ERROR_CODES.has(String(extensions.code))) return { ...formatted, extensions: { ...extensions, code: 'BAD_USER_INPUT' } };
    log.error({ err: safeError(unwrapResolverError(error)), path: formatted.path }, 'unexpected error');
    return { message: 'Internal error; the province logs carry the details', ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/**
 * Answers HTTP 200 (not 400) when every error of a response is BAD_USER_INPUT: the federated
 * gateway drops the body of a non-2xx subgraph response, and with it the code and message the
 * clerk needs. (GraphQL over HTTP allows 200 for request errors with `application/json`.)
 */
export const inputErrorStatusPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.http.status !== 400 || response.body.kind !== 'single') return;
        const errors = response.body.singleResult.errors ?? [];
        if (errors.length > 0 && errors.every((e) => e.extensions?.code === 'BAD_USER_INPUT')) response.http.status = 200;
      },
    };
  },
};
