/**
 * The enterprise's return requests as the screen shows them: the list query's answer and the
 * live `returnRequestUpdates` events folded into one record per request, in the order they
 * arrive. A record replaces the one held when it is at least as new (`updatedAt`), so a list read
 * before an event never undoes it, and a later read of the same status (a trip's new ETA) wins.
 */

/** What the merge needs of a return request. */
export interface MergeableRequest {
  id: string;
  updatedAt: string;
  filedAt: string;
}

/** Requests by id. */
export type RequestsById<R extends MergeableRequest> = ReadonlyMap<string, R>;

/** `held` with each of `incoming` folded in (a new map when anything changed, `held` otherwise). */
export function foldRequests<R extends MergeableRequest>(
  held: RequestsById<R>,
  incoming: readonly R[],
): RequestsById<R> {
  let next: Map<string, R> | undefined;
  for (const record of incoming) {
    const current = (next ?? held).get(record.id);
    if (current && Date.parse(current.updatedAt) > Date.parse(record.updatedAt)) continue;
    if (current === record) continue;
    next ??= new Map(held);
    next.set(record.id, record);
  }
  return next ?? held;
}

/** The requests newest filed first (then by id, so the order is stable). */
export function newestFiledFirst<R extends MergeableRequest>(requests: RequestsById<R>): R[] {
  return [...requests.values()].sort(
    (a, b) => Date.parse(b.filedAt) - Date.parse(a.filedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** How many requests are in each status (statuses with none are absent). */
export function countByStatus<S extends string>(
  requests: Iterable<{ status: S }>,
): Partial<Record<S, number>> {
  const counts: Partial<Record<S, number>> = {};
  for (const { status } of requests) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
