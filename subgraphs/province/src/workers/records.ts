import { regionPrefix } from '@p2p/schema';
import { eq, type SQL } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { workers, type WorkerRow, type WorkerStatus } from '../db/schema/index.js';
import { insideRegion, tablePage, orderById, type Connection, type PageArgs } from '../pagination.js';
import { findRecords, ownRecordLoader } from '../own-records.js';

/** Reads workers by id in ONE statement (`id = ANY($1)`), in `ids` order, undefined when unknown. */
export const findWorkers = (db: Executor, ids: readonly string[]): Promise<(WorkerRow | undefined)[]> =>
  findRecords(db, workers, ids);

/** The request's Worker loader (one statement per tick; foreign, malformed or unknown ids → null). */
export const workerLoader = (ctx: ProvinceContext) => ownRecordLoader(ctx, 'Worker', workers);

/** Filters of the `workers` connection. */
export interface WorkerFilter extends PageArgs {
  homeRegion: string;
  status?: WorkerStatus | null;
}

/** A keyset page of the workers whose home is inside `homeRegion`, ordered by id. */
export function workerPage(db: Executor, args: WorkerFilter): Promise<Connection<WorkerRow>> {
  const filters: SQL[] = [insideRegion(workers.homeRegion, regionPrefix(args.homeRegion))];
  if (args.status) filters.push(eq(workers.status, args.status));
  return tablePage<WorkerRow>(db, workers, filters, args, orderById(workers.id));
}
