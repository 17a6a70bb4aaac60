/**
 * Each state change moves the right counters: after every step, the summary of many scopes
 * (nation, province, cities, counties, townships — Dongguan 441900 is a city without counties)
 * equals a brute-force recount of the raw records, with the deltas unfolded and after a fold.
 * Runs on PGlite, or on a fresh PostgreSQL database with DATABASE_URL.
 */
import { workerIdFor } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statDelta } from '../db/schema/index.js';
import {
  residentId,
  startTestProvince,
  type TestProvince,
  arrive,
  assign,
  cancel,
  depart,
  employ,
  expectCountersMatchRecords,
  planTrip,
  readSummaries,
  registerEnterprise,
  registerWorkers,
  reportDemand,
  workerInput,
  confirmOneOnPost,
} from '../testing/index.js';

const LIWAN = '440103';
const SHAMIAN = '440103001';
const LINGNAN = '440103002';
const YUEXIU = '440104';
const DONGCHENG = '441900003';
const NANCHENG = '441900004';
const SCOPES = [
  'CN',
  '440000',
  '440100',
  LIWAN,
  SHAMIAN,
  LINGNAN,
  YUEXIU,
  '440300',
  '441900',
  DONGCHENG,
  NANCHENG,
  '450000',
  '450200',
  '450203',
];

