/**
 * The life of a return request (#13.3), the one table both sides follow: the enterprise's
 * province (`return_requests`, the record) and the worker's home province
 * (`worker_return_requests`, its copy). Pure: no database.
 *
 *     FILED ──> ACKNOWLEDGED ──> ARRANGED ──> ON_POST
 *       │            │   ^           │
 *       │            │   └───────────┤  (the trip was cancelled or he was taken off it)
 *       └────────────┴───────────────┴──> WITHDRAWN (the enterprise) | DECLINED (the worker)
 *
 * - ACKNOWLEDGED: his home province has seen it (answered at once when it stores its copy);
 * - ARRANGED: he is on a trip towards the enterprise's region (assigned, or departed on it);
 *   back to ACKNOWLEDGED, trip cleared, when that trip is cancelled or he is taken off it
 *   (REMOVED, or not boarded when it departs) before he is on post;
 * - ON_POST: the enterprise confirms him (from FILED too: a worker may come back by his own means);
 * - WITHDRAWN and DECLINED: the request is off, with a reason.
 * ON_POST, WITHDRAWN and DECLINED are final.
 */
import { hubError } from '@p2p/schema';
import type { GraphQLError } from 'graphql';
import type { ReturnRequestStatus } from '../db/schema/index.js';

/** Every status a request may move to from each status. */
export const REQUEST_LIFE: Readonly<Record<ReturnRequestStatus, readonly ReturnRequestStatus[]>> =
  Object.freeze({
    FILED: ['ACKNOWLEDGED', 'ARRANGED', 'ON_POST', 'WITHDRAWN', 'DECLINED'],
    ACKNOWLEDGED: ['ARRANGED', 'ON_POST', 'WITHDRAWN', 'DECLINED'],
    ARRANGED: ['ACKNOWLEDGED', 'ON_POST', 'WITHDRAWN', 'DECLINED'],
    ON_POST: [],
    WITHDRAWN: [],
    DECLINED: [],
  });

/** The statuses in which a request is still open: not yet on a trip towards the enterprise. */
export const AWAITING_TRIP: readonly ReturnRequestStatus[] = Object.freeze(['FILED', 'ACKNOWLEDGED']);

/** True when a request in status `from` may move to `to`. */
export function mayBecome(from: ReturnRequestStatus, to: ReturnRequestStatus): boolean {
  return (REQUEST_LIFE[from] ?? []).includes(to);
}

/** True for a status no change leaves. */
export function isFinal(status: ReturnRequestStatus): boolean {
  return (REQUEST_LIFE[status] ?? []).length === 0;
}

/** The CONFLICT of a forbidden change, naming the request's status; undefined when allowed. */
export function refusedChange(
  id: string,
  from: ReturnRequestStatus,
  to: ReturnRequestStatus,
): GraphQLError | undefined {
  if (mayBecome(from, to)) return undefined;
  const why =
    from === to ? `it is already ${from}` : `it is ${from}, and a ${from} request cannot become ${to}`;
  return hubError('CONFLICT', `return request ${id}: ${why}`, { id, status: from });
}

/**
 * Refuses a forbidden change (see {@link REQUEST_LIFE}).
 * @throws CONFLICT naming the request's status (`extensions.status`).
 */
export function assertMayBecome(id: string, from: ReturnRequestStatus, to: ReturnRequestStatus): void {
  const refused = refusedChange(id, from, to);
  if (refused) throw refused;
}
