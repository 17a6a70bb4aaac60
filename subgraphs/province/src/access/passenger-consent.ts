import { regionContains, type Caller } from '@p2p/schema';
import { callerWords, forbidden, officerCovers } from './request-access.js';

/**
 * Who may put a worker on a trip (`assignPassengers`, #11.1). Being on a trip opens the worker's
 * record to the trip's receiving place and lets the trip's officers move him (TRAVELLING on
 * departure, AT_WORK at the destination on hand-over), so a place on a manifest is given only:
 * - by an officer whose region contains the worker's home region (the home side itself), or
 * - with the home side's consent: the travel intent recorded for him by his home side
 *   (`reportTravelIntent`, a home officer's write) names a destination inside the trip's
 *   destination region, or a region the trip's destination lies inside, the trip leaves
 *   within the intent's dates (China Standard Time), it leaves from his own side: its origin
 *   contains his home region or lies inside it (not another city of the province), and it is
 *   organised at one of its ends (its origin's side, or the receiving side): an organiser at
 *   neither end, another city of the province, may not fetch him on his intent alone.
 * A return request is NOT consent: it is filed by the enterprise side (an officer of the
 * enterprise's region may file one himself). Once the relay carries the home side's answer to a
 * request (ACKNOWLEDGED / ARRANGED), such a request can count as consent.
 * Workers of another province are taken as given, as before: their record, their status and their
 * identifiers live in their home province, which a trip here cannot open or move; the home side's
 * consent across provinces needs the relay (DESIGN.md: until then the home officer's rule applies).
 */

/** What the rule needs of a worker of this province. */
export interface AssignableWorker {
  id: string;
  homeRegion: string;
  intentDestination: string | null;
  /** YYYY-MM-DD */
  intentEarliestDate: string | null;
  intentLatestDate: string | null;
}

/** What the rule needs of the trip. */
export interface TripPlan {
  /** The region that organises it. @default origin */
  organizer?: string;
  origin: string;
  destination: string;
  departureAt: Date;
}

/** The calendar day (YYYY-MM-DD) of an instant in China Standard Time (UTC+8, no daylight saving). */
function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** True when one of the two regions lies inside the other (or they are the same). */
const nested = (a: string, b: string) => regionContains(a, b) || regionContains(b, a);

/**
 * True when the trip is organised at one of its ends: on the departure side (its origin, as
 * before `organizer` existed) or on the receiving side (its destination, report 004). An intent
 * says where he goes, not that any city of the province may fetch him (and read his record, which
 * a place on the manifest opens to the organiser).
 */
export function organisedAtAnEnd(trip: TripPlan): boolean {
  const organizer = trip.organizer ?? trip.origin;
  return nested(organizer, trip.origin) || nested(organizer, trip.destination);
}

/**
 * True when the worker's recorded travel intent names the trip's destination region and its day,
 * and the trip is organised at one of its ends ({@link organisedAtAnEnd}).
 */
export function intentMatches(worker: AssignableWorker, trip: TripPlan): boolean {
  const { intentDestination: wanted, intentEarliestDate: earliest, intentLatestDate: latest } = worker;
  if (wanted == null || earliest == null || latest == null) return false;
  const day = chinaDay(trip.departureAt);
  // The bus leaves from his own side (his county's township, his county, his city), not from
  // another city of the province: an intent names where he goes, not who may fetch him.
  const fromHisSide =
    regionContains(trip.origin, worker.homeRegion) || regionContains(worker.homeRegion, trip.origin);
  return (
    fromHisSide &&
    organisedAtAnEnd(trip) &&
    (regionContains(trip.destination, wanted) || regionContains(wanted, trip.destination)) &&
    earliest <= day &&
    day <= latest
  );
}

/**
 * Refuses the first worker `caller` may not put on `trip`.
 * `caller` undefined: an unrestricted request (no rules).
 * @throws FORBIDDEN naming the worker (by id only) and what would allow it.
 */
export function assertMayAssign(
  caller: Caller | undefined,
  trip: TripPlan,
  localWorkers: readonly AssignableWorker[],
): void {
  if (!caller) return;
  const refused = localWorkers.find((w) => !officerCovers(caller, w.homeRegion) && !intentMatches(w, trip));
  if (!refused) return;
  throw forbidden(
    organisedAtAnEnd(trip)
      ? `assignPassengers: worker ${refused.id} has his home outside the region of ${callerWords(caller)} and no travel intent to ${trip.destination} on ${chinaDay(trip.departureAt)}; only his home side assigns him, or records his travel intent first`
      : `assignPassengers: worker ${refused.id} has his home outside the region of ${callerWords(caller)}, and the trip's organiser ${trip.organizer} is at neither end of it (${trip.origin} → ${trip.destination}); only his home side assigns him to it`,
  );
}
