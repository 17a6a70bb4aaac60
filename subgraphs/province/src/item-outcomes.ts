/**
 * The outcome of each item of a bulk mutation with per-item errors (`{ items { index record error
 * { code message } } }`), carried through `runMutation`, whose result (and idempotency record) is
 * a list of strings: an item that succeeded is its record's id, an item that failed is `!` followed
 * by its error as JSON. No id of the hub starts with `!`, so the two never meet, and a replay with
 * the same key gives back the same errors as well as the same records.
 */
import { GraphQLError } from 'graphql';

/** Why one item failed: the code and message it would have had alone. */
export interface ItemError {
  code: string;
  message: string;
}

/** One item's outcome: the id of its record, or its error. */
export type ItemOutcome = { id: string } | { error: ItemError };

const FAILED = '!';

/** The error of an item as the contract's `ItemError`; anything that is not a hub error is rethrown. */
export function itemErrorOf(err: unknown): ItemError {
  const code = err instanceof GraphQLError ? err.extensions?.code : undefined;
  if (typeof code !== 'string') throw err;
  return { code, message: (err as GraphQLError).message };
}

/** The string `runMutation` stores for an outcome. */
export function encodeOutcome(outcome: ItemOutcome): string {
  return 'id' in outcome ? outcome.id : `${FAILED}${JSON.stringify(outcome.error)}`;
}

/** The outcome a stored string stands for. */
export function decodeOutcome(stored: string): ItemOutcome {
  if (!stored.startsWith(FAILED)) return { id: stored };
  const { code, message } = JSON.parse(stored.slice(FAILED.length)) as ItemError;
  return { error: { code, message } };
}
