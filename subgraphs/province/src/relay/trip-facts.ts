/**
 * What the home province does with a TRIP fact (`transport/tell-homes.ts`), from another
 * province through the relay or from itself in the same transaction: its record of the trip
 * (`worker_trips`) and the worker's own record follow the trip.
 * - ASSIGNED: his current trip is this one (status unchanged);
 * - REMOVED: off the manifest; his current trip is cleared if it is this one;
 * - DEPARTED: boarded workers TRAVELLING on it; those left behind are off it;
 * - HANDED_OVER: boarded workers AT_WORK at their stop (their `alightAt`, else the fact's `stop`,
 *   else the trip's destination), current trip cleared; a hand-over at one stop of a trip with
 *   several names only the workers alighting there (`transport/stops.ts`); one under OBSERVATION
 *   stays so, his work region recorded: released later, `workers/observation-facts.ts`;
 * - CANCELLED: those who boarded and are TRAVELLING on it go back AT_HOME, current trip cleared;
 * - ETA_CHANGED, ARRIVED: only the record of the trip.
 * A worker the boarding gate refused is named with his `refusal` (DEPARTED, or CANCELLED when
 * nobody passed): his record of the trip keeps it, with the trip's departure as its time
 * (`refusedBoardings`); a refusal that is no `BoardingRefusal` is not recorded.
 * A fact about a trip other than his current one never clears it. A worker this province does
 * not know is skipped (counted in the log). The statistics follow by themselves (statement
 * triggers on `workers`).
 *
 * A run of TRIP facts (a batch the relay delivers, or the one fact a province tells itself) takes
 * three statements whatever its length: the workers concerned are read and locked, each one's
 * record is moved by replaying the facts in order on it ({@link moveWorker}), then one upsert
 * writes their trips (the last fact about a worker and a trip wins, as one upsert per fact would)
 * and one update the records that moved; the triggers see the net change of the run.
 */
import type { TripFact } from '@p2p/schema';
import { tryDecodeId } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { workers, type WorkerStatus } from '../db/schema/index.js';
import { isOwnId } from '../validation/ownership.js';
import type { FactHandlerTable, FactRunHandler, OriginatedFact } from './fact-handler.js';

/** A worker's record as TRIP facts move it. */
export interface MovingRecord {
  status: WorkerStatus;
  workRegion: string | null;
  currentTripId: string | null;
  /** A fact wrote the record (its `updated_at` moves, as one UPDATE per fact would). */
  moved: boolean;
}

/**
 * What one TRIP fact does to the record of one worker it names (see the module comment);
 * `alightAt`: the stop where he alights, as the fact names it (absent: the destination).
 */
export function moveWorker(
  record: MovingRecord,
  fact: TripFact,
  boarded: boolean,
  alightAt?: string | null,
): void {
  const tripId = fact.trip.id;
  const leave = () => {
    if (record.currentTripId !== tripId) return;
    record.currentTripId = null;
    record.moved = true;
  };
  switch (fact.event) {
    case 'ASSIGNED':
      Object.assign(record, { currentTripId: tripId, moved: true });
      return;
    case 'REMOVED':
      leave();
      return;
    case 'DEPARTED':
      if (boarded) Object.assign(record, { status: 'TRAVELLING', currentTripId: tripId, moved: true });
      else leave();
      return;
    case 'HANDED_OVER':
      if (boarded)
        Object.assign(record, {
          // under observation at the receiving place: not AT_WORK until released (#14.4)
          status: record.status === 'OBSERVATION' ? 'OBSERVATION' : 'AT_WORK',
          workRegion: alightAt ?? fact.stop ?? fact.trip.destination,
          currentTripId: record.currentTripId === tripId ? null : record.currentTripId,
          moved: true,
        });
      else leave();
      return;
    case 'CANCELLED':
      if (
        boarded &&
        record.status === 'TRAVELLING' &&
        (record.currentTripId === null || record.currentTripId === tripId)
      )
        Object.assign(record, { status: 'AT_HOME', moved: true });
      leave();
      return;
    case 'ETA_CHANGED':
    case 'ARRIVED':
      return;
  }
}

/** The reasons of `BoardingRefusal`. */
const REFUSALS: ReadonlySet<string> = new Set(['FEVER', 'HEALTH_CODE', 'NO_HEALTH_RECORD', 'ABSENT']);

/** The row of `worker_trips` a fact writes for one worker. */
interface TripRecord {
  workerId: string;
  fact: TripFact;
  boarded: boolean;
  /** Where he alights (null: the destination). */
  alightAt: string | null;
  /** Why the boarding gate refused him (told with DEPARTED, or CANCELLED when nobody passed). */
  refusal?: string | null;
}

