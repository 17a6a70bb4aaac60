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
