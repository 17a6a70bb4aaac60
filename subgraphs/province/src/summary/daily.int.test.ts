/**
 * Daily snapshots: `summary(day:)` is the figures at the end of that day (China Standard Time),
 * `dailySeries` reads a whole range in one statement per part, before and after folds, and a
 * transaction counted on an earlier day than changes already folded (one that began before
 * midnight) raises every later snapshot. Days are set per transaction with `p2p.stat_day`.
 */
import { DEV_WORKER_ID_KEY } from '@p2p/schema';
import { eq, inArray } from 'drizzle-orm';
import { tripPassengers, trips } from '../db/schema/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { registerEnterprise, reportLaborDemand } from '../employment/mutations.js';
import { OutboxBatch } from '../outbox.js';
import {
  startTestProvince,
  type TestProvince,
  readStatisticsRecords,
  recountSummary,
  type RecountedSummary,
  readSummaries,
  workerInput,
  startObservations,
  setWorkerStatus,
  setRefusals,
  endObservations,
  onStatDay,
} from '../testing/index.js';
import { assignPassengers, planTrip } from '../transport/planning.js';
import { registerWorkers, reportEmployment } from '../workers/mutations.js';
import { chinaDay } from './scope.js';

const SCOPES = ['CN', '450000', '450200', '450203', '450203001', '450100'];
const [D0, D1, D2, D3, D4] = ['2020-02-09', '2020-02-10', '2020-02-11', '2020-02-12', '2020-02-13'];

