/**
 * Province figures from the province (#17.2, migration 0015): a province counts the relayed copies
 * (TRIP_COPY) of the trips other provinces organise into, out of or through it, under its own keys
 * only, so its Summary's transport and health parts need no other province. Two provinces over real
 * HTTP, the relay carried by hand (`testing/apply-facts.ts`), every figure compared with what the
 * old fan-out over every province gave: the sum of each province's recount of its OWN records
 * (`testing/summary-recount.ts`, which knows nothing of copies). Then the re-telling of past trips
 * (migration 0016, `transport/copy-retelling.ts`) gives back a keeper the copies it never got.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { tripCopyRetelling } from '../db/schema/index.js';
import { currentEpoch } from '../relay/outbox-epoch.js';
import { retellCopies, startCopyRetelling } from '../transport/copy-retelling.js';
import {
  applyFactsTo,
  clearForBoarding,
  expectData,
  factsToldTo,
  readStatisticsRecords,
  readSummaries,
  recountSummary,
  registerWorkers,
  silentLog,
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

/** Hebei's trips into Henan (the second cancelled), shared by both scenarios. */
let fromHebei: string;
let cancelled: string;

describe('province figures from the province: relayed copies counted where the trips arrive (#17.2)', () => {
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

describe('past trips re-told to the provinces they touch (#17.2, migration 0016)', () => {
  const db = (p: TestProvince) => p.service.db.db;
  const contextOf = (p: TestProvince) =>
    createContext({ province: p.service.province, db: db(p), workerIdKey: 'test', log: silentLog });
  /** The walk's row, as a database upgraded with trips in it starts. */
  const restartWalk = (p: TestProvince) =>
    db(p).execute(sql`UPDATE trip_copy_retelling SET after_trip = NULL, finished_at = NULL`);
  const walkRow = async (p: TestProvince) => (await db(p).select().from(tripCopyRetelling))[0]!;
  const walkBatches = async (p: TestProvince, batchSize: number) => {
    const steps: Awaited<ReturnType<typeof retellCopies>>[] = [];
    const positions: (string | null)[] = [];
    do {
      steps.push(await retellCopies(contextOf(p), { batchSize }));
      positions.push((await walkRow(p)).afterTrip);
    } while (!steps.at(-1)!.finished);
    return { steps, positions };
  };
  let inHebei: string;

  beforeAll(async () => {
    // The services' own walks (10 s after start) must not run beside the walks of these tests.
    await Promise.all(provinces().map((p) => p.service.copyRetelling.stop()));
    await relayAll();
  });

  it('should have nothing to re-tell in a province whose database was new', async () => {
    expect((await walkRow(hebei)).finishedAt).toBeInstanceOf(Date);
    expect(await hebei.service.copyRetelling.retellNow()).toEqual({ trips: 0, copies: 0 });
    expect(await relay(hebei, henan)).toBe(0);
  });

  it('should tell a keeper the copies of trips that stopped changing before it counted copies, batch by batch', async () => {
    // Henan as it was before the upgrade: it never got the copies of Hebei's (finished) trips.
    await db(henan).execute(sql`DELETE FROM trip_copies WHERE organizer LIKE '13%'`);
    const [before] = await readSummaries(henan, ['410000']);
    expect(before!.transport.inbound.trips).toBe(1); // its own pick-up only
    // A trip inside Hebei: no other province keeps it.
    inHebei = await plan(hebei, {
      organizer: '130731',
      origin: '130731',
      destination: '130902',
      vehicleCode: '冀G·17203',
    });
    await relayAll();
    await restartWalk(hebei);
    const { steps, positions } = await walkBatches(hebei, 1);
    expect(steps.map((s) => s.finished)).toEqual([false, false, false, true]);
    expect(steps.reduce((n, s) => n + s.trips, 0)).toBe(3);
    expect(steps.reduce((n, s) => n + s.copies, 0)).toBe(2);
    const tripIds = [fromHebei, cancelled, inHebei].sort();
    expect(positions).toEqual([...tripIds, tripIds[2]]);
    expect((await walkRow(hebei)).finishedAt).toBeInstanceOf(Date);
    const told = await factsToldTo(hebei.service, '410000');
    const copies = told.slice(-2).map((e) => e.fact);
    expect(copies.map((f) => f.fact)).toEqual(['TRIP_COPY', 'TRIP_COPY']);
    expect(copies.map((f) => (f as { trip: { id: string; status: string } }).trip.status).sort()).toEqual([
      'ARRIVED',
      'CANCELLED',
    ]);
    expect(await relay(hebei, henan)).toBe(2);
    await expectProvinceFiguresFromTheProvince();
    const [after] = await readSummaries(henan, ['410000']);
    expect(after!.transport.inbound).toMatchObject({ trips: 2, moved: { trips: 2, passengers: 3 } });
    expect(after!.health.feverAtArrival).toBe(1);
  });

  it('should count nothing twice when the walk runs again, and tell nothing once it finished', async () => {
    await Promise.all(provinces().map((p) => p.service.statistics.foldNow()));
    const before = await Promise.all(provinces().map((p) => readSummaries(p, SCOPES)));
    await restartWalk(hebei);
    expect(await hebei.service.copyRetelling.retellNow()).toEqual({ trips: 3, copies: 2 });
    expect(await hebei.service.copyRetelling.retellNow()).toEqual({ trips: 0, copies: 0 });
    expect(await relay(hebei, henan)).toBe(2);
    const after = await Promise.all(provinces().map((p) => readSummaries(p, SCOPES)));
    expect(after).toEqual(before);
  });

  // On PGlite every statement waits for the one connection anyway: only PostgreSQL tests the lock.
  it.skipIf(!process.env.DATABASE_URL)(
    'should wait for a change of a trip it reads, and tell the trip as changed',
    async () => {
      await restartWalk(hebei);
      let walk: Promise<unknown> | undefined;
      let walked = false;
      await db(hebei).transaction(async (tx) => {
        await tx.execute(sql`UPDATE trips SET vehicle_code = '冀G·99999' WHERE id = ${fromHebei}`);
        walk = hebei.service.copyRetelling.retellNow().then(() => {
          walked = true;
        });
        await new Promise((r) => setTimeout(r, 300));
        expect(walked, 'the walk read a trip a transaction is changing').toBe(false);
      });
      await walk;
      const told = (await factsToldTo(hebei.service, '410000')).slice(-2).map((e) => e.fact);
      const vehicles = told.map((f) => (f as { trip: { id: string; vehicleCode: string } }).trip);
      expect(vehicles.find((t) => t.id === fromHebei)?.vehicleCode).toBe('冀G·99999');
      await relay(hebei, henan);
    },
  );

  it('should walk by itself in the background until every trip was told', async () => {
    await restartWalk(henan);
    const walk = startCopyRetelling({
      contextFor: () => contextOf(henan),
      log: silentLog,
      firstDelayMs: 0,
      pauseMs: 0,
      batchSize: 1,
    });
    try {
      await expect
        .poll(async () => (await walkRow(henan)).finishedAt, { timeout: 10_000 })
        .toBeInstanceOf(Date);
    } finally {
      await walk.stop();
    }
    // Henan's pick-up from Xinhua, told again to Hebei: the origin's copy, counted once.
    expect(await relay(henan, hebei)).toBe(1);
    await expectProvinceFiguresFromTheProvince();
  });

  it('should hold a batch while a province reading the relay is far behind, but not for one that stopped reading', async () => {
    await restartWalk(hebei);
    const told = await factsToldTo(hebei.service, '410000');
    expect(told.length).toBeGreaterThan(3);
    // Henan read Hebei's relay a moment ago and has applied none of its facts yet.
    const epoch = await currentEpoch(db(hebei));
    await db(hebei).execute(
      sql`INSERT INTO relay_consumers (target, epoch, position, seen_at) VALUES ('410000', ${epoch}, 0, now())`,
    );
    const walk = (options: { maxRelayBacklog: number }) => retellCopies(contextOf(hebei), options);
    expect(await walk({ maxRelayBacklog: 3 })).toEqual({ trips: 0, copies: 0, finished: false, held: true });
    expect((await walkRow(hebei)).afterTrip).toBeNull();
    // Henan caught up to all but three: not held.
    await db(hebei).execute(sql`UPDATE relay_consumers SET position = ${told.at(-4)!.seq}`);
    expect(await walk({ maxRelayBacklog: 3 })).toMatchObject({ trips: 3, copies: 2, finished: true });
    // A province that stopped reading 10 minutes ago holds nothing, however far behind.
    await restartWalk(hebei);
    await db(hebei).execute(
      sql`UPDATE relay_consumers SET position = 0, seen_at = now() - interval '10 minutes'`,
    );
    expect(await walk({ maxRelayBacklog: 3 })).toMatchObject({ trips: 3, copies: 2, finished: true });
    // A finished walk is not held: it ends at once.
    await db(hebei).execute(sql`UPDATE relay_consumers SET position = 0, seen_at = now()`);
    expect(await walk({ maxRelayBacklog: 3 })).toEqual({ trips: 0, copies: 0, finished: true });
    await db(hebei).execute(sql`DELETE FROM relay_consumers`);
    expect(await relay(hebei, henan)).toBe(4);
    await expectProvinceFiguresFromTheProvince();
  });
});
