/**
 * Province figures from the province (#17.2, migration 0015): a province counts the relayed copies
 * (TRIP_COPY) of the trips other provinces organise into, out of or through it, under its own keys
 * only, so its Summary's transport and health parts need no other province. Two provinces over real
 * HTTP, the relay carried by hand (`testing/apply-facts.ts`), every figure compared with what the
 * old fan-out over every province gave: the sum of each province's recount of its OWN records
 * (`testing/summary-recount.ts`, which knows nothing of copies).
 */
import { describe, expect, it } from 'vitest';
import {
  applyFactsTo,
  clearForBoarding,
  expectData,
  factsToldTo,
  readStatisticsRecords,
  readSummaries,
  recountSummary,
  registerWorkers,
  useTestProvince,
  workerInput,
  type RecountedSummary,
  type TestProvince,
} from '../testing/index.js';

const PLAN = `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`;
const ASSIGN = `mutation($trip: ID!, $workers: [ID!]!) { assignPassengers(tripId: $trip, workerIds: $workers) { id } }`;
const DEPART = `mutation($trip: ID!, $boarded: [BoardingInput!]!) { departTrip(tripId: $trip, boarded: $boarded) { id status } }`;
const ARRIVE = `mutation($trip: ID!, $input: ConfirmArrivalInput!) { confirmArrival(tripId: $trip, input: $input) { id status } }`;
const CANCEL = `mutation($trip: ID!) { cancelTrip(tripId: $trip, reason: "改期") { id status } }`;

/** The organiser Hebei and the receiving Henan. */
const hebei = useTestProvince('130000');
const henan = useTestProvince('410000');
const provinces = () => [hebei, henan];

/** Henan's scopes (province, Zhoukou, Chuanhui), the nation, and scopes of Hebei's (Cangzhou, Xinhua). */
const SCOPES = ['410000', '411600', '411602', 'CN', '130000', '130900', '130902'];

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

function trip(over: Record<string, unknown>) {
  return {
    mode: 'BUS',
    capacity: 40,
    departureAt: hoursAgo(12),
    expectedArrivalAt: hoursAgo(2),
    destination: '411602',
    ...over,
  };
}

async function plan(p: TestProvince, input: Record<string, unknown>): Promise<string> {
  return expectData(await p.gql('transport', PLAN, { input: trip(input) })).planTrip.id;
}

/**
 * The relay carried by hand, in order, per (source, target); `replay` sends every TRIP_COPY fact
 * told so far once more, in order (older copies, then the latest again).
 */
const carried = new Map<string, number>();
async function relay(from: TestProvince, to: TestProvince, replay = false): Promise<number> {
  const pair = `${from.service.province}>${to.service.province}`;
  const told = await factsToldTo(from.service, to.service.province, replay ? 0 : (carried.get(pair) ?? 0));
  const facts = replay ? told.filter((e) => e.fact.fact === 'TRIP_COPY') : told;
  if (facts.length) {
    await applyFactsTo(to.service, from.service.province, facts);
    if (!replay) carried.set(pair, facts.at(-1)!.seq);
  }
  return facts.length;
}
const relayAll = async () => {
  await relay(hebei, henan);
  await relay(henan, hebei);
};

type Parts = Pick<RecountedSummary, 'transport' | 'health'>;

/** Adds two summaries' parts: numbers added, list items (byMode, corridors) matched by mode or key. */
function sum<T>(a: T, b: T): T {
  if (typeof a === 'number') return (a + (b as number)) as T;
  if (Array.isArray(a)) {
    const id = (item: any) => item.mode ?? item.key;
    const merged = new Map<string, any>(a.map((item) => [id(item), item]));
    for (const item of b as any[])
      merged.set(id(item), merged.has(id(item)) ? sum(merged.get(id(item)), item) : item);
    return [...merged.values()].sort((x, y) => (id(x) < id(y) ? -1 : id(x) > id(y) ? 1 : 0)) as T;
  }
  if (a && typeof a === 'object')
    return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, sum(v, (b as any)[k])])) as T;
  return a;
}

const partsOf = (s: RecountedSummary): Parts => ({ transport: s.transport, health: s.health });

/** Each province's recount of its own records (trips, manifests, observations) for every scope. */
async function ownRecounts(p: TestProvince): Promise<Map<string, Parts>> {
  const records = await readStatisticsRecords(p.service.db.db);
  return new Map(SCOPES.map((scope) => [scope, partsOf(recountSummary(records, scope))]));
}

/**
 * Every scope read from its own province equals the old fan-out (the sum of both recounts); the
 * nation and the other province's scopes read from a province are its own recount (a copy never
 * counts there), so the gateway's sum over provinces for CN counts every trip once. Read before
 * and after a fold.
 */
async function expectProvinceFiguresFromTheProvince(): Promise<void> {
  const [ofHebei, ofHenan] = await Promise.all([ownRecounts(hebei), ownRecounts(henan)]);
  for (const folded of [false, true]) {
    if (folded) for (const p of provinces()) await p.service.statistics.foldNow();
    const [readHebei, readHenan] = await Promise.all([
      readSummaries(hebei, SCOPES),
      readSummaries(henan, SCOPES),
    ]);
    SCOPES.forEach((scope, i) => {
      const fanOut = sum(ofHebei.get(scope)!, ofHenan.get(scope)!);
      const when = `${folded ? 'after' : 'before'} the fold`;
      if (scope.startsWith('41')) expect(partsOf(readHenan[i]!), `Henan's ${scope} ${when}`).toEqual(fanOut);
      else expect(partsOf(readHenan[i]!), `${scope} read in Henan ${when}`).toEqual(ofHenan.get(scope));
      if (scope.startsWith('13')) expect(partsOf(readHebei[i]!), `Hebei's ${scope} ${when}`).toEqual(fanOut);
      else expect(partsOf(readHebei[i]!), `${scope} read in Hebei ${when}`).toEqual(ofHebei.get(scope));
    });
  }
}

