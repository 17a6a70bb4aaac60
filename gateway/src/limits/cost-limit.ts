import type { GraphQLCompositeType, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { tooComplex } from './limit-errors.js';
import {
  fieldsOf,
  intArgument,
  isIntrospection,
  isList,
  rootType,
  type OperationScope,
} from './selections.js';

/** What the cost estimate assumes where the operation does not say. */
export interface CostAssumptions {
  /** Page size when `first` is absent. */
  defaultPageSize: number;
  /** Length of a list field that takes no `first`. */
  assumedListSize: number;
}

/**
 * Estimated cost of an operation: every field counts 1 for each time it is resolved. A list
 * field is resolved once per element: the page size (`first`, or the default page size when
 * absent) for the list of a connection, `assumedListSize` for other lists of objects. So
 * `trips(first: 100) { edges { node { id } } }` costs 1 + 1 + 100 × (1 + 1) = 202. Introspection is free.
 */
export function operationCost(
  scope: OperationScope,
  operation: OperationDefinitionNode,
  assume: CostAssumptions,
): number {
  /** `page`: the page size of the connection whose selection this is (its list is that long). */
  const costOf = (
    set: SelectionSetNode,
    type: GraphQLCompositeType | undefined,
    page: number | undefined,
  ): number => {
    let total = 0;
    for (const field of fieldsOf(scope, set, type)) {
      if (isIntrospection(field.node)) continue;
      total += 1;
      if (!field.node.selectionSet) continue;
      if (field.argumentNames.includes('first')) {
        const first = Math.max(intArgument(scope, field.node, 'first') ?? assume.defaultPageSize, 0);
        total += costOf(field.node.selectionSet, field.childType, first);
      } else {
        const times = isList(field.type) ? (page ?? assume.assumedListSize) : 1;
        total += times * costOf(field.node.selectionSet, field.childType, undefined);
      }
    }
    return total;
  };
  return costOf(operation.selectionSet, rootType(scope, operation), undefined);
}

/**
 * Refuses an operation whose estimated cost exceeds `maxCost`.
 * @throws GraphQLError QUERY_TOO_COMPLEX with the cost and the limit.
 */
export function assertCost(
  scope: OperationScope,
  operation: OperationDefinitionNode,
  maxCost: number,
  assume: CostAssumptions,
): void {
  const cost = operationCost(scope, operation, assume);
  if (cost > maxCost) {
    throw tooComplex(
      `the query would cost about ${cost} (fields × page sizes); at most ${maxCost} is allowed: ask for smaller pages or fewer nested lists`,
      'cost',
    );
  }
}
