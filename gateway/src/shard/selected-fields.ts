import {
  Kind,
  isAbstractType,
  isObjectType,
  getNamedType,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** A field as answered under one response key, with every sub-selection asked for it. */
export interface SelectedField {
  fieldName: string;
  /** Output type of the field; undefined for `__typename` and fields unknown to the contract. */
  type: GraphQLOutputType | undefined;
  /** The selection sets under this response key (several when the field is asked twice). */
  selectionSets: SelectionSetNode[];
}

/** Response key → selected field, for one object type. */
export type SelectedFields = ReadonlyMap<string, SelectedField>;

const cache = new WeakMap<SelectionSetNode, Map<string, SelectedFields>>();

function applies(schema: GraphQLSchema, type: GraphQLObjectType, condition: string | undefined): boolean {
  if (!condition || condition === type.name) return true;
  const named = schema.getType(condition);
  return !!named && isAbstractType(named) && schema.isSubType(named, type);
}

function collect(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  out: Map<string, SelectedField>,
): void {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      const key = s.alias?.value ?? s.name.value;
      let entry = out.get(key);
      if (!entry) {
        entry = { fieldName: s.name.value, type: type.getFields()[s.name.value]?.type, selectionSets: [] };
        out.set(key, entry);
      }
      if (s.selectionSet) entry.selectionSets.push(s.selectionSet);
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      if (applies(schema, type, s.typeCondition?.name.value))
        collect(schema, type, s.selectionSet, fragments, out);
    } else {
      const fragment = fragments.get(s.name.value);
      if (fragment && applies(schema, type, fragment.typeCondition.name.value))
        collect(schema, type, fragment.selectionSet, fragments, out);
    }
  }
}

/**
 * The fields that selection sets ask of an object of `type`, by response key, looking through
 * inline fragments and fragment spreads whose condition applies. Cached per single selection set.
 */
export function selectedFields(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): SelectedFields {
  const single = sets.length === 1 ? sets[0]! : undefined;
  const cached = single && cache.get(single)?.get(type.name);
  if (cached) return cached;
  const out = new Map<string, SelectedField>();
  for (const set of sets) collect(schema, type, set, fragments, out);
  if (single) {
    let byType = cache.get(single);
    if (!byType) cache.set(single, (byType = new Map()));
    byType.set(type.name, out);
  }
  return out;
}

/**
 * The object type of an answer: the named type itself, or for an interface or union the type
 * named by the answer's `__typename`.
 */
export function runtimeObjectType(
  schema: GraphQLSchema,
  type: GraphQLOutputType,
  value: unknown,
): GraphQLObjectType | undefined {
  const named = getNamedType(type);
  if (isObjectType(named)) return named;
  const typename =
    value && typeof value === 'object' ? (value as Record<string, unknown>).__typename : undefined;
  const candidate = typeof typename === 'string' ? schema.getType(typename) : undefined;
  return candidate && isObjectType(candidate) ? candidate : undefined;
}
