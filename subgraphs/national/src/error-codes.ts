/**
 * Makes bad input look the same however it reaches the national subgraph.
 *
 * A RegionCode or Date scalar rejects a bad value with BAD_USER_INPUT. Apollo Server keeps
 * that code when the value came in a variable, but when it was written inline in the query the
 * scalar fails during validation and Apollo reports GRAPHQL_VALIDATION_FAILED, keeping the
 * scalar's error only as `originalError`. {@link formatHubError} restores the scalar's code.
 *
 * Apollo also answers validation errors with HTTP 400. A gateway's RemoteGraphQLDataSource turns
 * any non-2xx answer into a generic "400: Bad Request" error and the code is lost, so
 * {@link badInputStatusPlugin} answers 200 when every error is BAD_USER_INPUT.
 */
import type { GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { ERROR_CODES } from '@p2p/schema';

const VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED';

/**
 * The registry code carried by the error a validation error wraps, if any. Duck-typed rather
 * than `instanceof GraphQLError`: with two copies of graphql loaded (ESM and CJS, as under
 * vitest) the scalar's error is not an instance of Apollo's GraphQLError class.
 */
function wrappedHubCode(error: unknown): { code: string; field?: unknown } | undefined {
  const original = (error as { originalError?: unknown } | null)?.originalError;
  const extensions = (original as { extensions?: Record<string, unknown> } | null | undefined)?.extensions;
  const code = extensions?.code;
  if (typeof code !== 'string' || !(code in ERROR_CODES)) return undefined;
  return { code, field: extensions?.field };
}

/** `formatError` for Apollo Server: validation failures caused by a scalar keep the scalar's code. */
export function formatHubError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (formatted.extensions?.code !== VALIDATION_FAILED) return formatted;
  const hub = wrappedHubCode(error);
  if (!hub) return formatted;
  const extensions: Record<string, unknown> = { ...formatted.extensions, code: hub.code };
  if (hub.field !== undefined) extensions.field = hub.field;
  return { ...formatted, extensions };
}

/** Answers HTTP 200 instead of 400 when the only errors are BAD_USER_INPUT (see module doc). */
export const badInputStatusPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const errors = response.body.singleResult.errors;
        if (!errors?.length || response.http.status !== 400) return;
        if (errors.every((e) => e.extensions?.code === 'BAD_USER_INPUT')) response.http.status = 200;
      },
    };
  },
};
