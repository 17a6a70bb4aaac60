import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { BoardingRefusalReason } from '@p2p/schema';
import { byteText } from '../columns.js';

/** Where a worker is in the 2020 return-to-work flow. */
export type WorkerStatus = 'AT_HOME' | 'TRAVELLING' | 'AT_WORK' | 'OBSERVATION';
/** Registered-poor households are the priority group. */
export type PovertyStatus = 'NONE' | 'REGISTERED_POOR' | 'LIFTED';
/** Colour of the health code. */
export type HealthCode = 'GREEN' | 'YELLOW' | 'RED';
/** Result of the last nucleic-acid test. */
export type NucleicAcidResult = 'NEGATIVE' | 'POSITIVE' | 'PENDING' | 'NOT_TESTED';
/**
 * Where a health record came from: an officer's check, a health-code platform, or the worker's
 * own report (`SELF`: self-declared, it never opens the boarding gate).
 */
export type HealthSource = 'OFFICER' | 'PLATFORM' | 'SELF';
/** Bus, train or flight. */
export type TransportMode = 'BUS' | 'TRAIN' | 'FLIGHT';

/**
 * Workers whose home is in this province (logical subgraph `workers`).
 * `id` is `workerIdFor(idNumber, province)`: registering the same person twice hits the same row.
 */
export const workers = pgTable(
  'workers',
  {
    id: byteText('id').primaryKey(),
    name: text('name').notNull(),
    idNumber: text('id_number').notNull(),
    phone: text('phone').notNull(),
    homeRegion: byteText('home_region').notNull(),
    workRegion: byteText('work_region'),
    employerId: byteText('employer_id'),
    /**
     * True when his home side recorded the employer (`reportEmployment`): only then does the
     * employer see his record (`access/personal-data.ts`); an enterprise's own claim relayed here
     * (`reportStaffChange`, `confirmOnPost`) names the employer and opens nothing (migration 0007).
     */
    employerByHome: boolean('employer_by_home').notNull().default(false),
    status: text('status').$type<WorkerStatus>().notNull().default('AT_HOME'),
    povertyStatus: text('poverty_status').$type<PovertyStatus>().notNull().default('NONE'),
    skills: text('skills').array().notNull().default([]),
    healthCode: text('health_code').$type<HealthCode>(),
    /** The province whose health-code platform issued the code (migration 0008). */
    healthIssuedBy: byteText('health_issued_by'),
    /** When the code was checked (migration 0008; before, `health_tested_at` held it). */
    healthCheckedAt: timestamp('health_checked_at', { withTimezone: true, mode: 'date' }),
    healthValidUntil: timestamp('health_valid_until', { withTimezone: true, mode: 'date' }),
    /** When the nucleic-acid sample was taken (since migration 0008). */
    healthTestedAt: timestamp('health_tested_at', { withTimezone: true, mode: 'date' }),
    healthInstitution: text('health_institution'),
    healthNucleicAcid: text('health_nucleic_acid').$type<NucleicAcidResult>(),
    /** Who recorded the health record (migration 0006); null when there is none. */
    healthSource: text('health_source').$type<HealthSource>(),
    intentEarliestDate: date('intent_earliest_date', { mode: 'string' }),
    intentLatestDate: date('intent_latest_date', { mode: 'string' }),
    intentDestination: byteText('intent_destination'),
    intentMode: text('intent_mode').$type<TransportMode>(),
    intentDeclaredAt: timestamp('intent_declared_at', { withTimezone: true, mode: 'date' }),
    registeredAt: timestamp('registered_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** The trip he is on (assigned or travelling), whichever province organised it. */
    currentTripId: byteText('current_trip_id'),
    /** The observation he is under, or the last one, kept by the province where it happens (migration 0008). */
    observationId: byteText('observation_id'),
  },
  (t) => [
    index('workers_home_region_idx').on(t.homeRegion, t.id),
    // workers(intent:): the destination prefix is the range, the intent's dates are read in the index
    index('workers_intent_idx')
      .on(t.intentDestination, t.intentLatestDate, t.intentEarliestDate)
      .where(sql`${t.intentDestination} IS NOT NULL`),
    check('workers_health_source_check', sql`${t.healthSource} IN ('OFFICER', 'PLATFORM', 'SELF')`),
  ],
);

/** A row of `workers`. */
export type WorkerRow = typeof workers.$inferSelect;

/**
 * The home side's record of the trips that carry (or carried) its workers, whoever organised
 * them: written by local trips directly and by the relay for trips of other provinces.
 * One row per (worker, trip): the trip as last relayed and the worker's place on it.
 */
export const workerTrips = pgTable(
  'worker_trips',
  {
    workerId: byteText('worker_id').notNull(),
    tripId: byteText('trip_id').notNull(),
    origin: byteText('origin').notNull(),
    destination: byteText('destination').notNull(),
    mode: text('mode').$type<TransportMode>().notNull(),
    departureAt: timestamp('departure_at', { withTimezone: true, mode: 'date' }).notNull(),
    expectedArrivalAt: timestamp('expected_arrival_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The trip's status as last relayed (PLANNED, DEPARTED, ARRIVED, HANDED_OVER, CANCELLED). */
    tripStatus: text('trip_status').notNull(),
    /** False once he is taken off the manifest. */
    onManifest: boolean('on_manifest').notNull().default(true),
    boarded: boolean('boarded').notNull().default(false),
    /** Why he stayed off at the boarding gate (migration 0008). */
    refusal: text('refusal').$type<BoardingRefusalReason>(),
    /** When the trip left without him. */
    refusedAt: timestamp('refused_at', { withTimezone: true, mode: 'date' }),
    /** The stop where he alights (null: the destination). */
    alightAt: byteText('alight_at'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workerId, t.tripId] }),
    index('worker_trips_trip_idx').on(t.tripId),
    index('worker_trips_refused_idx')
      .on(t.refusedAt, t.workerId, t.tripId)
      .where(sql`${t.refusal} IS NOT NULL`),
  ],
);

