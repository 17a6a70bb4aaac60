/**
 * Applies facts: one list of handlers per fact kind, run in order. The handlers of trips and of
 * return requests live beside their subject; this file only puts them together.
 */
import { findRegion, provinceOf, tryDecodeId, type RelayFact } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import type { OutboxBatch } from '../outbox.js';
import type { FactHandler, FactHandlerTable, FactOrigin } from './fact-handler.js';
import { DEPARTURE_FACT_HANDLERS } from './departure-events.js';
import { REQUEST_FACT_HANDLERS } from './return-request-facts.js';
import { TRIP_COPY_FACT_HANDLERS } from './trip-copy-facts.js';
import { TRIP_FACT_HANDLERS } from './trip-facts.js';

const TABLES: readonly FactHandlerTable[] = [
  TRIP_FACT_HANDLERS,
  DEPARTURE_FACT_HANDLERS,
  TRIP_COPY_FACT_HANDLERS,
  REQUEST_FACT_HANDLERS,
];

/** True when this province has a handler for facts of `kind`. */
export function canApply(kind: string): boolean {
  return TABLES.some((t) => (t[kind as keyof FactHandlerTable]?.length ?? 0) > 0);
}

/**
 * The record a fact speaks about, when its id names the province that alone may tell it: a trip
 * (its organiser), a return request or an enterprise (the enterprise's province). An answer about
 * a request comes from the worker's home, which the handler checks against the stored request.
 */
function subjectId(fact: RelayFact): string | undefined {
  switch (fact.fact) {
    case 'TRIP':
    case 'TRIP_COPY':
      return fact.trip.id;
    case 'RETURN_REQUEST':
      return fact.request.id;
    case 'STAFF':
      return fact.enterpriseId;
    case 'RETURN_REQUEST_ANSWER':
      return undefined;
  }
}

/**
 * True when a trip fact's places are real regions and its organiser lies in its source (the
 * organiser's province owns the trip): a destination that is no region would become a worker's
 * work region and a key of the counters.
 */
function placesHold(fact: RelayFact, source: string): boolean {
  if (fact.fact !== 'TRIP' && fact.fact !== 'TRIP_COPY') return true;
  const { organizer, origin, destination } = fact.trip;
  const real = (code: unknown) => typeof code === 'string' && findRegion(code) !== undefined;
  return real(organizer) && provinceOf(organizer) === source && real(origin) && real(destination);
}

/**
 * Runs every handler of the fact's kind, in order. A fact about a record the source does not own
 * (a trip organised elsewhere, another province's request or enterprise), or about a trip whose
 * places are no regions, is left, logged without personal data, so a province can only tell what
 * is its own. An unknown kind is refused (a newer
 * source).
 */
export async function applyFact(
  ctx: ProvinceContext,
  tx: Tx,
  fact: RelayFact,
  origin: FactOrigin,
  events: OutboxBatch,
): Promise<void> {
  const subject = subjectId(fact);
  const owner = subject === undefined ? undefined : tryDecodeId(subject)?.province;
  if (subject !== undefined && owner !== origin.source) {
    ctx.log.warn(
      { fact: fact.fact, source: origin.source, seq: origin.seq, owner: owner ?? null },
      'relayed fact left: its source does not own its subject',
    );
    return;
  }
  if (!placesHold(fact, origin.source)) {
    ctx.log.warn(
      { fact: fact.fact, source: origin.source, seq: origin.seq },
      'relayed fact left: its trip names a place that is no region, or an organiser outside its source',
    );
    return;
  }
  const handlers = TABLES.flatMap((t) => (t[fact.fact] ?? []) as FactHandler[]);
  if (handlers.length === 0) throw new Error(`no handler for relayed fact ${JSON.stringify(fact.fact)}`);
  for (const handle of handlers) await handle(ctx, tx, fact, origin, events);
}

/**
 * Applies, in the same transaction, the facts this province told itself (`tellProvince` with its
 * own code), including those their handlers tell in turn. Called by the mutation runner and the
 * inbox before the outbox is flushed.
 */
export async function applyLocalFacts(ctx: ProvinceContext, tx: Tx, events: OutboxBatch): Promise<void> {
  for (let fact = events.takeLocalFact(); fact; fact = events.takeLocalFact())
    await applyFact(ctx, tx, fact, { source: ctx.province, seq: 0, at: new Date() }, events);
}
