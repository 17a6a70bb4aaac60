/**
 * Applies facts: one list of handlers per fact kind, run in order. The handlers of trips and of
 * return requests live beside their subject; this file only puts them together. A batch the relay
 * delivers goes through in runs of consecutive facts of one kind: a run handler
 * (`FactRunHandler`) takes the whole run at once (a few statements for hundreds of facts), a
 * per-fact handler each fact in turn.
 */
import { findRegion, provinceOf, tryDecodeId, type RelayFact } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import type { OutboxBatch } from '../outbox.js';
import type {
  FactHandler,
  FactHandlerEntry,
  FactHandlerTable,
  FactOrigin,
  OriginatedFact,
} from './fact-handler.js';
import { DEPARTURE_FACT_HANDLERS } from './departure-events.js';
import { OBSERVATION_PLACE_FACT_HANDLERS } from '../health/observation-facts.js';
import { OBSERVATION_HOME_FACT_HANDLERS } from '../workers/observation-facts.js';
import { REQUEST_FACT_HANDLERS } from './return-request-facts.js';
import { TRIP_COPY_FACT_HANDLERS } from './trip-copy-facts.js';
import { TRIP_FACT_HANDLERS } from './trip-facts.js';
import { HEALTH_COPY_FACT_HANDLERS } from '../transport/health-copies.js';
import { HEALTH_COPY_SENDERS } from '../workers/health-copy-sender.js';
import { JOB_POST_FACT_HANDLERS } from '../workers/job-matching.js';

const TABLES: readonly FactHandlerTable[] = [
  TRIP_FACT_HANDLERS,
  DEPARTURE_FACT_HANDLERS,
  TRIP_COPY_FACT_HANDLERS,
  REQUEST_FACT_HANDLERS,
  OBSERVATION_PLACE_FACT_HANDLERS,
  OBSERVATION_HOME_FACT_HANDLERS,
  HEALTH_COPY_SENDERS,
  HEALTH_COPY_FACT_HANDLERS,
  JOB_POST_FACT_HANDLERS,
];

/** True when this province has a handler for facts of `kind`. */
export function canApply(kind: string): boolean {
  return TABLES.some((t) => (t[kind as keyof FactHandlerTable]?.length ?? 0) > 0);
}

/**
 * The record a fact speaks about, when its id names the province that alone may tell it: a trip
 * (its organiser), a return request or an enterprise (the enterprise's province), a worker's
 * health record or his answer about an observation (his home), a fever at an arrival check (the
 * trip's organiser), an observation (the province where it happens). An answer about a request
 * comes from the worker's home, which the handler checks against the stored request.
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
    case 'HEALTH_COPY':
    case 'OBSERVATION_HOME':
      return fact.workerId;
    case 'ARRIVAL_FEVER':
      return fact.tripId;
    case 'OBSERVATION':
      return fact.observation.id;
    case 'JOB_POST':
      return fact.job.id;
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
  // Stops (#14): every stop a real region, and a TRIP fact's stop and workers' alightAt among them
  // (a worker's stop becomes his work region at hand-over).
  const stops = fact.trip.stops ?? [];
  const stopped = new Set([...stops, destination]);
  const atStop = (code: unknown) => code == null || (typeof code === 'string' && stopped.has(code));
  const stopsHold =
    Array.isArray(stops) &&
    stops.every(real) &&
    (fact.fact !== 'TRIP' || (atStop(fact.stop) && fact.workers.every((w) => atStop(w.alightAt))));
  return (
    real(organizer) && provinceOf(organizer) === source && real(origin) && real(destination) && stopsHold
  );
}

/**
 * Whether the fact may be applied: its source owns its subject and, for a trip, its places hold.
 * A fact about a record the source does not own (a trip organised elsewhere, another province's
 * request or enterprise) or naming a place that is no region is left, logged without personal
 * data, so a province can only tell what is its own.
 */
function fromSubjectOwner(ctx: ProvinceContext, { fact, origin }: OriginatedFact): boolean {
  const subject = subjectId(fact);
  const owner = subject === undefined ? undefined : tryDecodeId(subject)?.province;
  if (subject !== undefined && owner !== origin.source) {
    ctx.log.warn(
      { fact: fact.fact, source: origin.source, seq: origin.seq, owner: owner ?? null },
      'relayed fact left: its source does not own its subject',
    );
    return false;
  }
  if (!placesHold(fact, origin.source)) {
    ctx.log.warn(
      { fact: fact.fact, source: origin.source, seq: origin.seq },
      'relayed fact left: its trip names a place that is no region, or an organiser outside its source',
    );
    return false;
  }
  return true;
}

/** The handlers of a kind, in order. @throws Error for a kind without any (a newer source). */
function handlersOf(kind: RelayFact['fact']): FactHandlerEntry[] {
  const handlers = TABLES.flatMap((t) => (t[kind] ?? []) as FactHandlerEntry[]);
  if (handlers.length === 0) throw new Error(`no handler for relayed fact ${JSON.stringify(kind)}`);
  return handlers;
}

/** Runs every handler of the kind over a run of facts of that kind (see the module comment). */
async function applyRun(
  ctx: ProvinceContext,
  tx: Tx,
  run: readonly OriginatedFact[],
  events: OutboxBatch,
): Promise<void> {
  for (const handler of handlersOf(run[0]!.fact.fact)) {
    if (typeof handler === 'function') {
      for (const { fact, origin } of run) await (handler as FactHandler)(ctx, tx, fact, origin, events);
    } else await handler.run(ctx, tx, run, events);
  }
}

/**
 * Runs every handler of the fact's kind, in order. A fact about a record the source does not own
 * is left (see {@link fromSubjectOwner}). An unknown kind is refused (a newer source).
 */
export async function applyFact(
  ctx: ProvinceContext,
  tx: Tx,
  fact: RelayFact,
  origin: FactOrigin,
  events: OutboxBatch,
): Promise<void> {
  if (fromSubjectOwner(ctx, { fact, origin })) await applyRun(ctx, tx, [{ fact, origin }], events);
}

/**
 * Applies facts in order, as the relay's inbox delivers them: in runs of consecutive facts of one
 * kind (see the module comment), each run followed by the facts its handlers told this province
 * itself (`applyLocalFacts`). The same effect as {@link applyFact} on each in turn.
 */
export async function applyFacts(
  ctx: ProvinceContext,
  tx: Tx,
  facts: readonly OriginatedFact[],
  events: OutboxBatch,
): Promise<void> {
  const kept = facts.filter((f) => fromSubjectOwner(ctx, f));
  for (let start = 0; start < kept.length; ) {
    let end = start + 1;
    while (end < kept.length && kept[end]!.fact.fact === kept[start]!.fact.fact) end++;
    await applyRun(ctx, tx, kept.slice(start, end), events);
    await applyLocalFacts(ctx, tx, events);
    start = end;
  }
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
