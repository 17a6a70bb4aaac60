import type { ListSize, ListSizes } from '@p2p/schema';
import type { GraphQLCompositeType, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { tooComplex } from './limit-errors.js';
import {
  fieldsOf,
  intArgument,
  isIntrospection,
  stringArgument,
  isList,
  rootType,
  type OperationScope,
  type SelectedField,
} from './selections.js';

/** What the cost estimate knows of list lengths. */
export interface CostAssumptions {
  /** The contract's `@listSize` bounds by `Type.field` (schema/src/list-size.ts). @default none */
  listSizes?: ListSizes;
  /** The contract's `@cost` weights by type name or `Type.field`; 1 where none is declared. @default none */
  weights?: ReadonlyMap<string, number>;
  /** Page size of a field with a `first` argument and no `@listSize`, when `first` is absent. */
  defaultPageSize: number;
  /** Length of a list field with no `@listSize`. */
  assumedListSize: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Days from `from` to `to` (inclusive) when the field is given both as YYYY-MM-DD dates (a
 * `dailySeries` is one item per day of its range); undefined otherwise.
 */
function daysOfRange(scope: OperationScope, field: SelectedField): number | undefined {
  const from = stringArgument(scope, field.node, 'from');
  const to = stringArgument(scope, field.node, 'to');
  if (!from || !to || !DAY.test(from) || !DAY.test(to)) return undefined;
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  return Number.isFinite(days) ? Math.max(days, 0) : undefined;
}

/**
 * The size a field gives, from its `@listSize`: a slicing argument's value, else the days of its
 * `from`..`to` range (never more than the assumed size), else its assumed size.
 */
function sizeOf(scope: OperationScope, field: SelectedField, declared: ListSize): number | undefined {
  for (const name of declared.slicingArguments) {
    const value = intArgument(scope, field.node, name);
    if (value !== undefined) return Math.max(value, 0);
  }
  const days = daysOfRange(scope, field);
  if (days !== undefined && declared.assumedSize !== undefined) return Math.min(days, declared.assumedSize);
  return declared.assumedSize;
}

/**
 * Estimated cost of an operation, as the IBM GraphQL cost directives and Apollo demand control
 * count it: every object (or union, interface) counts its `@cost` weight (1 where none is
 * declared; a Summary weighs 10) each time it is resolved, scalars and enums 0, and a list of
 * objects counts its length times its elements. A list's length is the
 * one its `@listSize` declares in the contract: the value of a slicing argument (`first`) when
 * given, else the days of a `from`..`to` date range (`dailySeries`), else `assumedSize` (3,000
 * passengers, 366 days of a `dailySeries` whose range is unknown); with `sizedFields` the
 * length is that of the returned object's lists (a connection's `edges`). A list that declares
 * none counts `assumedListSize`, `first` `defaultPageSize`. So
 * `trips(first: 100) { edges { node { id } } }` costs 1 + 100 × (1 + 1) = 201, and
 * `trip(id:) { passengers { worker { name } } }` 1 + 3,000 × 2 = 6,001. Introspection is free.
 */
export function operationCost(
  scope: OperationScope,
  operation: OperationDefinitionNode,
  assume: CostAssumptions,
): number {
  const known = new Map<SelectionSetNode, Map<string, number>>();
  /** `sized`: lengths of this selection's list fields given by the parent's `sizedFields`. */
  const costOf = (
    set: SelectionSetNode,
    type: GraphQLCompositeType | undefined,
    sized: ReadonlyMap<string, number>,
  ): number => {
    const key = `${type?.name ?? ''}${[...sized].map(([f, n]) => ` ${f}=${n}`).join('')}`;
    const byKey = known.get(set) ?? new Map<string, number>();
    known.set(set, byKey);
    const cached = byKey.get(key);
    if (cached !== undefined) return cached;
    let total = 0;
    for (const field of fieldsOf(scope, set, type)) {
      if (isIntrospection(field.node) || !field.node.selectionSet) continue;
      const name = field.node.name.value;
      const declared = type ? assume.listSizes?.get(`${type.name}.${name}`) : undefined;
      let times = 1;
      let childSized: ReadonlyMap<string, number> = new Map();
      if (declared?.sizedFields.length) {
        const size = sizeOf(scope, field, declared) ?? assume.defaultPageSize;
        childSized = new Map(declared.sizedFields.map((f) => [f, size]));
      } else if (declared && isList(field.type)) {
        times = sizeOf(scope, field, declared) ?? assume.assumedListSize;
      } else if (sized.has(name)) {
        times = sized.get(name)!;
      } else if (!declared && field.argumentNames.includes('first')) {
        const size = Math.max(intArgument(scope, field.node, 'first') ?? assume.defaultPageSize, 0);
        childSized = new Map(
          fieldsOf(scope, field.node.selectionSet, field.childType)
            .filter((f) => isList(f.type))
            .map((f) => [f.node.name.value, size]),
        );
      } else if (isList(field.type)) {
        times = assume.assumedListSize;
      }
      const weight =
        assume.weights?.get(`${type?.name}.${name}`) ?? assume.weights?.get(field.childType?.name ?? '') ?? 1;
      total += times * (weight + costOf(field.node.selectionSet, field.childType, childSized));
    }
    byKey.set(key, total);
    return total;
  };
  return costOf(operation.selectionSet, rootType(scope, operation), new Map());
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
      `the query would cost about ${cost} (objects resolved, lists at their declared sizes); at most ${maxCost} is allowed: ask for smaller pages, fewer aliases or fewer nested lists`,
      'cost',
    );
  }
}
