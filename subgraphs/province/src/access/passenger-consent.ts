import { regionContains, type Caller } from '@p2p/schema';
import { callerWords, forbidden, officerCovers } from './request-access.js';

/**
 * Who may put a worker on a trip (`assignPassengers`, #11.1). Being on a trip opens the worker's
 * record to the trip's receiving place and lets the trip's officers move him (TRAVELLING on
 * departure, AT_WORK at the destination on hand-over), so a place on a manifest is given only:
 * - by an officer whose region contains the worker's home region (the home side itself), or
 * - with the home side's consent: the travel intent recorded for him by his home side
 *   (`reportTravelIntent`, a home officer's write) names a destination inside the trip's
 *   destination region, or a region the trip's destination lies inside.
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
}

/** True when the worker's recorded travel intent names the trip's destination region. */
export function intentMatches(intentDestination: string | null, tripDestination: string): boolean {
  return (
    intentDestination != null &&
    (regionContains(tripDestination, intentDestination) || regionContains(intentDestination, tripDestination))
  );
}

/**
 * Refuses the first worker `caller` may not put on a trip to `tripDestination`.
 * `caller` undefined: an unrestricted request (no rules).
 * @throws FORBIDDEN naming the worker (by id only) and what would allow it.
 */
export function assertMayAssign(
  caller: Caller | undefined,
  tripDestination: string,
  localWorkers: readonly AssignableWorker[],
): void {
  if (!caller) return;
  const refused = localWorkers.find(
    (w) => !officerCovers(caller, w.homeRegion) && !intentMatches(w.intentDestination, tripDestination),
  );
  if (!refused) return;
  throw forbidden(
    `assignPassengers: worker ${refused.id} has his home outside the region of ${callerWords(caller)} and no travel intent to ${tripDestination}; only his home side assigns him, or records his travel intent first`,
  );
}
