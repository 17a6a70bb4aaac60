/**
 * The home province's copy of the return requests filed for its workers anywhere
 * (`worker_return_requests`), kept by the relay: stored when filed, moved along the life of a
 * request (`employment/request-life.ts`), and each change the home side makes itself
 * (ACKNOWLEDGED, ARRANGED, DECLINED, or back to ACKNOWLEDGED) answered to the enterprise's
 * province (a RETURN_REQUEST_ANSWER fact).
 */
import {
  decodeId,
  regionContains,
  type RelayedReturnRequest,
  type RelayedTrip,
  type ReturnRequestAnswerFact,
} from '@p2p/schema';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import {
  workerReturnRequests,
  workers,
  workerTrips,
  type ReturnRequestStatus,
  type WorkerReturnRequestRow,
} from '../db/schema/index.js';
import { AWAITING_TRIP, mayBecome } from '../employment/request-life.js';
import type { OutboxBatch } from '../outbox.js';
import { tellProvince } from '../relay/tell.js';

/** The status of a copy (a text column holding a {@link ReturnRequestStatus}). */
export const statusOf = (copy: WorkerReturnRequestRow): ReturnRequestStatus =>
  copy.status as ReturnRequestStatus;

/** True when a trip towards `destination` brings a worker to an enterprise in `region`: one lies inside the other. */
export function towards(destination: string, region: string): boolean {
  return regionContains(region, destination) || regionContains(destination, region);
}

/**
 * Moves a (locked) copy to `to`, when the life of a request allows it, and answers the enterprise's
 * province for the changes the home side makes. A change the life forbids is left undone: what
 * the relay brings after a change of the other side (a withdrawal crossing a decline) must not
 * block the relay; each side keeps the final status it reached first.
 * @returns the changed copy, or undefined when the change was not allowed.
 */
export async function changeCopy(
  ctx: ProvinceContext,
  tx: Tx,
  events: OutboxBatch,
  copy: WorkerReturnRequestRow,
  to: ReturnRequestStatus,
  change: { reason?: string | null; tripId?: string | null } = {},
): Promise<WorkerReturnRequestRow | undefined> {
  if (!mayBecome(statusOf(copy), to)) {
    ctx.log.info(
      { returnRequestId: copy.returnRequestId, status: copy.status, to },
      'return request change not applied: its status does not allow it',
    );
    return undefined;
  }
  const [changed] = await tx
    .update(workerReturnRequests)
    .set({
      status: to,
      updatedAt: sql`now()`,
      ...(to === 'WITHDRAWN' || to === 'DECLINED' ? { reason: change.reason ?? null } : {}),
      ...(to === 'ARRANGED' ? { tripId: change.tripId ?? null } : {}),
      ...(to === 'ACKNOWLEDGED' ? { tripId: null } : {}),
    })
    .where(eq(workerReturnRequests.returnRequestId, copy.returnRequestId))
    .returning();
  if (to === 'ACKNOWLEDGED' || to === 'ARRANGED' || to === 'DECLINED') answer(ctx, events, changed!, to);
  return changed;
}

/** Tells the enterprise's province (the one in the request's id) what the home side did. */
function answer(
  ctx: ProvinceContext,
  events: OutboxBatch,
  copy: WorkerReturnRequestRow,
  status: ReturnRequestAnswerFact['status'],
): void {
  tellProvince(ctx, events, decodeId(copy.returnRequestId, 'ReturnRequest').province, {
    fact: 'RETURN_REQUEST_ANSWER',
    returnRequestId: copy.returnRequestId,
    status,
    tripId: status === 'ARRANGED' ? copy.tripId : null,
    reason: status === 'DECLINED' ? copy.reason : null,
  });
}

/** The copies of `returnRequestIds` (or of `workerIds`' requests), locked for the transaction. */
export async function lockCopies(
  tx: Tx,
  filter: { returnRequestIds?: readonly string[]; workerIds?: readonly string[] },
): Promise<WorkerReturnRequestRow[]> {
  const where =
    filter.returnRequestIds !== undefined
      ? inArray(workerReturnRequests.returnRequestId, [...filter.returnRequestIds])
      : inArray(workerReturnRequests.workerId, [...(filter.workerIds ?? [])]);
  if ((filter.returnRequestIds ?? filter.workerIds ?? []).length === 0) return [];
  return tx
    .select()
    .from(workerReturnRequests)
    .where(where)
    .orderBy(workerReturnRequests.returnRequestId)
    .for('update');
}

/**
 * The home side has seen a request filed for its worker: stores the copy as ACKNOWLEDGED and
 * answers so; when he is already on an open trip towards the enterprise (as the home side knows
 * his trips, `worker_trips`), it is ARRANGED at once. A request stored before is left as it is.
 */
