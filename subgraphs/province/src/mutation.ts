import { callerOf } from './access/request-access.js';
import { storedOutcomes, type ItemOutcome, type ItemResult } from './batch-items.js';
import type { ProvinceContext } from './context.js';
import type { Tx } from './db/database.js';
import { claimKey, keyScope, requestHash, storeResult, type StoredResult } from './idempotency.js';
import { OutboxBatch } from './outbox.js';
import { applyLocalFacts } from './relay/apply-fact.js';

/** A mutation call as the runner sees it. */
export interface MutationCall {
  /** The GraphQL field name, e.g. `planTrip` (a key reused for another operation is refused). */
  operation: string;
  idempotencyKey?: string | null;
  /** The field's arguments without the key, hashed to detect a key reused with other input. */
  args: Record<string, unknown>;
}

/**
 * Runs a mutation in ONE transaction: claims the idempotency key (if any, among the caller's own
 * keys: `keyScope`), runs `work`, appends
 * the events it queued to the outbox, stores the ids it returned under the key, commits.
 * A thrown error rolls everything back: nothing is written, the key stays unused.
 * @returns the ids of the records the mutation returns (those of the first call on a replay).
 */
export async function runMutation(
  ctx: ProvinceContext,
  call: MutationCall,
  work: (tx: Tx, events: OutboxBatch) => Promise<string[]>,
): Promise<string[]> {
  return (await runStored(ctx, call, async (tx, events) => ({ ids: await work(tx, events) }))).ids;
}

/**
 * Runs a bulk mutation with per-item results like {@link runMutation} (one transaction, one
 * idempotency key for the call): `work` returns each item's result, the failed items having
 * written nothing; the key stores every item's outcome, so the same key again returns the same
 * items, errors included. An error thrown by `work` fails the whole call.
 * @returns each item's outcome, in item order.
 */
export async function runBatchMutation(
  ctx: ProvinceContext,
  call: MutationCall,
  work: (tx: Tx, events: OutboxBatch) => Promise<ItemResult[]>,
): Promise<ItemOutcome[]> {
  const stored = await runStored(ctx, call, async (tx, events) => {
    const items = storedOutcomes(await work(tx, events));
    return { ids: items.flatMap((o) => ('id' in o ? [o.id] : [])), items };
  });
  return stored.items ?? [];
}

/** {@link runMutation} for any stored result. */
async function runStored(
  ctx: ProvinceContext,
  call: MutationCall,
  work: (tx: Tx, events: OutboxBatch) => Promise<StoredResult>,
): Promise<StoredResult> {
  const { idempotencyKey } = call;
  const scope = idempotencyKey != null ? keyScope(callerOf(ctx)) : '';
  const outcome = await ctx.db.transaction(async (tx) => {
    if (idempotencyKey != null) {
      const claim = await claimKey(tx, scope, idempotencyKey, call.operation, requestHash(call.args));
      if (claim.kind === 'replay') {
        const { kind: _, ...stored } = claim;
        return { result: stored, replay: true, events: 0 };
      }
    }
    const events = new OutboxBatch();
    const result = await work(tx, events);
    await applyLocalFacts(ctx, tx, events);
    const eventCount = events.size;
    await events.flush(tx);
    if (idempotencyKey != null) await storeResult(tx, scope, idempotencyKey, result);
    return { result, replay: false, events: eventCount };
  });
  const { ids, items } = outcome.result;
  const logged = {
    operation: call.operation,
    ids: ids.slice(0, 20),
    count: ids.length,
    ...(items ? { failed: items.length - ids.length } : {}),
  };
  if (outcome.replay) ctx.log.info(logged, 'mutation replayed (idempotency key)');
  else ctx.log.info({ ...logged, events: outcome.events }, 'mutation committed');
  return outcome.result;
}

/**
 * Reads the records a mutation returned, in order (one statement).
 * @throws when one is missing: a stored idempotency result must name existing records.
 */
export async function recordsFor<R>(
  ids: readonly string[],
  find: (ids: readonly string[]) => Promise<(R | undefined)[]>,
): Promise<R[]> {
  const rows = await find(ids);
  return rows.map((row, i) => {
    if (!row) throw new Error(`record ${ids[i]} returned by a mutation is missing`);
    return row;
  });
}

/**
 * Runs a mutation of one record (`idempotencyKey` taken out of `args`, the rest stored with the
 * key) and returns that record as it is after the commit, read with `find`.
 */
export async function runOneRecord<R>(
  ctx: ProvinceContext,
  operation: string,
  args: { idempotencyKey?: string | null } & Record<string, unknown>,
  work: (tx: Tx, events: OutboxBatch) => Promise<string[]>,
  find: (ids: readonly string[]) => Promise<(R | undefined)[]>,
): Promise<R> {
  const { idempotencyKey, ...rest } = args;
  const ids = await runMutation(ctx, { operation, idempotencyKey, args: rest }, work);
  return (await recordsFor(ids, find))[0]!;
}
