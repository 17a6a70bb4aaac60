import type { GraphQLCompositeType, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { tooComplex } from './limit-errors.js';
import { fieldsOf, intArgument, rootType, type OperationScope } from './selections.js';

/** Deepest level walked (far beyond any depth limit; introspection is not depth-limited). */
const MAX_WALK_DEPTH = 64;

/** Arguments that set a page size. */
const PAGE_ARGUMENTS = ['first', 'last'];

/**
 * Refuses any `first` (or `last`) above `maxPageSize` or below 0, anywhere in the operation,
 * literal or variable. (Each province enforces the same bound on its own.)
 * @throws GraphQLError QUERY_TOO_COMPLEX naming the field and the limit.
 */
export function assertPageSizes(
  scope: OperationScope,
  operation: OperationDefinitionNode,
  maxPageSize: number,
): void {
  const check = (set: SelectionSetNode, type: GraphQLCompositeType | undefined, depth = 0) => {
    // Fragments may spread each other through fields (a cycle validation refuses later): stop
    // where no operation the depth limit lets through can reach.
    if (depth > MAX_WALK_DEPTH) return;
    for (const field of fieldsOf(scope, set, type)) {
      for (const name of PAGE_ARGUMENTS) {
        const size = intArgument(scope, field.node, name);
        if (size !== undefined && (size > maxPageSize || size < 0)) {
          const key = field.node.alias?.value ?? field.node.name.value;
          throw tooComplex(
            `${key}: ${name} is ${size}; pages hold 0 to ${maxPageSize} records (page on with after: endCursor)`,
            'pageSize',
          );
        }
      }
      if (field.node.selectionSet) check(field.node.selectionSet, field.childType, depth + 1);
    }
  };
  check(operation.selectionSet, rootType(scope, operation));
}
