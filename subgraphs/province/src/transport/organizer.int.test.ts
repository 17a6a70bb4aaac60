/**
 * Trips organised by the receiving side (#13.2, report 004: Huailai County, Hebei, fetched its
 * workers from Zhoukou, Henan) and manifest corrections (#13.5 `removePassengers`), through the
 * provinces' GraphQL over real HTTP: the organiser's province owns the trip, the origin's province
 * serves the relayed copy (TRIP_COPY facts carried here by hand, `testing/apply-facts.ts`).
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outbox, tripCopies } from '../db/schema/index.js';
import {
  applyFactsTo,
  expectData,
  expectError,
  factsToldTo,
  readSummaries,
  registerWorkers,
  useTestProvince,
  workerInput,
  clearForBoarding,
} from '../testing/index.js';

const TRIP =
  'id status organizer { code } origin { code } destination { code } departureAt capacity headcount passengers { worker { id } boarded temperature }';
const PLAN = `mutation($input: PlanTripInput!) { planTrip(input: $input) { ${TRIP} } }`;
const ASSIGN = `mutation($trip: ID!, $workers: [ID!]!) { assignPassengers(tripId: $trip, workerIds: $workers) { ${TRIP} } }`;
const REMOVE = `mutation($trip: ID!, $workers: [ID!]!, $key: String) { removePassengers(tripId: $trip, workerIds: $workers, idempotencyKey: $key) { ${TRIP} } }`;
const DEPART = `mutation($trip: ID!, $boarded: [BoardingInput!]!) { departTrip(tripId: $trip, boarded: $boarded) { ${TRIP} } }`;
const CANCEL = `mutation($trip: ID!) { cancelTrip(tripId: $trip, reason: "改期") { ${TRIP} } }`;
const TRIPS = `query($origin: RegionCode, $destination: RegionCode, $status: [TripStatus!], $first: Int, $after: String) {
  trips(origin: $origin, destination: $destination, status: $status, first: $first, after: $after) {
    totalCount edges { cursor node { ${TRIP} } } pageInfo { hasNextPage endCursor } } }`;
const TRIP_OF_REQUEST = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ReturnRequest { id trip { ${TRIP} } } } }`;

const hebei = useTestProvince('130000');
const henan = useTestProvince('410000');

/** A pick-up from Zhoukou to Huailai planned in Hebei (organiser Huailai unless `over` says otherwise). */
const pickUp = (over: Record<string, unknown> = {}) => {
  const departureAt = String(over.departureAt ?? '2030-02-20T08:00:00+08:00');
  return {
    organizer: '130730',
    mode: 'BUS',
    vehicleCode: '冀G·00017',
    origin: '411600',
    destination: '130730',
    departureAt,
    expectedArrivalAt: new Date(new Date(departureAt).getTime() + 12 * 3_600_000).toISOString(),
    capacity: 17,
    ...over,
  };
};

async function plan(over: Record<string, unknown> = {}) {
  return expectData(await hebei.gql('transport', PLAN, { input: pickUp(over) })).planTrip;
}

/** Carries every fact Hebei told Henan since the last call to Henan (a hand-carried relay, in order). */
let carried = 0;
async function relayToHenan(): Promise<number> {
  const facts = await factsToldTo(hebei.service, '410000', carried);
  if (facts.length) {
    await applyFactsTo(henan.service, '130000', facts);
    carried = facts.at(-1)!.seq;
  }
  return facts.length;
}

const transportOf = async (scope: string, p = hebei) => (await readSummaries(p, [scope]))[0]!.transport;

