import type { ApolloServerPlugin } from '@apollo/server';
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { PUBLIC_ROOT_FIELDS } from './auth-options.js';
import { callerOfContext, type GatewayContext } from './gateway-context.js';
import { unauthenticated } from './token-verifier.js';

/** Root field names an operation selects, through inline fragments and fragment spreads. */
export function rootFieldNames(operation: OperationDefinitionNode, document: DocumentNode): string[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) names.add(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const fragment = fragments.get(s.name.value);
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return [...names];
}

/**
 * Refuses an anonymous operation that selects anything but the public root query fields `open`
 * and introspection. Reads the document as written: it runs before validation too.
 * @throws GraphQLError UNAUTHENTICATED (HTTP 401) naming the closed fields.
 */
export function assertPublicFields(
  operation: OperationDefinitionNode,
  document: DocumentNode,
  open: ReadonlySet<string>,
): void {
  const closed = rootFieldNames(operation, document).filter(
    (name) => !name.startsWith('__') && (operation.operation !== 'query' || !open.has(name)),
  );
  if (closed.length === 0) return;
  throw unauthenticated(
    `${closed.join(', ')}: sign in first. Without a token only the regions directory (${[...open].join(', ')}) is public; ` +
      'send the header "Authorization: Bearer <token>"',
  );
}

/**
 * Without a token only public data may be read: the regions directory (`region`, `regions`)
 * and introspection (`__schema`, `__type`, `__typename`: the contract is public, and the IDE
 * needs it before a token is pasted). Any other root field, and every mutation or
 * subscription, is UNAUTHENTICATED (HTTP 401). Who may read or change what is decided by the
 * province that owns the data; the gateway only authenticates. (The `/graphql` admission checks
 * the same before validation, see limits/operation-limits.ts; this covers every other way in.)
 */
export function publicFieldsPlugin(
  publicRootFields: readonly string[] = PUBLIC_ROOT_FIELDS,
): ApolloServerPlugin<GatewayContext> {
  const open = new Set(publicRootFields);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          if (!operation || callerOfContext(contextValue)) return;
          assertPublicFields(operation, document, open);
        },
      };
    },
  };
}
