import { bigint, bigserial, date, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { byteText } from '../columns.js';

/**
 * The statistics counters behind `Summary` (see `src/summary/`). Every write to `workers`,
 * `trips`, `trip_passengers`, `enterprises` or `observations` appends, in its own transaction, a
 * few {@link statDelta} rows (statement triggers of migrations 0002 and 0009, aggregated per
 * statement); a
 * background fold moves them into {@link statTotal} (the current value) and {@link statDaily}
 * (the value at the end of each day it changed). A summary reads one row per metric plus the few
 * unfolded deltas of its key: its cost does not depend on how many records there are.
 *
 * Every counter is keyed by `(part, region, metric)`:
 * - `part`: the logical subgraph answering it (`workers`, `employment`, `transport`, `health`);
 * - `region`: a region-code PREFIX at one of the five levels: '' (nation), 2 digits (province),
 *   4 (city), 6 (county, or the 6-digit code itself), 9 (township). A record counts under the
 *   prefixes of its region at each level, so any scope reads exactly one key;
 * - `metric`: e.g. `registered`, `withinCounty`, `openings`, `from.passengers.BUS`,
 *   `boardingRefused.fever`
 *   (`src/summary/metrics.ts` lists them).
 */

/**
 * A part of `Summary`: the logical subgraph whose records a counter counts (`health`: the
 * statistics of safety, migration 0009).
 */
export type StatisticsPart = 'workers' | 'employment' | 'transport' | 'health';

/**
 * Unfolded changes of counters, appended by the write's own transaction (never updated, so
 * concurrent writers never wait for each other) and deleted by the fold.
 * `day` is the calendar day of the write in China Standard Time (UTC+8).
 */
export const statDelta = pgTable(
  'stat_delta',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    day: date('day', { mode: 'string' }).notNull(),
    part: text('part').$type<StatisticsPart>().notNull(),
    region: byteText('region').notNull(),
    metric: text('metric').notNull(),
    delta: bigint('delta', { mode: 'number' }).notNull(),
  },
  (t) => [index('stat_delta_key_idx').on(t.part, t.region, t.metric, t.day)],
);

/** The folded current value of every counter (what `LATEST` reads, plus the unfolded deltas). */
export const statTotal = pgTable(
  'stat_total',
  {
    part: text('part').$type<StatisticsPart>().notNull(),
    region: byteText('region').notNull(),
    metric: text('metric').notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.part, t.region, t.metric] })],
);

/**
 * Daily snapshots: the value of a counter at the end of `day` (China Standard Time), written for
 * the days on which it changed. The value at the end of any day is the latest row on or before it.
 */
export const statDaily = pgTable(
  'stat_daily',
  {
    part: text('part').$type<StatisticsPart>().notNull(),
    region: byteText('region').notNull(),
    metric: text('metric').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.part, t.region, t.metric, t.day] })],
);

/**
 * How many counted trips (not CANCELLED) use a vehicle (mode and vehicle code) under a counter key
 * (migration 0012): kept by the trips trigger, which appends a `vehicles.<mode>` delta when a
 * use goes from 0 to positive (+1) or back to 0 (−1), so a distinct count folds like any counter.
 * A row back at 0 stays. Never read to answer a query.
 */
export const statVehicleUse = pgTable(
  'stat_vehicle_use',
  {
    region: byteText('region').notNull(),
    mode: text('mode').notNull(),
    vehicleCode: text('vehicle_code').notNull(),
    trips: bigint('trips', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.region, t.mode, t.vehicleCode] })],
);
