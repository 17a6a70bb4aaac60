/**
 * Reading this province's own records of one type by id, batched: the finder (one
 * `id = ANY($1)` statement for any number of ids) and the request's DataLoader built on it
 * ({@link ownRecordLoader}), shared by workers, enterprises, return requests and trips.
 */
import type { EntityKind } from '@p2p/schema';
import type DataLoader from 'dataloader';
import { sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { inIdOrder, loaderFor, type ProvinceContext } from './context.js';
import type { Executor } from './db/database.js';
import { isOwnId } from './validation/ownership.js';

/** A table of records keyed by a text `id` (an id that encodes its owning province), with rows `R`. */
export type RecordTable<R extends { id: string }> = PgTable & { id: AnyPgColumn; $inferSelect: R };

/** Reads records by id in ONE statement (`id = ANY($1)`), in `ids` order, undefined when unknown. */
export async function findRecords<R extends { id: string }>(
  db: Executor,
  table: RecordTable<R>,
  ids: readonly string[],
): Promise<(R | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(table as PgTable)
    .where(sql`${table.id} = ANY(${sql.param([...ids])}::text[])`);
  return inIdOrder(ids, rows as R[]);
}

/**
 * The request's loader of this province's `kind` records in `table`: all loads of one tick are
 * one statement; ids of other provinces, of another kind, malformed or unknown give null (and
 * are not sent to the database).
 */
export function ownRecordLoader<R extends { id: string }>(
  ctx: ProvinceContext,
  kind: EntityKind,
  table: RecordTable<R>,
): DataLoader<string, R | null> {
  return loaderFor<R | null>(ctx, `own ${kind}`, async (ids) => {
    const own = ids.filter((id) => isOwnId(id, kind, ctx.province));
    const found = new Map(
      (await findRecords(ctx.db, table, own)).flatMap((r) => (r ? [[r.id, r] as const] : [])),
    );
    return ids.map((id) => found.get(id) ?? null);
  });
}
