import { regionPrefix } from '@p2p/schema';
import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import { loaderFor, inIdOrder, type ProvinceContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { workers, type WorkerRow, type WorkerStatus } from '../db/schema/index.js';
import { insideRegion, keysetPage, orderById, type Connection, type PageArgs } from '../pagination.js';
import { isOwnId } from '../validation/ownership.js';

/** Reads workers by id in ONE statement (`id = ANY($1)`), in `ids` order, undefined when unknown. */
export async function findWorkers(db: Executor, ids: readonly string[]): Promise<(WorkerRow | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(workers)
    .where(sql`${workers.id} = ANY(${sql.param([...ids])}::text[])`);
  return inIdOrder(ids, rows);
}

/**
 * The request's Worker loader: all loads of one tick are one statement. Ids of other provinces,
 * malformed and unknown ids give null.
 */
export function workerLoader(ctx: ProvinceContext) {
  return loaderFor<WorkerRow | null>(ctx, 'worker', async (ids) => {
    const own = ids.filter((id) => isOwnId(id, 'Worker', ctx.province));
    const rows = await findWorkers(ctx.db, own);
    const found = new Map(rows.flatMap((r) => (r ? [[r.id, r] as const] : [])));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** Filters of the `workers` connection. */
export interface WorkerFilter extends PageArgs {
  homeRegion: string;
  status?: WorkerStatus | null;
}

/** A keyset page of the workers whose home is inside `homeRegion`, ordered by id. */
export function workerPage(db: Executor, args: WorkerFilter): Promise<Connection<WorkerRow>> {
  const filters: SQL[] = [insideRegion(workers.homeRegion, regionPrefix(args.homeRegion))];
  if (args.status) filters.push(eq(workers.status, args.status));
  return keysetPage<WorkerRow>(
    args,
    orderById(workers.id),
    (after, limit) =>
      db
        .select()
        .from(workers)
        .where(and(...filters, after))
        .orderBy(workers.id)
        .limit(limit),
    async () =>
      (
        await db
          .select({ n: count() })
          .from(workers)
          .where(and(...filters))
      )[0]?.n ?? 0,
  );
}
