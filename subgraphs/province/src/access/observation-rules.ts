/**
 * Who may read an observation (#14.4, the `health` subgraph; the table is in
 * subgraphs/province/README.md, "Access rules"). An observation is health data about a person:
 * - the officers (province, city or county) whose region contains the place of observation, who
 *   run it: the list `observations(region)`, each record, its references;
 * - the officers whose region contains the worker's home, once his home province has confirmed it
 *   through the relay (`home_region`, OBSERVATION_HOME): the record and its references (reached
 *   through `Worker.observation`), not the receiving place's list;
 * - the worker himself (role `worker`, his own id): his own observation, so he knows where he is
 *   observed and from when he may be released;
 * - nobody else: not the ministry (aggregates only, `summary.health`), not an enterprise, not the
 *   officers of another city of the same province; the gateway's system caller and the relay read
 *   no record at all (`personWhoReads`).
 * Who may start and end one: `write-rules.ts`.
 */
import type { Caller } from '@p2p/schema';
import { callerWords, forbidden, officerCovers } from './request-access.js';

/** What the record rule of an observation needs. */
export interface ObservationFacts {
  id: string;
  workerId: string;
  /** The place of observation. */
  region: string;
  /** The worker's home region, once his home province confirmed it; null before. */
  homeRegion: string | null;
}

/** True when `caller` may read this observation, whatever path it comes by (see the module comment). */
export function mayReadObservation(caller: Caller, observation: ObservationFacts): boolean {
  if (caller.role === 'worker') return !!caller.workerId && caller.workerId === observation.workerId;
  return officerCovers(caller, observation.region) || officerCovers(caller, observation.homeRegion);
}

/**
 * Refuses an observation `caller` may not read (see {@link mayReadObservation}).
 * @throws FORBIDDEN saying nothing of the record but its id.
 */
export function assertMayReadObservation(caller: Caller, observation: ObservationFacts, path: string): void {
  if (mayReadObservation(caller, observation)) return;
  throw forbidden(
    `${path}: observation ${observation.id} is read only by the officers of the place of observation and of the worker's home, and by the worker himself; not by ${callerWords(caller)}${
      caller.role === 'ministry' ? ' (the ministry reads observations in aggregate: summary.health)' : ''
    }`,
  );
}

/**
 * `observations(region)`: an officer whose region contains `region` (the place of observation).
 * @throws FORBIDDEN for anyone else, the ministry included (aggregates only).
 */
export function assertMayListObservations(caller: Caller, args: Record<string, unknown>): void {
  if (officerCovers(caller, args.region as string)) return;
  throw forbidden(
    `observations: region ${String(args.region)} is outside the region of ${callerWords(caller)}; only the officers of the place of observation list them${
      caller.role === 'ministry' ? ' (the ministry reads them in aggregate: summary.health)' : ''
    }`,
  );
}

/** True for a resolved observation row (not a bare reference). */
export const isObservationRow = (value: unknown): value is ObservationFacts =>
  !!value && typeof value === 'object' && 'workerId' in value && 'region' in value && 'homeRegion' in value;
