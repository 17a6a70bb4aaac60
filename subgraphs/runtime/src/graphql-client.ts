/**
 * A minimal GraphQL-over-HTTP client, the one copy used by the worker registry import, the test
 * harness, the demo seeder and the dev launcher: one POST, the JSON answer as it came (errors are
 * returned, not thrown).
 */

/** One GraphQL error as it arrives on the wire. */
export interface GraphQLWireError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/** The body of a GraphQL answer. */
export interface GraphQLAnswer<T> {
  data?: T;
  errors?: GraphQLWireError[];
}

/**
 * Posts `query` with `variables` to `url` and returns the parsed answer. GraphQL errors (also on
 * HTTP 4xx/5xx with a GraphQL body) are returned in `errors`.
 * @throws Error when the server cannot be reached or answers something that is not GraphQL JSON.
 */
// biome-ignore lint/suspicious/noExplicitAny: the default lets scripts and tests read an untyped answer; callers that care pass T
export async function graphqlRequest<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<GraphQLAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...headers,
    },
    body: JSON.stringify(variables ? { query, variables } : { query }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(
      `${url} answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`,
    );
  }
  if (!body || typeof body !== 'object' || (!('data' in body) && !('errors' in body))) {
    throw new Error(`${url} answered HTTP ${response.status} without data or errors: ${text.slice(0, 300)}`);
  }
  return body as GraphQLAnswer<T>;
}

/**
 * Like {@link graphqlRequest} but throws when the answer has errors, naming the operation and
 * the first error's code; returns `data`.
 */
// biome-ignore lint/suspicious/noExplicitAny: as for graphqlRequest
export async function graphqlData<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<T> {
  const answer = await graphqlRequest<T>(url, query, variables, headers);
  if (answer.errors?.length || answer.data == null) {
    const first = answer.errors?.[0];
    const operation =
      /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1] ?? query.trim().slice(0, 60);
    const detail = first ? `${first.message} [${String(first.extensions?.code ?? 'no code')}]` : 'no data';
    const error = new Error(
      `${operation}: ${detail}${(answer.errors?.length ?? 0) > 1 ? ` (+${answer.errors!.length - 1} more)` : ''}`,
    );
    Object.assign(error, { errors: answer.errors });
    throw error;
  }
  return answer.data;
}
