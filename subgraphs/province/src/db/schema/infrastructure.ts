import {
  bigint,
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { byteText } from '../columns.js';

/** What an outbox event says happened. */
export type OutboxKind =
  | 'PLANNED'
  | 'DEPARTED'
  | 'ETA_CHANGED'
  | 'ARRIVED'
  | 'HANDED_OVER'
  | 'CANCELLED'
  | 'RETURN_REQUEST_FILED';

/**
 * Idempotency keys: the first call with a key stores which records it returned; the same key
 * again returns them, the same key for another operation or other input is refused. Keys are
 * scoped per caller (`scope`): one caller's key never meets another caller's call.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    /** Whose key it is: `role:subject` of the caller (see `idempotency.ts`, `keyScope`). */
    scope: byteText('scope').notNull().default(''),
    key: byteText('key').notNull(),
    operation: text('operation').notNull(),
    /** SHA-256 of the mutation's arguments (without the key). */
    requestHash: text('request_hash').notNull(),
    /** `{ ids: [...] }`: the records the first call returned; null while the first call runs. */
    result: jsonb('result').$type<{ ids: string[] }>(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  // The retention job deletes the oldest keys (src/retention/).
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    index('idempotency_keys_created_at_idx').on(t.createdAt),
  ],
);

/**
 * Transactional outbox: one row per event, written in the same transaction as the change, read
 * by cursor (`seq`) by the subscription service.
 */
export const outbox = pgTable(
  'outbox',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').$type<OutboxKind>().notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    origin: byteText('origin').notNull(),
    destination: byteText('destination').notNull(),
    tripId: byteText('trip_id'),
    returnRequestId: byteText('return_request_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    index('outbox_destination_idx').on(t.destination, t.seq),
    index('outbox_origin_idx').on(t.origin, t.seq),
  ],
);

/** A row of `outbox`. */
export type OutboxRow = typeof outbox.$inferSelect;

/**
 * How far the retention job pruned the outbox (one row, id 1; absent: nothing pruned yet): the
 * outbox feed never starts below it. Which subscriptions lost events is told by `outbox_pruned`.
 */
export const outboxRetention = pgTable(
  'outbox_retention',
  {
    id: smallint('id').primaryKey().default(1),
    /** Every event with a seq up to this one may be gone. */
    prunedThrough: bigint('pruned_through', { mode: 'number' }).notNull(),
    prunedAt: timestamp('pruned_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [check('outbox_retention_one_row', sql`${t.id} = 1`)],
);

/**
 * The highest pruned seq of an event matching each subscription filter: `topic` (`arrivals`: trip
 * events by destination; `returnRequestsFiled`: by origin) and `region`, a region-code prefix key
 * as the statistics use them ('', 2, 4, 6 or 9 digits: every prefix of the event's region). A
 * subscription with `after` below its filter's value has missed a pruned event: CURSOR_EXPIRED;
 * a filter that matched nothing pruned is never refused.
 */
export const outboxPruned = pgTable(
  'outbox_pruned',
  {
    topic: text('topic').notNull(),
    region: byteText('region').notNull(),
    through: bigint('through', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.topic, t.region] })],
);
