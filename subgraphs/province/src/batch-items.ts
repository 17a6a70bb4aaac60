/**
 * The items of a bulk mutation with per-item results (`recordHealthChecks`, `reportTravelIntents`):
 * each item ends as the record it changed or as the error it would have had alone, and one bad
 * item never fails the others (DESIGN.md, "Bulk mutations"). The whole call still fails, writing
 * nothing, for what concerns the call itself (too many items, the caller's role, a reused key).
 */
import { badInput, ERROR_CODES, type ErrorCode } from '@p2p/schema';
import { GraphQLError } from 'graphql';

/** Most items one bulk call takes. @default 1000 */
export const MAX_BATCH_ITEMS = 1_000;

/** The error of one item: the code and message it would have had alone. */
export interface ItemError {
  code: ErrorCode;
  message: string;
}

/** What became of one item, as an idempotency key stores it: the record's id, or its error. */
export type ItemOutcome = { id: string } | { error: ItemError };

/** An item's outcome while the call runs: the error keeps its GraphQLError (a single call rethrows it). */
export type ItemResult = { id: string } | { error: GraphQLError };

/**
 * Refuses a call with more than {@link MAX_BATCH_ITEMS} items.
 * @throws BAD_USER_INPUT for the whole call (field `field`).
 */
export function assertBatchSize(count: number, field: string): void {
  if (count > MAX_BATCH_ITEMS)
    throw badInput(`${field}: at most ${MAX_BATCH_ITEMS} items per call; got ${count}`, field);
}

/**
 * Runs one item's check: its GraphQLError with a registry code becomes the item's error; anything
 * else (a bug, a lost connection) is rethrown and fails the whole call.
 */
export function itemCheck<T>(check: () => T): { ok: T } | { error: GraphQLError } {
  try {
    return { ok: check() };
  } catch (err) {
    if (isItemError(err)) return { error: err };
    throw err;
  }
}

/** True for an error one item may carry: a GraphQLError whose code is in the registry. */
export function isItemError(err: unknown): err is GraphQLError {
  const code = err instanceof GraphQLError ? err.extensions?.code : undefined;
  return typeof code === 'string' && code in ERROR_CODES && code !== 'INTERNAL_SERVER_ERROR';
}

/** The stored form of results: ids, and errors as code and message (no stack, no extensions). */
export function storedOutcomes(results: readonly ItemResult[]): ItemOutcome[] {
  return results.map((r) =>
    'id' in r
      ? { id: r.id }
      : { error: { code: r.error.extensions.code as ErrorCode, message: r.error.message } },
  );
}

/** One item of a bulk result as the contract's `…BatchItem` has it. */
export interface BatchItem<R> {
  index: number;
  record: R | null;
  error: ItemError | null;
}

/**
 * The contract's `{ items { index record error } }` from stored outcomes, reading the records of
 * the items that succeeded with `find` (one statement for all of them).
 * @throws when a record named by an outcome is missing (a stored result must name existing records).
 */
export async function batchResult<R>(
  outcomes: readonly ItemOutcome[],
  find: (ids: readonly string[]) => Promise<(R | undefined)[]>,
): Promise<{ items: BatchItem<R>[] }> {
  const ids = [...new Set(outcomes.flatMap((o) => ('id' in o ? [o.id] : [])))];
  const rows = ids.length ? await find(ids) : [];
  const byId = new Map(ids.map((id, i) => [id, rows[i]]));
  return {
    items: outcomes.map((o, index) => {
      if ('error' in o) return { index, record: null, error: o.error };
      const record = byId.get(o.id);
      if (!record) throw new Error(`record ${o.id} returned by a bulk mutation is missing`);
      return { index, record, error: null };
    }),
  };
}
