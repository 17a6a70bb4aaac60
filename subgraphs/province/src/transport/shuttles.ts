/**
 * Shuttles (#15; report 004, Hebei: "154 runs, 6,864 person-trips"): `planTrip(input.runs)` plans
 * further runs of the same vehicle on the same route and stops; every run is a trip of its own
 * (own id, manifest, status, counters) and carries the first run's id in `trips.shuttle_id`
 * (migration 0012). `Trip.runs` lists them by departure.
 */
import { badInput } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { loaderFor, type ProvinceContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { tripCopies, trips, type TripCopyRow, type TripRow } from '../db/schema/index.js';
import { notBefore } from '../validation/measures.js';
import { isTripCopy, type ServedTrip } from './trip-copies.js';

/** Most further runs one `planTrip` plans (with the first: 61 trips, two months of daily runs). */
export const MAX_FURTHER_RUNS = 60;

/** `TripRunInput` of the contract. */
export interface TripRunInput {
  departureAt: Date;
  expectedArrivalAt: Date;
}

/** The times of one run. */
export type RunTimes = TripRunInput;

/**
 * Every run `planTrip` plans, the first (the input's own times) first: at most
 * {@link MAX_FURTHER_RUNS} further runs, each departing later than the one before and expected
 * no earlier than it departs.
 * @throws BAD_USER_INPUT naming the field (`input.runs`, `input.runs[i].departureAt`, …).
 */
export function shuttleRuns(input: RunTimes & { runs?: readonly TripRunInput[] | null }): RunTimes[] {
  const further = input.runs ?? [];
  if (further.length > MAX_FURTHER_RUNS)
    throw badInput(
      `input.runs: at most ${MAX_FURTHER_RUNS} further runs (${further.length} given); plan the rest as another shuttle`,
      'input.runs',
    );
  const runs: RunTimes[] = [{ departureAt: input.departureAt, expectedArrivalAt: input.expectedArrivalAt }];
  further.forEach((run, i) => {
    const field = `input.runs[${i}]`;
    const before = i === 0 ? 'input.departureAt (the first run)' : `input.runs[${i - 1}].departureAt`;
    if (run.departureAt.getTime() <= runs[i]!.departureAt.getTime())
      throw badInput(
        `${field}.departureAt: ${run.departureAt.toISOString()} must be later than ${before}, ${runs[i]!.departureAt.toISOString()}`,
        `${field}.departureAt`,
      );
    notBefore(run.expectedArrivalAt, run.departureAt, `${field}.expectedArrivalAt`, `${field}.departureAt`);
    runs.push({ departureAt: run.departureAt, expectedArrivalAt: run.expectedArrivalAt });
  });
  return runs;
}

/** The runs of shuttles (by first run's id) in ONE statement, each by departure, then id. */
async function findShuttleRuns(db: Executor, shuttleIds: readonly string[]): Promise<TripRow[][]> {
  const rows = await db
    .select()
    .from(trips)
    .where(sql`${trips.shuttleId} = ANY(${sql.param([...shuttleIds])}::text[])`)
    .orderBy(trips.shuttleId, trips.departureAt, trips.id);
  const byShuttle = new Map<string, TripRow[]>();
  for (const row of rows) byShuttle.set(row.shuttleId!, [...(byShuttle.get(row.shuttleId!) ?? []), row]);
  return shuttleIds.map((id) => byShuttle.get(id) ?? []);
}

/**
 * What the runs of one shuttle share in their relayed copies (which do not carry the shuttle):
 * organiser, vehicle, route and the instant they were planned (one transaction: one `plannedAt`).
 */
type CopyShuttleKey = [
  organizer: string,
  mode: string,
  vehicleCode: string,
  origin: string,
  destination: string,
  plannedAtMs: number,
];

const copyShuttleKey = (t: TripCopyRow): string =>
  JSON.stringify([
    t.organizer,
    t.mode,
    t.vehicleCode,
    t.origin,
    t.destination,
    t.plannedAt.getTime(),
  ] satisfies CopyShuttleKey);

/** The relayed copies of each shuttle key (the runs as relayed so far), by departure: ONE statement. */
async function findCopyRuns(db: Executor, keys: readonly string[]): Promise<TripCopyRow[][]> {
  const parsed = keys.map((k) => JSON.parse(k) as CopyShuttleKey);
  const rows = await db
    .select()
    .from(tripCopies)
    .where(
      sql`(${tripCopies.organizer}, ${tripCopies.vehicleCode}, ${tripCopies.plannedAt}) IN (SELECT * FROM unnest(
        ${sql.param(parsed.map((k) => k[0]))}::text[], ${sql.param(parsed.map((k) => k[2]))}::text[],
        ${sql.param(parsed.map((k) => new Date(k[5]).toISOString()))}::timestamptz[]))`,
    )
    .orderBy(tripCopies.departureAt, tripCopies.id);
  const byKey = new Map<string, TripCopyRow[]>();
  for (const row of rows) byKey.set(copyShuttleKey(row), [...(byKey.get(copyShuttleKey(row)) ?? []), row]);
  return keys.map((k) => byKey.get(k) ?? []);
}

/**
 * `Trip.runs`: every run of the trip's shuttle by departure, or the trip alone when it was planned
 * without runs. One statement per tick for own trips (by `shuttle_id`), one for relayed copies
 * (the copies planned in the same transaction with the same organiser, vehicle and route: the
 * runs the origin's province has received so far).
 */
export async function runsOf(ctx: ProvinceContext, trip: ServedTrip): Promise<ServedTrip[]> {
  if (isTripCopy(trip)) {
    const runs = await loaderFor<TripCopyRow[]>(ctx, 'copiedShuttleRuns', (keys) =>
      findCopyRuns(ctx.db, keys),
    ).load(copyShuttleKey(trip));
    return runs.length > 0 ? runs : [trip];
  }
  const { shuttleId } = trip;
  if (shuttleId == null) return [trip];
  return loaderFor<TripRow[]>(ctx, 'shuttleRuns', (ids) => findShuttleRuns(ctx.db, ids)).load(shuttleId);
}
