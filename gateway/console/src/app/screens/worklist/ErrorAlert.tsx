import type { CombinedError } from 'urql';

/** One error as the officer reads it: its code (from the hub's registry) and message. */
export interface ShownError {
  code: string;
  message: string;
}

/** The errors of a GraphQL answer (each with `extensions.code`), or of a request that got none. */
export function errorsOf(error: CombinedError | Error | undefined | null): ShownError[] {
  if (!error) return [];
  const graphQLErrors = 'graphQLErrors' in error ? error.graphQLErrors : [];
  if (graphQLErrors.length > 0)
    return graphQLErrors.map((e) => ({
      code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
      message: e.message,
    }));
  const network = 'networkError' in error ? error.networkError : undefined;
  return [{ code: 'NETWORK', message: (network ?? error).message }];
}

/** The errors of an answer in a `role="alert"` list (nothing when there are none). */
export function ErrorAlert({
  error,
  label,
}: {
  error: CombinedError | Error | undefined | null;
  label?: string;
}) {
  const errors = errorsOf(error);
  if (errors.length === 0) return null;
  return (
    <div role="alert" className="worklist-alert">
      {label ? <strong>{label}</strong> : null}
      <ul>
        {errors.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: errors have no id and never reorder
          <li key={i}>
            <code>{e.code}</code> {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
