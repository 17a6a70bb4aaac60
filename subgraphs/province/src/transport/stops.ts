/**
 * Trips as they really ran (#14.5, report 002: one chartered bus dropped workers in Shenzhen,
 * Dongguan, Foshan and Zhongshan): a trip's stops (`trip_stops`, the destination last), where each
 * passenger alights, and the arrival, checks and hand-over per stop (DESIGN.md "Stops").
 *
 * - The trip stays DEPARTED until every stop has arrived, then it is ARRIVED; it is HANDED_OVER
 *   when every stop is. Its `arrivedAt`, `handedOverTo` and `handedOverEnterprise` are the last
 *   stop's (the destination's), its `headcount` the sum of the stops counted so far.
 * - Each stop's arrival and hand-over is an outbox event (ARRIVED, HANDED_OVER) naming the stop
 *   (`payload.stop`); every trip event of a trip with intermediate stops names them all
 *   (`payload.stops`), so `arrivals(destination:)` of a stop's region sees the trip
 *   (`event-topics.ts`).
 * - The home provinces are told per stop, about the workers alighting there only
 *   (`tell-homes.ts`): a per-stop HANDED_OVER puts them AT_WORK in their stop's region.
 * - An arrival check's fever (at or above the organiser's threshold) is told to the province of
 *   the stop (ARRIVAL_FEVER), which starts the observation there.
 */
import {
  badInput,
  decodeId,
  hubError,
  notFound,
  provinceOf,
  assertRegionCode,
  type ArrivalFeverFact,
} from '@p2p/schema';
import { asc, eq, sql } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { findEnterprises } from '../employment/records.js';
import {
  tripPassengers,
  tripStops,
  trips,
  type PassengerRow,
  type StopStatus,
  type TripCopyRow,
  type TripRow,
  type TripStopRow,
} from '../db/schema/index.js';
import { entityRef, regionRef } from '../graphql/references.js';
import { tripEvent, type OutboxBatch } from '../outbox.js';
import { tellProvince } from '../relay/tell.js';
import { bodyTemperature, intInRange, notBefore, pastInstant } from '../validation/measures.js';
import { optionalText, TEXT_LIMITS } from '../validation/text.js';
import { alightingAt } from './stop-records.js';
import { announceTrip } from './trip-news.js';
import { lockTrip, requireStatus } from './trip-state.js';

/** Most intermediate stops of one trip (report 002's bus made four). */
export const MAX_INTERMEDIATE_STOPS = 8;

/** Longest carriage label of a special train. */
export const MAX_CARRIAGE_LENGTH = 20;

/**
 * The regions a planned trip stops at, in order, the destination last: the intermediate `stops`
 * (at most 8, real regions, distinct, neither the origin nor the destination) then the destination.
 * @throws BAD_USER_INPUT naming the first offending stop.
 */
export function plannedStops(input: {
  origin: string;
  destination: string;
  stops?: readonly string[] | null;
}): string[] {
  const stops = input.stops ?? [];
  if (stops.length > MAX_INTERMEDIATE_STOPS)
    throw badInput(
      `input.stops: at most ${MAX_INTERMEDIATE_STOPS} intermediate stops (the destination is the last stop and is not repeated)`,
      'input.stops',
    );
  stops.forEach((code, i) => {
    const field = `input.stops[${i}]`;
    assertRegionCode(code, field);
    if (code === input.destination)
      throw badInput(
        `${field}: ${code} is the destination, the last stop already; list only the stops before it`,
        field,
      );
    if (code === input.origin) throw badInput(`${field}: ${code} is the origin, not a stop`, field);
    if (stops.indexOf(code) !== i) throw badInput(`${field}: ${code} is listed twice`, field);
  });
  return [...stops, input.destination];
}

/** Writes the stops of new trips (each the same: seq 1..n, the destination last) in one statement. */
export async function writeStops(
  tx: Tx,
  tripIds: readonly string[],
  regions: readonly string[],
): Promise<void> {
  await tx
    .insert(tripStops)
    .values(tripIds.flatMap((tripId) => regions.map((region, i) => ({ tripId, seq: i + 1, region }))));
}

/** `PassengerAssignmentInput` of the contract. */
export interface PassengerAssignmentInput {
  workerId: string;
  alightAt?: string | null;
  carriage?: string | null;
}

/** An assignment checked against the trip: `alightAt` null for the destination. */
export interface CheckedAssignment {
  workerId: string;
  alightAt: string | null;
  carriage: string | null;
}

