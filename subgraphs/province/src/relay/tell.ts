import type { RelayFact } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import type { OutboxBatch } from '../outbox.js';

/**
 * Tells province `target` (six digits) a fact, from inside a mutation's (or a relayed fact's)
 * transaction: another province gets it as a RELAY outbox event that the relay delivers; this
 * province itself applies it in the same transaction, before the commit (`applyLocalFacts`), with
 * the same handlers: no relay hop for its own records.
 */
export function tellProvince(
  ctx: ProvinceContext,
  events: OutboxBatch,
  target: string,
  fact: RelayFact,
): void {
  if (target === ctx.province) {
    events.addLocalFact(fact);
    return;
  }
  events.add({
    kind: 'RELAY',
    origin: ctx.province,
    destination: target,
    target,
    payload: fact as unknown as Record<string, unknown>,
  });
}
