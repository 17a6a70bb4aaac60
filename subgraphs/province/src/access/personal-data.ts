import { maskIdentifier, type Caller } from '@p2p/schema';
import { and, inArray, sql } from 'drizzle-orm';
import { loaderFor, type ProvinceContext } from '../context.js';
import { returnRequests, tripPassengers, trips } from '../db/schema/index.js';
import { officerCovers } from './request-access.js';

/**
 * What of a worker's record each caller sees (the table is in subgraphs/province/README.md,
 * "Access rules"). Field groups:
 * - identifiers: `idNumber`, `phone` (masked: `maskIdentifier`, first and last four characters);
 * - name (masked: the family name and one `*` per further character);
 * - health: `health` (code, nucleic acid, tested at), `povertyStatus`, `Passenger.temperature`
 *   (hidden: null, and FORBIDDEN for the non-null `povertyStatus`);
 * - whereabouts: `workRegion`, `employer`, `travelIntent`, `currentTrip` (hidden: null), `trips`
 *   (hidden: empty). `status` is shown to
 *   every person who reads the record (the field is non-null).
 *
 * Who (in the worker's home province, where the record lives):
 * - an officer of the worker's home (province, or the city/county containing it): everything;
 * - the two ends of a trip of this province carrying him that is not yet handed over (PLANNED,
 *   DEPARTED, ARRIVED): an officer whose region contains the trip's organiser (who planned it),
 *   its origin (who checks him at the gate) or the stop where he alights (the receiving place: his
 *   `alightAt`, the destination by default; an officer of another stop of the trip does not see
 *   him): everything. Only trips
 *   stored here are known (those this province organised); a place on a manifest is given only
 *   by his home side or with its consent (`passenger-consent.ts`), so a trip cannot open a record;
 * - the enterprise that employs him as his home side recorded it (`reportEmployment`; not an
 *   enterprise's own staff report or confirmation on post, relayed here) or that filed a return request for him
 *   stored in this province: everything. A request filed in another province is known here only
 *   once the relay exists (until then: as any enterprise);
 * - the ministry: name, status and whereabouts; identifiers masked; health and poverty only in
 *   aggregate (`summary`);
 * - the worker himself (role `worker`, his own id): everything; another worker: nothing (he is
 *   refused any other worker's record before it is read, `worker-self.ts`);
 * - anyone else (another city, another enterprise): status only, name and identifiers masked.
 * Observation (#14.4): the place of observation reads its own `Observation` record (health
 * subgraph, `observation-rules.ts`); his record here opens to it no further than the rules above.
 */
export interface WorkerView {
  identifiers: boolean;
  name: boolean;
  health: boolean;
  whereabouts: boolean;
}

const EVERYTHING: WorkerView = Object.freeze({
  identifiers: true,
  name: true,
  health: true,
  whereabouts: true,
});
const NOTHING: WorkerView = Object.freeze({
  identifiers: false,
  name: false,
  health: false,
  whereabouts: false,
});
const MINISTRY: WorkerView = Object.freeze({
  identifiers: false,
  name: true,
  health: false,
  whereabouts: true,
});

/** The trip statuses in which the trip's ends need to identify passengers. */
const OPEN_STATUSES = ['PLANNED', 'DEPARTED', 'ARRIVED'] as const;

/** What the rules need of a worker row. */
export interface WorkerFacts {
  id: string;
  homeRegion: string;
  employerId: string | null;
  /** True when his home side recorded that employer (`reportEmployment`), not the enterprise's own claim. */
  employerByHome: boolean;
  /** As his home side recorded them: a filing proves it knows him only when it names both. */
  name: string;
  phone: string;
}

/** A trip's two ends and its organiser; `alightAt`: the passenger's stop when not the destination. */
interface TripEnds {
  organizer: string;
  origin: string;
  destination: string;
  alightAt?: string | null;
}

/**
 * The request's loader of "ends of this province's trips, not yet handed over, that carry the
 * worker": one statement per tick for all workers asked about.
 */
