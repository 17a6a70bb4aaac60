import type { OperationDefinitionNode, SelectionSetNode, GraphQLCompositeType } from 'graphql';
import { tooComplex } from './limit-errors.js';
import { fieldsOf, isIntrospection, rootType, type OperationScope } from './selections.js';

/**
 * The depth of an operation: root fields are at depth 1, their sub-fields at 2, and so on,
 * through fragments. Introspection (`__schema`, `__type`) is not counted: the IDE's schema
 * query is deep by nature and reads only the public contract.
 */
export function operationDepth(scope: OperationScope, operation: OperationDefinitionNode): number {
  const depthOf = (set: SelectionSetNode, type: GraphQLCompositeType | undefined): number => {
    let deepest = 0;
    for (const field of fieldsOf(scope, set, type)) {
      if (isIntrospection(field.node)) continue;
      const below = field.node.selectionSet ? depthOf(field.node.selectionSet, field.childType) : 0;
      deepest = Math.max(deepest, 1 + below);
    }
    return deepest;
  };
  return depthOf(operation.selectionSet, rootType(scope, operation));
}

/**
 * Refuses an operation nested deeper than `maxDepth`.
 * @throws GraphQLError QUERY_TOO_COMPLEX naming the depth and the limit.
 */
export function assertDepth(
  scope: OperationScope,
  operation: OperationDefinitionNode,
  maxDepth: number,
): void {
  const depth = operationDepth(scope, operation);
  if (depth > maxDepth) {
    throw tooComplex(
      `the query is nested ${depth} levels deep; at most ${maxDepth} are allowed (ask for less, or in several queries)`,
      'depth',
    );
  }
}
