/**
 * Status changes of a return request in the enterprise's province, whoever makes them (the
 * enterprise's mutations, or its worker's home province through the relay): the row, its
 * RETURN_REQUEST_UPDATED event for `returnRequestUpdates`, and what the home province is told.
 */
import { notFound, provinceOf, type RelayedReturnRequest, type ReturnRequestFact } from '@p2p/schema';
import { eq, sql } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import {
  enterprises,
  jobPosts,
  returnRequests,
  staff,
  type ReturnRequestRow,
  type ReturnRequestStatus,
} from '../db/schema/index.js';
import type { OutboxBatch, OutboxEvent } from '../outbox.js';
import { tellProvince } from '../relay/tell.js';
import { ownId } from '../validation/ownership.js';
import { assertMayBecome } from './request-life.js';

/**
 * RETURN_REQUEST_UPDATED (topic `returnRequestUpdates`, filtered by `enterprise_id`): the request
 * changed to `status`. Origin is the worker's home, destination the enterprise's region, as for
 * RETURN_REQUEST_FILED. The payload carries ids and the status only.
 */
export function returnRequestUpdatedEvent(request: ReturnRequestRow): OutboxEvent {
  return {
    kind: 'RETURN_REQUEST_UPDATED',
    origin: request.workerHomeRegion,
    destination: request.destinationRegion,
    returnRequestId: request.id,
    enterpriseId: request.enterpriseId,
    payload: { returnRequestId: request.id, status: request.status },
  };
}

/** The request as the relay tells it: ids, places and dates (no name, resident ID or phone). */
export function relayedRequest(request: ReturnRequestRow): RelayedReturnRequest {
  return {
    id: request.id,
    enterpriseId: request.enterpriseId,
    workerId: request.workerId,
    destinationRegion: request.destinationRegion,
    departureRegion: request.departureRegion,
    plannedReturnDate: request.plannedReturnDate,
    filedAt: request.filedAt.toISOString(),
  };
}

/** Tells the worker's home province what the enterprise side did with the request. */
export function tellHome(
  ctx: ProvinceContext,
  events: OutboxBatch,
  request: ReturnRequestRow,
  status: ReturnRequestFact['status'],
): void {
  tellProvince(ctx, events, provinceOf(request.workerHomeRegion), {
    fact: 'RETURN_REQUEST',
    status,
    request: relayedRequest(request),
    reason: request.reason,
  });
}

/**
 * Reads a return request of this province and locks its row for the rest of the transaction.
 * @throws WRONG_PROVINCE for another province's request, NOT_FOUND for an unknown one.
 */
export async function lockReturnRequest(
  ctx: ProvinceContext,
  tx: Tx,
  returnRequestId: string,
  field = 'returnRequestId',
): Promise<ReturnRequestRow> {
  ownId(returnRequestId, 'ReturnRequest', ctx.province, field);
  const [request] = await tx
    .select()
    .from(returnRequests)
    .where(eq(returnRequests.id, returnRequestId))
    .for('update');
  if (!request) throw notFound('ReturnRequest', returnRequestId);
  return request;
}

/** What comes with a change: the reason (WITHDRAWN, DECLINED), the trip (ARRANGED). */
export interface RequestChange {
  reason?: string | null;
  tripId?: string | null;
}

/**
 * Moves a (locked) request to `to` and writes RETURN_REQUEST_UPDATED. ARRANGED sets the trip,
 * a return to ACKNOWLEDGED clears it; ON_POST counts one more filled opening of the enterprise
 * and records him as its staff.
 * @throws CONFLICT naming the status when the life of a request forbids the change.
 */
export async function changeRequestStatus(
  tx: Tx,
  events: OutboxBatch,
  request: ReturnRequestRow,
  to: ReturnRequestStatus,
  change: RequestChange = {},
): Promise<ReturnRequestRow> {
  assertMayBecome(request.id, request.status, to);
  const [changed] = await tx
    .update(returnRequests)
    .set({
      status: to,
      updatedAt: sql`now()`,
      ...(to === 'WITHDRAWN' || to === 'DECLINED' ? { reason: change.reason ?? null } : {}),
      ...(to === 'ARRANGED' ? { tripId: change.tripId ?? null } : {}),
      ...(to === 'ACKNOWLEDGED' ? { tripId: null } : {}),
      ...(to === 'ON_POST' ? { onPostAt: sql`now()` } : {}),
    })
    .where(eq(returnRequests.id, request.id))
    .returning();
  if (to === 'ON_POST') {
    await tx
      .update(enterprises)
      .set({ filled: sql`${enterprises.filled} + 1` })
      .where(eq(enterprises.id, request.enterpriseId));
    // #15: the post he was recruited through, once (ON_POST is final: `request-life.ts`)
    if (request.jobId)
      await tx
        .update(jobPosts)
        .set({ filled: sql`${jobPosts.filled} + 1` })
        .where(eq(jobPosts.id, request.jobId));
    await tx
      .insert(staff)
      .values({ enterpriseId: request.enterpriseId, workerId: request.workerId, status: 'ON_POST' })
      .onConflictDoUpdate({
        target: [staff.enterpriseId, staff.workerId],
        set: { status: 'ON_POST', updatedAt: sql`now()` },
      });
  }
  events.add(returnRequestUpdatedEvent(changed!));
  return changed!;
}
