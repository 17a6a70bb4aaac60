import { badInput, hubError } from '@p2p/schema';
import { eq, sql } from 'drizzle-orm';
import { callerIfBound, officerCovers } from '../access/request-access.js';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { tripPassengers, trips, type TripRow } from '../db/schema/index.js';
import { tripEvent, type OutboxBatch } from '../outbox.js';
import { bodyTemperature, notBefore } from '../validation/measures.js';
import { requiredText, TEXT_LIMITS } from '../validation/text.js';
import { boardingRefusal } from './boarding-gate.js';
import { gateRecords } from './health-copies.js';
import { manifest } from './planning.js';
import { lockTrip, requireStatus } from './trip-state.js';
import { assertNoStopArrived } from './stops.js';
import { announceTrip } from './trip-news.js';

/** `BoardingInput` of the contract. */
export interface BoardingInput {
  workerId: string;
  temperature: number;
}

/** Writes the trip's new state and returns the updated row. */
async function saveTrip(
  tx: Tx,
  tripId: string,
  change: Partial<typeof trips.$inferInsert>,
): Promise<TripRow> {
  const [trip] = await tx
    .update(trips)
    .set({ ...change, updatedAt: sql`now()` })
    .where(eq(trips.id, tripId))
    .returning();
  return trip!;
}

/** The reason a trip is cancelled with when nobody passed its boarding gate. */
export const NOBODY_PASSED = 'nobody passed the boarding gate';

/**
 * The boarding gate (`boarding-gate.ts`): `boarded` lists the workers presented at the gate (each
 * on the manifest, once) with the temperature taken there. Each passenger on the manifest is
 * judged on his health record (this province's own workers: their record; others: the copy their
 * home province relayed, `health-copies.ts`) and the province's epidemic settings; those who pass
 * board, the others stay off with their refusal (stored with the temperature). The vehicle leaves
 * with those who boarded, who become TRAVELLING in their home province's record (`announceTrip`:
 * in this transaction for this province's own, through the relay for others), with each refusal
 * told to the refused one's home. Writes DEPARTED; when nobody passes, the trip is CANCELLED
 * ({@link NOBODY_PASSED}, the refusals kept) and CANCELLED is written instead.
 */
