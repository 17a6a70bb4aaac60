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
import type { ItemOutcome } from '../../batch-items.js';
import { byteText } from '../columns.js';

/** What an outbox event says happened. */
export type OutboxKind =
  | 'PLANNED'
  | 'DEPARTED'
  | 'ETA_CHANGED'
  | 'ARRIVED'
  | 'HANDED_OVER'
  | 'CANCELLED'
  | 'RETURN_REQUEST_FILED'
  /** A fact for another province (`target`), carried by the relay: see `src/relay/`. */
  | 'RELAY'
  /** A trip event for the home province of workers on it (topic `departures`, filter `home_regions`). */
  | 'DEPARTURE'
  /** A return request changed status (topic `returnRequestUpdates`, filter `enterprise_id`). */
  | 'RETURN_REQUEST_UPDATED';

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
    /**
     * `{ ids: [...] }`: the records the first call returned (and `items`, each item's outcome, for a
     * bulk mutation with per-item results); null while the first call runs.
     */
    result: jsonb('result').$type<{ ids: string[]; items?: ItemOutcome[] }>(),
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
    /** RELAY events: the province (six digits) that consumes it. */
    target: byteText('target'),
    /** RETURN_REQUEST_UPDATED events: the enterprise whose request changed. */
    enterpriseId: byteText('enterprise_id'),
    /** DEPARTURE events: the home regions of this province's workers on the trip. */
    homeRegions: byteText('home_regions').array(),
  },
  (t) => [
    index('outbox_destination_idx').on(t.destination, t.seq),
    index('outbox_origin_idx').on(t.origin, t.seq),
    index('outbox_target_idx').on(t.target, t.seq).where(sql`${t.target} IS NOT NULL`),
    index('outbox_enterprise_idx').on(t.enterpriseId, t.seq).where(sql`${t.enterpriseId} IS NOT NULL`),
  ],
);

/**
 * The epoch of this province's event sequence (one row, id 1): a random value drawn when the
 * outbox was created, drawn again when the sequence restarts (a restore). Relay positions and
 * client cursors carry it: a position of another epoch is CURSOR_EXPIRED.
 */
export const outboxEpoch = pgTable(
  'outbox_epoch',
  {
    id: smallint('id').primaryKey().default(1),
    epoch: text('epoch').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** The database the epoch was drawn in (`relay/database-identity.ts`); null until recorded. */
    databaseIdentity: jsonb('database_identity').$type<Record<string, string>>(),
  },
  (t) => [check('outbox_epoch_one_row', sql`${t.id} = 1`)],
);

/**
 * The re-telling of past trips' copies (migration 0016, `transport/copy-retelling.ts`), one row
 * (id 1): how far this province has walked its trips, in id order, telling each one's copy again
 * to every other province it touches. Trips that stopped changing before #17.2 were never told to
 * their destination's and stops' provinces. `finishedAt` is set once every trip was told.
 */
export const tripCopyRetelling = pgTable(
  'trip_copy_retelling',
  {
    id: smallint('id').primaryKey().default(1),
    /** The last trip re-told (trips are walked in id order); null: none yet. */
    afterTrip: byteText('after_trip'),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [check('trip_copy_retelling_one_row', sql`${t.id} = 1`)],
);

/**
 * The relay's inbox (consumer side): per source province, the position of its outbox up to which
 * this province has applied the RELAY events meant for it, updated in the same transaction as
 * their effects, so each event takes effect exactly once, in order per source.
 */
export const relayInbox = pgTable('relay_inbox', {
  /** The source province, six digits. */
  source: byteText('source').primaryKey(),
  /** The source's outbox epoch the position belongs to. */
  epoch: text('epoch').notNull(),
  /** The seq of the last applied event. */
  position: bigint('position', { mode: 'number' }).notNull(),
  /** How many events were applied in all. */
  applied: bigint('applied', { mode: 'number' }).notNull().default(0),
  /** When the last applied event was committed at the source. */
  lastEventAt: timestamp('last_event_at', { withTimezone: true, mode: 'date' }),
  /** When the last batch was applied here. */
  appliedAt: timestamp('applied_at', { withTimezone: true, mode: 'date' }),
});

/**
 * The relay's consumers (source side): how far each target province has applied this province's
 * RELAY events, as last reported by the relay. Retention never prunes past the lowest position.
 */
export const relayConsumers = pgTable('relay_consumers', {
  /** The consuming province, six digits. */
  target: byteText('target').primaryKey(),
  epoch: text('epoch').notNull(),
  position: bigint('position', { mode: 'number' }).notNull(),
  seenAt: timestamp('seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

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
