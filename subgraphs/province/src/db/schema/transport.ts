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
import { sql } from 'drizzle-orm';
import type { BoardingRefusalReason, TripCopyFact } from '@p2p/schema';
import { byteText } from '../columns.js';
import type { HealthCode, HealthSource, NucleicAcidResult, TransportMode } from './workers.js';

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
    /** The last stop's receiving enterprise (migration 0008). */
    handedOverEnterprise: byteText('handed_over_enterprise'),
    cancelReason: text('cancel_reason'),
    plannedAt: timestamp('planned_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /**
     * The first run's id, on every run of a shuttle (a trip planned with `runs`, migration 0012);
     * null for a trip planned without runs.
     */
    shuttleId: byteText('shuttle_id'),
  },
  (t) => [
    index('trips_departure_idx').on(t.departureAt, t.id),
    index('trips_origin_idx').on(t.origin),
    index('trips_destination_idx').on(t.destination),
    index('trips_shuttle_idx').on(t.shuttleId, t.departureAt, t.id).where(sql`${t.shuttleId} IS NOT NULL`),
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
    /** Taken at the boarding gate. */
    temperature: doublePrecision('temperature'),
    assignedAt: timestamp('assigned_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Why he stayed off at the boarding gate (migration 0008). */
    refusal: text('refusal').$type<BoardingRefusalReason>(),
    /** The stop where he alights; null: the destination. */
    alightAt: byteText('alight_at'),
    /** Carriage on a special train. */
    carriage: text('carriage'),
    /** Taken at his stop's arrival check. */
    arrivalTemperature: doublePrecision('arrival_temperature'),
    /** The arrival check found a fever (at or above the organiser's threshold then). */
    arrivalFever: boolean('arrival_fever').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tripId, t.workerId] }),
    index('trip_passengers_worker_idx').on(t.workerId),
  ],
);

/** A row of `trip_passengers`. */
export type PassengerRow = typeof tripPassengers.$inferSelect;

/** Where a stop is: met, checked and handed over per stop. */
export type StopStatus = 'PENDING' | 'ARRIVED' | 'HANDED_OVER';

/**
 * The stops of a trip (migration 0008): every trip has at least one, its destination, with the
 * highest `seq`; intermediate stops come first, in order.
 */
export const tripStops = pgTable(
  'trip_stops',
  {
    tripId: byteText('trip_id')
      .notNull()
      .references(() => trips.id),
    seq: integer('seq').notNull(),
    region: byteText('region').notNull(),
    status: text('status').$type<StopStatus>().notNull().default('PENDING'),
    arrivedAt: timestamp('arrived_at', { withTimezone: true, mode: 'date' }),
    headcount: integer('headcount'),
    /** The arrival was confirmed with a check per person: the boarded who were not checked are missing. */
    checked: boolean('checked').notNull().default(false),
    handedOverTo: text('handed_over_to'),
    handedOverEnterprise: byteText('handed_over_enterprise'),
  },
  (t) => [primaryKey({ columns: [t.tripId, t.seq] }), index('trip_stops_region_idx').on(t.region)],
);

/** A row of `trip_stops`. */
export type TripStopRow = typeof tripStops.$inferSelect;

/**
 * Copies of other provinces' workers' health records, relayed by their home province to this
 * organiser while they are on one of its trips (migration 0008): what its boarding gate reads.
 * Never shown through GraphQL.
 */
export const healthCopies = pgTable('health_copies', {
  workerId: byteText('worker_id').primaryKey(),
  code: text('code').$type<HealthCode>().notNull(),
  issuedBy: byteText('issued_by').notNull(),
  checkedAt: timestamp('checked_at', { withTimezone: true, mode: 'date' }).notNull(),
  validUntil: timestamp('valid_until', { withTimezone: true, mode: 'date' }).notNull(),
  nucleicAcid: text('nucleic_acid').$type<NucleicAcidResult>(),
  testedAt: timestamp('tested_at', { withTimezone: true, mode: 'date' }),
  source: text('source').$type<HealthSource>().notNull(),
  /** When the home province read the record: a copy is replaced only by a later one. */
  asOf: timestamp('as_of', { withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** A row of `health_copies`. */
export type HealthCopyRow = typeof healthCopies.$inferSelect;

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
    handedOverEnterprise: byteText('handed_over_enterprise'),
    cancelReason: text('cancel_reason'),
    passengers: jsonb('passengers').$type<TripCopyFact['trip']['passengers']>().notNull(),
    /** Every stop's region in order, the destination last (migration 0008; empty: the destination alone). */
    stops: jsonb('stops').$type<string[]>().notNull().default([]),
    plannedAt: timestamp('planned_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /**
     * The 2-digit code of the province keeping (and counting) the copy: this one (migration 0015;
     * null: a copy of the previous release, an origin copy).
     */
    keeper: byteText('keeper'),
  },
  (t) => [
    index('trip_copies_departure_idx').on(t.departureAt, t.id),
    index('trip_copies_origin_idx').on(t.origin),
    index('trip_copies_destination_idx').on(t.destination),
  ],
);

/** A row of `trip_copies`. */
export type TripCopyRow = typeof tripCopies.$inferSelect;
