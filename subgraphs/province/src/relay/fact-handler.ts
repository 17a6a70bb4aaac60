/**
 * The shape of what a province does with each fact the relay brings it (the consumer side of the
 * relay): handlers run inside the transaction that also moves the inbox position (`inbox.ts`),
 * so a fact takes effect exactly once.
 */
import type { RelayFact, RelayFactKind } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import type { OutboxBatch } from '../outbox.js';

/** Where a fact came from. */
export interface FactOrigin {
  /** The source province (six digits); this province itself when applied at once (see `tell.ts`). */
  source: string;
  /** The source's outbox seq; 0 when applied at once. */
  seq: number;
  /** The source's commit time. */
  at: Date;
}

/** Applies one fact inside the consumer's transaction; may queue this province's own events and facts. */
export type FactHandler<F extends RelayFact = RelayFact> = (
  ctx: ProvinceContext,
  tx: Tx,
  fact: F,
  origin: FactOrigin,
  events: OutboxBatch,
) => Promise<void>;

/** Handlers per fact kind (each module lists the kinds it handles). */
export type FactHandlerTable = { [K in RelayFactKind]?: FactHandler<Extract<RelayFact, { fact: K }>>[] };
