import { Kind, type DocumentNode, type SelectionSetNode } from 'graphql';
import { tooComplex } from './limit-errors.js';

/** The limits on how a document is written, checked before validation. */
export interface DocumentShapeLimits {
  /** Most aliased fields in the document. */
  maxAliases: number;
  /** Most times one response key may be selected in one selection set. */
  maxFieldRepeats: number;
}

/**
 * Refuses a document, before it is validated, whose shape would make validation itself costly:
 * more aliases than `maxAliases` in all its operations and fragments, or a response key selected
 * more than `maxFieldRepeats` times in one selection set (directly or through inline fragments;
 * validation compares such fields pairwise: a thousand copies of `region(code: "110000") { code }`
 * take it most of a second). Every definition counts, executed or not, since all are validated.
 * @throws GraphQLError QUERY_TOO_COMPLEX (`limit`: `aliases` or `repeats`).
 */
export function assertDocumentShape(document: DocumentNode, limits: DocumentShapeLimits): void {
  let aliases = 0;
  const keysOf = (set: SelectionSetNode, counts: Map<string, number>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        keysOf(selection.selectionSet, counts);
        continue;
      }
      if (selection.kind !== Kind.FIELD) continue;
      if (selection.alias) aliases += 1;
      const key = selection.alias?.value ?? selection.name.value;
      const seen = (counts.get(key) ?? 0) + 1;
      counts.set(key, seen);
      if (seen > limits.maxFieldRepeats) {
        throw tooComplex(
          `${key} is selected more than ${limits.maxFieldRepeats} times in the same selection set; select it once (or alias the copies)`,
          'repeats',
        );
      }
      if (selection.selectionSet) keysOf(selection.selectionSet, new Map());
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION)
      keysOf(definition.selectionSet, new Map());
  }
  if (aliases > limits.maxAliases) {
    throw tooComplex(
      `the document holds ${aliases} aliases; at most ${limits.maxAliases} are allowed (send several requests)`,
      'aliases',
    );
  }
}
