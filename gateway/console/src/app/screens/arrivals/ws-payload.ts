/**
 * The graphql-ws `subscribe` payload of one of the console's typed documents: by its registered
 * id against a gateway in safelist mode (with an empty `query`, which graphql-ws requires and the
 * gateway reads as "by id"), else its text.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { documentIdOf } from '../../graphql/hub-client';

/** The payload of `document` with `variables`. */
export function wsPayloadOf<V extends Record<string, unknown>>(
  document: TypedDocumentNode<unknown, V>,
  variables: V,
  safelist: boolean,
): SubscribePayload & { documentId?: string } {
  return safelist
    ? { query: '', documentId: documentIdOf(document), variables }
    : { query: print(document), variables };
}
