/**
 * The statistics of safety (#14 item 6, migration 0009): `transport.*.moved`, `workers.underObservation`
 * and `Summary.health`. Each step is checked against the brute-force recount at every scope level
 * (nation, province, cities, counties, townships; Dongguan 441900 has no counties), with the deltas
 * unfolded and after a fold, plus the figures the step should give. Trips go through GraphQL;
 * the rows of the boarding gate, the arrival checks and the observations are written with SQL
 * (their mutations are written elsewhere: the counters are triggers, they follow any writer).
 * Runs on PGlite, or on a fresh PostgreSQL database with DATABASE_URL.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statDelta, tripPassengers, trips } from '../db/schema/index.js';
import {
  arrive,
  assign,
  cancel,
  depart,
  endObservations,
  expectCountersMatchRecords,
  planTrip,
  readSummaries,
  registerWorkers,
  setAlightAt,
  setArrivalChecks,
  setRefusals,
  setWorkerStatus,
  startObservations,
  startTestProvince,
  type TestProvince,
  workerInput,
} from '../testing/index.js';

const LIWAN = '440103';
const SHAMIAN = '440103001';
const YUEXIU = '440104';
const DONGCHENG = '441900003';
const NANCHENG = '441900004';
const FUTIAN = '440304';
const SCOPES = [
  'CN',
  '440000',
  '440100',
  LIWAN,
  SHAMIAN,
  YUEXIU,
  '440300',
  FUTIAN,
  '441900',
  DONGCHENG,
  NANCHENG,
  '450000',
  '450200',
  '450203',
];
const at = (scope: string) => SCOPES.indexOf(scope);

describe(`statistics of safety: moved, under observation, refusals, fevers, observations (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let p: TestProvince;
  let shamian: string[];
  let dongguan: string[];
  const db = () => p.service.db.db;
  const deltaRows = async () =>
    Number((await db().select({ n: sql<number>`count(*)` }).from(statDelta))[0]!.n);

  beforeAll(async () => {
    p = await startTestProvince('440000');
    shamian = await registerWorkers(
      p,
      Array.from({ length: 30 }, () => workerInput(SHAMIAN)),
    );
    dongguan = await registerWorkers(
      p,
      Array.from({ length: 30 }, () => workerInput(DONGCHENG)),
    );
  });
  afterAll(() => p?.close());

  it('should count as moved only trips that departed (DEPARTED, ARRIVED, HANDED_OVER) and only their boarded passengers', async () => {
    const bus = await planTrip(p, SHAMIAN, '450203', 'BUS'); // outbound for Guangdong
    await assign(p, bus, shamian.slice(0, 5));
    let s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at('440000')]!.transport.outbound).toEqual({
      trips: 1,
      passengers: 5,
      moved: { trips: 0, passengers: 0 },
    });
    await depart(p, bus, shamian.slice(0, 3));
    s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at('440000')]!.transport.outbound.moved).toEqual({ trips: 1, passengers: 3 });
    expect(s[at('450203')]!.transport.inbound.moved).toEqual({ trips: 1, passengers: 3 });
    await arrive(p, bus, 3); // HANDED_OVER: still moved
    s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at(SHAMIAN)]!.transport.outbound.moved).toEqual({ trips: 1, passengers: 3 });

    const train = await planTrip(p, NANCHENG, DONGCHENG, 'TRAIN'); // internal to Dongguan
    await assign(p, train, dongguan.slice(0, 4));
    await depart(p, train, dongguan.slice(0, 4));
    s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at('441900')]!.transport.internal.moved).toEqual({ trips: 1, passengers: 4 });
    expect(s[at(NANCHENG)]!.transport.outbound.moved).toEqual({ trips: 1, passengers: 4 });
    await cancel(p, train); // cancelled after it left: never moved
    s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at('441900')]!.transport.internal).toEqual({
      trips: 0,
      passengers: 0,
      moved: { trips: 0, passengers: 0 },
    });
  });

  it('should count refusals at the gate under the trip origin, FEVER apart from HEALTH_CODE and NO_HEALTH_RECORD, never ABSENT; a cancellation keeps them', async () => {
    const bus = await planTrip(p, DONGCHENG, FUTIAN, 'BUS');
    const manifest = dongguan.slice(10, 18);
    await assign(p, bus, manifest);
    await depart(p, bus, manifest.slice(0, 2));
    // The gate's verdicts, one statement per reason as the gate may write them.
    await setRefusals(db(), bus, manifest.slice(2, 4), 'FEVER');
    await setRefusals(db(), bus, manifest.slice(4, 5), 'HEALTH_CODE');
    await setRefusals(db(), bus, manifest.slice(5, 7), 'NO_HEALTH_RECORD');
    await setRefusals(db(), bus, manifest.slice(7, 8), 'ABSENT');
    let s = await expectCountersMatchRecords(p, SCOPES);
    for (const scope of ['CN', '440000', '441900', DONGCHENG])
      expect(s[at(scope)]!.health.boardingRefused, scope).toEqual({ fever: 2, healthCode: 3 });
    for (const scope of [NANCHENG, '440300', FUTIAN, '450000'])
      expect(s[at(scope)]!.health.boardingRefused, scope).toEqual({ fever: 0, healthCode: 0 });
    // A corrected reason moves one count to the other; HEALTH_CODE ↔ NO_HEALTH_RECORD moves nothing.
    await setRefusals(db(), bus, manifest.slice(4, 5), 'FEVER');
    const before = await deltaRows();
    await setRefusals(db(), bus, manifest.slice(5, 7), 'HEALTH_CODE');
    expect(await deltaRows()).toBe(before);
    s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at(DONGCHENG)]!.health.boardingRefused).toEqual({ fever: 3, healthCode: 2 });
    // Refusals are facts of the gate: the trip cancelled after it left keeps them.
    await cancel(p, bus);
    s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at('441900')]!.health.boardingRefused).toEqual({ fever: 3, healthCode: 2 });
    expect(s[at('441900')]!.transport.outbound.moved).toEqual({ trips: 0, passengers: 0 });
  });

  it('should count fevers at arrival under the passenger stop (alightAt, else the destination) and follow a changed stop', async () => {
    const bus = await planTrip(p, SHAMIAN, '441900', 'BUS'); // destination Dongguan, a stop in Futian
    const manifest = shamian.slice(10, 16);
    await assign(p, bus, manifest);
    await setAlightAt(db(), bus, manifest.slice(0, 3), FUTIAN);
    await depart(p, bus, manifest);
    await setArrivalChecks(db(), bus, manifest.slice(0, 2), true); // two fevers in Futian
    await setArrivalChecks(db(), bus, manifest.slice(2, 3), false);
    await setArrivalChecks(db(), bus, manifest.slice(3, 4), true); // one at the destination
    let s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at(FUTIAN)]!.health.feverAtArrival).toBe(2);
    expect(s[at('440300')]!.health.feverAtArrival).toBe(2);
    expect(s[at('441900')]!.health.feverAtArrival).toBe(1);
    expect(s[at(DONGCHENG)]!.health.feverAtArrival).toBe(0); // the city itself, not its townships
    expect(s[at('440000')]!.health.feverAtArrival).toBe(3);
    expect(s[at(SHAMIAN)]!.health.feverAtArrival).toBe(0);
    await setAlightAt(db(), bus, manifest.slice(0, 1), null); // his stop is the destination after all
    s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at(FUTIAN)]!.health.feverAtArrival).toBe(1);
    expect(s[at('441900')]!.health.feverAtArrival).toBe(2);
    await setArrivalChecks(db(), bus, manifest.slice(3, 4), false); // a corrected check
    s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at('440000')]!.health.feverAtArrival).toBe(2);
  });

  it('should count observations under their region while active and once released; a transfer to hospital counts in neither', async () => {
    const ids = await startObservations(db(), '440000', [
      { workerId: dongguan[20]!, region: NANCHENG },
      { workerId: dongguan[21]!, region: NANCHENG },
      { workerId: shamian[20]!, region: LIWAN },
      { workerId: 'W45-aaaaaaaaaaaa', region: FUTIAN }, // a Guangxi worker observed in Shenzhen
    ]);
    let s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at('440000')]!.health).toMatchObject({ underObservation: 4, released: 0 });
    expect(s[at(NANCHENG)]!.health).toMatchObject({ underObservation: 2, released: 0 });
    expect(s[at(SHAMIAN)]!.health.underObservation).toBe(0); // observed in Liwan, not in Shamian
    expect(s[at(LIWAN)]!.health.underObservation).toBe(1);
    await endObservations(db(), ids.slice(0, 1), 'RELEASED');
    await endObservations(db(), ids.slice(1, 2), 'TRANSFERRED_TO_HOSPITAL');
    s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at(NANCHENG)]!.health).toMatchObject({ underObservation: 0, released: 1 });
    expect(s[at('CN')]!.health).toMatchObject({ underObservation: 2, released: 1 });
    await db().execute(sql`DELETE FROM observations WHERE id = ${ids[3]!}`);
    s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at('440300')]!.health.underObservation).toBe(0);
  });

  it('should count a worker whose status is OBSERVATION as under observation at home, and no longer once he is back', async () => {
    await setWorkerStatus(db(), shamian.slice(20, 22), 'OBSERVATION');
    let s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at(SHAMIAN)]!.workers).toMatchObject({ underObservation: 2, registered: 30 });
    expect(s[at('441900')]!.workers.underObservation).toBe(0);
    await setWorkerStatus(db(), shamian.slice(20, 21), 'AT_HOME');
    s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at('CN')]!.workers.underObservation).toBe(1);
  });

  it('should move the refusals and fevers of a trip whose origin or destination is corrected by hand', async () => {
    const bus = await planTrip(p, YUEXIU, DONGCHENG, 'BUS');
    const manifest = shamian.slice(24, 28);
    await assign(p, bus, manifest);
    await depart(p, bus, manifest.slice(0, 2));
    await setRefusals(db(), bus, manifest.slice(2, 4), 'FEVER');
    await setArrivalChecks(db(), bus, manifest.slice(0, 1), true);
    await db().update(trips).set({ origin: LIWAN, destination: NANCHENG }).where(sql`${trips.id} = ${bus}`);
    const s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at(YUEXIU)]!.health.boardingRefused.fever).toBe(0);
    expect(s[at(LIWAN)]!.health.boardingRefused.fever).toBe(2);
    expect(s[at(NANCHENG)]!.health.feverAtArrival).toBe(1);
    expect(s[at(DONGCHENG)]!.health.feverAtArrival).toBe(0);
  });

  it('should append one aggregated INSERT per statement: 200 refusals of one origin write one delta per key and counter', async () => {
    const workers = await registerWorkers(
      p,
      Array.from({ length: 200 }, () => workerInput(NANCHENG)),
    );
    const bus = await planTrip(p, NANCHENG, '450203', 'BUS', 300);
    await assign(p, bus, workers);
    await depart(p, bus, workers.slice(0, 1));
    await p.service.statistics.foldNow();
    const before = await deltaRows();
    // One statement refuses 199 with a fever (the gate), its arrival check then finds nothing.
    await db()
      .update(tripPassengers)
      .set({ refusal: 'FEVER' })
      .where(sql`${tripPassengers.tripId} = ${bus} AND NOT ${tripPassengers.boarded}`);
    // 5 keys ('' 44 4419 441900 441900004) × 1 counter.
    expect(await deltaRows()).toBe(before + 5);
    const s = await expectCountersMatchRecords(p, SCOPES);
    expect(s[at(NANCHENG)]!.health.boardingRefused.fever).toBe(199);
  });

  it('should read health with one statement per request, never from the records', async () => {
    p.service.db.statements.recording = true;
    p.service.db.statements.reset();
    await readSummaries(p, SCOPES);
    const { count, recorded } = p.service.db.statements;
    p.service.db.statements.recording = false;
    expect(count).toBe(5); // one per part, and one for the corridors
    for (const statement of recorded)
      expect(statement).not.toMatch(/from "?(workers|trips|trip_passengers|enterprises|observations)"?\b/i);
  });
});