describe('a trip organised by the receiving side (#13.2)', () => {
  it('should plan a pick-up from Zhoukou by a Huailai officer, owned by Hebei, counted by origin and destination', async () => {
    const [henanBefore, hebeiBefore] = [await transportOf('410000'), await transportOf('130000')];
    const trip = await plan();
    expect(trip.id).toMatch(/^T13-/);
    expect(trip).toMatchObject({
      status: 'PLANNED',
      organizer: { code: '130730' },
      origin: { code: '411600' },
      destination: { code: '130730' },
    });
    // Hebei's counters count it relative to any scope: outbound for Henan, inbound for Hebei.
    expect((await transportOf('410000')).outbound.trips).toBe(henanBefore.outbound.trips + 1);
    expect((await transportOf('130000')).inbound.trips).toBe(hebeiBefore.inbound.trips + 1);
    expect((await transportOf('130000')).outbound.trips).toBe(hebeiBefore.outbound.trips);
  });

  it('should default the organiser to the origin', async () => {
    const trip = await plan({ organizer: undefined, origin: '130731' });
    expect(trip.organizer).toEqual({ code: '130731' });
    expect(trip.id).toMatch(/^T13-/);
  });

  it('should refuse an organiser outside the province, or an origin outside it without one, writing nothing', async () => {
    const before = await hebei.fingerprint();
    expectError(
      await hebei.gql('transport', PLAN, { input: pickUp({ organizer: '411600' }) }),
      'WRONG_PROVINCE',
      /input\.organizer: organizer 411600 belongs to province 410000/,
    );
    expectError(
      await hebei.gql('transport', PLAN, { input: pickUp({ organizer: null }) }),
      'WRONG_PROVINCE',
      /input\.origin: origin \(the organiser when none is given\) 411600 belongs to province 410000/,
    );
    expectError(
      await hebei.gql('transport', PLAN, { input: pickUp({ organizer: '139999' }) }),
      'BAD_USER_INPUT',
    );
    expectError(await hebei.gql('transport', PLAN, { input: pickUp({ organizer: 'CN' }) }), 'BAD_USER_INPUT');
    expect(await hebei.fingerprint()).toBe(before);
  });

  it("should tell the origin's province the trip with its manifest at every change, and nothing for a trip from home", async () => {
    const [w1, w2] = await registerWorkers(henan, [workerInput('411602'), workerInput('411621')]);
    const trip = await plan({ vehicleCode: '冀G·00018' });
    await hebei.gql('transport', ASSIGN, { trip: trip.id, workers: [w1, w2] });
    const local = await plan({ organizer: undefined, origin: '130731', vehicleCode: '冀G·00019' });
    const told = (await factsToldTo(hebei.service, '410000', carried)).map((e) => e.fact);
    const copies = told.filter((f) => f.fact === 'TRIP_COPY' && f.trip.id === trip.id);
    expect(copies.map((f) => f.fact === 'TRIP_COPY' && f.trip.passengers.map((p) => p.workerId))).toEqual([
      [],
      [w1, w2],
    ]);
    expect(copies[1]).toMatchObject({
      fact: 'TRIP_COPY',
      trip: {
        organizer: '130730',
        origin: '411600',
        status: 'PLANNED',
        capacity: 17,
        asOf: expect.any(String),
      },
    });
    // Facts carry ids, places and times: never a name, a resident ID or a phone.
    expect(JSON.stringify(told)).not.toMatch(/工人|\d{17}[\dX]|1380000/);
    const rows = await hebei.service.db.db.select().from(outbox).where(eq(outbox.tripId, local.id));
    expect(rows.map((r) => r.kind)).toEqual(['PLANNED']);
    expect(told.some((f) => f.fact === 'TRIP_COPY' && f.trip.id === local.id)).toBe(false);
  });
});

