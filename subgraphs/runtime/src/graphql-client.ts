/**
 * A minimal GraphQL-over-HTTP client, the one copy used by the worker registry import, the test
 * harness, the demo seeder and the dev launcher: one POST, the JSON answer as it came (errors are
 * returned, not thrown).
 */
import { createHash } from 'node:crypto';

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

/** How {@link graphqlRequest} sends its document. */
export interface GraphQLRequestOptions {
  /**
   * Send the document by its id first (`extensions.persistedQuery.sha256Hash`, the SHA-256 of
   * `query` exactly as given), as a gateway in safelist mode requires of a registered operation
   * (docs/trusted-documents.md); the text follows only if the gateway does not know the id
   * (`PERSISTED_QUERY_NOT_FOUND`: registered by automatic persisted queries where they are on) or
   * takes no ids (`PERSISTED_QUERY_NOT_SUPPORTED`). `query` must then be the registered body
   * byte for byte. @default false
   */
  persisted?: boolean;
}

/** Codes after which a document sent by id is sent again as text. */
const RESEND_AS_TEXT = new Set(['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

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
  options: GraphQLRequestOptions = {},
): Promise<GraphQLAnswer<T>> {
  if (options.persisted) {
    const persistedQuery = {
      version: 1,
      sha256Hash: createHash('sha256').update(query, 'utf8').digest('hex'),
    };
    const byId = await post<T>(
      url,
      { ...(variables ? { variables } : {}), extensions: { persistedQuery } },
      headers,
    );
    const code = byId.errors?.length === 1 ? byId.errors[0]?.extensions?.code : undefined;
    if (typeof code !== 'string' || !RESEND_AS_TEXT.has(code)) return byId;
    const extensions = code === 'PERSISTED_QUERY_NOT_FOUND' ? { extensions: { persistedQuery } } : {};
    return post<T>(url, { query, ...(variables ? { variables } : {}), ...extensions }, headers);
  }
  return post<T>(url, variables ? { query, variables } : { query }, headers);
}

/** One POST of a GraphQL request body; the parsed answer. */
async function post<T>(
  url: string,
  body: Record<string, unknown>,
  headers: Record<string, string> | undefined,
): Promise<GraphQLAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new Error(
      `${url} answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`,
    );
  }
  if (!answer || typeof answer !== 'object' || (!('data' in answer) && !('errors' in answer))) {
    throw new Error(`${url} answered HTTP ${response.status} without data or errors: ${text.slice(0, 300)}`);
  }
  return answer as GraphQLAnswer<T>;
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
