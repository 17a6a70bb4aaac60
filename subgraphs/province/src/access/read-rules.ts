import type { Caller } from '@p2p/schema';
import { assertMayListObservations } from './observation-rules.js';
import { callerWords, forbidden, officerCovers } from './request-access.js';

/**
 * Who may list which records. Every authenticated person may read single records, trips,
 * enterprises and statistics (personal fields masked, see `personal-data.ts`), except a worker,
 * who reads only his own records and no list (`worker-self.ts`); lists of PEOPLE
 * are narrower, so nobody harvests another region's workers:
 * - `workers(homeRegion)` and `matchWorkers(jobId, homeRegion)`: the ministry, or an officer
 *   whose region contains `homeRegion`;
 * - `refusedBoardings(homeRegion)`: an officer whose region contains `homeRegion` (health data:
 *   not the ministry, which reads it in aggregate);
 * - `returnRequests(origin, destination)`: the ministry; an officer whose region contains
 *   `origin` (the workers' home) or `destination` (the enterprises' region); an enterprise sees
 *   only the requests it filed (see {@link returnRequestScope}).
 */
// biome-ignore lint/suspicious/noExplicitAny: GraphQL arguments are shaped by the schema, not by TypeScript
export type ReadRule = (caller: Caller, args: Record<string, any>) => void;

/**
 * Refuses the gateway's system caller, which reads nothing but `_service`, and the relay, which
 * reads nothing through GraphQL (it has its own endpoints, `relay/relay-http.ts`).
 */
export function personWhoReads(field: string, caller: Caller): void {
  if (caller.role === 'system') throw forbidden(`${field}: the gateway's system caller reads only _service`);
  if (caller.role === 'relay')
    throw forbidden(`${field}: the relay reads no record through GraphQL, only the relay's own endpoints`);
}

/** The read rule of each root query field that has one, by field name. */
export const READ_RULES: Record<string, ReadRule> = {
  workers: (caller, args) => {
    if (caller.role === 'ministry' || officerCovers(caller, args.homeRegion)) return;
    throw forbidden(
      `workers: only the home province or city lists its workers, and the ministry reads them masked; homeRegion ${String(args.homeRegion)} is outside the region of ${callerWords(caller)}`,
    );
  },
  // #15: the workers who fit a job post are a list of people: the rule of `workers(homeRegion)`
  matchWorkers: (caller, args) => {
    if (caller.role === 'ministry' || officerCovers(caller, args.homeRegion)) return;
    throw forbidden(
      `matchWorkers: like workers(homeRegion:), only the home province or city lists its workers who fit a post (the ministry reads them masked); homeRegion ${String(args.homeRegion)} is outside the region of ${callerWords(caller)}`,
    );
  },
  // #14.4: the officers of the place of observation (`observation-rules.ts`)
  observations: assertMayListObservations,
  refusedBoardings: (caller, args) => {
    if (officerCovers(caller, args.homeRegion)) return;
    throw forbidden(
      `refusedBoardings: only the home province or city follows up its workers refused at a boarding gate (health data: the ministry reads it in aggregate, summary.health); homeRegion ${String(args.homeRegion)} is outside the region of ${callerWords(caller)}`,
    );
  },
  returnRequests: (caller, args) => {
    if (caller.role === 'ministry' || caller.role === 'enterprise') return;
    if (officerCovers(caller, args.origin) || officerCovers(caller, args.destination)) return;
    throw forbidden(
      `returnRequests: give an origin (the workers' home) or a destination (the enterprises' region) inside the region of ${callerWords(caller)}`,
    );
  },
};

/** What the record rule of a return request needs. */
export interface ReturnRequestFacts {
  id: string;
  enterpriseId: string;
  /** The worker it was filed for (a worker reads the requests filed for him). */
  workerId: string;
  workerHomeRegion: string;
  destinationRegion: string;
}

/**
 * True when `caller` may read this return request, whatever path it comes by (`returnRequest(id)`,
 * an `_entities` reference, a subscription event): the rule of the `returnRequests` list applied
 * to one record. The ministry; an officer whose region contains the worker's home or the
 * enterprise's region; the enterprise that filed it; the worker it was filed for.
 */
export function mayReadReturnRequest(caller: Caller, request: ReturnRequestFacts): boolean {
  if (caller.role === 'ministry') return true;
  if (caller.role === 'enterprise') return caller.enterpriseId === request.enterpriseId;
  if (caller.role === 'worker') return !!caller.workerId && caller.workerId === request.workerId;
  return officerCovers(caller, request.workerHomeRegion) || officerCovers(caller, request.destinationRegion);
}

