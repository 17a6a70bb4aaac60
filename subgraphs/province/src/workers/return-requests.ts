/**
 * The return requests of a worker as his home province knows them (its copies, kept by the
 * relay): `Worker.returnRequests` and `declineReturnRequest`.
 */
import { decodeId, hubError, notFound } from '@p2p/schema';
import { and, desc, eq } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Executor, Tx } from '../db/database.js';
import { workerReturnRequests, workers } from '../db/schema/index.js';
import { assertMayBecome } from '../employment/request-life.js';
import { entityRef } from '../graphql/references.js';
import type { OutboxBatch } from '../outbox.js';
import { intInRange } from '../validation/measures.js';
import { ownId } from '../validation/ownership.js';
import { requiredText, TEXT_LIMITS } from '../validation/text.js';
import { changeCopy, statusOf } from './request-copies.js';

/** Most requests `Worker.returnRequests(first:)` returns. */
export const MAX_WORKER_REQUESTS = 100;

/**
 * The return requests filed for a worker, newest first, as references the enterprise's province
 * resolves (`{ __typename: 'ReturnRequest', id }`).
 * @throws BAD_USER_INPUT when `first` is outside 0..{@link MAX_WORKER_REQUESTS}.
 */
export async function returnRequestsOf(
  db: Executor,
  workerId: string,
  first: number,
): Promise<{ __typename: 'ReturnRequest'; id: string }[]> {
  intInRange(first, 'first', 0, MAX_WORKER_REQUESTS);
  if (first === 0) return [];
  const rows = await db
    .select({ id: workerReturnRequests.returnRequestId })
    .from(workerReturnRequests)
    .where(eq(workerReturnRequests.workerId, workerId))
    .orderBy(desc(workerReturnRequests.filedAt), desc(workerReturnRequests.returnRequestId))
    .limit(first);
  return rows.map((r) => entityRef('ReturnRequest', r.id));
}

/**
 * The worker, through his home province, declines a return request filed for him: his home's copy
 * becomes DECLINED with the reason, and the enterprise's province is answered (its record becomes
 * DECLINED when the relay delivers it; at once when it is this province).
 * @throws NOT_FOUND when no request of that id is known here for this worker (another worker's
 *   request included); CONFLICT naming the status when it is already ON_POST, WITHDRAWN or DECLINED.
 */
export async function declineReturnRequest(
  ctx: ProvinceContext,
  tx: Tx,
  workerId: string,
  returnRequestId: string,
  reason: string,
  events: OutboxBatch,
): Promise<string[]> {
  ownId(workerId, 'Worker', ctx.province, 'workerId');
  decodeId(returnRequestId, 'ReturnRequest', 'returnRequestId');
  const why = requiredText(reason, 'reason', TEXT_LIMITS.reason);
  const [worker] = await tx.select({ id: workers.id }).from(workers).where(eq(workers.id, workerId));
  if (!worker) throw notFound('Worker', workerId);
  const [copy] = await tx
    .select()
    .from(workerReturnRequests)
    .where(
      and(
        eq(workerReturnRequests.returnRequestId, returnRequestId),
        eq(workerReturnRequests.workerId, workerId),
      ),
    )
    .for('update');
  if (!copy) {
    throw hubError(
      'NOT_FOUND',
      `no return request ${returnRequestId} is known here for worker ${workerId} (his home province learns of requests through the relay)`,
      { id: returnRequestId },
    );
  }
  assertMayBecome(returnRequestId, statusOf(copy), 'DECLINED');
  await changeCopy(ctx, tx, events, copy, 'DECLINED', { reason: why });
  return [workerId];
}