/**
 * `assignPassengers`' workers: `workerIds` and `assignments` together, each worker once.
 * `alightAt` must be one of the trip's stops (the destination is stored as null); `carriage` is
 * trimmed, at most 20 characters.
 * @throws BAD_USER_INPUT for a worker given twice (in both lists, or twice in one of them: a repeat
 * within `workerIds` alone is kept once, as before), an unknown stop, a carriage too long.
 */
export function checkAssignments(
  workerIds: readonly string[],
  assignments: readonly PassengerAssignmentInput[],
  trip: Pick<TripRow, 'id' | 'destination'>,
  stops: readonly string[],
): CheckedAssignment[] {
  const plain = new Set(workerIds);
  const seen = new Set<string>();
  const checked = assignments.map((a, i) => {
    const at = `assignments[${i}]`;
    decodeId(a.workerId, 'Worker', `${at}.workerId`);
    if (plain.has(a.workerId))
      throw badInput(
        `${at}.workerId: worker ${a.workerId} is in workerIds too; give each worker once`,
        `${at}.workerId`,
      );
    if (seen.has(a.workerId))
      throw badInput(`${at}.workerId: worker ${a.workerId} is listed twice`, `${at}.workerId`);
    seen.add(a.workerId);
    if (a.alightAt != null && !stops.includes(a.alightAt))
      throw badInput(
        `${at}.alightAt: trip ${trip.id} does not stop at ${a.alightAt} (its stops: ${stops.join(', ')})`,
        `${at}.alightAt`,
      );
    return {
      workerId: a.workerId,
      alightAt: a.alightAt == null || a.alightAt === trip.destination ? null : a.alightAt,
      carriage: optionalText(a.carriage, `${at}.carriage`, MAX_CARRIAGE_LENGTH),
    };
  });
  return [...[...plain].map((workerId) => ({ workerId, alightAt: null, carriage: null })), ...checked];
}

/** `ConfirmArrivalInput` of the contract. */
export interface ConfirmArrivalInput {
  stop?: string | null;
  arrivedAt: Date;
  headcount: number;
  checks?: { workerId: string; temperature: number }[] | null;
  handedOverTo?: string | null;
  handedOverToEnterprise?: string | null;
}

/** The receiver of a hand-over: free text, an enterprise of the stop's province, or both. */
interface Receiver {
  handedOverTo: string | null;
  enterpriseId: string | null;
}

/**
 * Checks a receiving enterprise: an Enterprise id of the stop's province (of this province: one
 * that exists).
 * @throws BAD_USER_INPUT when it is no Enterprise id, WRONG_PROVINCE when of another province than
 * the stop's, NOT_FOUND when of this province and unknown.
 */
async function receivingEnterprise(
  ctx: ProvinceContext,
  tx: Tx,
  id: string | null | undefined,
  stop: string,
  field: string,
): Promise<string | null> {
  if (id == null) return null;
  const { province } = decodeId(id, 'Enterprise', field);
  const stopProvince = provinceOf(stop);
  if (province !== stopProvince)
    throw hubError(
      'WRONG_PROVINCE',
      `${field}: enterprise ${id} belongs to province ${province}; the stop ${stop} is in province ${stopProvince}, whose enterprises take its passengers over`,
      { field, province, expected: stopProvince },
    );
  if (province === ctx.province && !(await findEnterprises(tx, [id]))[0]) throw notFound('Enterprise', id);
  return id;
}

/** A trip's stops, locked with it (the trip row is locked first). */
async function lockedStops(tx: Tx, trip: TripRow): Promise<TripStopRow[]> {
  const rows = await tx
    .select()
    .from(tripStops)
    .where(eq(tripStops.tripId, trip.id))
    .orderBy(asc(tripStops.seq))
    .for('update');
  if (rows.length > 0) return rows;
  // A trip has at least one stop (migration 0008 backfilled them); this only guards a broken row.
  const [row] = await tx
    .insert(tripStops)
    .values({ tripId: trip.id, seq: 1, region: trip.destination })
    .returning();
  return [row!];
}

/**
 * The stop named by `region` (default: the destination).
 * @throws BAD_USER_INPUT for a region the trip does not stop at.
 */
function stopAt(
  trip: TripRow,
  stops: readonly TripStopRow[],
  region: string | null | undefined,
  field: string,
) {
  const code = region ?? trip.destination;
  const stop = stops.find((s) => s.region === code);
  if (!stop)
    throw badInput(
      `${field}: trip ${trip.id} does not stop at ${code} (its stops: ${stops.map((s) => s.region).join(', ')})`,
      field,
    );
  return stop;
}

/**
 * Refuses to cancel a trip one of whose stops arrived already (its passengers there were met and
 * maybe handed over: the trip ran).
 * @throws CONFLICT naming the stop.
 */
