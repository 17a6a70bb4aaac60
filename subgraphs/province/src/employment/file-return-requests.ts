/**
 * `fileReturnRequests` (#13.5): up to 1,000 return requests of enterprises of this province in one
 * call, item by item: each item is judged by the same validation as `fileReturnRequest`
 * (`validFiling`) and the same write rule (`refusalForEnterprise`: an enterprise only for itself,
 * an officer only in his region); an item that fails carries its error and the others are stored.
 */
import { badInput, notFound } from '@p2p/schema';
import { refusalForEnterprise } from '../access/write-rules.js';
import { callerIfBound } from '../access/request-access.js';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { encodeOutcome, itemErrorOf, type ItemOutcome } from '../item-outcomes.js';
import type { OutboxBatch } from '../outbox.js';
import { storeFilings, validFiling, type FileReturnRequestInput, type ValidFiling } from './mutations.js';
import { namedPosts, refusalForJob } from './job-posts.js';
import { findEnterprises } from './records.js';

/** Most items one `fileReturnRequests` call takes. */
export const MAX_BULK_FILINGS = 1_000;

/**
 * Files each input as `fileReturnRequest` would, in one transaction: every item validated first
 * (no statement), the enterprises read in one statement, the valid items stored in one multi-row
 * INSERT with their events and facts (`storeFilings`).
 * @returns one encoded outcome per input, in input order (`item-outcomes.ts`).
 * @throws BAD_USER_INPUT when more than {@link MAX_BULK_FILINGS} inputs are given (nothing is filed).
 */
export async function fileReturnRequests(
  ctx: ProvinceContext,
  tx: Tx,
  inputs: readonly FileReturnRequestInput[],
  events: OutboxBatch,
): Promise<string[]> {
  if (inputs.length > MAX_BULK_FILINGS)
    throw badInput(`inputs: at most ${MAX_BULK_FILINGS} return requests per call`, 'inputs');
  const outcomes: (ItemOutcome | undefined)[] = inputs.map(() => undefined);
  const filings = inputs.map((input, i) => {
    try {
      return validFiling(ctx, input, `inputs[${i}]`);
    } catch (err) {
      outcomes[i] = { error: itemErrorOf(err) };
      return undefined;
    }
  });
  const ids = [...new Set(filings.flatMap((f) => (f ? [f.enterpriseId] : [])))];
  const regions = new Map(
    (await findEnterprises(tx, ids)).flatMap((e) => (e ? [[e.id, e.region] as const] : [])),
  );
  const posts = await namedPosts(
    tx,
    filings.map((f) => f?.jobId),
  );
  const caller = callerIfBound(ctx);
  const accepted: { index: number; filing: ValidFiling; region: string }[] = [];
  filings.forEach((filing, index) => {
    if (!filing) return;
    const region = regions.get(filing.enterpriseId);
    const refused = !region
      ? notFound('Enterprise', filing.enterpriseId)
      : ((caller && refusalForEnterprise('fileReturnRequests', caller, filing.enterpriseId, region)) ??
        refusalForJob(filing.jobId, filing.enterpriseId, posts, `inputs[${index}].jobId`));
    if (refused) outcomes[index] = { error: itemErrorOf(refused) };
    else accepted.push({ index, filing, region: region! });
  });
  const stored = await storeFilings(ctx, tx, accepted, events);
  accepted.forEach(({ index }, i) => {
    outcomes[index] = { id: stored[i]!.id };
  });
  return outcomes.map((o) => encodeOutcome(o!));
}
