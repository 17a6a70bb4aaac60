import type { GraphQLCompositeType, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { tooComplex } from './limit-errors.js';
import { fieldsOf, isIntrospection, rootType, type OperationScope } from './selections.js';

/** Thrown inside {@link operationDepth} when a path goes past the cap. */
const PAST_CAP = Symbol('past cap');

/**
 * The depth of an operation: root fields are at depth 1, their sub-fields at 2, and so on,
 * through fragments. Introspection (`__schema`, `__type`) is not counted: the IDE's schema
 * query is deep by nature and reads only the public contract. The limits run before
 * validation, so the walk stops past `cap` (a fragment cycle is infinitely deep) and reads each
 * selection set once per parent type (fragments spread many times are not walked again).
 * @returns the depth, or `cap + 1` when it is deeper than `cap`
 */
export function operationDepth(
  scope: OperationScope,
  operation: OperationDefinitionNode,
  cap = 1_000,
): number {
  const known = new Map<SelectionSetNode, Map<string, number>>();
  const depthOf = (set: SelectionSetNode, type: GraphQLCompositeType | undefined, level: number): number => {
    if (level > cap) throw PAST_CAP;
    const byType = known.get(set) ?? new Map<string, number>();
    known.set(set, byType);
    const cached = byType.get(type?.name ?? '');
    if (cached !== undefined) {
      if (level + cached - 1 > cap) throw PAST_CAP;
      return cached;
    }
    let deepest = 0;
    for (const field of fieldsOf(scope, set, type)) {
      if (isIntrospection(field.node)) continue;
      const below = field.node.selectionSet
        ? depthOf(field.node.selectionSet, field.childType, level + 1)
        : 0;
      deepest = Math.max(deepest, 1 + below);
    }
    byType.set(type?.name ?? '', deepest);
    return deepest;
  };
  try {
    return depthOf(operation.selectionSet, rootType(scope, operation), 1);
  } catch (err) {
    if (err === PAST_CAP) return cap + 1;
    throw err;
  }
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
  if (operationDepth(scope, operation, maxDepth) > maxDepth) {
    throw tooComplex(
      `the query is nested more than ${maxDepth} levels deep; at most ${maxDepth} are allowed (ask for less, or in several queries)`,
      'depth',
    );
  }
}
