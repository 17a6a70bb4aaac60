import { assertResidentId, encodeId, hubError, notFound, provinceOf, workerIdFor } from '@p2p/schema';
import { eq, sql } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { enterprises, returnRequests } from '../db/schema/index.js';
import { returnRequestFiledEvent, type OutboxBatch } from '../outbox.js';
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
}

/**
 * Most openings one enterprise may report (#11.13): totals stay `Int`, so inputs are bounded
 * far below 2^31 (a national sum reaches 2^31 only past 21,474 enterprises all at the bound;
 * a sum past 2^31 − 1 is a field error, never a wrapped number: README, Limits).
 */
export const MAX_OPENINGS = 100_000;

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
 * Files a return request for an enterprise of this province. The worker is validated and kept
 * as filed; `worker_id` is the id his home province gives him. Writes RETURN_REQUEST_FILED.
 */
export async function fileReturnRequest(
  ctx: ProvinceContext,
  tx: Tx,
  input: FileReturnRequestInput,
  events: OutboxBatch,
): Promise<string[]> {
  ownId(input.enterpriseId, 'Enterprise', ctx.province, 'input.enterpriseId');
  const idNumber = assertResidentId(input.worker.idNumber, 'input.worker.idNumber');
  const homeRegion = input.worker.homeRegion;
  const snapshot = {
    workerId: workerIdFor(idNumber, provinceOf(homeRegion), ctx.workerIdKey),
    workerName: requiredText(input.worker.name, 'input.worker.name', TEXT_LIMITS.name),
    workerIdNumber: idNumber,
    workerPhone: mobilePhone(input.worker.phone, 'input.worker.phone'),
    workerHomeRegion: homeRegion,
  };
  const [enterprise] = await tx
    .select({ region: enterprises.region })
    .from(enterprises)
    .where(eq(enterprises.id, input.enterpriseId));
  if (!enterprise) throw notFound('Enterprise', input.enterpriseId);
  const [request] = await tx
    .insert(returnRequests)
    .values({
      id: encodeId('ReturnRequest', ctx.province),
      enterpriseId: input.enterpriseId,
      destinationRegion: enterprise.region,
      departureRegion: input.departureRegion,
      plannedReturnDate: input.plannedReturnDate,
      ...snapshot,
    })
    .returning();
  events.add(returnRequestFiledEvent(request!));
  return [request!.id];
}

/**
 * The enterprise confirms the worker is on post: status ON_POST and one more filled opening.
 * @throws CONFLICT when the request is already ON_POST.
 */
export async function confirmOnPost(
  ctx: ProvinceContext,
  tx: Tx,
  returnRequestId: string,
): Promise<string[]> {
  ownId(returnRequestId, 'ReturnRequest', ctx.province, 'returnRequestId');
  const [request] = await tx
    .select()
    .from(returnRequests)
    .where(eq(returnRequests.id, returnRequestId))
    .for('update');
  if (!request) throw notFound('ReturnRequest', returnRequestId);
  if (request.status === 'ON_POST') {
    throw hubError('CONFLICT', `return request ${returnRequestId} is already confirmed on post`, {
      id: returnRequestId,
      status: request.status,
    });
  }
  await tx
    .update(returnRequests)
    .set({ status: 'ON_POST', onPostAt: sql`now()` })
    .where(eq(returnRequests.id, returnRequestId));
  await tx
    .update(enterprises)
    .set({ filled: sql`${enterprises.filled} + 1` })
    .where(eq(enterprises.id, request.enterpriseId));
  return [returnRequestId];
}
