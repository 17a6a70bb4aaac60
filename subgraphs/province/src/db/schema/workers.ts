import { date, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { byteText } from '../columns.js';

/** Where a worker is in the 2020 return-to-work flow. */
export type WorkerStatus = 'AT_HOME' | 'TRAVELLING' | 'AT_WORK';
/** Registered-poor households are the priority group. */
export type PovertyStatus = 'NONE' | 'REGISTERED_POOR' | 'LIFTED';
/** Colour of the health code. */
export type HealthCode = 'GREEN' | 'YELLOW' | 'RED';
/** Result of the last nucleic-acid test. */
export type NucleicAcidResult = 'NEGATIVE' | 'POSITIVE' | 'PENDING';
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
    status: text('status').$type<WorkerStatus>().notNull().default('AT_HOME'),
    povertyStatus: text('poverty_status').$type<PovertyStatus>().notNull().default('NONE'),
    skills: text('skills').array().notNull().default([]),
    healthCode: text('health_code').$type<HealthCode>(),
    healthTestedAt: timestamp('health_tested_at', { withTimezone: true, mode: 'date' }),
    healthNucleicAcid: text('health_nucleic_acid').$type<NucleicAcidResult>(),
    intentEarliestDate: date('intent_earliest_date', { mode: 'string' }),
    intentLatestDate: date('intent_latest_date', { mode: 'string' }),
    intentDestination: byteText('intent_destination'),
    intentMode: text('intent_mode').$type<TransportMode>(),
    intentDeclaredAt: timestamp('intent_declared_at', { withTimezone: true, mode: 'date' }),
    registeredAt: timestamp('registered_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('workers_home_region_idx').on(t.homeRegion, t.id)],
);

/** A row of `workers`. */
export type WorkerRow = typeof workers.$inferSelect;
