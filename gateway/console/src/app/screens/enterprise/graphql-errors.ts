import type { CombinedError } from 'urql';

/** One error as the screen shows it: the hub's code (`extensions.code`) and its message. */
export interface ShownError {
  code: string;
  message: string;
  /** Where in the answer it happened (`returnRequests.edges.0.node.trip`), when it says. */
  path?: string;
}

/**
 * The errors of urql results, each once: GraphQL errors with their `extensions.code`
 * (`INTERNAL_SERVER_ERROR` when none), a failed request as `NETWORK_ERROR`.
 */
export function shownErrors(errors: readonly (CombinedError | undefined | null)[]): ShownError[] {
  const shown: ShownError[] = [];
  const seen = new Set<string>();
  const add = (error: ShownError) => {
    const key = `${error.code}\u0000${error.message}\u0000${error.path ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    shown.push(error);
  };
  for (const error of errors) {
    if (!error) continue;
    if (error.networkError) add({ code: 'NETWORK_ERROR', message: error.networkError.message });
    for (const e of error.graphQLErrors) {
      const code = e.extensions?.code;
      add({
        code: typeof code === 'string' && code ? code : 'INTERNAL_SERVER_ERROR',
        message: e.message,
        ...(e.path?.length ? { path: e.path.join('.') } : {}),
      });
    }
  }
  return shown;
}
