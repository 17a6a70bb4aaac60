import type { GraphQLFormattedError } from 'graphql';
import type { CombinedError } from 'urql';

/** One error as a screen shows it: the hub's code (`extensions.code`) and its message. */
export interface ShownError {
  /** The code from the hub's registry; absent for a subscription error that names none. */
  code?: string;
  message: string;
  /** Where in the answer it happened (`returnRequests.edges.0.node.trip`), when it says. */
  path?: string;
  /** The province an error is about (`extensions.province`), when it says. */
  province?: string;
}

/**
 * What an error alert is given: urql results' errors, an Error thrown by the screen's own code, or
 * the GraphQL errors a subscription received (graphql-ws).
 */
export type ErrorSource = CombinedError | Error | GraphQLFormattedError | undefined | null;

const isCombined = (error: object): error is CombinedError => 'graphQLErrors' in error;

/** One GraphQL error as shown; `fallbackCode` when it carries no `extensions.code`. */
function shown(error: GraphQLFormattedError, fallbackCode?: string): ShownError {
  const code = error.extensions?.code;
  const province = error.extensions?.province;
  return {
    ...(typeof code === 'string' && code ? { code } : fallbackCode ? { code: fallbackCode } : {}),
    message: error.message,
    ...(error.path?.length ? { path: error.path.join('.') } : {}),
    ...(province ? { province: String(province) } : {}),
  };
}

/**
 * The errors of urql results (and subscriptions), each once: GraphQL errors of a result with their
 * `extensions.code` (`INTERNAL_SERVER_ERROR` when none), a request that got no answer as
 * `NETWORK_ERROR`, a subscription's errors as they came.
 */
export function shownErrors(errors: readonly ErrorSource[]): ShownError[] {
  const all: ShownError[] = [];
  const seen = new Set<string>();
  const add = (error: ShownError) => {
    const key = `${error.code}\u0000${error.message}\u0000${error.path ?? ''}\u0000${error.province ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    all.push(error);
  };
  for (const error of errors) {
    if (!error) continue;
    if (isCombined(error)) {
      if (error.networkError) add({ code: 'NETWORK_ERROR', message: error.networkError.message });
      for (const e of error.graphQLErrors) add(shown(e, 'INTERNAL_SERVER_ERROR'));
      if (!error.networkError && error.graphQLErrors.length === 0)
        add({ code: 'NETWORK_ERROR', message: error.message });
    } else if (error instanceof Error && !('extensions' in error)) {
      add({ code: 'NETWORK_ERROR', message: error.message });
    } else {
      add(shown(error as GraphQLFormattedError));
    }
  }
  return all;
}
