/**
 * `TransportStats.corridors` (contract 1.2, migration 0014): the trips between two provinces,
 * by (origin province, destination province), counted under every key of either end with the
 * rules of the trip quantities. After every step the corridors of many scopes equal the recount
 * (`expectCountersMatchRecords`, before and after a fold), and the steps are spelled out here:
 * plan, assign, depart, cancel, a trip inside one province, the scopes that see a corridor, and
 * the daily snapshots. Runs on PGlite, or on a fresh PostgreSQL database with DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assign,
  cancel,
  depart,
  expectCountersMatchRecords,
  planTrip,
  readSummaries,
  registerWorkers,
  startTestProvince,
  tripMutation,
  workerInput,
  type TestProvince,
} from '../testing/index.js';
import type { Corridor } from './corridors.js';
import { chinaDay } from './scope.js';

const SHAMIAN = '440103001';
const LIWAN = '440103';
const DONGCHENG = '441900003';
const LIUBEI = '450203';
const SCOPES = ['CN', '440000', '440100', LIWAN, SHAMIAN, '441900', '450000', '450200', LIUBEI, '110000'];
const HOUR = 3_600_000;

const corridor = (key: string, trips: number, passengers: number, moved = { trips: 0, passengers: 0 }) => {
  const [origin, destination] = key.split('-') as [string, string];
  return { key, origin: { code: origin }, destination: { code: destination }, trips, passengers, moved };
};

describe(`corridors between provinces (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let p: TestProvince;
  let shamian: string[];
  /** The corridors of each scope, checked against the recount first. */
  const corridorsOf = async (): Promise<Record<string, Corridor[]>> => {
    const counted = await expectCountersMatchRecords(p, SCOPES);
    return Object.fromEntries(SCOPES.map((scope, i) => [scope, counted[i]!.transport.corridors]));
  };

  beforeAll(async () => {
    p = await startTestProvince('440000');
    await p.service.statistics.stop(); // the tests fold when they choose (foldNow)
    shamian = await registerWorkers(
      p,
      Array.from({ length: 12 }, () => workerInput(SHAMIAN)),
    );
  });
  afterAll(() => p?.close());

  it('should count a planned trip to another province, its assigned people, then those who boarded and moved', async () => {
    const bus = await planTrip(p, SHAMIAN, LIUBEI, 'BUS');
    let seen = await corridorsOf();
    expect(seen.CN).toEqual([corridor('440000-450000', 1, 0)]);
    await assign(p, bus, shamian.slice(0, 10));
    seen = await corridorsOf();
    expect(seen.CN).toEqual([corridor('440000-450000', 1, 10)]);
    await depart(p, bus, shamian.slice(0, 6)); // 6 of 10 board
    seen = await corridorsOf();
    expect(seen.CN).toEqual([corridor('440000-450000', 1, 6, { trips: 1, passengers: 6 })]);
    // Both ends' scopes see it, down to the county and township of each end; others do not.
    for (const scope of ['440000', '440100', LIWAN, SHAMIAN, '450000', '450200', LIUBEI])
      expect(seen[scope], scope).toEqual(seen.CN);
    expect(seen['441900']).toEqual([]);
    expect(seen['110000']).toEqual([]);
  });

  it('should count no trip inside one province, and drop a cancelled trip’s corridor', async () => {
    const local = await planTrip(p, SHAMIAN, DONGCHENG, 'TRAIN');
    await assign(p, local, shamian.slice(10, 12));
    const flight = await planTrip(p, LIWAN, '110105', 'FLIGHT');
    let seen = await corridorsOf();
    expect(seen.CN.map((c) => c.key)).toEqual(['440000-110000', '440000-450000']);
    expect(seen['441900']).toEqual([]); // Dongguan: only the trip inside Guangdong
    expect(seen['110000']).toEqual([corridor('440000-110000', 1, 0)]);
    await cancel(p, flight);
    await cancel(p, local);
    seen = await corridorsOf();
    expect(seen.CN.map((c) => c.key)).toEqual(['440000-450000']);
    expect(seen['110000']).toEqual([]);
  });

  it('should count a trip this province organises from another province into it, in key order', async () => {
    await tripMutation(p, 'mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }', {
      i: {
        mode: 'BUS',
        vehicleCode: '桂B·C0001',
        origin: '450203001',
        destination: SHAMIAN,
        organizer: SHAMIAN,
        capacity: 40,
        departureAt: new Date(Date.now() + HOUR).toISOString(),
        expectedArrivalAt: new Date(Date.now() + 12 * HOUR).toISOString(),
      },
    });
    const seen = await corridorsOf();
    const both = [
      corridor('440000-450000', 1, 6, { trips: 1, passengers: 6 }),
      corridor('450000-440000', 1, 0),
    ];
    for (const scope of ['CN', '440000', '440100', SHAMIAN, '450000', '450200', LIUBEI])
      expect(seen[scope], scope).toEqual(both);
  });

  it('should carry the corridors in the daily snapshots: today’s equal the live ones, a day before the trips has none', async () => {
    await p.service.statistics.foldNow();
    const today = chinaDay();
    const yesterday = chinaDay(new Date(Date.now() - 24 * HOUR));
    const [live, ofToday, ofYesterday] = await readSummaries(
      p,
      ['CN', 'CN', 'CN'],
      ['LATEST', today, yesterday],
    );
    expect(live!.transport.corridors).toHaveLength(2);
    expect(ofToday!.transport.corridors).toEqual(live!.transport.corridors);
    expect(ofYesterday!.transport.corridors).toEqual([]);
  });
});
