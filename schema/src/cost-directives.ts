import {
  Kind,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type TypeNode,
} from 'graphql';
import { ALL_SUBGRAPHS, subgraphDocument } from './contract.js';

/** One `@listSize` application: how many elements a list field returns at most. */
export interface ListSize {
  /** The bound when no slicing argument is given. */
  assumedSize?: number;
  /** Arguments whose value, when given, is the size (the first one present wins), e.g. `first`. */
  slicingArguments: string[];
  /** List fields of the returned object the size applies to (a connection's `edges`); empty: the field itself. */
  sizedFields: string[];
}

/** `@listSize` bounds keyed by `Type.field`. */
export type ListSizes = ReadonlyMap<string, ListSize>;

function toListSize(d: ConstDirectiveNode): ListSize {
  const size: ListSize = { slicingArguments: [], sizedFields: [] };
  for (const arg of d.arguments ?? []) {
    const v = arg.value;
    if (arg.name.value === 'assumedSize' && v.kind === Kind.INT) size.assumedSize = Number(v.value);
    const strings =
      v.kind === Kind.LIST ? v.values.flatMap((x) => (x.kind === Kind.STRING ? [x.value] : [])) : [];
    if (arg.name.value === 'slicingArguments') size.slicingArguments = strings;
    if (arg.name.value === 'sizedFields') size.sizedFields = strings;
  }
  return size;
}

function* fieldDefinitions(doc: DocumentNode): Generator<[string, FieldDefinitionNode]> {
  for (const def of doc.definitions) {
    if (
      def.kind === Kind.OBJECT_TYPE_DEFINITION ||
      def.kind === Kind.OBJECT_TYPE_EXTENSION ||
      def.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      def.kind === Kind.INTERFACE_TYPE_EXTENSION
    ) {
      for (const field of def.fields ?? []) yield [def.name.value, field];
    }
  }
}

/** Reads every `@listSize` application of a subgraph's SDL. */
export function readListSizes(doc: DocumentNode): Map<string, ListSize> {
  const sizes = new Map<string, ListSize>();
  for (const [type, field] of fieldDefinitions(doc)) {
    const d = field.directives?.find((x) => x.name.value === 'listSize');
    if (d) sizes.set(`${type}.${field.name.value}`, toListSize(d));
  }
  return sizes;
}

/**
 * Reads every `@cost(weight:)` application of a subgraph's SDL: keyed by type name (an object
 * type's weight) or by `Type.field` (a field's).
 */
export function readCostWeights(doc: DocumentNode): Map<string, number> {
  const weights = new Map<string, number>();
  const weightOf = (directives: readonly ConstDirectiveNode[] | undefined) => {
    const value = directives
      ?.find((d) => d.name.value === 'cost')
      ?.arguments?.find((a) => a.name.value === 'weight')?.value;
    return value?.kind === Kind.INT ? Number(value.value) : undefined;
  };
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const own = weightOf(def.directives);
    if (own !== undefined) weights.set(def.name.value, own);
  }
  for (const [type, field] of fieldDefinitions(doc)) {
    const own = weightOf(field.directives);
    if (own !== undefined) weights.set(`${type}.${field.name.value}`, own);
  }
  return weights;
}

/** The `@cost` weights of every subgraph of the contract (the largest where several declare one). */
export function contractCostWeights(): Map<string, number> {
  const weights = new Map<string, number>();
  for (const name of ALL_SUBGRAPHS)
    for (const [key, weight] of readCostWeights(subgraphDocument(name)))
      weights.set(key, Math.max(weight, weights.get(key) ?? weight));
  return weights;
}

/** The `@listSize` bounds of every subgraph of the contract (the gateway's cost estimate reads these). */
export function contractListSizes(): Map<string, ListSize> {
  const sizes = new Map<string, ListSize>();
  for (const name of ALL_SUBGRAPHS)
    for (const [key, size] of readListSizes(subgraphDocument(name))) sizes.set(key, size);
  return sizes;
}

const isListTypeNode = (type: TypeNode): boolean =>
  type.kind === Kind.LIST_TYPE || (type.kind === Kind.NON_NULL_TYPE && isListTypeNode(type.type));

const namedTypeOf = (type: TypeNode): string =>
  type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);

/**
 * The list fields (`Type.field`) of a subgraph's SDL without a bound: neither a `@listSize` with
 * an `assumedSize` of their own nor named in the `sizedFields` of a field that returns their type
 * and has one.
 */
export function listFieldsWithoutBound(doc: DocumentNode): string[] {
  const sizes = readListSizes(doc);
  const sizedByParent = new Set<string>();
  for (const [type, field] of fieldDefinitions(doc)) {
    const size = sizes.get(`${type}.${field.name.value}`);
    if (size?.assumedSize === undefined) continue;
    for (const sized of size.sizedFields) sizedByParent.add(`${namedTypeOf(field.type)}.${sized}`);
  }
  const missing: string[] = [];
  for (const [type, field] of fieldDefinitions(doc)) {
    if (!isListTypeNode(field.type)) continue;
    const key = `${type}.${field.name.value}`;
    const own = sizes.get(key);
    if ((own?.assumedSize === undefined || own.sizedFields.length > 0) && !sizedByParent.has(key))
      missing.push(key);
  }
  return missing;
}
