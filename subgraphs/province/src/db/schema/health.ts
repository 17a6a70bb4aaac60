import { index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { byteText } from '../columns.js';

/** Home quarantine or a centralised site. */
export type ObservationKind = 'HOME' | 'CENTRALISED';
/** Why an observation started. */
export type ObservationReason = 'FEVER_AT_ARRIVAL' | 'ORDERED';
/** How an observation ended. */
export type ObservationOutcome = 'RELEASED' | 'TRANSFERRED_TO_HOSPITAL';

/**
 * Observations in this province (logical subgraph `health`, migration 0008), of workers of any
 * province: the province where it happens owns the record; the worker's home follows through the
 * relay. At most one active per worker; one per fever of a trip's passenger.
 */
export const observations = pgTable(
  'observations',
  {
    id: byteText('id').primaryKey(),
    workerId: byteText('worker_id').notNull(),
    region: byteText('region').notNull(),
    kind: text('kind').$type<ObservationKind>().notNull(),
    site: text('site').notNull(),
    reason: text('reason').$type<ObservationReason>().notNull(),
    tripId: byteText('trip_id'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
    days: integer('days').notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
    outcome: text('outcome').$type<ObservationOutcome>(),
    /** His home region, once his home province confirmed it (its officers may then read it). */
    homeRegion: byteText('home_region'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('observations_region_idx').on(t.region, t.startedAt, t.id),
    index('observations_started_idx').on(t.startedAt, t.id),
    uniqueIndex('observations_active_worker_idx').on(t.workerId).where(sql`${t.endedAt} IS NULL`),
    uniqueIndex('observations_fever_idx')
      .on(t.tripId, t.workerId)
      .where(sql`${t.reason} = 'FEVER_AT_ARRIVAL'`),
  ],
);

/** A row of `observations`. */
export type ObservationRow = typeof observations.$inferSelect;
