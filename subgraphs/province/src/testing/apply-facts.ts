/**
 * A hand-carried relay for tests of the facts' handlers: reads the facts a province told another
 * (its RELAY outbox events for one target) and applies facts to a province in one transaction
 * through `applyFacts`, as the relay's inbox does, without the relay.
 */
import { DEV_WORKER_ID_KEY, type RelayedEvent, type RelayFact } from '@p2p/schema';
import { and, asc, eq, gt } from 'drizzle-orm';
import { createContext } from '../context.js';
import { outbox } from '../db/schema/index.js';
import type { ProvinceService } from '../index.js';
import { OutboxBatch } from '../outbox.js';
import { applyFacts } from '../relay/apply-fact.js';
import type { FactOrigin } from '../relay/fact-handler.js';
import { silentLog } from './silent-log.js';

/** The facts `source` told province `target` after seq `after`, in order. */
export async function factsToldTo(
  source: ProvinceService,
  target: string,
  after = 0,
): Promise<RelayedEvent[]> {
  const rows = await source.db.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.kind, 'RELAY'), eq(outbox.target, target), gt(outbox.seq, after)))
    .orderBy(asc(outbox.seq));
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at.toISOString(),
    fact: r.payload as unknown as RelayFact,
  }));
}

/**
 * Applies `facts` from province `source` to `target` in ONE transaction (the handlers' own events
 * and facts included), as the inbox would; `seq`/`at` default to 0 and now.
 */
export async function applyFactsTo(
  target: ProvinceService,
  source: string,
  facts: readonly (RelayFact | RelayedEvent)[],
): Promise<void> {
  const ctx = createContext({
    province: target.province,
    db: target.db.db,
    workerIdKey: DEV_WORKER_ID_KEY,
    log: silentLog,
  });
  await ctx.db.transaction(async (tx) => {
    const events = new OutboxBatch();
    await applyFacts(
      ctx,
      tx,
      facts.map((item) => {
        const relayed = 'fact' in item && typeof item.fact === 'object' ? (item as RelayedEvent) : undefined;
        const origin: FactOrigin = relayed
          ? { source, seq: relayed.seq, at: new Date(relayed.at) }
          : { source, seq: 0, at: new Date() };
        return { fact: relayed ? relayed.fact : (item as RelayFact), origin };
      }),
      events,
    );
    await events.flush(tx);
  });
}