/** One upsert of this province's record of the trips, for every worker and trip of the run. */
async function recordTrips(tx: Tx, records: readonly TripRecord[]): Promise<void> {
  if (records.length === 0) return;
  const column = <T>(pick: (r: TripRecord) => T) => sql.param(records.map(pick));
  const removed = (r: TripRecord) => r.fact.event === 'REMOVED';
  await tx.execute(sql`
    INSERT INTO worker_trips AS t (worker_id, trip_id, origin, destination, mode, departure_at,
      expected_arrival_at, trip_status, on_manifest, boarded, alight_at, refusal, refused_at)
    SELECT * FROM unnest(${column((r) => r.workerId)}::text[], ${column((r) => r.fact.trip.id)}::text[],
      ${column((r) => r.fact.trip.origin)}::text[], ${column((r) => r.fact.trip.destination)}::text[],
      ${column((r) => r.fact.trip.mode)}::text[], ${column((r) => r.fact.trip.departureAt)}::timestamptz[],
      ${column((r) => r.fact.trip.expectedArrivalAt)}::timestamptz[], ${column((r) => r.fact.trip.status)}::text[],
      ${column((r) => !removed(r))}::boolean[], ${column((r) => !removed(r) && r.boarded)}::boolean[],
      ${column((r) => r.alightAt)}::text[],
      ${column((r) => r.refusal ?? null)}::text[], ${column((r) => (r.refusal ? r.fact.trip.departureAt : null))}::timestamptz[])
    ON CONFLICT (worker_id, trip_id) DO UPDATE SET
      origin = excluded.origin, destination = excluded.destination, mode = excluded.mode,
      departure_at = excluded.departure_at, expected_arrival_at = excluded.expected_arrival_at,
      trip_status = excluded.trip_status, on_manifest = excluded.on_manifest, boarded = excluded.boarded,
      alight_at = excluded.alight_at,
      refusal = coalesce(excluded.refusal, t.refusal), refused_at = coalesce(excluded.refused_at, t.refused_at),
      updated_at = now()`);
}

/** One update of the records that moved. */
async function saveRecords(tx: Tx, records: ReadonlyMap<string, MovingRecord>): Promise<void> {
  const moved = [...records].filter(([, r]) => r.moved);
  if (moved.length === 0) return;
  const column = <T>(pick: (entry: [string, MovingRecord]) => T) => sql.param(moved.map(pick));
  await tx.execute(sql`
    UPDATE ${workers} AS w SET status = v.status, work_region = v.work_region,
      current_trip_id = v.current_trip_id, updated_at = now()
    FROM unnest(${column(([id]) => id)}::text[], ${column(([, r]) => r.status)}::text[],
      ${column(([, r]) => r.workRegion)}::text[], ${column(([, r]) => r.currentTripId)}::text[])
      AS v(id, status, work_region, current_trip_id)
    WHERE w.id = v.id`);
}

/** The home side's handler of TRIP facts, a run at a time (see the module comment). */
export const applyTripFacts: FactRunHandler<TripFact> = {
  async run(ctx: ProvinceContext, tx: Tx, facts: readonly OriginatedFact<TripFact>[]) {
    const told = facts.filter(({ fact, origin }) => {
      if (tryDecodeId(fact.trip.id)?.province === origin.source) return true;
      ctx.log.warn(
        { source: origin.source, seq: origin.seq, trip: fact.trip.id },
        'TRIP fact about a trip its source does not organise: skipped',
      );
      return false;
    });
    const ownIds = [
      ...new Set(
        told.flatMap(({ fact }) =>
          fact.workers.filter((w) => isOwnId(w.id, 'Worker', ctx.province)).map((w) => w.id),
        ),
      ),
    ].sort();
    const found =
      ownIds.length === 0
        ? []
        : await tx
            .select({
              id: workers.id,
              status: workers.status,
              workRegion: workers.workRegion,
              currentTripId: workers.currentTripId,
            })
            .from(workers)
            .where(sql`${workers.id} = ANY(${sql.param(ownIds)}::text[])`)
            .orderBy(workers.id)
            .for('update');
    const records = new Map<string, MovingRecord>(found.map(({ id, ...r }) => [id, { ...r, moved: false }]));
    const trips = new Map<string, TripRecord>();
    for (const { fact, origin } of told) {
      const known = fact.workers.filter((w) => records.has(w.id));
      const unknown = fact.workers.length - known.length;
      if (unknown > 0)
        ctx.log.info(
          { source: origin.source, seq: origin.seq, event: fact.event, unknown },
          'TRIP fact names workers this province does not know: skipped',
        );
      for (const w of known) {
        const alightAt = w.alightAt ?? null;
        trips.set(`${w.id} ${fact.trip.id}`, {
          workerId: w.id,
          fact,
          boarded: w.boarded,
          alightAt,
          refusal: w.refusal && REFUSALS.has(w.refusal) ? w.refusal : null,
        });
        moveWorker(records.get(w.id)!, fact, w.boarded, alightAt);
      }
    }
    await recordTrips(tx, [...trips.values()]);
    await saveRecords(tx, records);
  },
};

/** Handlers of trip facts. */
export const TRIP_FACT_HANDLERS: FactHandlerTable = { TRIP: [applyTripFacts] };
