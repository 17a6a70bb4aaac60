/**
 * The console's GraphQL client: urql over HTTP for queries and mutations and graphql-ws for
 * subscriptions, both to the gateway that serves the console, with the session's bearer token.
 * The token is read on every request and every (re)connection of the socket, so a renewed token
 * is picked up without recreating the clients (live subscriptions stay open). Against a gateway
 * in safelist mode every operation goes by its registered id (codegen's `DOCUMENT_IDS`), never
 * as text. A refused token (UNAUTHENTICATED, HTTP 401, a socket refused with 4403) is reported
 * to the session once, which sends the user back to sign-in.
 */
import { Client, fetchExchange, mapExchange, subscriptionExchange, type Exchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { Kind, type DocumentNode } from 'graphql';
import { DOCUMENT_IDS } from '../generated/document-ids.js';
import type { ConsoleConfig } from '../session/console-config.js';

/** The clients of one session. */
export interface HubClients {
  urql: Client;
  /** The graphql-ws client (one socket per session); the arrivals board subscribes on it directly. */
  ws: WsClient;
  dispose(): void;
}

/** How the clients authenticate: the current token, and whom to tell when the gateway refuses it. */
export interface HubAuth {
  /** The session's current bearer token (read per request and per socket connection). */
  token(): string;
  /** The gateway refused the token (expired, revoked, not verifiable): called once per refusal. */
  onUnauthenticated?(message: string): void;
}

/** graphql-ws's close code for a refused `connection_init` (and a connection whose token expired). */
const FORBIDDEN = 4403;

/** The registered id of a document's operation. @throws Error for an operation codegen did not see */
export function documentIdOf(document: DocumentNode): string {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const name = operation && 'name' in operation ? operation.name?.value : undefined;
  const id = name ? DOCUMENT_IDS[name] : undefined;
  if (!id)
    throw new Error(`operation ${name ?? '(anonymous)'} is not one of the console's registered operations`);
  return id;
}

/** The GraphQL endpoint beside the console (`/graphql` of the same origin). */
export function graphqlUrl(protocol: 'http' | 'ws'): string {
  const url = new URL('/graphql', location.origin);
  if (protocol === 'ws') url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** The message of an UNAUTHENTICATED answer (a GraphQL error with that code, or HTTP 401), if it is one. */
export function unauthenticatedMessage(error: {
  graphQLErrors: readonly { message: string; extensions?: Record<string, unknown> }[];
  response?: { status?: number };
  message: string;
}): string | undefined {
  const refused = error.graphQLErrors.find((e) => e.extensions?.code === 'UNAUTHENTICATED');
  if (refused) return refused.message;
  return error.response?.status === 401 ? error.message : undefined;
}

/** Creates the session's clients; `auth` may be a fixed token (tests, one-off lookups). */
export function createHubClients(config: ConsoleConfig, auth: HubAuth | string): HubClients {
  const { token, onUnauthenticated } = typeof auth === 'string' ? { token: () => auth } : auth;
  const authorization = () => `Bearer ${token()}`;
  /** The token the socket's current connection was opened with. */
  let connectedWith: string | undefined;
  const ws = createWsClient({
    url: graphqlUrl('ws'),
    connectionParams: () => {
      connectedWith = token();
      return { authorization: `Bearer ${connectedWith}` };
    },
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry(event) {
      const code = (event as { code?: unknown } | null)?.code;
      // Refused or expired: worth another try only once the session holds a newer token.
      if (code === FORBIDDEN && connectedWith === token()) {
        onUnauthenticated?.('the gateway closed the live connection: the token was refused or expired');
        return false;
      }
      return true;
    },
  });
  const exchanges: Exchange[] = [
    mapExchange({
      onError(error) {
        const message = unauthenticatedMessage(error);
        if (message !== undefined) onUnauthenticated?.(message);
      },
    }),
  ];
  if (config.trustedDocuments === 'safelist')
    exchanges.push(
      persistedExchange({
        enforcePersistedQueries: true,
        preferGetForPersistedQueries: false,
        enableForMutation: true,
        enableForSubscriptions: true,
        generateHash: async (_query, document) => documentIdOf(document),
      }),
    );
  exchanges.push(
    fetchExchange,
    subscriptionExchange({
      enableAllOperations: false,
      forwardSubscription(request) {
        const payload = { ...request, query: request.query ?? '' };
        return {
          subscribe(sink) {
            const unsubscribe = ws.subscribe(payload, sink);
            return { unsubscribe };
          },
        };
      },
    }),
  );
  const urql = new Client({
    url: graphqlUrl('http'),
    exchanges,
    requestPolicy: 'network-only',
    // POST only: the gateway's CSRF prevention refuses a GET without a preflight-forcing header.
    preferGetMethod: false,
    fetchOptions: () => ({ headers: { authorization: authorization() } }),
  });
  return { urql, ws, dispose: () => void ws.dispose() };
}