export async function storeCopy(
  ctx: ProvinceContext,
  tx: Tx,
  events: OutboxBatch,
  request: RelayedReturnRequest,
): Promise<void> {
  const [stored] = await tx
    .insert(workerReturnRequests)
    .values({
      returnRequestId: request.id,
      workerId: request.workerId,
      enterpriseId: request.enterpriseId,
      destinationRegion: request.destinationRegion,
      departureRegion: request.departureRegion,
      plannedReturnDate: request.plannedReturnDate,
      status: 'FILED',
      filedAt: new Date(request.filedAt),
    })
    .onConflictDoNothing()
    .returning();
  if (!stored) return;
  const acknowledged = await changeCopy(ctx, tx, events, stored, 'ACKNOWLEDGED');
  const [trip] = await tx
    .select({ id: workerTrips.tripId, destination: workerTrips.destination })
    .from(workerTrips)
    .where(
      and(
        eq(workerTrips.workerId, request.workerId),
        eq(workerTrips.onManifest, true),
        sql`(${workerTrips.tripStatus} = 'PLANNED' OR (${workerTrips.tripStatus} = 'DEPARTED' AND ${workerTrips.boarded}))`,
      ),
    )
    .orderBy(sql`${workerTrips.departureAt} DESC`)
    .limit(1);
  if (acknowledged && trip && towards(trip.destination, request.destinationRegion))
    await changeCopy(ctx, tx, events, acknowledged, 'ARRANGED', { tripId: trip.id });
}

/**
 * Workers of this province are on `trip` (assigned, or departed on it): their open requests
 * (FILED, ACKNOWLEDGED) of enterprises the trip goes towards become ARRANGED with it.
 */
export async function arrangeOnTrip(
  ctx: ProvinceContext,
  tx: Tx,
  events: OutboxBatch,
  trip: RelayedTrip,
  workerIds: readonly string[],
): Promise<void> {
  for (const copy of await lockCopies(tx, { workerIds })) {
    if (AWAITING_TRIP.includes(statusOf(copy)) && towards(trip.destination, copy.destinationRegion))
      await changeCopy(ctx, tx, events, copy, 'ARRANGED', { tripId: trip.id });
  }
}

/**
 * Workers of this province are no longer on `tripId` (taken off it, left behind when it departed,
 * or it was cancelled) before they are on post: their requests ARRANGED with it go back to
 * ACKNOWLEDGED, trip cleared, so the next trip towards the enterprise arranges them again.
 */
export async function unarrangeFromTrip(
  ctx: ProvinceContext,
  tx: Tx,
  events: OutboxBatch,
  tripId: string,
  workerIds: readonly string[],
): Promise<void> {
  for (const copy of await lockCopies(tx, { workerIds })) {
    if (statusOf(copy) === 'ARRANGED' && copy.tripId === tripId)
      await changeCopy(ctx, tx, events, copy, 'ACKNOWLEDGED');
  }
}

/**
 * The enterprise reported the worker on post: AT_WORK in the enterprise's region, employed by it
 * (nothing is written when he is already exactly that). The statistics follow through the
 * workers' statement triggers. The enterprise's claim names it his employer but does not open his
 * record to it (`employer_by_home` stays as his home side recorded it for that same employer, else
 * false): any enterprise may report any worker id it has seen, e.g. on a trip's manifest.
 * @returns false when he is not a worker of this province.
 */
export async function putOnPost(
  tx: Tx,
  workerId: string,
  enterpriseId: string,
  workRegion: string,
): Promise<boolean> {
  const [found] = await tx.select({ id: workers.id }).from(workers).where(eq(workers.id, workerId));
  if (!found) return false;
  await tx
    .update(workers)
    .set({
      status: 'AT_WORK',
      workRegion,
      employerId: enterpriseId,
      employerByHome: sql`${workers.employerByHome} AND ${workers.employerId} IS NOT DISTINCT FROM ${enterpriseId}`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(workers.id, workerId),
        sql`(${workers.status} <> 'AT_WORK' OR ${workers.workRegion} IS DISTINCT FROM ${workRegion} OR ${workers.employerId} IS DISTINCT FROM ${enterpriseId})`,
      ),
    );
  return true;
}

/**
 * The enterprise reported that the worker left it: his employer is cleared when it is this
 * enterprise. His status and work region stay (he is still out at work there, e.g. changing jobs,
 * until a trip or his home side records otherwise), so the statistics do not move.
 */
export async function leavePost(tx: Tx, workerId: string, enterpriseId: string): Promise<void> {
  await tx
    .update(workers)
    .set({ employerId: null, employerByHome: false, updatedAt: sql`now()` })
    .where(and(eq(workers.id, workerId), eq(workers.employerId, enterpriseId)));
}
