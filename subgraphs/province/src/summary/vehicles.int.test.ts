/**
 * `transport.vehicles` and `byMode.vehicles` (#15, migration 0012; report 004, Hebei: "474
 * vehicles"): distinct vehicles (mode and vehicle code) of the trips not CANCELLED with either end
 * inside the scope. A distinct count is kept by `stat_vehicle_use` (uses per key, mode and code),
 * whose transitions 0 ↔ positive append the deltas: after every step the figures of many scopes
 * equal a brute-force recount (before and after a fold), concurrent transactions planning the same
 * vehicle count it once, and the daily snapshots follow.
 * Runs on PGlite, or on a fresh PostgreSQL database with DATABASE_URL (the concurrent cases
 * interleave two transactions on PostgreSQL; PGlite runs them one after the other).
 */
import { DEV_WORKER_ID_KEY } from '@p2p/schema';
import { eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { statDelta, trips } from '../db/schema/index.js';
import { runMutation } from '../mutation.js';
import {
  cancel,
  expectCountersMatchRecords,
  readStatisticsRecords,
  readSummaries,
  recountSummary,
  startTestProvince,
  tripMutation,
  type RecountedSummary,
  type TestProvince,
  countOnDay,
} from '../testing/index.js';
import { cancelTrip } from '../transport/movement.js';
import { planTrip, type PlanTripInput } from '../transport/planning.js';

const SHAMIAN = '440103001';
const LINGNAN = '440103002';
const LIWAN = '440103';
const YUEXIU = '440104';
const LIUBEI = '450203';
const SCOPES = [
  'CN',
  '440000',
  '440100',
  LIWAN,
  SHAMIAN,
  LINGNAN,
  YUEXIU,
  '441900',
  '450000',
  '450200',
  LIUBEI,
];
const HOUR = 3_600_000;

type Mode = 'BUS' | 'TRAIN' | 'FLIGHT';

describe(`distinct vehicles (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let p: TestProvince;
  let ctx: ProvinceContext;
  const nation = async () => (await readSummaries(p, ['CN']))[0]!.transport;
  /** How many `vehicles.*` delta rows are unfolded. */
  const vehicleDeltas = async () =>
    Number(
      (
        await p.service.db.db
          .select({ n: sql<number>`count(*)` })
          .from(statDelta)
          .where(like(statDelta.metric, 'vehicles.%'))
      )[0]!.n,
    );
  const input = (
    vehicleCode: string,
    origin: string,
    destination: string,
    mode: Mode = 'BUS',
  ): PlanTripInput => ({
    mode,
    vehicleCode,
    origin,
    destination,
    capacity: 40,
    departureAt: new Date(Date.now() - 2 * HOUR),
    expectedArrivalAt: new Date(Date.now() + HOUR),
  });
  /** Plans a trip over GraphQL; returns its id. */
  const plan = (
    vehicleCode: string,
    origin: string,
    destination: string,
    mode: Mode = 'BUS',
    over: Record<string, unknown> = {},
  ) => {
    const { departureAt, expectedArrivalAt, ...rest } = input(vehicleCode, origin, destination, mode);
    return tripMutation(p, 'mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }', {
      i: {
        ...rest,
        departureAt: departureAt.toISOString(),
        expectedArrivalAt: expectedArrivalAt.toISOString(),
        ...over,
      },
    });
  };

  beforeAll(async () => {
    p = await startTestProvince('440000');
    ctx = createContext({
      province: '440000',
      db: p.service.db.db,
      workerIdKey: DEV_WORKER_ID_KEY,
      log: p.service.log,
    });
  });
  afterAll(() => p?.close());

  it('should count a vehicle once however many trips it makes, at every scope its trips touch', async () => {
    const a = await plan('粤A·00001', SHAMIAN, LIUBEI);
    const deltas = await vehicleDeltas();
    const b = await plan('粤A·00001', LINGNAN, YUEXIU);
    // The second trip of a vehicle already counted under the keys '' 44 4401 440103 moves no count
    // there; it adds it under 440103002 (Lingnan) and the keys of Yuexiu (440104).
    expect(await vehicleDeltas()).toBe(deltas + 2);
    const [cn, , , liwan, shamian, lingnan, yuexiu, , guangxi] = await expectCountersMatchRecords(p, SCOPES);
    expect(cn!.transport.vehicles).toBe(1);
    expect(cn!.transport.byMode).toEqual([
      { mode: 'BUS', trips: 2, passengers: 0, moved: { trips: 0, passengers: 0 }, vehicles: 1 },
    ]);
    expect([liwan, shamian, lingnan, yuexiu, guangxi].map((s) => s!.transport.vehicles)).toEqual([
      1, 1, 1, 1, 1,
    ]);
    // A trip with both ends under one key counts its vehicle there once.
    await plan('粤A·00002', SHAMIAN, LINGNAN);
    const [, , , liwan2] = await expectCountersMatchRecords(p, SCOPES);
    expect(liwan2!.transport.vehicles).toBe(2);
    await cancel(p, a);
    expect((await nation()).vehicles).toBe(2); // b still uses 粤A·00001
    await cancel(p, b);
    expect((await nation()).vehicles).toBe(1);
    const [cn2, , , , , , yuexiu2, , guangxi2] = await expectCountersMatchRecords(p, SCOPES);
    expect([cn2, yuexiu2, guangxi2].map((s) => s!.transport.vehicles)).toEqual([1, 0, 0]);
  });

  it('should count the same code under different modes as different vehicles', async () => {
    const before = await nation();
    await plan('G1234', LIWAN, '450200', 'TRAIN');
    await plan('G1234', LIWAN, '450200', 'BUS');
    await plan('G1234', YUEXIU, '450200', 'TRAIN');
    const [cn, , , , , , yuexiu] = await expectCountersMatchRecords(p, SCOPES);
    expect(cn!.transport.vehicles).toBe(before.vehicles + 2);
    expect(cn!.transport.byMode.find((m) => m.mode === 'TRAIN')).toMatchObject({ trips: 2, vehicles: 1 });
    expect(yuexiu!.transport.byMode).toEqual([
      { mode: 'TRAIN', trips: 1, passengers: 0, moved: { trips: 0, passengers: 0 }, vehicles: 1 },
    ]);
  });

  it('should count a trip from Guangxi into Guangdong under both provinces’ keys in its organiser’s counters', async () => {
    await plan('桂B·00009', '450203001', SHAMIAN, 'BUS', { organizer: SHAMIAN });
    const counted = await expectCountersMatchRecords(p, [...SCOPES, '450203001']);
    const [cn, guangdong] = counted;
    const [guangxi, township] = [counted[8]!, counted[11]!];
    // Every trip of Guangdong's touches Guangdong; Guangxi's buses: G1234 (into Liuzhou) and this one.
    expect(cn!.transport.vehicles).toBe(guangdong!.transport.vehicles);
    expect(guangxi.transport.byMode.find((m) => m.mode === 'BUS')!.vehicles).toBe(2);
    expect(township.transport).toMatchObject({ vehicles: 1, outbound: { trips: 1 } });
  });

  it('should count every run of a shuttle as a trip and its vehicle once', async () => {
    const before = await nation();
    const runs = [1, 2, 3].map((d) => ({
      departureAt: new Date(Date.now() + d * 24 * HOUR).toISOString(),
      expectedArrivalAt: new Date(Date.now() + d * 24 * HOUR + HOUR).toISOString(),
    }));
    await plan('粤A·S0154', YUEXIU, '441900003', 'BUS', { runs });
    const [cn] = await expectCountersMatchRecords(p, SCOPES);
    expect(cn!.transport.internal.trips - before.internal.trips).toBe(4);
    expect(cn!.transport.vehicles - before.vehicles).toBe(1);
  });

  it('should move a trip’s vehicle when its code, mode or ends are changed by hand, and un-count a deleted trip', async () => {
    const id = await plan('粤A·H0001', YUEXIU, '440300');
    const db = p.service.db.db;
    await db.update(trips).set({ vehicleCode: '粤A·H0002' }).where(eq(trips.id, id));
    await expectCountersMatchRecords(p, SCOPES);
    await db.update(trips).set({ mode: 'FLIGHT' }).where(eq(trips.id, id));
    await expectCountersMatchRecords(p, SCOPES);
    await db.update(trips).set({ destination: '441900004' }).where(eq(trips.id, id));
    await expectCountersMatchRecords(p, SCOPES);
    // A statement updating many trips at once (a departure alone moves nothing).
    await db.update(trips).set({ status: 'DEPARTED' }).where(eq(trips.status, 'PLANNED'));
    await expectCountersMatchRecords(p, SCOPES);
    await db.execute(sql`DELETE FROM trip_stops WHERE trip_id = ${id}`);
    await db.delete(trips).where(eq(trips.id, id));
    await expectCountersMatchRecords(p, SCOPES);
  });

  /** Plans a trip in a transaction that waits for `release` before it commits (or fails). */
  function planHolding(vehicleCode: string, origin: string, planned: () => void, release: Promise<unknown>) {
    return runMutation(ctx, { operation: 'planTrip', args: {} }, async (tx, events) => {
      const ids = await planTrip(ctx, tx, input(vehicleCode, origin, LIUBEI), events);
      planned();
      await release;
      return ids;
    });
  }

  /** A promise and its resolver. */
  function signal<T = void>() {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  }

  it('should count a vehicle once when two transactions plan it at the same time', async () => {
    const before = await nation();
    const aPlanned = signal();
    const release = signal();
    const a = planHolding('粤A·C0001', SHAMIAN, aPlanned.resolve, release.promise);
    await aPlanned.promise;
    // B starts while A holds its uncommitted use of the vehicle: its upsert waits for A (PostgreSQL).
    let bCommitted = false;
    const b = runMutation(ctx, { operation: 'planTrip', args: {} }, (tx, events) =>
      planTrip(ctx, tx, input('粤A·C0001', LINGNAN, LIUBEI), events),
    ).then(() => {
      bCommitted = true;
    });
    await new Promise((r) => setTimeout(r, 200));
    // B waits on A's row of the vehicle's use (PostgreSQL) or for A's transaction (PGlite).
    expect(bCommitted).toBe(false);
    release.resolve();
    await Promise.all([a, b]);
    const [cn] = await expectCountersMatchRecords(p, SCOPES);
    expect(cn!.transport.vehicles - before.vehicles).toBe(1);
  });

  it('should count the vehicle of the transaction that commits when the other one, first to use it, rolls back', async () => {
    const before = await nation();
    const aPlanned = signal();
    const release = signal();
    const a = planHolding(
      '粤A·C0002',
      SHAMIAN,
      aPlanned.resolve,
      release.promise.then(() => {
        throw new Error('the dispatch desk went offline');
      }),
    );
    await aPlanned.promise;
    const b = runMutation(ctx, { operation: 'planTrip', args: {} }, (tx, events) =>
      planTrip(ctx, tx, input('粤A·C0002', LINGNAN, LIUBEI), events),
    );
    await new Promise((r) => setTimeout(r, 200));
    release.resolve();
    await expect(a).rejects.toThrow('dispatch desk');
    await b;
    const [cn] = await expectCountersMatchRecords(p, SCOPES);
    expect(cn!.transport.vehicles - before.vehicles).toBe(1);
  });

  it('should keep a vehicle counted when one transaction cancels its last trip while another plans a new one', async () => {
    const old = await plan('粤A·C0003', SHAMIAN, LIUBEI);
    const before = await nation();
    const cancelled = signal();
    const release = signal();
    const a = runMutation(ctx, { operation: 'cancelTrip', args: {} }, async (tx: Tx, events) => {
      const ids = await cancelTrip(ctx, tx, old, '改期', events);
      cancelled.resolve();
      await release.promise;
      return ids;
    });
    await cancelled.promise;
    const b = runMutation(ctx, { operation: 'planTrip', args: {} }, (tx, events) =>
      planTrip(ctx, tx, input('粤A·C0003', SHAMIAN, LIUBEI), events),
    );
    await new Promise((r) => setTimeout(r, 200));
    release.resolve();
    await Promise.all([a, b]);
    const [cn] = await expectCountersMatchRecords(p, SCOPES);
    expect(cn!.transport.vehicles).toBe(before.vehicles);
  });
});

describe(`daily snapshots of vehicles (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  const DAYS = ['2020-02-10', '2020-02-11', '2020-02-12', '2020-02-13'] as const;
  const DAILY_SCOPES = ['CN', '130000', '130700', '130730', '110000'];
  let p: TestProvince;
  let ctx: ProvinceContext;
  const expected = new Map<string, RecountedSummary[]>();
  const onDay = (day: string, work: (tx: Tx, events: Parameters<typeof planTrip>[3]) => Promise<string[]>) =>
    runMutation(ctx, { operation: 'daily', args: {} }, async (tx, events) => {
      await countOnDay(tx, day);
      return work(tx, events);
    });
  const shuttle = (vehicleCode: string, runs = 0): PlanTripInput => ({
    mode: 'BUS',
    vehicleCode,
    origin: '130730',
    destination: '110105',
    capacity: 45,
    departureAt: new Date('2020-02-20T08:00:00+08:00'),
    expectedArrivalAt: new Date('2020-02-20T18:00:00+08:00'),
    runs: Array.from({ length: runs }, (_, i) => ({
      departureAt: new Date(Date.parse('2020-02-21T08:00:00+08:00') + i * 24 * HOUR),
      expectedArrivalAt: new Date(Date.parse('2020-02-21T18:00:00+08:00') + i * 24 * HOUR),
    })),
  });
  const snapshot = async (day: string) => {
    const records = await readStatisticsRecords(p.service.db.db);
    expected.set(
      day,
      DAILY_SCOPES.map((scope) => recountSummary(records, scope)),
    );
  };

  beforeAll(async () => {
    p = await startTestProvince('130000');
    ctx = createContext({
      province: '130000',
      db: p.service.db.db,
      workerIdKey: DEV_WORKER_ID_KEY,
      log: p.service.log,
    });
  });
  afterAll(() => p?.close());

  it('should read each day’s distinct vehicles from the snapshots, before and after the fold', async () => {
    const [first] = await onDay(DAYS[0], (tx, events) => planTrip(ctx, tx, shuttle('冀G·D0001', 2), events));
    await onDay(DAYS[0], (tx, events) => planTrip(ctx, tx, shuttle('冀G·D0002'), events));
    await snapshot(DAYS[0]);
    await p.service.statistics.foldNow();
    const runs = await p.service.db.db
      .select({ id: trips.id })
      .from(trips)
      .where(eq(trips.shuttleId, first!));
    await onDay(DAYS[1], (tx, events) => cancelTrip(ctx, tx, runs[0]!.id, '改期', events));
    await onDay(DAYS[1], (tx, events) => planTrip(ctx, tx, shuttle('冀G·D0002'), events));
    await snapshot(DAYS[1]);
    await onDay(DAYS[2], async (tx, events) => {
      for (const r of runs.slice(1)) await cancelTrip(ctx, tx, r.id, '改期', events);
      return [];
    });
    await snapshot(DAYS[2]);
    const expectDays = async () => {
      for (const day of DAYS) {
        const got = await readSummaries(p, DAILY_SCOPES, day);
        DAILY_SCOPES.forEach((scope, i) => {
          expect(got[i]!.transport, `${scope} on ${day}`).toEqual(
            (expected.get(day) ?? expected.get(DAYS[2])!)[i]!.transport,
          );
        });
      }
    };
    // 2 vehicles on day 1 and day 2 (one run of three cancelled), 1 on day 3 (all runs cancelled).
    expect(expected.get(DAYS[0])![0]!.transport.vehicles).toBe(2);
    expect(expected.get(DAYS[1])![0]!.transport.vehicles).toBe(2);
    expect(expected.get(DAYS[2])![0]!.transport.vehicles).toBe(1);
    await expectDays();
    await p.service.statistics.foldNow();
    await expectDays();
  });
});