describe(`daily snapshots (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let p: TestProvince;
  let ctx: ProvinceContext;
  let observationIds: string[] = [];
  const expected = new Map<string, RecountedSummary[]>();
  const onDay = (day: string, work: (tx: Tx) => Promise<unknown>) => onStatDay(p, day, work);
  const recountNow = async () => {
    const records = await readStatisticsRecords(p.service.db.db);
    return SCOPES.map((scope) => recountSummary(records, scope));
  };
  const expectDays = async (days: readonly string[]) => {
    for (const day of days) {
      const got = await readSummaries(p, SCOPES, day);
      SCOPES.forEach((scope, i) => {
        expect(got[i], `${scope} on ${day}`).toEqual(expected.get(day)![i]);
      });
    }
  };

  beforeAll(async () => {
    p = await startTestProvince('450000');
    await p.service.statistics.stop();
    ctx = createContext({
      province: '450000',
      db: p.service.db.db,
      workerIdKey: DEV_WORKER_ID_KEY,
      log: p.service.log,
    });
    expected.set(D0, await recountNow()); // nothing yet: zeros
    await onDay(D1, (tx) =>
      registerWorkers(
        ctx,
        tx,
        Array.from({ length: 10 }, (_, i) => workerInput('450203001', i < 2 ? 'REGISTERED_POOR' : 'NONE')),
        true,
      ),
    );
    expected.set(D1, await recountNow());
  });
  afterAll(() => p?.close());

  it('each past day reads the figures at its end; a day without changes repeats the day before; LATEST is today', async () => {
    const workers = await p.service.db.db.query.workers.findMany({ columns: { id: true } });
    await onDay(D2, async (tx) => {
      for (const w of workers.slice(0, 3)) await reportEmployment(ctx, tx, w.id, '450102');
      await registerWorkers(
        ctx,
        tx,
        Array.from({ length: 5 }, () => workerInput('450203')),
        true,
      );
      // The statistics of safety have days too: an observation starts, its worker's status follows.
      observationIds = await startObservations(tx, '450000', [
        { workerId: workers[8]!.id, region: '450203001' },
        { workerId: workers[9]!.id, region: '450102' },
      ]);
      await setWorkerStatus(tx, [workers[8]!.id], 'OBSERVATION');
    });
    expected.set(D2, await recountNow());
    expected.set(D3, expected.get(D2)!);
    await onDay(D4, async (tx) => {
      const [tripId] = await planTrip(
        ctx,
        tx,
        {
          mode: 'BUS',
          vehicleCode: '桂B·12345',
          origin: '450203',
          destination: '440103',
          capacity: 30,
          departureAt: new Date('2020-02-14T08:00:00+08:00'),
          expectedArrivalAt: new Date('2020-02-15T08:00:00+08:00'),
        },
        new OutboxBatch(),
      );
      await assignPassengers(
        ctx,
        tx,
        tripId!,
        workers.slice(3, 7).map((w) => w.id),
        new OutboxBatch(),
      );
      const [enterprise] = await registerEnterprise(ctx, tx, {
        name: '柳州螺蛳粉厂',
        region: '450203',
        sector: '食品',
        key: true,
      });
      await reportLaborDemand(ctx, tx, enterprise!, 40, 10);
      // The bus leaves (written as the gate would): three aboard, one refused with a fever.
      const aboard = workers.slice(3, 6).map((w) => w.id);
      await tx.update(tripPassengers).set({ boarded: true }).where(inArray(tripPassengers.workerId, aboard));
      await setRefusals(tx, tripId!, [workers[6]!.id], 'FEVER');
      await tx.update(trips).set({ status: 'DEPARTED' }).where(eq(trips.id, tripId!));
      await endObservations(tx, [observationIds[0]!], 'RELEASED');
      await setWorkerStatus(tx, [workers[8]!.id], 'AT_HOME');
    });
    expected.set(D4, await recountNow());
    expected.set('LATEST', expected.get(D4)!);
    expected.set(chinaDay(), expected.get(D4)!);
    await expectDays([D0, D1, D2, D3, D4, 'LATEST', chinaDay()]);
    await p.service.statistics.foldNow();
    await expectDays([D0, D1, D2, D3, D4, 'LATEST', chinaDay()]);
    expect(expected.get(D2)![3]!.workers).toMatchObject({
      registered: 15,
      atWork: 3,
      underObservation: 1,
      flow: { withinProvince: 3 },
    }); // Liuzhou → Nanning
    expect(expected.get(D2)![0]!.health).toMatchObject({ underObservation: 2, released: 0 });
    expect(expected.get(D4)![0]!.health).toEqual({
      boardingRefused: { fever: 1, healthCode: 0 },
      feverAtArrival: 0,
      underObservation: 1,
      released: 1,
    });
    expect(expected.get(D4)![3]!.transport.outbound.moved).toEqual({ trips: 1, passengers: 3 });
  });

  it('a series of days is read with one statement per part (and one for the corridors)', async () => {
    const days = Array.from({ length: 60 }, (_, i) =>
      new Date(Date.UTC(2020, 1, 1 + i)).toISOString().slice(0, 10),
    );
    p.service.db.statements.recording = true;
    p.service.db.statements.reset();
    const series = await readSummaries(
      p,
      days.map(() => '450203'),
      days,
    );
    expect(p.service.db.statements.count).toBe(5); // 4 parts and the corridors
    p.service.db.statements.recording = false;
    expect(series[days.indexOf(D0)]).toEqual(expected.get(D0)![3]);
    expect(series[days.indexOf(D3)]).toEqual(expected.get(D3)![3]);
    expect(series[days.indexOf('2020-03-01')]).toEqual(expected.get(D4)![3]);
  });

  it('a change counted on an earlier day than folded snapshots raises every snapshot from that day on', async () => {
    await onDay(D1, (tx) =>
      registerWorkers(ctx, tx, [workerInput('450203001'), workerInput('450203001', 'REGISTERED_POOR')], true),
    );
    const late = (summary: RecountedSummary, scope: string): RecountedSummary => {
      if (!['CN', '450000', '450200', '450203', '450203001'].includes(scope)) return summary;
      const w = summary.workers;
      return {
        ...summary,
        workers: {
          ...w,
          registered: w.registered + 2,
          atHome: w.atHome + 2,
          priority: w.priority + 1,
          outRate: w.out / (w.registered + 2),
        },
      };
    };
    for (const day of [D1, D2, D3, D4, 'LATEST'])
      expected.set(
        day,
        expected.get(day)!.map((s, i) => late(s, SCOPES[i]!)),
      );
    expect(expected.get('LATEST')).toEqual(await recountNow());
    await expectDays([D0, D1, D2, D3, D4, 'LATEST']); // unfolded
    const fold = await p.service.statistics.foldNow();
    expect(fold.deltas).toBeGreaterThan(0);
    await expectDays([D0, D1, D2, D3, D4, 'LATEST']); // folded: D1, D2 and D4 snapshots raised
  });
});