/** A row of `worker_trips`. */
export type WorkerTripRow = typeof workerTrips.$inferSelect;

/**
 * The home side's record of the return requests filed for its workers by enterprises anywhere,
 * as relayed from the enterprise's province, with the status both sides agree on.
 */
export const workerReturnRequests = pgTable(
  'worker_return_requests',
  {
    returnRequestId: byteText('return_request_id').primaryKey(),
    workerId: byteText('worker_id').notNull(),
    enterpriseId: byteText('enterprise_id').notNull(),
    /** The enterprise's region. */
    destinationRegion: byteText('destination_region').notNull(),
    departureRegion: byteText('departure_region').notNull(),
    plannedReturnDate: date('planned_return_date', { mode: 'string' }).notNull(),
    /** FILED, ACKNOWLEDGED, ARRANGED, ON_POST, WITHDRAWN, DECLINED. */
    status: text('status').notNull(),
    tripId: byteText('trip_id'),
    reason: text('reason'),
    filedAt: timestamp('filed_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('worker_return_requests_worker_idx').on(t.workerId)],
);

/** A row of `worker_return_requests`. */
export type WorkerReturnRequestRow = typeof workerReturnRequests.$inferSelect;

/**
 * Copies of job posts of other provinces' enterprises (and of this one's) that recruit from a
 * region of this province (#15; migration 0011), as relayed by the enterprise's province
 * (JOB_POST): `matchWorkers` reads them. Never counted (the enterprise's province counts its posts).
 */
export const jobPostCopies = pgTable('job_post_copies', {
  id: byteText('id').primaryKey(),
  enterpriseId: byteText('enterprise_id').notNull(),
  title: text('title').notNull(),
  region: byteText('region').notNull(),
  openings: integer('openings').notNull(),
  /** Lower-cased; empty: any worker. */
  skills: text('skills').array().notNull().default([]),
  recruitsFrom: text('recruits_from').array().notNull(),
  postedAt: timestamp('posted_at', { withTimezone: true, mode: 'date' }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** A row of `job_post_copies`. */
export type JobPostCopyRow = typeof jobPostCopies.$inferSelect;
