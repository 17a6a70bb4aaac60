import { regionPrefix } from '@p2p/schema';
import { eq, gte, isNotNull, lte, type SQL } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { workers, type WorkerRow, type WorkerStatus } from '../db/schema/index.js';
import { insideRegion, tablePage, orderById, type Connection, type PageArgs } from '../pagination.js';
import { findRecords, ownRecordLoader } from '../own-records.js';
import { notBefore } from '../validation/measures.js';

/** Reads workers by id in ONE statement (`id = ANY($1)`), in `ids` order, undefined when unknown. */
export const findWorkers = (db: Executor, ids: readonly string[]): Promise<(WorkerRow | undefined)[]> =>
  findRecords(db, workers, ids);

/** The request's Worker loader (one statement per tick; foreign, malformed or unknown ids → null). */
export const workerLoader = (ctx: ProvinceContext) => ownRecordLoader(ctx, 'Worker', workers);

/** `TravelIntentFilter` of the contract: a destination region and a window of days. */
export interface IntentFilter {
  destination: string;
  from?: string | null;
  to?: string | null;
}

/** Filters of the `workers` connection. */
export interface WorkerFilter extends PageArgs {
  homeRegion: string;
  status?: WorkerStatus | null;
  intent?: IntentFilter | null;
}

/**
 * A keyset page of the workers whose home is inside `homeRegion`, ordered by id; with `status`,
 * those in that status; with `intent`, those who declared a destination inside
 * `intent.destination` with intent dates overlapping [`from`, `to`] (both days included; an
 * open end when not given).
 * @throws BAD_USER_INPUT when `intent.to` is before `intent.from`.
 */
export function workerPage(db: Executor, args: WorkerFilter): Promise<Connection<WorkerRow>> {
  const filters: SQL[] = [insideRegion(workers.homeRegion, regionPrefix(args.homeRegion))];
  if (args.status) filters.push(eq(workers.status, args.status));
  if (args.intent) filters.push(...intentWindow(args.intent));
  return tablePage<WorkerRow>(db, workers, filters, args, orderById(workers.id));
}

/**
 * The filters of an intent window, in the shape of `workers_intent_idx` (migration 0006): the
 * destination prefix (only workers who declared one), then the intent's dates overlapping the window.
 */
function intentWindow({ destination, from, to }: IntentFilter): SQL[] {
  if (from != null && to != null) notBefore(to, from, 'intent.to', 'intent.from');
  const filters = [
    isNotNull(workers.intentDestination),
    insideRegion(workers.intentDestination, regionPrefix(destination)),
  ];
  if (from != null) filters.push(gte(workers.intentLatestDate, from));
  if (to != null) filters.push(lte(workers.intentEarliestDate, to));
  return filters;
}