export async function assertNoStopArrived(tx: Tx, trip: TripRow): Promise<void> {
  const [met] = await tx
    .select({ region: tripStops.region, status: tripStops.status })
    .from(tripStops)
    .where(sql`${tripStops.tripId} = ${trip.id} AND ${tripStops.status} <> 'PENDING'`)
    .orderBy(asc(tripStops.seq))
    .limit(1);
  if (met)
    throw hubError(
      'CONFLICT',
      `trip ${trip.id} already arrived at ${met.region} (${met.status}): a trip that has begun to arrive cannot be cancelled`,
      { id: trip.id, stop: met.region, status: met.status },
    );
}

/** Boarded passengers alighting at `stop`. */
async function boardedFor(tx: Tx, trip: TripRow, stop: string): Promise<Pick<PassengerRow, 'workerId'>[]> {
  const rows = await tx
    .select({
      workerId: tripPassengers.workerId,
      alightAt: tripPassengers.alightAt,
      boarded: tripPassengers.boarded,
    })
    .from(tripPassengers)
    .where(eq(tripPassengers.tripId, trip.id));
  return rows.filter((p) => p.boarded && alightingAt(p, trip.destination) === stop);
}

/**
 * The trip after a change of its stops: DEPARTED until every stop arrived, then ARRIVED, then
 * HANDED_OVER once every stop is; the last stop's arrival and receiver; the headcounts summed.
 */
async function followStops(tx: Tx, trip: TripRow, stops: readonly TripStopRow[]): Promise<TripRow> {
  const last = stops[stops.length - 1]!;
  const allArrived = stops.every((s) => s.status !== 'PENDING');
  const status = !allArrived
    ? 'DEPARTED'
    : stops.every((s) => s.status === 'HANDED_OVER')
      ? 'HANDED_OVER'
      : 'ARRIVED';
  const counted = stops.filter((s) => s.headcount != null);
  const [saved] = await tx
    .update(trips)
    .set({
      status,
      arrivedAt: allArrived ? last.arrivedAt : null,
      headcount: counted.length > 0 ? counted.reduce((sum, s) => sum + s.headcount!, 0) : null,
      handedOverTo: last.handedOverTo,
      handedOverEnterprise: last.handedOverEnterprise,
      updatedAt: sql`now()`,
    })
    .where(eq(trips.id, trip.id))
    .returning();
  return saved!;
}

/** Writes a stop's change and returns the trip's stops as they are now. */
async function saveStop(
  tx: Tx,
  stops: readonly TripStopRow[],
  stop: TripStopRow,
  change: Partial<TripStopRow>,
): Promise<TripStopRow[]> {
  const [saved] = await tx
    .update(tripStops)
    .set(change)
    .where(sql`${tripStops.tripId} = ${stop.tripId} AND ${tripStops.seq} = ${stop.seq}`)
    .returning();
  return stops.map((s) => (s.seq === stop.seq ? saved! : s));
}

/** The events and news of a stop's hand-over. */
async function announceHandOver(
  ctx: ProvinceContext,
  tx: Tx,
  events: OutboxBatch,
  trip: TripRow,
  stop: TripStopRow,
): Promise<void> {
  events.add(
    tripEvent('HANDED_OVER', trip, {
      stop: stop.region,
      handedOverTo: stop.handedOverTo,
      handedOverToEnterprise: stop.handedOverEnterprise,
    }),
  );
  await announceTrip(ctx, tx, events, trip, 'HANDED_OVER', [], stop.region);
}

/**
 * The receiving place met the vehicle at one stop (`input.stop`, default the destination): arrival
 * time (not before departure, not in the future), headcount (at most the boarded passengers
 * alighting there; a different count is flagged on the stop, not refused), each passenger's
 * arrival check (a boarded passenger alighting there, once; the temperature validated like at
 * boarding; a fever is told to the stop's province), and with a receiver the hand-over at once.
 * @throws BAD_USER_INPUT for an unknown stop or a bad check; CONFLICT when the trip has not
 * departed or the stop already arrived.
 */