function openTripsLoader(ctx: ProvinceContext) {
  return loaderFor<TripEnds[]>(ctx, 'access:openTrips', async (workerIds) => {
    const rows = await ctx.db
      .select({
        workerId: tripPassengers.workerId,
        organizer: trips.organizer,
        origin: trips.origin,
        destination: trips.destination,
        alightAt: tripPassengers.alightAt,
      })
      .from(tripPassengers)
      .innerJoin(trips, sql`${trips.id} = ${tripPassengers.tripId}`)
      .where(
        and(
          sql`${tripPassengers.workerId} = ANY(${sql.param([...workerIds])}::text[])`,
          inArray(trips.status, [...OPEN_STATUSES]),
        ),
      );
    const byWorker = new Map<string, TripEnds[]>();
    for (const r of rows) byWorker.set(r.workerId, [...(byWorker.get(r.workerId) ?? []), r]);
    return workerIds.map((id) => byWorker.get(id) ?? []);
  });
}

/** A return request stored here, as far as the access rule needs it. */
interface Filing {
  enterpriseId: string;
  workerName: string;
  workerPhone: string;
}

/** The request's loader of "return requests stored here for the worker". */
function filingsLoader(ctx: ProvinceContext) {
  return loaderFor<Filing[]>(ctx, 'access:filings', async (workerIds) => {
    const rows = await ctx.db
      .select({
        workerId: returnRequests.workerId,
        enterpriseId: returnRequests.enterpriseId,
        workerName: returnRequests.workerName,
        workerPhone: returnRequests.workerPhone,
      })
      .from(returnRequests)
      .where(sql`${returnRequests.workerId} = ANY(${sql.param([...workerIds])}::text[])`);
    const byWorker = new Map<string, Filing[]>();
    for (const r of rows) byWorker.set(r.workerId, [...(byWorker.get(r.workerId) ?? []), r]);
    return workerIds.map((id) => byWorker.get(id) ?? []);
  });
}

/**
 * True when `caller` is an officer at either end of the passenger's trip (the origin, or the stop
 * where he alights: `alightAt`, default the destination), or of the region that organised it.
 */
export function atTripEnd(caller: Caller, trip: TripEnds): boolean {
  return (
    officerCovers(caller, trip.organizer) ||
    officerCovers(caller, trip.origin) ||
    officerCovers(caller, trip.alightAt ?? trip.destination)
  );
}

/** What `caller` sees of this worker's record (see the module comment). */
export async function workerView(
  ctx: ProvinceContext,
  caller: Caller,
  worker: WorkerFacts,
): Promise<WorkerView> {
  switch (caller.role) {
    case 'ministry':
      return MINISTRY;
    case 'province':
    case 'city': {
      if (officerCovers(caller, worker.homeRegion)) return EVERYTHING;
      const open = await openTripsLoader(ctx).load(worker.id);
      return open.some((trip) => atTripEnd(caller, trip)) ? EVERYTHING : NOTHING;
    }
    case 'enterprise': {
      if (!caller.enterpriseId) return NOTHING;
      // The employer his home side recorded; an enterprise's own claim (a staff report or a
      // confirmation on post, relayed here) names it his employer but proves nothing of him.
      if (worker.employerId === caller.enterpriseId && worker.employerByHome) return EVERYTHING;
      // A filing opens his record only when it names him as his home side recorded him (name and
      // phone): a resident ID number alone, which is all a filing needs, proves nothing.
      const filings = await filingsLoader(ctx).load(worker.id);
      const knows = filings.some(
        (f) =>
          f.enterpriseId === caller.enterpriseId &&
          f.workerName === worker.name &&
          f.workerPhone === worker.phone,
      );
      return knows ? EVERYTHING : NOTHING;
    }
    case 'worker':
      return caller.workerId === worker.id ? EVERYTHING : NOTHING;
    default:
      return NOTHING;
  }
}

/** True when `caller` may see the filed worker of a return request in full (the worker himself too). */
export function seesFiledWorkerInFull(
  caller: Caller,
  request: { enterpriseId: string; workerHomeRegion: string; workerId: string },
): boolean {
  if (caller.role === 'enterprise') return caller.enterpriseId === request.enterpriseId;
  if (caller.role === 'worker') return !!caller.workerId && caller.workerId === request.workerId;
  return officerCovers(caller, request.workerHomeRegion);
}

/** The value itself, or its mask. */
export function shown(value: string, full: boolean): string {
  return full ? value : maskIdentifier(value);
}

/** A name, or its mask: the first character (the family name) and one `*` per further character. */
export function shownName(name: string, full: boolean): string {
  if (full) return name;
  const characters = [...name];
  return `${characters[0] ?? ''}${'*'.repeat(Math.max(1, characters.length - 1))}`;
}