export async function departTrip(
  ctx: ProvinceContext,
  tx: Tx,
  tripId: string,
  boarded: readonly BoardingInput[],
  events: OutboxBatch,
): Promise<string[]> {
  if (boarded.length === 0)
    throw badInput('boarded: at least one worker must board; cancel the trip otherwise', 'boarded');
  const temperatures = boarded.map((b, i) => bodyTemperature(b.temperature, `boarded[${i}].temperature`));
  const ids = boarded.map((b) => b.workerId);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw badInput(`boarded: worker ${twice} is listed twice`, 'boarded');
  const trip = await lockTrip(ctx, tx, tripId);
  requireStatus(trip, ['PLANNED'], 'departing');
  const passengers = (await manifest(tx, tripId)).map((p) => p.workerId);
  const onManifest = new Set(passengers);
  const stranger = ids.findIndex((id) => !onManifest.has(id));
  if (stranger >= 0)
    throw badInput(
      `boarded[${stranger}].workerId: worker ${ids[stranger]} is not on the manifest of trip ${tripId}`,
      `boarded[${stranger}].workerId`,
    );
  const presented = new Map(ids.map((id, i) => [id, temperatures[i]!]));
  const records = await gateRecords(tx, ctx.province, passengers);
  const judged = passengers.map((workerId) => ({
    workerId,
    temperature: presented.get(workerId) ?? null,
    refusal: boardingRefusal(
      { temperature: presented.get(workerId), record: records.get(workerId) },
      trip.departureAt,
      ctx.epidemic,
    ),
  }));
  const caller = callerIfBound(ctx);
  if (judged.every((j) => j.refusal !== null) && caller && !officerCovers(caller, trip.organizer))
    // an officer of the origin records only his own workers' boarding: the trip stays the organiser's
    throw hubError(
      'CONFLICT',
      `departTrip: nobody passed the boarding gate of trip ${tripId}; only its organiser ${trip.organizer} may let it go (it would be cancelled), nothing was recorded`,
      { id: tripId },
    );
  await tx.execute(sql`
    UPDATE ${tripPassengers} SET boarded = v.refusal IS NULL, temperature = v.temperature, refusal = v.refusal
    FROM (SELECT unnest(${sql.param(judged.map((j) => j.workerId))}::text[]) AS worker_id,
      unnest(${sql.param(judged.map((j) => j.temperature))}::float8[]) AS temperature,
      unnest(${sql.param(judged.map((j) => j.refusal))}::text[]) AS refusal) AS v
    WHERE ${tripPassengers.tripId} = ${tripId} AND ${tripPassengers.workerId} = v.worker_id`);
  const aboard = judged.filter((j) => j.refusal === null).length;
  const refused = judged.length - aboard;
  if (aboard === 0) {
    const cancelled = await saveTrip(tx, tripId, { status: 'CANCELLED', cancelReason: NOBODY_PASSED });
    events.add(
      tripEvent('CANCELLED', cancelled, { reason: NOBODY_PASSED, previousStatus: trip.status, refused }),
    );
    await announceTrip(ctx, tx, events, cancelled, 'CANCELLED');
    return [tripId];
  }
  const departed = await saveTrip(tx, tripId, { status: 'DEPARTED' });
  events.add(tripEvent('DEPARTED', departed, { boarded: aboard, refused }));
  await announceTrip(ctx, tx, events, departed, 'DEPARTED');
  return [tripId];
}

/** A new expected arrival for a PLANNED or DEPARTED trip (not before departure). Writes ETA_CHANGED. */
export async function updateEta(
  ctx: ProvinceContext,
  tx: Tx,
  tripId: string,
  expectedArrivalAt: Date,
  events: OutboxBatch,
): Promise<string[]> {
  const trip = await lockTrip(ctx, tx, tripId);
  requireStatus(trip, ['PLANNED', 'DEPARTED'], 'changing the expected arrival');
  notBefore(
    expectedArrivalAt,
    trip.departureAt,
    'expectedArrivalAt',
    `the departure (${trip.departureAt.toISOString()})`,
  );
  const changed = await saveTrip(tx, tripId, { expectedArrivalAt });
  events.add(
    tripEvent('ETA_CHANGED', changed, { previousExpectedArrivalAt: trip.expectedArrivalAt.toISOString() }),
  );
  await announceTrip(ctx, tx, events, changed, 'ETA_CHANGED');
  return [tripId];
}

// Arrival, checks and hand-over are per stop: `stops.ts` (confirmStopArrival, handOverStop).

/**
 * Cancels a PLANNED or DEPARTED trip with a reason (not once one of its stops arrived: its
 * passengers there were met, `stops.ts`). Workers who boarded a departed trip and are
 * still TRAVELLING on it go back to AT_HOME in their home province's record (`announceTrip`).
 * Writes CANCELLED.
 */
export async function cancelTrip(
  ctx: ProvinceContext,
  tx: Tx,
  tripId: string,
  reason: string,
  events: OutboxBatch,
): Promise<string[]> {
  const cancelReason = requiredText(reason, 'reason', TEXT_LIMITS.reason);
  const trip = await lockTrip(ctx, tx, tripId);
  requireStatus(trip, ['PLANNED', 'DEPARTED'], 'cancelling');
  await assertNoStopArrived(tx, trip);
  const cancelled = await saveTrip(tx, tripId, { status: 'CANCELLED', cancelReason });
  events.add(tripEvent('CANCELLED', cancelled, { reason: cancelReason, previousStatus: trip.status }));
  await announceTrip(ctx, tx, events, cancelled, 'CANCELLED');
  return [tripId];
}
