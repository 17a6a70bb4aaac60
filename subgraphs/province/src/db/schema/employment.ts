import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { byteText } from '../columns.js';

/**
 * FILED → ACKNOWLEDGED (the home province has seen it) → ARRANGED (on a trip towards the
 * enterprise) → ON_POST; or WITHDRAWN (the enterprise) / DECLINED (the worker, via his home).
 */
export type ReturnRequestStatus =
  | 'FILED'
  | 'ACKNOWLEDGED'
  | 'ARRANGED'
  | 'ON_POST'
  | 'WITHDRAWN'
  | 'DECLINED';

/** Enterprises located in this province (logical subgraph `employment`). */
export const enterprises = pgTable(
  'enterprises',
  {
    id: byteText('id').primaryKey(),
    name: text('name').notNull(),
    region: byteText('region').notNull(),
    sector: text('sector').notNull(),
    key: boolean('key').notNull().default(false),
    openings: integer('openings').notNull().default(0),
    filled: integer('filled').notNull().default(0),
    registeredAt: timestamp('registered_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('enterprises_region_idx').on(t.region, t.id)],
);

/** A row of `enterprises`. */
export type EnterpriseRow = typeof enterprises.$inferSelect;

/**
 * Return requests filed by this province's enterprises. The worker is kept as filed (a snapshot,
 * since his record lives in his home province) plus `worker_id`, the id his home province gives him.
 */
export const returnRequests = pgTable(
  'return_requests',
  {
    id: byteText('id').primaryKey(),
    enterpriseId: byteText('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    /** The enterprise's region, kept here so `destination` filters need no join. */
    destinationRegion: byteText('destination_region').notNull(),
    workerId: byteText('worker_id').notNull(),
    workerName: text('worker_name').notNull(),
    workerIdNumber: text('worker_id_number').notNull(),
    workerPhone: text('worker_phone').notNull(),
    workerHomeRegion: byteText('worker_home_region').notNull(),
    departureRegion: byteText('departure_region').notNull(),
    plannedReturnDate: date('planned_return_date', { mode: 'string' }).notNull(),
    status: text('status').$type<ReturnRequestStatus>().notNull().default('FILED'),
    filedAt: timestamp('filed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    onPostAt: timestamp('on_post_at', { withTimezone: true, mode: 'date' }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Why it was withdrawn or declined. */
    reason: text('reason'),
    /** The trip that carries the worker towards the enterprise (ARRANGED), as relayed by his home. */
    tripId: byteText('trip_id'),
    /** The enterprise's job post he was recruited through (#15). */
    jobId: byteText('job_id').references(() => jobPosts.id),
  },
  (t) => [
    index('return_requests_planned_idx').on(t.plannedReturnDate, t.id),
    index('return_requests_destination_idx').on(t.destinationRegion),
    index('return_requests_origin_idx').on(t.workerHomeRegion),
    index('return_requests_enterprise_idx').on(t.enterpriseId),
  ],
);

/** A row of `return_requests`. */
export type ReturnRequestRow = typeof returnRequests.$inferSelect;

/** What an enterprise reports about one of its workers. */
export type StaffStatus = 'ON_POST' | 'LEFT';

/** The enterprise's own record of the workers (of any province) it reported on post or gone. */
export const staff = pgTable(
  'staff',
  {
    enterpriseId: byteText('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    workerId: byteText('worker_id').notNull(),
    status: text('status').$type<StaffStatus>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.enterpriseId, t.workerId] })],
);

/**
 * Job posts of this province's enterprises (#15; migration 0011): counted (`jobPosts`,
 * `jobOpenings`) under every key of the region where the work is.
 */
export const jobPosts = pgTable(
  'job_posts',
  {
    id: byteText('id').primaryKey(),
    enterpriseId: byteText('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    title: text('title').notNull(),
    /** Where the work is. */
    region: byteText('region').notNull(),
    openings: integer('openings').notNull(),
    /** Workers recruited through the post who are on post. */
    filled: integer('filled').notNull().default(0),
    /** Lower-cased; empty: any worker. */
    skills: text('skills').array().notNull().default([]),
    /** The exporting regions it recruits from. */
    recruitsFrom: text('recruits_from').array().notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true, mode: 'date' })
      .notNull()
      .default(sql`date_trunc('milliseconds', now())`),
  },
  (t) => [
    index('job_posts_region_idx').on(t.region, t.postedAt, t.id),
    index('job_posts_posted_idx').on(t.postedAt, t.id),
    index('job_posts_enterprise_idx').on(t.enterpriseId),
  ],
);

/** A row of `job_posts`. */
export type JobPostRow = typeof jobPosts.$inferSelect;
