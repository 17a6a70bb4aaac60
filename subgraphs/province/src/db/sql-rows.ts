/**
 * The rows of a raw `db.execute(sql…)` result: node-postgres answers a `QueryResult` (`rows`),
 * PGlite `{ rows }` as well, and some drizzle drivers a bare array.
 */
export function rowsOf<R>(result: unknown): R[] {
  if (Array.isArray(result)) return result as R[];
  return ((result as { rows?: R[] } | null)?.rows ?? []) as R[];
}