export async function confirmStopArrival(
  ctx: ProvinceContext,
  tx: Tx,
  tripId: string,
  input: ConfirmArrivalInput,
  events: OutboxBatch,
): Promise<string[]> {
  const handedOverTo = optionalText(input.handedOverTo, 'input.handedOverTo', TEXT_LIMITS.handedOverTo);
  pastInstant(input.arrivedAt, 'input.arrivedAt');
  intInRange(input.headcount, 'input.headcount', 0, Number.MAX_SAFE_INTEGER);
  const checks = (input.checks ?? []).map((c, i) => {
    decodeId(c.workerId, 'Worker', `input.checks[${i}].workerId`);
    return {
      workerId: c.workerId,
      temperature: bodyTemperature(c.temperature, `input.checks[${i}].temperature`),
    };
  });
  const twice = checks.findIndex((c, i) => checks.findIndex((d) => d.workerId === c.workerId) !== i);
  if (twice >= 0)
    throw badInput(
      `input.checks[${twice}].workerId: worker ${checks[twice]!.workerId} is checked twice`,
      `input.checks[${twice}].workerId`,
    );
  const trip = await lockTrip(ctx, tx, tripId);
  requireStatus(trip, ['DEPARTED'], 'confirming arrival');
  let stops = await lockedStops(tx, trip);
  const stop = stopAt(trip, stops, input.stop, 'input.stop');
  if (stop.status !== 'PENDING')
    throw hubError('CONFLICT', `trip ${trip.id} already arrived at ${stop.region} (${stop.status})`, {
      id: trip.id,
      stop: stop.region,
      status: stop.status,
    });
  const enterpriseId = await receivingEnterprise(
    ctx,
    tx,
    input.handedOverToEnterprise,
    stop.region,
    'input.handedOverToEnterprise',
  );
  notBefore(
    input.arrivedAt,
    trip.departureAt,
    'input.arrivedAt',
    `the departure (${trip.departureAt.toISOString()})`,
  );
  const boarded = await boardedFor(tx, trip, stop.region);
  if (input.headcount > boarded.length)
    throw badInput(
      `input.headcount: ${input.headcount} counted but only ${boarded.length} boarded trip ${tripId} for ${stop.region}`,
      'input.headcount',
    );
  const here = new Set(boarded.map((p) => p.workerId));
  const stranger = checks.findIndex((c) => !here.has(c.workerId));
  if (stranger >= 0)
    throw badInput(
      `input.checks[${stranger}].workerId: worker ${checks[stranger]!.workerId} is not a boarded passenger of trip ${tripId} alighting at ${stop.region}`,
      `input.checks[${stranger}].workerId`,
    );
  const threshold = ctx.epidemic.feverThreshold;
  if (checks.length > 0)
    await tx.execute(sql`
      UPDATE ${tripPassengers} SET arrival_temperature = v.temperature, arrival_fever = v.temperature >= ${threshold}
      FROM (SELECT unnest(${sql.param(checks.map((c) => c.workerId))}::text[]) AS worker_id,
                   unnest(${sql.param(checks.map((c) => c.temperature))}::float8[]) AS temperature) AS v
      WHERE ${tripPassengers.tripId} = ${tripId} AND ${tripPassengers.workerId} = v.worker_id`);
  stops = await saveStop(tx, stops, stop, {
    status: 'ARRIVED',
    arrivedAt: input.arrivedAt,
    headcount: input.headcount,
    checked: input.checks != null,
  });
  const arrived = await followStops(tx, trip, stops);
  events.add(
    tripEvent('ARRIVED', arrived, {
      stop: stop.region,
      headcount: input.headcount,
      boarded: boarded.length,
      headcountMismatch: input.headcount !== boarded.length,
    }),
  );
  await announceTrip(ctx, tx, events, arrived, 'ARRIVED', [], stop.region);
  for (const check of checks.filter((c) => c.temperature >= threshold)) {
    const fever: ArrivalFeverFact = {
      fact: 'ARRIVAL_FEVER',
      tripId,
      stop: stop.region,
      workerId: check.workerId,
      temperature: check.temperature,
      checkedAt: input.arrivedAt.toISOString(),
    };
    tellProvince(ctx, events, provinceOf(stop.region), fever);
  }
  if (handedOverTo != null || enterpriseId != null)
    await handOver(ctx, tx, events, arrived, stops, stop.seq, { handedOverTo, enterpriseId });
  return [tripId];
}

/** Hands over an arrived stop's passengers and moves the trip along. */
async function handOver(
  ctx: ProvinceContext,
  tx: Tx,
  events: OutboxBatch,
  trip: TripRow,
  stops: TripStopRow[],
  seq: number,
  receiver: Receiver,
): Promise<void> {
  const stop = stops.find((s) => s.seq === seq)!;
  const now = await saveStop(tx, stops, stop, {
    status: 'HANDED_OVER',
    handedOverTo: receiver.handedOverTo,
    handedOverEnterprise: receiver.enterpriseId,
  });
  const moved = await followStops(tx, trip, now);
  await announceHandOver(ctx, tx, events, moved, now.find((s) => s.seq === seq)!);
}

