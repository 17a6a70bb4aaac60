import {
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { ShardMerge, ShardRules } from '@p2p/schema';
import { runtimeObjectType, selectedFields } from './selected-fields.js';
import { KEY_ALIAS, ratioAlias } from './operation-analysis.js';

/** What merging needs besides the answers: types, field rules and the fetch's fragments. */
export interface MergeScope {
  schema: GraphQLSchema;
  rules: ShardRules;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
}

type Answer = Record<string, unknown>;

/** The largest value of GraphQL's 32-bit `Int`. */
const MAX_INT = 2_147_483_647;

/**
 * A sum of province counts beyond GraphQL's 32-bit `Int`: the inputs are bounded so that this
 * cannot happen (DESIGN.md "Totals stay Int"); if it ever does, the answer says so instead of
 * carrying a number a client would read wrong.
 */
export class IntOverflowError extends Error {
  constructor(readonly sum: number) {
    super(`a summed count (${sum}) exceeds GraphQL's 32-bit Int (2,147,483,647)`);
  }
}
const isPresent = (v: unknown) => v !== null && v !== undefined;
const nullable = (t: GraphQLOutputType): GraphQLOutputType => (isNonNullType(t) ? t.ofType : t);

/** The first answer that is neither null nor missing; null when there is none. */
export function firstNonNull(values: readonly unknown[]): unknown {
  for (const v of values) if (isPresent(v)) return v;
  return null;
}

/**
 * Merges the answers several provinces gave to the same selection.
 * - `SUM` (and `RATIO` at the top): numbers added deep, lists with a `key` rule merged by key,
 *   other lists concatenated, RATIO fields recomputed from their summed parts, other leaves: first.
 * - `FIRST` (and `CONNECTION`, which {@link mergeConnections} handles): the first non-null answer.
 */
export function mergeAnswers(
  merge: ShardMerge,
  values: readonly unknown[],
  type: GraphQLOutputType,
  sets: readonly SelectionSetNode[],
  scope: MergeScope,
): unknown {
  return merge === 'SUM' || merge === 'RATIO' ? sumValues(values, type, sets, scope) : firstNonNull(values);
}

/** Sums answers of `type` (see {@link mergeAnswers}). */
export function sumValues(
  values: readonly unknown[],
  type: GraphQLOutputType,
  sets: readonly SelectionSetNode[],
  scope: MergeScope,
): unknown {
  const present = values.filter(isPresent);
  if (present.length === 0) return null;
  if (present.length === 1) return present[0];
  const t = nullable(type);
  if (isListType(t)) return present.flatMap((v) => (Array.isArray(v) ? v : [v]));
  if (isLeafType(t)) {
    const named = getNamedType(t).name;
    if (named !== 'Int' && named !== 'Float') return present[0];
    const sum = present.reduce<number>((total, v) => total + (typeof v === 'number' ? v : 0), 0);
    if (named === 'Int' && (sum > MAX_INT || sum < -MAX_INT - 1)) throw new IntOverflowError(sum);
    return sum;
  }
  return sumObjects(present as Answer[], t, sets, scope);
}

function sumObjects(
  objects: readonly Answer[],
  type: GraphQLOutputType,
  sets: readonly SelectionSetNode[],
  scope: MergeScope,
): Answer {
  const objectType = runtimeObjectType(scope.schema, type, objects[0]);
  if (!objectType) return objects[0]!;
  const fields = selectedFields(scope.schema, objectType, sets, scope.fragments);
  const keys = new Set<string>();
  for (const o of objects) for (const k of Object.keys(o)) keys.add(k);
  const result: Answer = {};
  const ratios: [string, [string, string]][] = [];
  for (const key of keys) {
    const values = objects.map((o) => o[key]);
    const selected = fields.get(key);
    if (!selected?.type) {
      result[key] = firstNonNull(values);
      continue;
    }
    const rule = scope.rules.fields.get(`${objectType.name}.${selected.fieldName}`);
    const fieldType = nullable(selected.type);
    if (rule?.merge === 'RATIO' && rule.of) {
      ratios.push([key, rule.of]);
      result[key] = firstNonNull(values);
    } else if (rule?.key && isListType(fieldType)) {
      result[key] = mergeKeyedList(values, fieldType.ofType, selected.selectionSets, scope);
    } else if (rule?.merge === 'FIRST') {
      result[key] = firstNonNull(values);
    } else {
      result[key] = sumValues(values, selected.type, selected.selectionSets, scope);
    }
  }
  for (const [key, [numerator, denominator]] of ratios) {
    const num = result[ratioAlias(numerator)];
    const den = result[ratioAlias(denominator)];
    if (typeof num === 'number' && typeof den === 'number') result[key] = den === 0 ? 0 : num / den;
  }
  return result;
}

/**
 * Merges lists whose items are identified by a key field (asked under {@link KEY_ALIAS}):
 * items with the same key are summed, nested objects included (`moved { trips passengers }` is
 * added, a `Region` reference `{ code }` is kept from the first answer: a non-numeric leaf). The
 * merged items are in key order, as each province lists its own (`byMode` BUS, FLIGHT, TRAIN;
 * `corridors` by `<origin>-<destination>`), whichever province answered first; items without a
 * key follow, as they came.
 */
export function mergeKeyedList(
  lists: readonly unknown[],
  itemType: GraphQLOutputType,
  sets: readonly SelectionSetNode[],
  scope: MergeScope,
): unknown[] | null {
  const present = lists.filter(Array.isArray) as unknown[][];
  if (!present.length) return null;
  const groups = new Map<unknown, unknown[]>();
  const loose: unknown[] = [];
  for (const list of present) {
    for (const item of list) {
      const key = item && typeof item === 'object' ? (item as Answer)[KEY_ALIAS] : undefined;
      if (key === undefined || key === null) {
        loose.push(item);
        continue;
      }
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
  }
  const merged = [...groups.entries()]
    .sort(([a], [b]) => compareKeys(a, b))
    .map(([, items]) => (items.length === 1 ? items[0] : sumValues(items, itemType, sets, scope)));
  return [...merged, ...loose];
}

/** The order of two list keys: strings (and enum values) by code unit, numbers by value. */
function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
