import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ERROR_CODES, type ErrorCode } from '@p2p/schema';
import { databaseUnavailableReason } from './database-unavailable.js';

/** Apollo Server's own codes for a request it could not accept: the hub reports them as BAD_USER_INPUT. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_USER_INPUT',
]);

const isHubCode = (code: unknown): code is ErrorCode => typeof code === 'string' && code in ERROR_CODES;

/** The registry code a hub error carries, looking through the errors that wrap it (scalar parsing, validation). */
function hubCodeOf(error: unknown): ErrorCode | undefined {
  for (
    let e: unknown = error, depth = 0;
    e && depth < 5;
    e = (e as { originalError?: unknown }).originalError, depth++
  ) {
    if (
      e instanceof GraphQLError &&
      isHubCode(e.extensions.code) &&
      e.extensions.code !== 'INTERNAL_SERVER_ERROR'
    ) {
      // Apollo's wrappers set their own code on top; the innermost hub error is the one that knows.
      return hubCodeOf(e.originalError) ?? e.extensions.code;
    }
  }
  return undefined;
}

/** Called with an error that is not one of the hub's, before it is masked. */
export type UnexpectedErrorReporter = (error: unknown, path: GraphQLFormattedError['path']) => void;

/**
 * `formatError` for the hub's subgraphs (province and national): every `extensions.code` comes
 * from the registry.
 * - a hub error (`hubError`/`badInput`/`notFound`) keeps its code, also when graphql-js or Apollo
 *   wrapped it: a RegionCode/Date/DateTime literal rejected during validation is reported by
 *   Apollo as GRAPHQL_VALIDATION_FAILED and becomes BAD_USER_INPUT here;
 * - Apollo's request errors (syntax, validation, variable coercion) become BAD_USER_INPUT;
 * - a database that cannot serve now (too many connections, shutting down, unreachable) becomes
 *   PROVINCE_UNAVAILABLE (`reason: database`), after `report` saw it;
 * - anything else becomes INTERNAL_SERVER_ERROR with a neutral message, after `report` saw it.
 */
export function hubFormatError(report: UnexpectedErrorReporter) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const { stacktrace: _stack, http: _http, ...extensions } = formatted.extensions ?? {};
    const hubCode = hubCodeOf(error);
    if (hubCode) return { ...formatted, extensions: { ...extensions, code: hubCode } };
    if (REQUEST_ERROR_CODES.has(String(extensions.code)))
      return { ...formatted, extensions: { ...extensions, code: 'BAD_USER_INPUT' } };
    const cause = unwrapResolverError(error);
    report(cause, formatted.path);
    const unavailable = databaseUnavailableReason(cause);
    if (unavailable)
      return {
        message: `this service's database is unavailable (${unavailable}); retry later`,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'PROVINCE_UNAVAILABLE', reason: 'database' },
      };
    return {
      message: 'Internal error; the service logs carry the details',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
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
        if (errors.length > 0 && errors.every((e) => e.extensions?.code === 'BAD_USER_INPUT'))
          response.http.status = 200;
      },
    };
  },
};
