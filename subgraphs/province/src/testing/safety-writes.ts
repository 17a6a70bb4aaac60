/**
 * Direct SQL writes of the records the statistics of safety count — refusals at the boarding
 * gate, arrival fevers, stops, observations, the OBSERVATION status — for the counter tests. They
 * stand for the gate, the arrival checks and the observation mutations (written elsewhere): the
 * counters are statement triggers, so they must follow whatever path writes the rows.
 */
import { encodeId, type BoardingRefusalReason } from '@p2p/schema';
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/database.js';
import {
  observations,
  tripPassengers,
  workers,
  type ObservationOutcome,
  type WorkerStatus,
} from '../db/schema/index.js';

/** Sets (or clears, with null) the boarding refusal of passengers of a trip; a refused one is not aboard. */
export async function setRefusals(
  db: Executor,
  tripId: string,
  workerIds: readonly string[],
  refusal: BoardingRefusalReason | null,
): Promise<void> {
  if (workerIds.length === 0) return;
  await db
    .update(tripPassengers)
    .set(refusal ? { refusal, boarded: false } : { refusal: null })
    .where(and(eq(tripPassengers.tripId, tripId), inArray(tripPassengers.workerId, [...workerIds])));
}

/** Records the arrival check of passengers: a temperature, a fever or not. */
export async function setArrivalChecks(
  db: Executor,
  tripId: string,
  workerIds: readonly string[],
  fever: boolean,
): Promise<void> {
  if (workerIds.length === 0) return;
  await db
    .update(tripPassengers)
    .set({ arrivalTemperature: fever ? 38.2 : 36.6, arrivalFever: fever })
    .where(and(eq(tripPassengers.tripId, tripId), inArray(tripPassengers.workerId, [...workerIds])));
}

/** Sets the stop where passengers alight (null: the destination). */
export async function setAlightAt(
  db: Executor,
  tripId: string,
  workerIds: readonly string[],
  stop: string | null,
): Promise<void> {
  if (workerIds.length === 0) return;
  await db
    .update(tripPassengers)
    .set({ alightAt: stop })
    .where(and(eq(tripPassengers.tripId, tripId), inArray(tripPassengers.workerId, [...workerIds])));
}

/** What {@link startObservations} needs of one observation. */
export interface ObservationWrite {
  workerId: string;
  region: string;
  /** @default now */
  startedAt?: Date;
  tripId?: string | null;
}

/**
 * Inserts observations (active) in one statement, in the province of `province`.
 * @returns their ids, in input order.
 */
export async function startObservations(
  db: Executor,
  province: string,
  writes: readonly ObservationWrite[],
): Promise<string[]> {
  if (writes.length === 0) return [];
  const rows = writes.map((w) => ({
    id: encodeId('Observation', province),
    workerId: w.workerId,
    region: w.region,
    kind: 'CENTRALISED' as const,
    site: '隔离酒店',
    reason: w.tripId ? ('FEVER_AT_ARRIVAL' as const) : ('ORDERED' as const),
    tripId: w.tripId ?? null,
    startedAt: w.startedAt ?? new Date(),
    days: 14,
  }));
  await db.insert(observations).values(rows);
  return rows.map((r) => r.id);
}

/** Ends observations with `outcome` in one statement. */
export async function endObservations(
  db: Executor,
  ids: readonly string[],
  outcome: ObservationOutcome,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(observations)
    .set({ endedAt: new Date(), outcome, updatedAt: new Date() })
    .where(inArray(observations.id, [...ids]));
}

/** Sets the status of workers in one statement (e.g. OBSERVATION, as the relay's home side does). */
export async function setWorkerStatus(
  db: Executor,
  workerIds: readonly string[],
  status: WorkerStatus,
): Promise<void> {
  if (workerIds.length === 0) return;
  await db
    .update(workers)
    .set({ status, updatedAt: new Date() })
    .where(inArray(workers.id, [...workerIds]));
}
