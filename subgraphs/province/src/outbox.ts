import type { RelayFact } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import type { Tx } from './db/database.js';
import { outbox, type OutboxKind, type ReturnRequestRow, type TripRow } from './db/schema/index.js';

/** An event to append to the outbox. */
export interface OutboxEvent {
  kind: OutboxKind;
  origin: string;
  destination: string;
  tripId?: string | null;
  returnRequestId?: string | null;
  payload: Record<string, unknown>;
  /** RELAY events: the province (six digits) that consumes it. */
  target?: string | null;
  /** RETURN_REQUEST_UPDATED events: the enterprise whose request changed. */
  enterpriseId?: string | null;
  /** DEPARTURE events: the home regions of this province's workers on the trip. */
  homeRegions?: string[] | null;
}

/**
 * The events of one mutation, collected while it runs and appended by {@link OutboxBatch.flush}
 * in the same transaction, so an event exists if and only if its change committed.
 */
export class OutboxBatch {
  private readonly events: OutboxEvent[] = [];
  private readonly localFacts: RelayFact[] = [];

  /** Queues a fact this province tells itself (`relay/tell.ts`), applied before the commit. */
  addLocalFact(fact: RelayFact): void {
    this.localFacts.push(fact);
  }

  /** The next queued local fact, removed from the queue. */
  takeLocalFact(): RelayFact | undefined {
    return this.localFacts.shift();
  }

  /** Queues an event. */
  add(event: OutboxEvent): void {
    this.events.push(event);
  }

  /** How many events are queued. */
  get size(): number {
    return this.events.length;
  }

  /**
   * Appends the queued events in one multi-row INSERT and sends one coalesced
   * `pg_notify('outbox', '')` wake-up (nothing at all when no event was queued).
   */
  async flush(tx: Tx): Promise<void> {
    if (this.localFacts.length > 0) throw new Error('local relay facts must be applied before the flush');
    if (this.events.length === 0) return;
    await tx.insert(outbox).values(
      this.events.map((e) => ({
        kind: e.kind,
        origin: e.origin,
        destination: e.destination,
        tripId: e.tripId ?? null,
        returnRequestId: e.returnRequestId ?? null,
        payload: e.payload,
        target: e.target ?? null,
        enterpriseId: e.enterpriseId ?? null,
        homeRegions: e.homeRegions ?? null,
      })),
    );
    await tx.execute(sql`SELECT pg_notify('outbox', '')`);
    this.events.length = 0;
  }
}

/** A trip event: the trip's routing regions plus a snapshot of its schedule and state (no personal data). */
export function tripEvent(kind: OutboxKind, trip: TripRow, extra: Record<string, unknown> = {}): OutboxEvent {
  return {
    kind,
    origin: trip.origin,
    destination: trip.destination,
    tripId: trip.id,
    payload: {
      tripId: trip.id,
      status: trip.status,
      mode: trip.mode,
      vehicleCode: trip.vehicleCode,
      departureAt: trip.departureAt.toISOString(),
      expectedArrivalAt: trip.expectedArrivalAt.toISOString(),
      arrivedAt: trip.arrivedAt?.toISOString() ?? null,
      ...extra,
    },
  };
}

/**
 * RETURN_REQUEST_FILED: origin is the worker's home region (where the request is pushed),
 * destination the enterprise's region. The payload carries ids and places only.
 */
export function returnRequestFiledEvent(request: ReturnRequestRow): OutboxEvent {
  return {
    kind: 'RETURN_REQUEST_FILED',
    origin: request.workerHomeRegion,
    destination: request.destinationRegion,
    returnRequestId: request.id,
    payload: {
      returnRequestId: request.id,
      enterpriseId: request.enterpriseId,
      workerId: request.workerId,
      departureRegion: request.departureRegion,
      plannedReturnDate: request.plannedReturnDate,
    },
  };
}
