/**
 * Judging the items of a report about workers (a health check, a travel intent), one or up to
 * 1,000 at a time, exactly as the single mutation judges its one: the single mutations run through
 * here with one item, so the two cannot drift.
 */
import { notFound } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { callerIfBound } from '../access/request-access.js';
import { assertMayChangeWorker } from '../access/write-rules.js';
import { itemCheck, type ItemResult } from '../batch-items.js';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { workers } from '../db/schema/index.js';
import { ownId } from '../validation/ownership.js';

/** One item: the worker and what is reported about him (`HealthCheckItemInput`, `TravelIntentItemInput`). */
export interface WorkerItem<I> {
  workerId: string;
  input: I;
}

/** An item that passed every check: its position, the worker and the input as validated. */
export interface AcceptedItem<V> {
  index: number;
  workerId: string;
  value: V;
}

/** The items judged: an error for each refused one (the others undefined), and those to write. */
export interface JudgedItems<V> {
  results: (ItemResult | undefined)[];
  accepted: AcceptedItem<V>[];
}

/**
 * Judges every item in the order a single call is judged (the write rule runs before the
 * mutation, which then checks the id, the input and the record):
 * 1. the id: malformed → BAD_USER_INPUT, another province's → WRONG_PROVINCE;
 * 2. the caller's right over the STORED worker (`assertMayChangeWorker` of `operation`, the single
 *    mutation's name) → FORBIDDEN; not checked for an unrestricted request;
 * 3. the input (`validate`) → BAD_USER_INPUT;
 * 4. the worker exists → NOT_FOUND.
 * The stored workers are read in ONE statement for all items.
 */
export async function judgeWorkerItems<I, V>(
  ctx: ProvinceContext,
  tx: Tx,
  operation: string,
  items: readonly WorkerItem<I>[],
  validate: (input: I) => V,
): Promise<JudgedItems<V>> {
  const caller = callerIfBound(ctx);
  const results: (ItemResult | undefined)[] = items.map(() => undefined);
  const ids = items.map((item, index) => {
    const id = itemCheck(() => ownId(item.workerId, 'Worker', ctx.province, 'workerId'));
    if ('ok' in id) return id.ok;
    results[index] = id;
    return undefined;
  });
  const homes = await storedHomes(tx, ids);
  const accepted: AcceptedItem<V>[] = [];
  items.forEach((item, index) => {
    const workerId = ids[index];
    if (workerId === undefined) return;
    const home = homes.get(workerId);
    const checked = itemCheck(() => {
      if (caller) assertMayChangeWorker(operation, caller, workerId, home);
      const value = validate(item.input);
      if (home === undefined) throw notFound('Worker', workerId);
      return value;
    });
    if ('ok' in checked) accepted.push({ index, workerId, value: checked.ok });
    else results[index] = checked;
  });
  return { results, accepted };
}

/** The stored home region of each known worker among `ids` (one statement). */
async function storedHomes(tx: Tx, ids: readonly (string | undefined)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => id !== undefined))];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .select({ id: workers.id, homeRegion: workers.homeRegion })
    .from(workers)
    .where(sql`${workers.id} = ANY(${sql.param(unique)}::text[])`);
  return new Map(rows.map((r) => [r.id, r.homeRegion]));
}

/**
 * The results of every item once the accepted ones are written: each accepted item's record is
 * its worker.
 */
export function itemResults<V>(judged: JudgedItems<V>): ItemResult[] {
  const results = [...judged.results];
  for (const item of judged.accepted) results[item.index] = { id: item.workerId };
  return results.map((r, index) => {
    if (!r) throw new Error(`item ${index} was neither accepted nor refused`);
    return r;
  });
}

/**
 * The one result of a single call, or its item's error thrown as the call's own (with its
 * `extensions`, e.g. the field).
 */
export function singleResult(results: readonly ItemResult[]): string[] {
  const [result] = results;
  if (!result) throw new Error('a single call gave no result');
  if ('error' in result) throw result.error;
  return [result.id];
}

/**
 * The items to write, one per worker, in worker id order: two concurrent calls touching the same
 * workers then lock their rows in the same order (the UPDATE's join follows the unnest), instead of
 * deadlocking on items given in opposite orders.
 */
export function inWorkerOrder<V>(byWorker: ReadonlyMap<string, AcceptedItem<V>>): AcceptedItem<V>[] {
  return [...byWorker.values()].sort((a, b) =>
    a.workerId < b.workerId ? -1 : a.workerId > b.workerId ? 1 : 0,
  );
}
