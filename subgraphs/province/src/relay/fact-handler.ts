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

/** A fact with where it came from. */
export interface OriginatedFact<F extends RelayFact = RelayFact> {
  fact: F;
  origin: FactOrigin;
}

/** Applies one fact inside the consumer's transaction; may queue this province's own events and facts. */
export type FactHandler<F extends RelayFact = RelayFact> = (
  ctx: ProvinceContext,
  tx: Tx,
  fact: F,
  origin: FactOrigin,
  events: OutboxBatch,
) => Promise<void>;

/**
 * Applies a run of consecutive facts of one kind (in seq order) with a few set-based statements,
 * with exactly the effect of applying them one by one in that order. A run handler must commute
 * with the kind's other handlers from one fact to the next (they touch other records), since the
 * run goes through each handler in turn rather than each fact through every handler.
 */
export interface FactRunHandler<F extends RelayFact = RelayFact> {
  run(ctx: ProvinceContext, tx: Tx, facts: readonly OriginatedFact<F>[], events: OutboxBatch): Promise<void>;
}

/** A handler of one fact at a time, or of a run of facts. */
export type FactHandlerEntry<F extends RelayFact = RelayFact> = FactHandler<F> | FactRunHandler<F>;

/** Handlers per fact kind (each module lists the kinds it handles). */
export type FactHandlerTable = {
  [K in RelayFactKind]?: FactHandlerEntry<Extract<RelayFact, { fact: K }>>[];
};
