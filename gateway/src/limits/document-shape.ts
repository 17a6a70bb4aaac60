import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { tooComplex } from './limit-errors.js';

/** The limits on how a document is written, checked before validation. */
export interface DocumentShapeLimits {
  /** Most aliased fields in the document. */
  maxAliases: number;
  /** Most times one response key may be selected in one selection set. */
  maxFieldRepeats: number;
  /** Most fields of the document once its fragments are expanded where they are spread. */
  maxFields: number;
}

/**
 * Refuses a document, before it is validated, whose shape would make validation itself costly:
 * more aliases than `maxAliases` in all its operations and fragments, or a response key selected
 * more than `maxFieldRepeats` times in one selection set (directly or through fragments, each
 * fragment once per selection set as validation reads it; validation compares such fields
 * pairwise: a thousand copies of `region(code: "110000") { code }` take it most of a second).
 * Every definition counts, executed or not, since all are validated. First of all, the fields
 * once fragments are expanded (a fragment of 1,500 fields spread in 600 places is 900,000 of
 * them) are at most `maxFields`, which bounds the work of every other limit.
 * @throws GraphQLError QUERY_TOO_COMPLEX (`limit`: `aliases` or `repeats`).
 */
export function assertDocumentShape(document: DocumentNode, limits: DocumentShapeLimits): void {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  assertExpandedFields(document, fragments, limits.maxFields);
  let aliases = 0;
  const refuse = (key: string) =>
    tooComplex(
      `${key} is selected more than ${limits.maxFieldRepeats} times in the same selection set; select it once (or alias the copies)`,
      'repeats',
    );
  /** Response keys of each fragment, its own spreads included (each fragment read once). */
  const fragmentKeys = new Map<string, ReadonlyMap<string, number>>();
  const keysOfFragment = (name: string, expanding: Set<string>): ReadonlyMap<string, number> => {
    const known = fragmentKeys.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || expanding.has(name)) return new Map();
    expanding.add(name);
    const counts = keysOf(fragment.selectionSet, expanding);
    expanding.delete(name);
    fragmentKeys.set(name, counts);
    return counts;
  };
  /** Response key → times selected in `set` (through fragments, each spread once as validation does). */
  const keysOf = (set: SelectionSetNode, expanding: Set<string>): Map<string, number> => {
    const counts = new Map<string, number>();
    const add = (key: string, times: number) => {
      const seen = (counts.get(key) ?? 0) + times;
      if (seen > limits.maxFieldRepeats) throw refuse(key);
      counts.set(key, seen);
    };
    const spread = new Set<string>();
    const visit = (s: SelectionSetNode) => {
      for (const selection of s.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
        else if (selection.kind === Kind.FRAGMENT_SPREAD) {
          if (spread.has(selection.name.value)) continue;
          spread.add(selection.name.value);
          for (const [key, times] of keysOfFragment(selection.name.value, expanding)) add(key, times);
        } else add(selection.alias?.value ?? selection.name.value, 1);
      }
    };
    visit(set);
    return counts;
  };
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD && selection.alias) aliases += 1;
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) {
        if (selection.kind === Kind.FIELD) keysOf(selection.selectionSet, new Set());
        walk(selection.selectionSet);
      }
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION)
      continue;
    keysOf(definition.selectionSet, new Set());
    walk(definition.selectionSet);
  }
  if (aliases > limits.maxAliases) {
    throw tooComplex(
      `the document holds ${aliases} aliases; at most ${limits.maxAliases} are allowed (send several requests)`,
      'aliases',
    );
  }
}

/**
 * Refuses a document whose fields, once every fragment is expanded where it is spread, exceed
 * `maxFields`. Each fragment's size is computed once, so this costs the document's length.
 * @throws GraphQLError QUERY_TOO_COMPLEX (`limit: 'fields'`).
 */
function assertExpandedFields(
  document: DocumentNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  maxFields: number,
): void {
  const sizes = new Map<string, number>();
  const sizeOfFragment = (name: string, expanding: Set<string>): number => {
    const known = sizes.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || expanding.has(name)) return 0;
    expanding.add(name);
    const size = sizeOf(fragment.selectionSet, expanding);
    expanding.delete(name);
    sizes.set(name, size);
    return size;
  };
  const sizeOf = (set: SelectionSetNode, expanding: Set<string>): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) total += sizeOfFragment(selection.name.value, expanding);
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += sizeOf(selection.selectionSet, expanding);
      else total += 1 + (selection.selectionSet ? sizeOf(selection.selectionSet, expanding) : 0);
      // sizes grow by products: stop as soon as the limit is passed
      if (total > maxFields) break;
    }
    return total;
  };
  let fields = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) fields += sizeOf(definition.selectionSet, new Set());
    else if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fields += sizeOfFragment(definition.name.value, new Set());
    if (fields > maxFields) {
      throw tooComplex(
        `the document selects more than ${maxFields} fields once its fragments are expanded; ask for less, or in several requests`,
        'fields',
      );
    }
  }
}
