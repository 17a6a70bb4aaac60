import { callerOf } from './access/request-access.js';
import type { ProvinceContext } from './context.js';
import type { Tx } from './db/database.js';
import { claimKey, keyScope, requestHash, storeResult } from './idempotency.js';
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
  const { idempotencyKey } = call;
  const scope = idempotencyKey != null ? keyScope(callerOf(ctx)) : '';
  const outcome = await ctx.db.transaction(async (tx) => {
    if (idempotencyKey != null) {
      const claim = await claimKey(tx, scope, idempotencyKey, call.operation, requestHash(call.args));
      if (claim.kind === 'replay') return { ids: claim.ids, replay: true, events: 0 };
    }
    const events = new OutboxBatch();
    const result = await work(tx, events);
    await applyLocalFacts(ctx, tx, events);
    const eventCount = events.size;
    await events.flush(tx);
    if (idempotencyKey != null) await storeResult(tx, scope, idempotencyKey, result);
    return { ids: result, replay: false, events: eventCount };
  });
  const logged = { operation: call.operation, ids: outcome.ids.slice(0, 20), count: outcome.ids.length };
  if (outcome.replay) ctx.log.info(logged, 'mutation replayed (idempotency key)');
  else ctx.log.info({ ...logged, events: outcome.events }, 'mutation committed');
  return outcome.ids;
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