describe('province figures from the province: relayed copies counted where the trips arrive (#17.2)', () => {
  let fromHebei: string;
  let cancelled: string;
  let pickUp: string;
  let hebeiWorkers: string[];

  it('should count a trip Hebei organises into Henan, and a pick-up Henan organises from Hebei, in the province they touch', async () => {
    hebeiWorkers = await registerWorkers(hebei, [
      ...['130731', '130731', '130731', '130731'].map((home) => workerInput(home)),
      ...['130902', '130902', '130902'].map((home) => workerInput(home)),
    ]);
    const [w1, w2, w3, w4, w5, w6, w7] = hebeiWorkers;
    // Hebei organises two trips from Huailai into Chuanhui (Zhoukou, Henan); the second by train.
    fromHebei = await plan(hebei, { organizer: '130731', origin: '130731', vehicleCode: '冀G·17201' });
    cancelled = await plan(hebei, {
      organizer: '130731',
      origin: '130731',
      mode: 'TRAIN',
      vehicleCode: 'K1702',
    });
    await hebei.gql('transport', ASSIGN, { trip: fromHebei, workers: [w1, w2, w3] });
    await hebei.gql('transport', ASSIGN, { trip: cancelled, workers: [w4] });
    // Henan's receiving county organises a pick-up from Xinhua (Cangzhou, Hebei) into Chuanhui.
    pickUp = await plan(henan, { organizer: '411602', origin: '130902', vehicleCode: '豫P·00002' });
    await henan.gql('transport', ASSIGN, { trip: pickUp, workers: [w5, w6, w7] });
    expect(await relay(hebei, henan)).toBeGreaterThan(0);
    expect(await relay(henan, hebei)).toBeGreaterThan(0);
    await expectProvinceFiguresFromTheProvince();
    const [henanProvince] = await readSummaries(henan, ['410000']);
    expect(henanProvince!.transport.inbound).toMatchObject({ trips: 3, passengers: 7 });
    expect(henanProvince!.transport.vehicles).toBe(3);
    expect(henanProvince!.transport.corridors.map((c) => [c.key, c.trips, c.passengers])).toEqual([
      ['130000-410000', 3, 7],
    ]);
    const [xinhua] = await readSummaries(hebei, ['130902']);
    expect(xinhua!.transport.outbound).toMatchObject({ trips: 1, passengers: 3 });
  });

  it('should move the counters with a departure (refusals at the gate), an arrival check (a fever) and a cancellation', async () => {
    const [w1, w2, w3, , w5, w6, w7] = hebeiWorkers;
    await clearForBoarding(hebei.service, fromHebei);
    expect(
      expectData(
        await hebei.gql('transport', DEPART, {
          trip: fromHebei,
          boarded: [
            { workerId: w1, temperature: 36.5 },
            { workerId: w2, temperature: 36.6 },
            { workerId: w3, temperature: 38.6 },
          ],
        }),
      ).departTrip.status,
    ).toBe('DEPARTED');
    // The pick-up's gate: w6 has no health record, w7 a fever; both refusals count where it left (Hebei).
    await clearForBoarding(henan.service, pickUp, [w5!, w7!]);
    expectData(
      await henan.gql('transport', DEPART, {
        trip: pickUp,
        boarded: [
          { workerId: w5, temperature: 36.5 },
          { workerId: w6, temperature: 36.5 },
          { workerId: w7, temperature: 38.8 },
        ],
      }),
    );
    // Chuanhui meets Hebei's bus: one of the two has a fever.
    expect(
      expectData(
        await hebei.gql('transport', ARRIVE, {
          trip: fromHebei,
          input: {
            arrivedAt: hoursAgo(1),
            headcount: 2,
            checks: [
              { workerId: w1, temperature: 38.2 },
              { workerId: w2, temperature: 36.4 },
            ],
          },
        }),
      ).confirmArrival.status,
    ).toBe('ARRIVED');
    expectData(await hebei.gql('transport', CANCEL, { trip: cancelled }));
    await relayAll();
    await relayAll(); // the facts the first round's handlers told (observations, homes)
    await expectProvinceFiguresFromTheProvince();
    const [henanProvince, hebeiProvince] = [
      (await readSummaries(henan, ['410000']))[0]!,
      (await readSummaries(hebei, ['130000']))[0]!,
    ];
    expect(henanProvince.transport.inbound).toMatchObject({ trips: 2, moved: { trips: 2, passengers: 3 } });
    // The cancelled train counts nothing any more (no mode without a trip is listed).
    expect(henanProvince.transport.byMode.map((m) => [m.mode, m.trips, m.vehicles])).toEqual([['BUS', 2, 2]]);
    expect(henanProvince.health.feverAtArrival).toBe(1);
    expect(hebeiProvince.health.boardingRefused).toEqual({ fever: 2, healthCode: 1 });
  });

  it('should change nothing when copies are replayed', async () => {
    await Promise.all(provinces().map((p) => p.service.statistics.foldNow()));
    const before = await Promise.all(provinces().map((p) => readSummaries(p, SCOPES)));
    expect(await relay(hebei, henan, true)).toBeGreaterThan(0);
    expect(await relay(henan, hebei, true)).toBeGreaterThan(0);
    const after = await Promise.all(provinces().map((p) => readSummaries(p, SCOPES)));
    expect(after).toEqual(before);
  });
});