/**
 * Hands over the passengers of an arrived stop (`stop`, default the destination) to an enterprise
 * of the stop's province (`enterpriseId`) or a receiver named in free text (`handedOverTo`).
 * @throws BAD_USER_INPUT without a receiver or for an unknown stop; CONFLICT when the stop has not
 * arrived or was handed over already.
 */
export async function handOverStop(
  ctx: ProvinceContext,
  tx: Tx,
  tripId: string,
  args: { handedOverTo?: string | null; enterpriseId?: string | null; stop?: string | null },
  events: OutboxBatch,
): Promise<string[]> {
  const handedOverTo = optionalText(args.handedOverTo, 'handedOverTo', TEXT_LIMITS.handedOverTo);
  if (handedOverTo == null && args.enterpriseId == null)
    throw badInput(
      'handedOverTo: name the receiver (handedOverTo) or the receiving enterprise (enterpriseId)',
      'handedOverTo',
    );
  const trip = await lockTrip(ctx, tx, tripId);
  requireStatus(trip, ['DEPARTED', 'ARRIVED'], 'handing over');
  const stops = await lockedStops(tx, trip);
  const stop = stopAt(trip, stops, args.stop, 'stop');
  const enterpriseId = await receivingEnterprise(ctx, tx, args.enterpriseId, stop.region, 'enterpriseId');
  if (stop.status !== 'ARRIVED')
    throw hubError(
      'CONFLICT',
      stop.status === 'PENDING'
        ? `trip ${trip.id} has not arrived at ${stop.region} yet: confirm the arrival first`
        : `trip ${trip.id} was handed over at ${stop.region} already`,
      { id: trip.id, stop: stop.region, status: stop.status },
    );
  await handOver(ctx, tx, events, trip, stops, stop.seq, { handedOverTo, enterpriseId });
  return [tripId];
}

/** A `TripStop` of the contract, before its references are resolved. */
export interface ServedStop {
  region: { code: string };
  status: StopStatus;
  arrivedAt: Date | null;
  headcount: number | null;
  expected: number;
  headcountMismatch: boolean;
  missing: { __typename: 'Worker'; id: string }[];
  handedOverTo: string | null;
  handedOverToEnterprise: { __typename: 'Enterprise'; id: string } | null;
}

/** What the stops of a trip need of its passengers. */
type StopPassenger = Pick<PassengerRow, 'workerId' | 'boarded'> & {
  alightAt?: string | null;
  arrivalTemperature?: number | null;
};

/** A trip's stops as served, from its stop rows and its manifest. */
export function servedStops(
  destination: string,
  stops: readonly Pick<
    TripStopRow,
    'region' | 'status' | 'arrivedAt' | 'headcount' | 'checked' | 'handedOverTo' | 'handedOverEnterprise'
  >[],
  passengers: readonly StopPassenger[],
): ServedStop[] {
  return stops.map((s) => {
    const here = passengers.filter((p) => p.boarded && alightingAt(p, destination) === s.region);
    const arrived = s.status !== 'PENDING';
    return {
      region: regionRef(s.region),
      status: s.status,
      arrivedAt: s.arrivedAt,
      headcount: s.headcount,
      expected: here.length,
      headcountMismatch: arrived && s.headcount !== here.length,
      missing: s.checked
        ? here.filter((p) => p.arrivalTemperature == null).map((p) => entityRef('Worker', p.workerId))
        : [],
      handedOverTo: s.handedOverTo,
      handedOverToEnterprise: entityRef('Enterprise', s.handedOverEnterprise),
    };
  });
}

/**
 * The stops of a relayed copy (coarse: the copy carries the regions, not each stop's state): every
 * stop takes the trip's status once the trip arrived or was handed over, PENDING before (an
 * intermediate stop that arrived while the trip still runs shows PENDING); the last stop carries
 * the trip's arrival and receiver; no stop carries a headcount, nobody is named missing.
 */
export function copiedStops(copy: TripCopyRow): ServedStop[] {
  const regions = copy.stops.length > 0 ? copy.stops : [copy.destination];
  const status: StopStatus =
    copy.status === 'ARRIVED' || copy.status === 'HANDED_OVER' ? copy.status : 'PENDING';
  const last = regions.length - 1;
  return servedStops(
    copy.destination,
    regions.map((region, i) => ({
      region,
      status,
      arrivedAt: i === last ? copy.arrivedAt : null,
      headcount: null,
      checked: false,
      handedOverTo: i === last ? copy.handedOverTo : null,
      handedOverEnterprise: i === last ? copy.handedOverEnterprise : null,
    })),
    copy.passengers,
  ).map((s) => ({ ...s, headcountMismatch: false }));
}
