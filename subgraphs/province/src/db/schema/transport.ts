import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { byteText } from '../columns.js';
import type { TransportMode } from './workers.js';

/** The lifecycle of a trip: PLANNED → DEPARTED → ARRIVED → HANDED_OVER, or CANCELLED. */
export type TripStatus = 'PLANNED' | 'DEPARTED' | 'ARRIVED' | 'HANDED_OVER' | 'CANCELLED';

/**
 * Trips organised by this province (logical subgraph `transport`): by default their origin is in
 * it; a receiving side may organise a pick-up from anywhere (`organizer`).
 */
export const trips = pgTable(
  'trips',
  {
    id: byteText('id').primaryKey(),
    /** The region whose officer planned it (inside this province). */
    organizer: byteText('organizer').notNull(),
    mode: text('mode').$type<TransportMode>().notNull(),
    vehicleCode: text('vehicle_code').notNull(),
    origin: byteText('origin').notNull(),
    destination: byteText('destination').notNull(),
    departureAt: timestamp('departure_at', { withTimezone: true, mode: 'date' }).notNull(),
    expectedArrivalAt: timestamp('expected_arrival_at', { withTimezone: true, mode: 'date' }).notNull(),
    arrivedAt: timestamp('arrived_at', { withTimezone: true, mode: 'date' }),
    capacity: integer('capacity').notNull(),
    status: text('status').$type<TripStatus>().notNull().default('PLANNED'),
    headcount: integer('headcount'),
    handedOverTo: text('handed_over_to'),
    cancelReason: text('cancel_reason'),
    plannedAt: timestamp('planned_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('trips_departure_idx').on(t.departureAt, t.id),
    index('trips_origin_idx').on(t.origin),
    index('trips_destination_idx').on(t.destination),
  ],
);

/** A row of `trips`. */
export type TripRow = typeof trips.$inferSelect;

/** The manifest of a trip: one row per assigned worker (of any province). */
export const tripPassengers = pgTable(
  'trip_passengers',
  {
    tripId: byteText('trip_id')
      .notNull()
      .references(() => trips.id),
    workerId: byteText('worker_id').notNull(),
    boarded: boolean('boarded').notNull().default(false),
    temperature: doublePrecision('temperature'),
    assignedAt: timestamp('assigned_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tripId, t.workerId] }),
    index('trip_passengers_worker_idx').on(t.workerId),
  ],
);

/** A row of `trip_passengers`. */
export type PassengerRow = typeof tripPassengers.$inferSelect;

/**
 * Relayed copies of trips organised by another province whose origin is in this one, so that
 * `trips(origin:)` and `ReturnRequest.trip` find them here. Never counted in this province's
 * statistics (the organiser counts its trips). `passengers`: the manifest as last relayed.
 */
export const tripCopies = pgTable(
  'trip_copies',
  {
    id: byteText('id').primaryKey(),
    organizer: byteText('organizer').notNull(),
    mode: text('mode').$type<TransportMode>().notNull(),
    vehicleCode: text('vehicle_code').notNull(),
    origin: byteText('origin').notNull(),
    destination: byteText('destination').notNull(),
    departureAt: timestamp('departure_at', { withTimezone: true, mode: 'date' }).notNull(),
    expectedArrivalAt: timestamp('expected_arrival_at', { withTimezone: true, mode: 'date' }).notNull(),
    arrivedAt: timestamp('arrived_at', { withTimezone: true, mode: 'date' }),
    capacity: integer('capacity').notNull(),
    status: text('status').$type<TripStatus>().notNull(),
    headcount: integer('headcount'),
    handedOverTo: text('handed_over_to'),
    cancelReason: text('cancel_reason'),
    passengers: jsonb('passengers')
      .$type<{ workerId: string; boarded: boolean; temperature: number | null }[]>()
      .notNull(),
    plannedAt: timestamp('planned_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('trip_copies_departure_idx').on(t.departureAt, t.id),
    index('trip_copies_origin_idx').on(t.origin),
  ],
);

/** A row of `trip_copies`. */
export type TripCopyRow = typeof tripCopies.$inferSelect;