/**
 * Refuses a return request `caller` may not read (see {@link mayReadReturnRequest}).
 * @throws FORBIDDEN without saying anything of the record but its id.
 */
export function assertMayReadReturnRequest(caller: Caller, request: ReturnRequestFacts, path: string): void {
  if (mayReadReturnRequest(caller, request)) return;
  throw forbidden(
    `${path}: return request ${request.id} is read only by the enterprise that filed it, the officers of the worker's home or of the enterprise's region, the worker it names, and the ministry; not by ${callerWords(caller)}`,
  );
}

/**
 * Who may subscribe to what (the list rule at subscription time): `arrivals(destination)` like
 * `trips` (every person; the gateway's system caller too, whose shared feed carries ids only);
 * `departures(homeRegion)` like `workers(homeRegion)`: the ministry, an officer whose region
 * contains `homeRegion`, and the gateway's system caller (its shared feed);
 * `returnRequestsFiled(origin)` like `returnRequests(origin)`: the ministry, an officer whose region
 * contains `origin`, an enterprise (which receives only its own requests' events), and the
 * gateway's system caller (the gateway's shared feed: ids only; the gateway applies each client's
 * rule to every event before delivering it). A worker follows no subscription, whatever its topic.
 * @throws FORBIDDEN for anyone else.
 */
export function assertMaySubscribe(field: string, caller: Caller, args: Record<string, unknown>): void {
  if (caller.role === 'worker')
    throw forbidden(
      `${field}: a worker follows no subscription; read your own record, trips and return requests`,
    );
  if (field === 'departures') {
    if (caller.role === 'system' || caller.role === 'ministry') return;
    if (officerCovers(caller, args.homeRegion as string)) return;
    throw forbidden(
      `departures: homeRegion ${String(args.homeRegion)} is outside the region of ${callerWords(caller)}; like workers(homeRegion:), only the home province or city and the ministry follow its people`,
    );
  }
  if (field !== 'returnRequestsFiled') return;
  if (caller.role === 'system' || caller.role === 'ministry' || caller.role === 'enterprise') return;
  if (officerCovers(caller, args.origin as string)) return;
  throw forbidden(
    `returnRequestsFiled: origin ${String(args.origin)} (the workers' home) is outside the region of ${callerWords(caller)}; follow your own region, or list returnRequests(destination:) for your enterprises' requests`,
  );
}

/**
 * Who may read the return requests filed for a worker (`Worker.returnRequests`, his home
 * province's copies): an officer whose region contains his home (the home side), and the worker
 * himself (#13.7: he reads the requests filed for him, and declines one by its id). Nobody else:
 * an enterprise reads its own requests where it filed them, the ministry the statistics.
 * @throws FORBIDDEN for anyone else.
 */
export function assertMayReadWorkerRequests(
  caller: Caller,
  worker: { id: string; homeRegion: string },
): void {
  if (officerCovers(caller, worker.homeRegion)) return;
  if (caller.role === 'worker' && caller.workerId && caller.workerId === worker.id) return;
  throw forbidden(
    `Worker.returnRequests: the return requests filed for worker ${worker.id} are read only by his home side, not by ${callerWords(caller)}`,
  );
}

/**
 * Who may follow one enterprise's return requests (`returnRequestUpdates(enterpriseId)`): the
 * enterprise itself, an officer whose region contains the enterprise's region (`region`;
 * undefined when it is not found here), the ministry, and the gateway's system caller (its shared
 * feed carries ids only; the gateway applies this rule to each client before delivering).
 * @throws FORBIDDEN for anyone else.
 */
export function assertMayFollowEnterprise(
  caller: Caller,
  enterpriseId: unknown,
  region: string | undefined,
): void {
  if (caller.role === 'system' || caller.role === 'ministry') return;
  if (caller.role === 'enterprise' ? caller.enterpriseId === enterpriseId : officerCovers(caller, region))
    return;
  throw forbidden(
    `returnRequestUpdates: enterprise ${String(enterpriseId)}'s requests are followed by the enterprise itself, the officers of its region and the ministry; not by ${callerWords(caller)}`,
  );
}

/** Extra filter of `returnRequests` for a caller: an enterprise lists only its own requests. */
export function returnRequestScope(caller: Caller): { enterpriseId?: string } {
  return caller.role === 'enterprise' ? { enterpriseId: caller.enterpriseId } : {};
}