describe(`statistics counters move with every state change (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let p: TestProvince;
  let shamian: string[];
  let dongguan: string[];
  let yuexiu: string[];
  const deltaRows = async () =>
    Number((await p.service.db.db.select({ n: sql<number>`count(*)` }).from(statDelta))[0]!.n);
  beforeAll(async () => {
    p = await startTestProvince('440000');
    await p.service.statistics.stop(); // the tests fold when they choose (foldNow)
  });
  afterAll(() => p?.close());

  it('registration counts registered, at home and priority once per person; bulk deltas are aggregated per statement', async () => {
    shamian = await registerWorkers(
      p,
      Array.from({ length: 40 }, (_, i) => workerInput(SHAMIAN, i % 4 === 0 ? 'REGISTERED_POOR' : 'NONE')),
    );
    await p.service.statistics.foldNow();
    const before = await deltaRows();
    const inputs = Array.from({ length: 200 }, () => workerInput(DONGCHENG, 'REGISTERED_POOR'));
    dongguan = await registerWorkers(p, inputs);
    // 200 workers of one township: 5 keys ('' 44 4419 441900 441900003) × 3 counters, not 200 × anything.
    expect(await deltaRows()).toBe(before + 15);
    yuexiu = await registerWorkers(p, [workerInput(YUEXIU), workerInput(YUEXIU), workerInput(NANCHENG)]);
    // The same people again (same resident IDs): same workers, nothing counted twice.
    await registerWorkers(
      p,
      inputs.slice(0, 50).map((i) => ({ ...i, phone: '13900000000' })),
    );
    const [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.workers).toMatchObject({ registered: 243, atHome: 243, priority: 210 });
  });

  it('reportEmployment sets AT_WORK and one flow class; a new work region moves the worker to the new class', async () => {
    await employ(p, shamian[0]!, SHAMIAN); // withinTownship
    await employ(p, shamian[1]!, LIWAN); // withinCounty (the county itself)
    await employ(p, shamian[2]!, '440104003'); // withinCity
    await employ(p, shamian[3]!, '440303'); // withinProvince
    await employ(p, shamian[4]!, '450203001'); // crossProvince
    await employ(p, dongguan[0]!, NANCHENG); // Dongguan: another township of the county-less city → withinCounty
    await employ(p, dongguan[1]!, '441900'); // the city itself → withinCounty
    await employ(p, yuexiu[0]!, YUEXIU); // home is a county: withinCounty
    let [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.workers.flow).toEqual({
      withinTownship: 1,
      withinCounty: 4,
      withinCity: 1,
      withinProvince: 1,
      crossProvince: 1,
    });
    await employ(p, shamian[4]!, LINGNAN); // crossProvince → withinCounty
    await employ(p, shamian[0]!, SHAMIAN); // the same again: nothing moves
    [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.workers).toMatchObject({
      atWork: 8,
      atHome: 235,
      flow: { withinTownship: 1, withinCounty: 5, crossProvince: 0 },
    });
  });

  it('trips: planned, assigned, departed with part of the manifest, arrived and handed over, cancelled', async () => {
    const bus = await planTrip(p, SHAMIAN, '450203', 'BUS');
    await expectCountersMatchRecords(p, SCOPES);
    await assign(p, bus, shamian.slice(10, 20));
    let [nation] = await expectCountersMatchRecords(p, SCOPES);
    // Planned to organise, not moved yet.
    expect(nation!.transport.internal).toEqual({
      trips: 1,
      passengers: 10,
      moved: { trips: 0, passengers: 0 },
    });
    await depart(p, bus, shamian.slice(10, 16)); // 6 of 10 board: passengers 6, TRAVELLING 6
    [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.transport.internal).toEqual({
      trips: 1,
      passengers: 6,
      moved: { trips: 1, passengers: 6 },
    });
    expect(nation!.workers.travelling).toBe(6);
    await arrive(p, bus, 6); // handed over: AT_WORK in 450203, crossProvince
    [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.workers).toMatchObject({ travelling: 0, atWork: 14, flow: { crossProvince: 6 } });

    const train = await planTrip(p, NANCHENG, DONGCHENG, 'TRAIN');
    await assign(p, train, dongguan.slice(10, 30));
    const flight = await planTrip(p, LIWAN, '110105', 'FLIGHT');
    await assign(p, flight, [...yuexiu.slice(1, 2), workerIdFor(residentId('450203'), '450000')]);
    const [, , , , , , , , dongguanCity] = await expectCountersMatchRecords(p, SCOPES);
    expect(dongguanCity!.transport.internal).toEqual({
      trips: 1,
      passengers: 20,
      moved: { trips: 0, passengers: 0 },
    });
    await cancel(p, train); // PLANNED → CANCELLED: trip and its 20 people leave the counters
    await depart(p, flight, yuexiu.slice(1, 2));
    await cancel(p, flight); // DEPARTED → CANCELLED: the local worker is back AT_HOME
    [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.transport.byMode).toEqual([
      { mode: 'BUS', trips: 1, passengers: 6, moved: { trips: 1, passengers: 6 }, vehicles: 1 },
    ]);
    expect(nation!.transport.vehicles).toBe(1);
    // The flight left and was cancelled: it never counts as moved; the arrived bus still does.
    expect(nation!.transport.internal.moved).toEqual({ trips: 1, passengers: 6 });
  });

  it('enterprises: registered, key, openings and filled changes; fillRate from the sums', async () => {
    const a = await registerEnterprise(p, LIWAN, true);
    const b = await registerEnterprise(p, DONGCHENG, false);
    await reportDemand(p, a, 100, 30);
    await reportDemand(p, b, 50);
    await reportDemand(p, b, 40, 40);
    await reportDemand(p, a, 80); // openings down, filled kept
    const [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.employment).toEqual({
      enterprises: 2,
      keyEnterprises: 1,
      openings: 120,
      filled: 70,
      fillRate: 70 / 120,
      keyOpenings: 80,
      keyFilled: 30,
      keyFillRate: 30 / 80,
      jobPosts: 0,
      jobOpenings: 0,
    });
  });

  it('a confirmed return request fills one more opening', async () => {
    const e = await registerEnterprise(p, '440303', true);
    await reportDemand(p, e, 10);
    await confirmOneOnPost(p, e);
    const [, , , , , , , shenzhen] = await expectCountersMatchRecords(p, SCOPES);
    expect(shenzhen!.employment).toMatchObject({ enterprises: 1, openings: 10, filled: 1 });
  });

  it('a summary reads a bounded number of rows: one statement per part (and one for the corridors), whatever the number of scopes or records', async () => {
    p.service.db.statements.recording = true;
    p.service.db.statements.reset();
    await readSummaries(p, SCOPES);
    const { count, recorded } = p.service.db.statements;
    p.service.db.statements.recording = false;
    // workers, employment, transport, health, and the corridors (read only when asked).
    expect(count).toBe(5);
    for (const statement of recorded)
      expect(statement).not.toMatch(/from "?(workers|trips|trip_passengers|enterprises)"?\b/i);
  });
});
