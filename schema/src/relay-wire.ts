/**
 * The wire format of the relay between the gateway's relay and the provinces' relay endpoints
 * (`POST /relay/events`, `/relay/apply`, `/relay/inbox` on each province's port; plain JSON, not
 * the contract's GraphQL). Shared by both sides, so it lives in the contract package.
 */
import type { RelayedEvent } from './relay-facts.js';

/** The relay's paths on a province's port. */
export const RELAY_ENDPOINTS = Object.freeze({
  /** Source side: the RELAY events for some targets after their positions (a long poll). */
  events: '/relay/events',
  /** Target side: apply a batch of one source's events. */
  apply: '/relay/apply',
  /** Target side: where the inbox of every source stands. */
  inbox: '/relay/inbox',
});

/** Where one target stands in a source's events: the position its inbox holds for that source. */
export interface RelayConsumerPosition {
  /** The consuming province, six digits. */
  target: string;
  /** The source's epoch of the position; null for a target that never applied anything of it. */
  epoch: string | null;
  /** The seq of the last event the target applied (0: none). */
  after: number;
}

/** `POST /relay/events` body. */
export interface RelayEventsRequest {
  consumers: RelayConsumerPosition[];
  /** Events per target at most (0: only heads and backlogs). @default 500 */
  limit?: number;
  /** Wait this long for a first event when there is none. @default 0 */
  waitMs?: number;
}

/** Why a source refuses a target's position (the other targets are still served). */
export interface RelayRefusal {
  code: 'CURSOR_EXPIRED' | 'BAD_USER_INPUT';
  message: string;
}

/** A source's answer for one target. */
export interface RelayConsumerBatch {
  target: string;
  /** The next events after its position, in seq order. */
  events: RelayedEvent[];
  /** The highest seq of an event for this target committed at the source. */
  head: number;
  /** Events for this target after its position, those returned included (counted up to 100,000). */
  pending: number;
  refused?: RelayRefusal;
}

/** `POST /relay/events` answer. */
export interface RelayEventsAnswer {
  /** The source's current outbox epoch. */
  epoch: string;
  /** How many days the source keeps its events (0: for ever): a target further behind is an alarm. */
  retentionDays: number;
  consumers: RelayConsumerBatch[];
}

/** `POST /relay/apply` body: events of one source, read after `after`. */
export interface RelayApplyRequest {
  source: string;
  epoch: string;
  after: number;
  events: RelayedEvent[];
}

/** Where a target's inbox of one source stands. */
export interface RelayInboxPosition {
  source: string;
  epoch: string;
  position: number;
  /** Events applied in all. */
  applied: number;
  /** The source's commit time of the last applied event (ISO 8601). */
  lastEventAt: string | null;
  /** When the last batch was applied (the target's clock, ISO 8601). */
  appliedAt: string | null;
}

/** `POST /relay/apply` answer: the inbox after the batch. */
export interface RelayApplyAnswer extends RelayInboxPosition {
  /** Events of the batch that took effect now. */
  appliedNow: number;
  /** Events of the batch applied before (redelivered). */
  skipped: number;
}

/** `POST /relay/inbox` answer. */
export interface RelayInboxAnswer {
  province: string;
  inbox: RelayInboxPosition[];
}
