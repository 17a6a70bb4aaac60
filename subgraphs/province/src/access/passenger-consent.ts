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
 *   within the intent's dates (China Standard Time), and it leaves from his own side: its origin
 *   contains his home region or lies inside it (not another city of the province).
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
  origin: string;
  destination: string;
  departureAt: Date;
}

/** The calendar day (YYYY-MM-DD) of an instant in China Standard Time (UTC+8, no daylight saving). */
function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** True when the worker's recorded travel intent names the trip's destination region and its day. */
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
    `assignPassengers: worker ${refused.id} has his home outside the region of ${callerWords(caller)} and no travel intent to ${trip.destination} on ${chinaDay(trip.departureAt)}; only his home side assigns him, or records his travel intent first`,
  );
}
