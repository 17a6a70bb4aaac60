import { badInput, decodeId, encodeId, hubError, notFound } from '@p2p/schema';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { assertMayAssign } from '../access/passenger-consent.js';
import { callerIfBound } from '../access/request-access.js';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { tripPassengers, trips, workers, type TransportMode } from '../db/schema/index.js';
import { tripEvent, type OutboxBatch } from '../outbox.js';
import { intInRange, notBefore } from '../validation/measures.js';
import { ownRegion } from '../validation/ownership.js';
import { requiredText, TEXT_LIMITS } from '../validation/text.js';
import { shuttleRuns, type TripRunInput } from './shuttles.js';
import { lockTrip, requireStatus } from './trip-state.js';
import { announceTrip } from './trip-news.js';
import {
  checkAssignments,
  plannedStops,
  writeStops,
  type CheckedAssignment,
  type PassengerAssignmentInput,
} from './stops.js';
import { stopRegionsOf } from './stop-records.js';

/** `PlanTripInput` of the contract. */
export interface PlanTripInput {
  /** The region whose officer organises the trip (default: the origin); its province owns it. */
  organizer?: string | null;
  mode: TransportMode;
  vehicleCode: string;
  origin: string;
  destination: string;
  /** Intermediate stops in order (`stops.ts`). */
  stops?: string[] | null;
  departureAt: Date;
  expectedArrivalAt: Date;
  capacity: number;
  /** Further runs of a shuttle (`shuttles.ts`). */
  runs?: TripRunInput[] | null;
}

/** Most seats of one vehicle (a special train carried about 1,500 workers). */
export const MAX_CAPACITY = 3_000;

/**
 * "One vehicle, one plan": plans a trip organised by a region of this province (`organizer`,
 * default the origin), from any origin to any destination (a receiving county may fetch its
 * workers from another province, report 004). The trip's id encodes this province. Writes PLANNED.
 * With `runs`, a shuttle: every run a trip of its own, in this transaction (`shuttles.ts`);
 * returns the first run.
 * @throws WRONG_PROVINCE when the organiser (the origin when none is given) lies in another province.
 */
export async function planTrip(
  ctx: ProvinceContext,
  tx: Tx,
  input: PlanTripInput,
  events: OutboxBatch,
): Promise<string[]> {
  const organizer =
    input.organizer == null
      ? ownRegion(input.origin, ctx.province, 'input.origin', 'origin (the organiser when none is given)')
      : ownRegion(input.organizer, ctx.province, 'input.organizer', 'organizer');
  const vehicleCode = requiredText(input.vehicleCode, 'input.vehicleCode', TEXT_LIMITS.vehicleCode);
  intInRange(input.capacity, 'input.capacity', 1, MAX_CAPACITY);
  notBefore(input.expectedArrivalAt, input.departureAt, 'input.expectedArrivalAt', 'input.departureAt');
  const runs = shuttleRuns(input);
  const stops = plannedStops(input);
  const ids = runs.map(() => encodeId('Trip', ctx.province));
  const planned = await tx
    .insert(trips)
    .values(
      runs.map((run, i) => ({
        id: ids[i]!,
        organizer,
        mode: input.mode,
        vehicleCode,
        origin: input.origin,
        destination: input.destination,
        departureAt: run.departureAt,
        expectedArrivalAt: run.expectedArrivalAt,
        capacity: input.capacity,
        shuttleId: runs.length > 1 ? ids[0]! : null,
      })),
    )
    .returning();
  await writeStops(tx, ids, stops);
  // Each run is news of its own, as if planned alone: its PLANNED event, the origin's copy.
  for (const id of ids) {
    const trip = planned.find((t) => t.id === id)!;
    events.add(tripEvent('PLANNED', trip));
    await announceTrip(ctx, tx, events, trip, 'PLANNED');
  }
  return [ids[0]!];
}

/** Checks a list of worker ids given to a manifest change; returns them without repeats. */
function manifestChange(workerIds: readonly string[]): string[] {
  if (workerIds.length === 0) throw badInput('workerIds: give at least one worker', 'workerIds');
  if (workerIds.length > MAX_CAPACITY)
    throw badInput(`workerIds: at most ${MAX_CAPACITY} workers per call`, 'workerIds');
  workerIds.forEach((id, i) => {
    decodeId(id, 'Worker', `workerIds[${i}]`);
  });
  return [...new Set(workerIds)];
}

/**
 * Takes a transaction-scoped advisory lock per worker (in one order, so two calls never deadlock):
 * two assignments of one worker run one after the other, and the second sees the first's trip
 * (#11.6). Workers of other provinces have no row here to lock, hence advisory locks.
 */
async function lockWorkers(tx: Tx, ids: readonly string[]): Promise<void> {
  await tx.execute(sql`
    SELECT pg_advisory_xact_lock(k) FROM (
      SELECT DISTINCT hashtextextended('assignPassengers:' || id, 0) AS k
      FROM unnest(${sql.param([...ids])}::text[]) AS id ORDER BY k) AS keys`);
}

/**
 * Adds workers (of any province) to a PLANNED trip's manifest: `workerIds`, and `assignments`,
 * each with the stop where he alights (one of the trip's stops; default the destination) and his
 * carriage (`stops.ts`, `checkAssignments`). Workers already on it are kept once (an assignment
 * sets his stop and carriage anew); capacity is never exceeded. A worker of this province must exist, must be one the caller
 * may assign (`access/passenger-consent.ts`: his home side, or his travel intent to the trip's
 * destination) and must not be on another PLANNED or DEPARTED trip (checked under a lock per
 * worker); workers of other provinces are taken as given.
 */
