/**
 * The console's GraphQL client: urql over HTTP for queries and mutations and graphql-ws for
 * subscriptions, both to the gateway that serves the console, with the session's bearer token.
 * Against a gateway in safelist mode every operation goes by its registered id (codegen's
 * `DOCUMENT_IDS`), never as text.
 */
import { Client, fetchExchange, subscriptionExchange, type Exchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { Kind, type DocumentNode } from 'graphql';
import { DOCUMENT_IDS } from '../generated/document-ids';
import type { ConsoleConfig } from '../session/console-config';

/** The clients of one session. */
export interface HubClients {
  urql: Client;
  /** The graphql-ws client (one socket per session); the arrivals board subscribes on it directly. */
  ws: WsClient;
  dispose(): void;
}

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

/** Creates the session's clients. */
export function createHubClients(config: ConsoleConfig, token: string): HubClients {
  const authorization = `Bearer ${token}`;
  const ws = createWsClient({
    url: graphqlUrl('ws'),
    connectionParams: { authorization },
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
  });
  const exchanges: Exchange[] = [];
  if (config.trustedDocuments === 'safelist')
    exchanges.push(
      persistedExchange({
        enforcePersistedQueries: true,
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
    // POST always: urql would send short queries as GET, which the gateway's CSRF prevention refuses.
    preferGetMethod: false,
    fetchOptions: () => ({ headers: { authorization } }),
  });
  return { urql, ws, dispose: () => void ws.dispose() };
}
