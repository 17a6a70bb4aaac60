/**
 * What the home province does with a TRIP fact (`transport/tell-homes.ts`), from another
 * province through the relay or from itself in the same transaction: its record of the trip
 * (`worker_trips`) and the worker's own record follow the trip.
 * - ASSIGNED: his current trip is this one (status unchanged);
 * - REMOVED: off the manifest; his current trip is cleared if it is this one;
 * - DEPARTED: boarded workers TRAVELLING on it; those left behind are off it;
 * - HANDED_OVER: boarded workers AT_WORK at the trip's destination, current trip cleared;
 * - CANCELLED: those who boarded and are TRAVELLING on it go back AT_HOME, current trip cleared;
 * - ETA_CHANGED, ARRIVED: only the record of the trip.
 * A fact about a trip other than his current one never clears it. A worker this province does
 * not know is skipped (counted in the log). The statistics follow by themselves (statement
 * triggers on `workers`).
 */
import type { TripFact } from '@p2p/schema';
import { tryDecodeId } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { workers, workerTrips } from '../db/schema/index.js';
import { isOwnId } from '../validation/ownership.js';
import type { FactHandler, FactHandlerTable } from './fact-handler.js';

const ids = (list: readonly string[]) => sql`${workers.id} = ANY(${sql.param([...list])}::text[])`;

/** Upserts this province's record of the trip for each worker of the fact. */
async function recordTrip(tx: Tx, fact: TripFact, known: TripFact['workers']): Promise<void> {
  const removed = fact.event === 'REMOVED';
  await tx
    .insert(workerTrips)
    .values(
      known.map((w) => ({
        workerId: w.id,
        tripId: fact.trip.id,
        origin: fact.trip.origin,
        destination: fact.trip.destination,
        mode: fact.trip.mode,
        departureAt: new Date(fact.trip.departureAt),
        expectedArrivalAt: new Date(fact.trip.expectedArrivalAt),
        tripStatus: fact.trip.status,
        onManifest: !removed,
        boarded: !removed && w.boarded,
      })),
    )
    .onConflictDoUpdate({
      target: [workerTrips.workerId, workerTrips.tripId],
      set: {
        origin: sql`excluded.origin`,
        destination: sql`excluded.destination`,
        mode: sql`excluded.mode`,
        departureAt: sql`excluded.departure_at`,
        expectedArrivalAt: sql`excluded.expected_arrival_at`,
        tripStatus: sql`excluded.trip_status`,
        onManifest: sql`excluded.on_manifest`,
        boarded: sql`excluded.boarded`,
        updatedAt: sql`now()`,
      },
    });
}

/** Clears the current trip of `list` where it is `tripId` (a fact about another trip never does). */
async function leaveTrip(tx: Tx, list: readonly string[], tripId: string): Promise<void> {
  if (list.length === 0) return;
  await tx
    .update(workers)
    .set({ currentTripId: null, updatedAt: sql`now()` })
    .where(sql`${ids(list)} AND ${workers.currentTripId} = ${tripId}`);
}

/** Moves the workers of this province named in the fact, as the module comment says. */
async function moveWorkers(tx: Tx, fact: TripFact, known: TripFact['workers']): Promise<void> {
  const trip = fact.trip;
  const all = known.map((w) => w.id);
  const boarded = known.filter((w) => w.boarded).map((w) => w.id);
  const others = known.filter((w) => !w.boarded).map((w) => w.id);
  switch (fact.event) {
    case 'ASSIGNED':
      await tx.update(workers).set({ currentTripId: trip.id, updatedAt: sql`now()` }).where(ids(all));
      return;
    case 'REMOVED':
      await leaveTrip(tx, all, trip.id);
      return;
    case 'DEPARTED':
      if (boarded.length > 0)
        await tx
          .update(workers)
          .set({ status: 'TRAVELLING', currentTripId: trip.id, updatedAt: sql`now()` })
          .where(ids(boarded));
      await leaveTrip(tx, others, trip.id);
      return;
    case 'HANDED_OVER':
      if (boarded.length > 0)
        await tx
          .update(workers)
          .set({
            status: 'AT_WORK',
            workRegion: trip.destination,
            currentTripId: sql`CASE WHEN ${workers.currentTripId} = ${trip.id} THEN NULL ELSE ${workers.currentTripId} END`,
            updatedAt: sql`now()`,
          })
          .where(ids(boarded));
      await leaveTrip(tx, others, trip.id);
      return;
    case 'CANCELLED':
      if (boarded.length > 0)
        await tx
          .update(workers)
          .set({ status: 'AT_HOME', updatedAt: sql`now()` })
          .where(
            sql`${ids(boarded)} AND ${workers.status} = 'TRAVELLING' AND (${workers.currentTripId} IS NULL OR ${workers.currentTripId} = ${trip.id})`,
          );
      await leaveTrip(tx, all, trip.id);
      return;
    case 'ETA_CHANGED':
    case 'ARRIVED':
      return;
  }
}

/** The home side's handler of TRIP facts. */
export const applyTripFact: FactHandler<TripFact> = async (ctx: ProvinceContext, tx, fact, origin) => {
  if (tryDecodeId(fact.trip.id)?.province !== origin.source) {
    ctx.log.warn(
      { source: origin.source, seq: origin.seq, trip: fact.trip.id },
      'TRIP fact about a trip its source does not organise: skipped',
    );
    return;
  }
  // One entry per worker (the last one given): a fact naming him twice must not fail the batch.
  const own = [...new Map(fact.workers.map((w) => [w.id, w])).values()].filter((w) =>
    isOwnId(w.id, 'Worker', ctx.province),
  );
  const found =
    own.length === 0
      ? []
      : await tx
          .select({ id: workers.id })
          .from(workers)
          .where(ids(own.map((w) => w.id)));
  const knownIds = new Set(found.map((r) => r.id));
  const known = own.filter((w) => knownIds.has(w.id));
  const unknown = fact.workers.length - known.length;
  if (unknown > 0)
    ctx.log.info(
      { source: origin.source, seq: origin.seq, event: fact.event, unknown },
      'TRIP fact names workers this province does not know: skipped',
    );
  if (known.length === 0) return;
  await recordTrip(tx, fact, known);
  await moveWorkers(tx, fact, known);
};

/** Handlers of trip facts. */
export const TRIP_FACT_HANDLERS: FactHandlerTable = { TRIP: [applyTripFact] };
