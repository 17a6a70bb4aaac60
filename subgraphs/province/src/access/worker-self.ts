/**
 * The worker role (#13.7, report 001: workers stated their travel needs in the ministry's
 * mini-program). A worker's token is bound to his own Worker id (`Caller.workerId`); through it he
 * reads his own record in full, the trips whose manifest names him (seeing only himself among
 * their passengers) and the return requests filed for him, with the enterprises that filed them,
 * and the statistics and job posts (#15) every person reads. Nothing about anyone else: every
 * other query, list and subscription is FORBIDDEN, fail closed (a root field or entity type added
 * later is refused until it is listed here). What he may change is in `write-rules.ts` (`assertMayChangeWorker`).
 */
import type { Caller } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import { passengersLoader } from '../transport/records.js';
import { forbidden } from './request-access.js';

/**
 * Root query fields a worker may ask; each is judged on its record (his own id, his trip, his
 * request, his observation: `observation-rules.ts`).
 */
const WORKER_QUERIES: ReadonlySet<string> = new Set([
  'worker',
  'trip',
  'returnRequest',
  'observation',
  // #15: job posts are public ads (no personal data)
  'job',
  'jobs',
]);

/**
 * Entity types a worker may read by reference (the gateway's path from his own records to the
 * rest): himself, his trips, his return requests, his observation (each judged on the record), the
 * enterprises that filed them or employ him, and the `Summary` parts (statistics, no personal
 * data: read by every person).
 */
const WORKER_REFERENCES: ReadonlySet<string> = new Set([
  'Worker',
  'Trip',
  'ReturnRequest',
  'Observation',
  'Enterprise',
  'Summary',
  'Job',
]);

const ONLY_HIS_OWN =
  'a worker reads only his own record, the trips he is on and the return requests filed for him';

/** True when `caller` is the worker `workerId` himself. */
export function isWorkerHimself(caller: Caller, workerId: string | null | undefined): boolean {
  return caller.role === 'worker' && !!caller.workerId && caller.workerId === workerId;
}

/**
 * A worker's root query, before it runs: only {@link WORKER_QUERIES}, and `worker(id)` of his own id.
 * @throws FORBIDDEN for any other field (lists included) or another worker's id.
 */
export function assertWorkerMayAsk(field: string, caller: Caller, args: Record<string, unknown>): void {
  if (!WORKER_QUERIES.has(field)) throw forbidden(`${field}: ${ONLY_HIS_OWN}`);
  if (field === 'worker' && !isWorkerHimself(caller, args.id as string))
    throw forbidden(`worker: ${ONLY_HIS_OWN}; ${String(args.id)} is not his id`);
}

/**
 * A worker's entity reference, before it is resolved: only {@link WORKER_REFERENCES}; a Worker only
 * himself; the transport side's ReturnRequest (its representation names the worker) only his own.
 * @throws FORBIDDEN otherwise.
 */
export function assertWorkerMayReference(typename: string, caller: Caller, representation: unknown): void {
  if (!WORKER_REFERENCES.has(typename)) throw forbidden(`${typename} reference: ${ONLY_HIS_OWN}`);
  const ref = representation as { id?: string; worker?: { id?: string } | null } | null;
  if (typename === 'Worker' && !isWorkerHimself(caller, ref?.id))
    throw forbidden(`Worker reference: ${ONLY_HIS_OWN}`);
  if (
    typename === 'ReturnRequest' &&
    ref?.worker?.id !== undefined &&
    !isWorkerHimself(caller, ref.worker.id)
  )
    throw forbidden(`ReturnRequest reference: ${ONLY_HIS_OWN}`);
}

/**
 * A trip of this province read by a worker (`trip(id)`, a Trip reference): only one whose manifest
 * names him (the request's passengers loader, shared with `Trip.passengers`).
 * @throws FORBIDDEN otherwise, saying nothing of the trip but its id.
 */
export async function assertWorkerOnTrip(
  ctx: ProvinceContext,
  caller: Caller,
  trip: { id: string },
  path: string,
): Promise<void> {
  const passengers = await passengersLoader(ctx).load(trip.id);
  if (!passengers.some((p) => isWorkerHimself(caller, p.workerId)))
    throw forbidden(`${path}: ${ONLY_HIS_OWN}; trip ${trip.id} does not carry him`);
}

/** A trip's passengers as a worker sees them: himself only (nothing about anyone else, not even how many). */
export function himselfAmong<P extends { worker: { id: string } | null }>(
  caller: Caller,
  passengers: P[],
): P[] {
  return passengers.filter((p) => isWorkerHimself(caller, p.worker?.id));
}