describe("the origin's province serves the relayed copy (#13.2)", () => {
  it('should list own trips and copies in one keyset order, page across both and count both', async () => {
    // Henan's own trip from Zhengzhou, leaving between the two Hebei pick-ups.
    const own = expectData(
      await henan.gql('transport', PLAN, {
        input: pickUp({
          organizer: undefined,
          origin: '410102',
          vehicleCode: '豫A·00001',
          departureAt: '2030-02-20T09:00:00+08:00',
        }),
      }),
    ).planTrip;
    const later = await plan({ vehicleCode: '冀G·00020', departureAt: '2030-02-20T10:00:00+08:00' });
    await relayToHenan();
    const all = expectData(await henan.gql('transport', TRIPS, { origin: '410000', first: 100 })).trips;
    const ids = all.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toContain(own.id);
    expect(ids).toContain(later.id);
    const hebeiTrips = expectData(
      await hebei.gql('transport', TRIPS, { origin: '411600', first: 100 }),
    ).trips;
    expect(all.totalCount).toBe(hebeiTrips.totalCount + 1);
    const order = all.edges.map((e: { node: { departureAt: string; id: string } }) => [
      e.node.departureAt,
      e.node.id,
    ]);
    expect(order).toEqual(
      [...order].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1)),
    );
    // One item per page walks the same list: nothing lost, nothing twice.
    const walked: string[] = [];
    let after: string | null = null;
    do {
      const page: any = expectData(
        await henan.gql('transport', TRIPS, { origin: '410000', first: 1, after }),
      ).trips;
      walked.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(walked).toEqual(ids);
    // The copy answers like the trip: its organiser, its places, its manifest.
    const copy = all.edges.find((e: { node: { id: string } }) => e.node.id === later.id).node;
    expect(copy).toMatchObject({
      organizer: { code: '130730' },
      origin: { code: '411600' },
      status: 'PLANNED',
    });
  });

  it('should apply the other filters to copies, and leave them out of a query without an origin', async () => {
    const byPlace = expectData(
      await henan.gql('transport', TRIPS, { origin: '411600', destination: '130700', first: 100 }),
    ).trips;
    expect(byPlace.totalCount).toBeGreaterThan(0);
    expect(byPlace.edges.every((e: any) => e.node.organizer.code === '130730')).toBe(true);
    expect(
      expectData(await henan.gql('transport', TRIPS, { origin: '411600', status: ['DEPARTED'] })).trips
        .totalCount,
    ).toBe(0);
    expect(
      expectData(await henan.gql('transport', TRIPS, { origin: '410102', first: 100 })).trips.edges.every(
        (e: any) => e.node.origin.code === '410102',
      ),
    ).toBe(true);
    // Without an origin the gateway asks every province, and the organiser answers: no copy here.
    const scattered = expectData(
      await henan.gql('transport', TRIPS, { destination: '130730', first: 100 }),
    ).trips;
    expect(scattered.edges.every((e: any) => e.node.id.startsWith('T41-'))).toBe(true);
    // Nor at Hebei for an origin in Henan: Hebei has its own trips, no copies.
    expect(
      expectData(await hebei.gql('transport', TRIPS, { origin: '411600', first: 100 })).trips.edges.every(
        (e: any) => e.node.id.startsWith('T13-'),
      ),
    ).toBe(true);
  });

  it("should follow the trip: manifest, departure and cancellation reach the copy, counted under Henan's keys only", async () => {
    await relayToHenan();
    const [henanBefore, nationBefore] = [await transportOf('410000', henan), await transportOf('CN', henan)];
    const [w1, w2] = await registerWorkers(henan, [workerInput('411602'), workerInput('411602')]);
    const trip = await plan({ vehicleCode: '冀G·00021', departureAt: '2030-02-21T08:00:00+08:00' });
    await hebei.gql('transport', ASSIGN, { trip: trip.id, workers: [w1, w2] });
    await clearForBoarding(hebei.service, trip.id);
    expectData(
      await hebei.gql('transport', DEPART, { trip: trip.id, boarded: [{ workerId: w1, temperature: 36.4 }] }),
    );
    await relayToHenan();
    const [copy] = await henan.service.db.db.select().from(tripCopies).where(eq(tripCopies.id, trip.id));
    expect(copy).toMatchObject({ status: 'DEPARTED', organizer: '130730' });
    const listed = expectData(
      await henan.gql('transport', TRIPS, { origin: '411600', status: ['DEPARTED'], first: 100 }),
    ).trips.edges.map((e: any) => e.node);
    expect(listed.map((t: any) => t.id)).toEqual([trip.id]);
    // In manifest order: assigned together, then by id.
    expect(listed[0].passengers).toEqual(
      [
        { worker: { id: w1 }, boarded: true, temperature: 36.4 },
        { worker: { id: w2 }, boarded: false, temperature: null },
      ].sort((a, b) => (String(a.worker.id) < String(b.worker.id) ? -1 : 1)),
    );
    // Henan counts the copy under its own keys (#17.2, migration 0015): one more outbound trip with
    // its boarded passenger, moved; never under the nation's key (Hebei counts it there once).
    const henanAfter = await transportOf('410000', henan);
    expect(henanAfter.outbound).toEqual({
      trips: henanBefore.outbound.trips + 1,
      passengers: henanBefore.outbound.passengers + 1,
      moved: {
        trips: henanBefore.outbound.moved.trips + 1,
        passengers: henanBefore.outbound.moved.passengers + 1,
      },
    });
    expect(await transportOf('CN', henan)).toEqual(nationBefore);
  });

  it('should serve the stops, where each alights and his carriage on the copy too, the stops coarse (#14.5)', async () => {
    const [w1, w2] = await registerWorkers(henan, [workerInput('411602'), workerInput('411602')]);
    const trip = await plan({
      vehicleCode: '冀G·00030',
      stops: ['130100'],
      departureAt: '2020-02-21T08:00:00+08:00',
    });
    await hebei.gql(
      'transport',
      `mutation($t: ID!, $a: [PassengerAssignmentInput!]) { assignPassengers(tripId: $t, workerIds: [], assignments: $a) { id } }`,
      { t: trip.id, a: [{ workerId: w1, alightAt: '130100', carriage: '3' }, { workerId: w2 }] },
    );
    await clearForBoarding(hebei.service, trip.id);
    expectData(
      await hebei.gql('transport', DEPART, {
        trip: trip.id,
        boarded: [
          { workerId: w1, temperature: 36.4 },
          { workerId: w2, temperature: 36.5 },
        ],
      }),
    );
    const arrive = (stop: string) =>
      hebei.gql(
        'transport',
        `mutation($t: ID!, $i: ConfirmArrivalInput!) { confirmArrival(tripId: $t, input: $i) { id status } }`,
        { t: trip.id, i: { stop, arrivedAt: '2020-02-21T15:00:00+08:00', headcount: 1 } },
      );
    expectData(await arrive('130100'));
    await relayToHenan();
    const COPY = `query($d: RegionCode) { trips(origin: "411600", destination: $d, first: 100) { edges { node { id status
      stops { region { code } status expected } passengers { worker { id } alightAt { code } carriage } } } } }`;
    const copyOf = async (d?: string) =>
      expectData(await henan.gql('transport', COPY, { d })).trips.edges.find(
        (e: any) => e.node.id === trip.id,
      )?.node;
    const running = await copyOf('130100');
    expect(running.stops).toEqual([
      { region: { code: '130100' }, status: 'PENDING', expected: 1 },
      { region: { code: '130730' }, status: 'PENDING', expected: 1 },
    ]);
    expect(running.passengers).toEqual(
      expect.arrayContaining([
        { worker: { id: w1 }, alightAt: { code: '130100' }, carriage: '3' },
        { worker: { id: w2 }, alightAt: { code: '130730' }, carriage: null },
      ]),
    );
    expect(await copyOf('130200')).toBeUndefined();
    expectData(await arrive('130730'));
    await relayToHenan();
    expect((await copyOf()).stops.map((s: any) => s.status)).toEqual(['ARRIVED', 'ARRIVED']);
  });

  it('should keep the newer copy when an older one comes after it', async () => {
    const trip = await plan({ vehicleCode: '冀G·00022' });
    await hebei.gql('transport', CANCEL, { trip: trip.id });
    const facts = (await factsToldTo(hebei.service, '410000', carried)).filter(
      (e) => e.fact.fact === 'TRIP_COPY' && e.fact.trip.id === trip.id,
    );
    expect(facts.map((e) => e.fact.fact === 'TRIP_COPY' && e.fact.trip.status)).toEqual([
      'PLANNED',
      'CANCELLED',
    ]);
    await relayToHenan();
    await applyFactsTo(henan.service, '130000', [facts[0]!]); // the PLANNED copy once more, late
    const [copy] = await henan.service.db.db.select().from(tripCopies).where(eq(tripCopies.id, trip.id));
    expect(copy?.status).toBe('CANCELLED');
  });

  it("should leave a copy of another province's trip, and refuse one of a trip that does not touch this province", async () => {
    const [fact] = (await factsToldTo(hebei.service, '410000')).map((e) => e.fact);
    if (fact?.fact !== 'TRIP_COPY') throw new Error('expected a TRIP_COPY fact');
    // Guangdong telling Henan about Hebei's trip: left before any handler (relay/apply-fact.ts).
    const copies = async () => henan.service.db.db.select().from(tripCopies);
    const before = await copies();
    await applyFactsTo(henan.service, '440000', [
      { ...fact, trip: { ...fact.trip, id: `${fact.trip.id}x` } },
    ]);
    expect(await copies()).toEqual(before);
    await expect(
      applyFactsTo(henan.service, '130000', [
        { ...fact, trip: { ...fact.trip, origin: '130730', destination: '130731', stops: [] } },
      ]),
    ).rejects.toThrow(/neither leaves from, stops in nor goes to province 410000/);
  });

  it("should find the copy as a return request's trip in the departure region's province", async () => {
    const [worker] = await registerWorkers(henan, [workerInput('411602')]);
    const trip = await plan({ vehicleCode: '冀G·00023', departureAt: '2030-03-01T08:00:00+08:00' });
    await hebei.gql('transport', ASSIGN, { trip: trip.id, workers: [worker] });
    await relayToHenan();
    const representation = (departure: string, workerId = worker) => ({
      __typename: 'ReturnRequest',
      id: 'R11-0123456789abcdef',
      departureRegion: { code: departure },
      worker: { id: workerId },
    });
    const found = expectData(
      await henan.gql('transport', TRIP_OF_REQUEST, {
        r: [representation('411602'), representation('411602', 'W41-nobodyonanytrip0')],
      }),
    )._entities;
    expect(found[0].trip).toMatchObject({ id: trip.id, organizer: { code: '130730' }, status: 'PLANNED' });
    expect(found[1].trip).toBeNull();
    // Asked in the organiser's province instead, it is not answered there (the gateway asks the departure's).
    expect(
      expectData(await hebei.gql('transport', TRIP_OF_REQUEST, { r: [representation('411602')] }))
        ._entities[0].trip,
    ).toBeNull();
  });
});

