import { assertResidentId, encodeId, hubError, notFound, provinceOf, workerIdFor } from '@p2p/schema';
import { and, eq, ne } from 'drizzle-orm';
import { inIdOrder, type ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { enterprises, returnRequests, staff, type ReturnRequestRow } from '../db/schema/index.js';
import { returnRequestFiledEvent, type OutboxBatch } from '../outbox.js';
import { namedPosts, refusalForJob } from './job-posts.js';
import { MAX_OPENINGS } from './openings-bound.js';
import { findEnterprises } from './records.js';
import { assertMayBecome } from './request-life.js';
import {
  changeRequestStatus,
  lockReturnRequest,
  returnRequestUpdatedEvent,
  tellHome,
} from './request-status.js';
import { intInRange } from '../validation/measures.js';
import { ownId, ownRegion } from '../validation/ownership.js';
import { mobilePhone, requiredText, TEXT_LIMITS } from '../validation/text.js';

/** `RegisterEnterpriseInput` of the contract. */
export interface RegisterEnterpriseInput {
  name: string;
  region: string;
  sector: string;
  key?: boolean | null;
}

/** `FileReturnRequestInput` of the contract. */
export interface FileReturnRequestInput {
  enterpriseId: string;
  worker: { name: string; idNumber: string; phone: string; homeRegion: string };
  plannedReturnDate: string;
  departureRegion: string;
  /** The enterprise's job post he was recruited through (#15). */
  jobId?: string | null;
}

export { MAX_OPENINGS } from './openings-bound.js';

/** Registers an enterprise located in this province. Every call creates one (retry with an idempotency key). */
export async function registerEnterprise(
  ctx: ProvinceContext,
  tx: Tx,
  input: RegisterEnterpriseInput,
): Promise<string[]> {
  const row = {
    id: encodeId('Enterprise', ctx.province),
    region: ownRegion(input.region, ctx.province, 'input.region', 'enterprise region'),
    name: requiredText(input.name, 'input.name', TEXT_LIMITS.enterpriseName),
    sector: requiredText(input.sector, 'input.sector', TEXT_LIMITS.sector),
    key: input.key ?? false,
  };
  await tx.insert(enterprises).values(row);
  return [row.id];
}

/** Sets an enterprise's current openings and, when given, how many of them are filled (≤ openings). */
export async function reportLaborDemand(
  ctx: ProvinceContext,
  tx: Tx,
  enterpriseId: string,
  openings: number,
  filled?: number | null,
): Promise<string[]> {
  ownId(enterpriseId, 'Enterprise', ctx.province, 'enterpriseId');
  intInRange(openings, 'openings', 0, MAX_OPENINGS);
  if (filled != null) intInRange(filled, 'filled', 0, openings);
  const rows = await tx
    .update(enterprises)
    .set({ openings, ...(filled != null ? { filled } : {}) })
    .where(eq(enterprises.id, enterpriseId))
    .returning({ id: enterprises.id });
  if (rows.length === 0) throw notFound('Enterprise', enterpriseId);
  return [enterpriseId];
}

/**
 * Makes an enterprise a key enterprise or no longer one. Setting the value it already has writes
 * nothing (no counter delta); a flip moves its openings and filled openings into or out of the
 * key counters (migration 0010), from the day it changes.
 */
export async function setKeyEnterprise(
  ctx: ProvinceContext,
  tx: Tx,
  enterpriseId: string,
  key: boolean,
): Promise<string[]> {
  ownId(enterpriseId, 'Enterprise', ctx.province, 'enterpriseId');
  const changed = await tx
    .update(enterprises)
    .set({ key })
    .where(and(eq(enterprises.id, enterpriseId), ne(enterprises.key, key)))
    .returning({ id: enterprises.id });
  if (changed.length === 0 && !(await findEnterprises(tx, [enterpriseId]))[0])
    throw notFound('Enterprise', enterpriseId);
  return [enterpriseId];
}

/** A filing validated: the row to store but the enterprise's region. */
export type ValidFiling = Omit<typeof returnRequests.$inferInsert, 'id' | 'destinationRegion'>;

/**
 * Validates one filing: the rules of `fileReturnRequest` and of each item of `fileReturnRequests`
 * (one function, so they cannot drift). `at` prefixes the field names (`input`, `inputs[3]`).
 * @throws BAD_USER_INPUT, WRONG_PROVINCE (an enterprise of another province)
 */
export function validFiling(ctx: ProvinceContext, input: FileReturnRequestInput, at = 'input'): ValidFiling {
  ownId(input.enterpriseId, 'Enterprise', ctx.province, `${at}.enterpriseId`);
  const idNumber = assertResidentId(input.worker.idNumber, `${at}.worker.idNumber`);
  const homeRegion = input.worker.homeRegion;
  return {
    enterpriseId: input.enterpriseId,
    workerId: workerIdFor(idNumber, provinceOf(homeRegion), ctx.workerIdKey),
    workerName: requiredText(input.worker.name, `${at}.worker.name`, TEXT_LIMITS.name),
    workerIdNumber: idNumber,
    workerPhone: mobilePhone(input.worker.phone, `${at}.worker.phone`),
    workerHomeRegion: homeRegion,
    departureRegion: input.departureRegion,
    plannedReturnDate: input.plannedReturnDate,
    jobId: input.jobId ?? null,
  };
}

/**
 * Stores validated filings of existing enterprises of this province (one multi-row INSERT) and
 * announces each: RETURN_REQUEST_FILED (`returnRequestsFiled`), RETURN_REQUEST_UPDATED FILED
 * (`returnRequestUpdates`) and a RETURN_REQUEST FILED fact for the worker's home province (applied
 * at once when that is this province).
 * @param regions the region of each filing's enterprise.
 * @returns the stored requests, in the order given.
 */
export async function storeFilings(
  ctx: ProvinceContext,
  tx: Tx,
  filings: readonly { filing: ValidFiling; region: string }[],
  events: OutboxBatch,
): Promise<ReturnRequestRow[]> {
  if (filings.length === 0) return [];
  const values = filings.map(({ filing, region }) => ({
    ...filing,
    id: encodeId('ReturnRequest', ctx.province),
    destinationRegion: region,
  }));
  const rows = inIdOrder(
    values.map((v) => v.id),
    await tx.insert(returnRequests).values(values).returning(),
  ) as ReturnRequestRow[];
  for (const request of rows) {
    events.add(returnRequestFiledEvent(request));
    events.add(returnRequestUpdatedEvent(request));
    tellHome(ctx, events, request, 'FILED');
  }
  return rows;
}

/**
 * Files a return request for an enterprise of this province. The worker is validated and kept
 * as filed; `worker_id` is the id his home province gives him. Writes RETURN_REQUEST_FILED and
 * RETURN_REQUEST_UPDATED, and tells his home province (`storeFilings`).
 */
export async function fileReturnRequest(
  ctx: ProvinceContext,
  tx: Tx,
  input: FileReturnRequestInput,
  events: OutboxBatch,
): Promise<string[]> {
  const filing = validFiling(ctx, input);
  const [enterprise] = await findEnterprises(tx, [input.enterpriseId]);
  if (!enterprise) throw notFound('Enterprise', input.enterpriseId);
  const refused = refusalForJob(
    filing.jobId,
    filing.enterpriseId,
    await namedPosts(tx, [filing.jobId]),
    'input.jobId',
  );
  if (refused) throw refused;
  const [request] = await storeFilings(ctx, tx, [{ filing, region: enterprise.region }], events);
  return [request!.id];
}

/**
 * Refuses to confirm a request for a worker the enterprise already has on post through another
 * request (he has not LEFT since): one person fills one opening, however many requests were filed
 * for him. The enterprise's row is locked first, so two confirmations for him run one after the other.
 * @throws CONFLICT naming the request that already put him on post.
 */
async function assertNotOnPostAlready(tx: Tx, request: ReturnRequestRow): Promise<void> {
  await tx
    .select({ id: enterprises.id })
    .from(enterprises)
    .where(eq(enterprises.id, request.enterpriseId))
    .for('update');
  const [already] = await tx
    .select({ id: returnRequests.id })
    .from(returnRequests)
    .innerJoin(
      staff,
      and(eq(staff.enterpriseId, returnRequests.enterpriseId), eq(staff.workerId, returnRequests.workerId)),
    )
    .where(
      and(
        eq(returnRequests.enterpriseId, request.enterpriseId),
        eq(returnRequests.workerId, request.workerId),
        eq(returnRequests.status, 'ON_POST'),
        ne(returnRequests.id, request.id),
        eq(staff.status, 'ON_POST'),
      ),
    )
    .limit(1);
  if (already)
    throw hubError(
      'CONFLICT',
      `return request ${request.id}: its worker is already on post at the enterprise through return request ${already.id} (one person fills one opening); withdraw this one, or report him LEFT first`,
      { id: request.id, status: request.status },
    );
}

/**
 * The enterprise confirms the worker is on post: status ON_POST, one more filled opening, and his
 * home province is told (it sets him AT_WORK there).
 * @throws CONFLICT when the request is already ON_POST, WITHDRAWN or DECLINED, or when the worker is
 *   already on post at the enterprise through another request.
 */
export async function confirmOnPost(
  ctx: ProvinceContext,
  tx: Tx,
  returnRequestId: string,
  events: OutboxBatch,
): Promise<string[]> {
  const request = await lockReturnRequest(ctx, tx, returnRequestId);
  assertMayBecome(request.id, request.status, 'ON_POST');
  await assertNotOnPostAlready(tx, request);
  const onPost = await changeRequestStatus(tx, events, request, 'ON_POST');
  tellHome(ctx, events, onPost, 'ON_POST');
  return [returnRequestId];
}

/**
 * The enterprise no longer needs the worker (before he is on post): WITHDRAWN with a reason, and
 * his home province is told.
 * @throws CONFLICT when the request is already ON_POST, WITHDRAWN or DECLINED.
 */
export async function withdrawReturnRequest(
  ctx: ProvinceContext,
  tx: Tx,
  returnRequestId: string,
  reason: string,
  events: OutboxBatch,
): Promise<string[]> {
  const why = requiredText(reason, 'reason', TEXT_LIMITS.reason);
  const request = await lockReturnRequest(ctx, tx, returnRequestId);
  const withdrawn = await changeRequestStatus(tx, events, request, 'WITHDRAWN', { reason: why });
  tellHome(ctx, events, withdrawn, 'WITHDRAWN');
  return [returnRequestId];
}
