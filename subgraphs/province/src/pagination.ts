import {
  assertDay,
  assertInstant,
  badInput,
  decodeCursor,
  encodeCursor,
  pageSize,
  type Keyset,
} from '@p2p/schema';
import { and, count, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './db/database.js';

/** A Relay connection as resolvers return it; `totalCount` is counted only when selected. */
export interface Connection<N> {
  edges: { cursor: string; node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/**
 * How a connection is ordered: by `orderBy` (the `@shard` directive's orderBy field), then id.
 * The three kinds of the contract: by id, by a day (YYYY-MM-DD), by an instant (ISO string).
 */
export interface KeysetOrder<R> {
  /** The order value `k` of a row, as the cursor carries it. */
  keyOf(row: R): string;
  /** SQL: the row's keyset is strictly greater than `after`; throws BAD_USER_INPUT for a foreign k. */
  after(after: Keyset): SQL;
  /** The ORDER BY columns: the order value's, then id. */
  columns: readonly PgColumn[];
}

/** Ordered by id alone (Worker, Enterprise): k is the id. */
export function orderById<R extends { id: string }>(id: PgColumn): KeysetOrder<R> {
  return {
    keyOf: (row) => row.id,
    after: (a) => sql`${id} > ${a.id}`,
    columns: [id],
  };
}

/** Ordered by a date column (ReturnRequest.plannedReturnDate), then id; k is 'YYYY-MM-DD'. */
export function orderByDay<R extends { id: string }>(
  column: PgColumn,
  id: PgColumn,
  dayOf: (row: R) => string,
): KeysetOrder<R> {
  return {
    keyOf: dayOf,
    after: (a) => sql`(${column}, ${id}) > (${cursorValue(a, assertDay)}::date, ${a.id})`,
    columns: [column, id],
  };
}

/** Ordered by a timestamptz column (Trip.departureAt), then id; k is `date.toISOString()`. */
export function orderByInstant<R extends { id: string }>(
  column: PgColumn,
  id: PgColumn,
  instantOf: (row: R) => Date,
): KeysetOrder<R> {
  return {
    keyOf: (row) => instantOf(row).toISOString(),
    after: (a) =>
      sql`(${column}, ${id}) > (${cursorValue(a, assertInstant).toISOString()}::timestamptz, ${a.id})`,
    columns: [column, id],
  };
}

function cursorValue<T>(keyset: Keyset, parse: (v: unknown) => T): T {
  try {
    return parse(keyset.k);
  } catch {
    throw badInput('after: not a cursor returned by this connection', 'after');
  }
}

/** Arguments common to every connection. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * Reads one keyset page: `fetch(afterCondition, limit)` must apply the filters, AND the
 * condition (when given), ORDER BY the order value then id, and LIMIT; `count` counts all filtered rows.
 * Rows are those strictly after the `after` keyset; one extra row tells whether a next page exists.
 * @throws BAD_USER_INPUT for a malformed `after` or `first` out of 0..100.
 */
export async function keysetPage<R extends { id: string }>(
  args: PageArgs,
  order: KeysetOrder<R>,
  fetch: (after: SQL | undefined, limit: number) => Promise<R[]>,
  count: () => Promise<number>,
): Promise<Connection<R>> {
  const first = pageSize(args.first);
  const after = args.after != null ? order.after(decodeCursor(args.after)) : undefined;
  const rows = first === 0 ? [] : await fetch(after, first + 1);
  const page = rows.slice(0, first);
  const edges = page.map((row) => ({ cursor: encodeCursor({ k: order.keyOf(row), id: row.id }), node: row }));
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: () => (counted ??= count()),
  };
}

/**
 * A keyset page of the rows of `table` matching every one of `filters`, in `order`: one SELECT
 * (filters AND the `after` keyset, ORDER BY `order.columns`, LIMIT), one COUNT when `totalCount`
 * is read. See {@link keysetPage}.
 */
export function tablePage<R extends { id: string }>(
  db: Executor,
  table: PgTable,
  filters: readonly SQL[],
  args: PageArgs,
  order: KeysetOrder<R>,
): Promise<Connection<R>> {
  return keysetPage<R>(
    args,
    order,
    async (after, limit) =>
      (await db
        .select()
        .from(table)
        .where(and(...filters, after))
        .orderBy(...order.columns)
        .limit(limit)) as R[],
    async () =>
      (
        await db
          .select({ n: count() })
          .from(table)
          .where(and(...filters))
      )[0]?.n ?? 0,
  );
}

/** SQL: `column` is the region `prefix`'s region or lies inside it (see `regionPrefix`). */
export function insideRegion(column: PgColumn | SQL, prefix: string): SQL {
  return sql`${column} LIKE ${`${prefix}%`}`;
}
