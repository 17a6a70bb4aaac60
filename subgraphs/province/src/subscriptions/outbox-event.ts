/** An outbox event as the province's subscriptions deliver it. */
import type { OutboxKind } from '../db/schema/index.js';

/** An event as a subscription delivers it (ids and places only: no personal data). */
export interface OutboxEventRecord {
  /** The province's event sequence number: the subgraph cursor. */
  seq: number;
  kind: OutboxKind;
  at: Date;
  tripId: string | null;
  returnRequestId: string | null;
  /** The event's payload (ids, places, times, statuses: no personal data), e.g. a DEPARTURE's `kind`, a RETURN_REQUEST_UPDATED's `status`. */
  payload: Record<string, unknown>;
}

/**
 * The SQL select list of an outbox row as {@link outboxEventOf} reads it, on the table aliased `o`
 * (with `at` in epoch milliseconds, so no driver's date parsing is involved).
 */
export const OUTBOX_EVENT_COLUMNS =
  'o.seq, o.kind, (extract(epoch FROM o.at) * 1000)::float8 AS at_ms, o.trip_id, o.return_request_id, o.payload';

/** An outbox row as selected with {@link OUTBOX_EVENT_COLUMNS} (pg and PGlite return numbers or strings). */
export interface OutboxEventRow {
  seq: number | string | null;
  kind: OutboxKind;
  at_ms: number | string;
  trip_id: string | null;
  return_request_id: string | null;
  payload: Record<string, unknown> | string | null;
}

/** The event a subscription delivers, from its row. */
export function outboxEventOf(r: OutboxEventRow): OutboxEventRecord {
  return {
    seq: Number(r.seq),
    kind: r.kind,
    at: new Date(Number(r.at_ms)),
    tripId: r.trip_id,
    returnRequestId: r.return_request_id,
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) ?? {},
  };
}