describe('removePassengers (#13.5)', () => {
  it('should take workers off a planned manifest, free their seats, uncount them and tell the origin', async () => {
    const crew = await registerWorkers(henan, [
      workerInput('411602'),
      workerInput('411602'),
      workerInput('411602'),
    ]);
    const trip = await plan({
      vehicleCode: '冀G·00030',
      capacity: 2,
      departureAt: '2030-04-01T08:00:00+08:00',
    });
    await hebei.gql('transport', ASSIGN, { trip: trip.id, workers: crew.slice(0, 2) });
    const assigned = (await transportOf('410000')).outbound.passengers;
    expectError(
      await hebei.gql('transport', ASSIGN, { trip: trip.id, workers: [crew[2]] }),
      'BAD_USER_INPUT',
      /0 free seat/,
    );
    const removed = expectData(
      await hebei.gql('transport', REMOVE, {
        trip: trip.id,
        workers: [crew[0], crew[0]],
        key: 'fix-manifest-1',
      }),
    ).removePassengers;
    expect(removed.passengers.map((p: any) => p.worker.id)).toEqual([crew[1]]);
    expect((await transportOf('410000')).outbound.passengers).toBe(assigned - 1);
    // The same key again replays the first answer (the trip as it is now), and changes nothing.
    expect(
      expectData(
        await hebei.gql('transport', REMOVE, {
          trip: trip.id,
          workers: [crew[0], crew[0]],
          key: 'fix-manifest-1',
        }),
      ).removePassengers.passengers,
    ).toHaveLength(1);
    const ready = expectData(
      await hebei.gql('transport', ASSIGN, { trip: trip.id, workers: [crew[2]] }),
    ).assignPassengers;
    expect(ready.passengers.map((p: any) => p.worker.id)).toEqual([crew[1], crew[2]]);
    const last = (await factsToldTo(hebei.service, '410000', carried))
      .map((e) => e.fact)
      .filter((f) => f.fact === 'TRIP_COPY' && f.trip.id === trip.id)
      .map((f) => f.fact === 'TRIP_COPY' && f.trip.passengers.map((p) => p.workerId));
    expect(last).toEqual([[], crew.slice(0, 2), [crew[1]], [crew[1], crew[2]]]);
  });

  it('should refuse a worker who is not on the manifest, a malformed id, an empty list and a departed trip, writing nothing', async () => {
    const [on, off] = await registerWorkers(henan, [workerInput('411602'), workerInput('411602')]);
    const trip = await plan({ vehicleCode: '冀G·00031', departureAt: '2030-04-02T08:00:00+08:00' });
    await hebei.gql('transport', ASSIGN, { trip: trip.id, workers: [on] });
    const before = await hebei.fingerprint();
    const notOn = expectError(
      await hebei.gql('transport', REMOVE, { trip: trip.id, workers: [on, off] }),
      'BAD_USER_INPUT',
      new RegExp(`workerIds\\[1\\]: worker ${off} is not on the manifest`),
    );
    expect(notOn.extensions?.field).toBe('workerIds[1]');
    expectError(
      await hebei.gql('transport', REMOVE, { trip: trip.id, workers: ['E13-0123456789abcdef'] }),
      'BAD_USER_INPUT',
    );
    expectError(await hebei.gql('transport', REMOVE, { trip: trip.id, workers: [] }), 'BAD_USER_INPUT');
    expectError(
      await hebei.gql('transport', REMOVE, { trip: 'T13-doesnotexist000000', workers: [on] }),
      'NOT_FOUND',
    );
    expectError(
      await hebei.gql('transport', REMOVE, { trip: 'T44-doesnotexist000000', workers: [on] }),
      'WRONG_PROVINCE',
    );
    expect(await hebei.fingerprint()).toBe(before);
    await clearForBoarding(hebei.service, trip.id);
    expectData(
      await hebei.gql('transport', DEPART, { trip: trip.id, boarded: [{ workerId: on, temperature: 36.5 }] }),
    );
    const departed = await hebei.fingerprint();
    expectError(
      await hebei.gql('transport', REMOVE, { trip: trip.id, workers: [on] }),
      'CONFLICT',
      /is DEPARTED: removing passengers needs it PLANNED/,
    );
    expect(await hebei.fingerprint()).toBe(departed);
  });
});