export async function assignPassengers(
  ctx: ProvinceContext,
  tx: Tx,
  tripId: string,
  workerIds: readonly string[],
  events: OutboxBatch,
  assignments: readonly PassengerAssignmentInput[] = [],
): Promise<string[]> {
  assignments.forEach((a, i) => {
    decodeId(a.workerId, 'Worker', `assignments[${i}].workerId`);
  });
  const ids = manifestChange([...workerIds, ...assignments.map((a) => a.workerId)]);
  const trip = await lockTrip(ctx, tx, tripId);
  requireStatus(trip, ['PLANNED'], 'assigning passengers');
  const seats = new Map<string, CheckedAssignment>(
    checkAssignments(workerIds, assignments, trip, await stopRegionsOf(tx, trip)).map((a) => [a.workerId, a]),
  );
  await lockWorkers(tx, ids);
  const local = ids.filter((id) => decodeId(id).province === ctx.province);
  if (local.length > 0) {
    const rows = await tx
      .select({
        id: workers.id,
        homeRegion: workers.homeRegion,
        intentDestination: workers.intentDestination,
        intentEarliestDate: workers.intentEarliestDate,
        intentLatestDate: workers.intentLatestDate,
      })
      .from(workers)
      .where(inArray(workers.id, local));
    const known = new Set(rows.map((w) => w.id));
    const missing = local.find((id) => !known.has(id));
    if (missing) throw notFound('Worker', missing);
    assertMayAssign(callerIfBound(ctx), trip, rows);
  }
  const onboard = await tx
    .select({ workerId: tripPassengers.workerId, tripId: tripPassengers.tripId })
    .from(tripPassengers)
    .innerJoin(trips, eq(trips.id, tripPassengers.tripId))
    .where(and(inArray(tripPassengers.workerId, ids), sql`${trips.status} IN ('PLANNED', 'DEPARTED')`));
  const elsewhere = onboard.find((p) => p.tripId !== tripId);
  if (elsewhere) {
    throw hubError(
      'CONFLICT',
      `worker ${elsewhere.workerId} is already on trip ${elsewhere.tripId}; remove him there or cancel that trip first`,
      { id: elsewhere.workerId },
    );
  }
  const already = new Set(onboard.map((p) => p.workerId));
  const added = ids.filter((id) => !already.has(id));
  const [{ n: assigned } = { n: 0 }] = await tx
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(tripPassengers)
    .where(eq(tripPassengers.tripId, tripId));
  if (assigned + added.length > trip.capacity) {
    throw badInput(
      `workerIds: trip ${tripId} has ${trip.capacity - assigned} free seat(s) of ${trip.capacity}; ${added.length} new worker(s) given`,
      'workerIds',
    );
  }
  const placed = assignments.filter((a) => already.has(a.workerId)).map((a) => seats.get(a.workerId)!);
  if (placed.length > 0)
    await tx.execute(sql`
      UPDATE ${tripPassengers} SET alight_at = v.alight_at, carriage = v.carriage
      FROM unnest(${sql.param(placed.map((a) => a.workerId))}::text[], ${sql.param(placed.map((a) => a.alightAt))}::text[],
        ${sql.param(placed.map((a) => a.carriage))}::text[]) AS v(worker_id, alight_at, carriage)
      WHERE ${tripPassengers.tripId} = ${tripId} AND ${tripPassengers.workerId} = v.worker_id`);
  if (added.length > 0) {
    await tx.insert(tripPassengers).values(
      added.map((workerId) => ({
        tripId,
        workerId,
        alightAt: seats.get(workerId)?.alightAt ?? null,
        carriage: seats.get(workerId)?.carriage ?? null,
      })),
    );
    await announceTrip(ctx, tx, events, trip, 'ASSIGNED', added);
  }
  return [tripId];
}

/**
 * Takes workers off the manifest of a PLANNED trip (a manifest is corrected before departure,
 * #13.5): their seats are free again and the statistics stop counting them. Every worker given
 * must be on the manifest. Announces REMOVED to the provinces concerned.
 * @throws BAD_USER_INPUT naming the first worker who is not on the manifest; CONFLICT once the trip left.
 */
export async function removePassengers(
  ctx: ProvinceContext,
  tx: Tx,
  tripId: string,
  workerIds: readonly string[],
  events: OutboxBatch,
): Promise<string[]> {
  const ids = manifestChange(workerIds);
  const trip = await lockTrip(ctx, tx, tripId);
  requireStatus(trip, ['PLANNED'], 'removing passengers');
  const onManifest = new Set((await manifest(tx, tripId)).map((p) => p.workerId));
  const stranger = workerIds.findIndex((id) => !onManifest.has(id));
  if (stranger >= 0)
    throw badInput(
      `workerIds[${stranger}]: worker ${workerIds[stranger]} is not on the manifest of trip ${tripId}`,
      `workerIds[${stranger}]`,
    );
  await tx
    .delete(tripPassengers)
    .where(and(eq(tripPassengers.tripId, tripId), inArray(tripPassengers.workerId, ids)));
  await announceTrip(ctx, tx, events, trip, 'REMOVED', ids);
  return [tripId];
}

/** The workers on a trip's manifest and whether each boarded. */
export function manifest(tx: Tx, tripId: string): Promise<{ workerId: string; boarded: boolean }[]> {
  return tx
    .select({ workerId: tripPassengers.workerId, boarded: tripPassengers.boarded })
    .from(tripPassengers)
    .where(eq(tripPassengers.tripId, tripId));
}
