import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { outbox, trips } from '../db/schema/index.js';
import { clearForBoarding, expectData, expectError, residentId, useTestProvince } from '../testing/index.js';

const TRIP_FIELDS =
  'id status capacity origin { code } destination { code } departureAt expectedArrivalAt arrivedAt headcount handedOverTo cancelReason passengers { worker { id } boarded temperature }';
const PLAN = `mutation($input: PlanTripInput!, $key: String) { planTrip(input: $input, idempotencyKey: $key) { ${TRIP_FIELDS} } }`;
const ASSIGN = `mutation($trip: ID!, $workers: [ID!]!) { assignPassengers(tripId: $trip, workerIds: $workers) { ${TRIP_FIELDS} } }`;
const DEPART = `mutation($trip: ID!, $boarded: [BoardingInput!]!, $key: String) { departTrip(tripId: $trip, boarded: $boarded, idempotencyKey: $key) { ${TRIP_FIELDS} } }`;
const ETA = `mutation($trip: ID!, $at: DateTime!) { updateEta(tripId: $trip, expectedArrivalAt: $at) { ${TRIP_FIELDS} } }`;
const ARRIVE = `mutation($trip: ID!, $input: ConfirmArrivalInput!) { confirmArrival(tripId: $trip, input: $input) { ${TRIP_FIELDS} } }`;
const HAND_OVER = `mutation($trip: ID!, $to: String!) { handOverTrip(tripId: $trip, handedOverTo: $to) { ${TRIP_FIELDS} } }`;
const CANCEL = `mutation($trip: ID!, $reason: String!) { cancelTrip(tripId: $trip, reason: $reason) { ${TRIP_FIELDS} } }`;
const WORKERS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Worker { id status workRegion { code } } } }`;

let serial = 0;
const FOREIGN = 'W44-guangdongworker000';

const planInput = (over: Record<string, unknown> = {}) => ({
  mode: 'BUS',
  vehicleCode: '桂B·12345',
  origin: '450203',
  destination: '440103',
  departureAt: '2020-02-20T08:00:00+08:00',
  expectedArrivalAt: '2020-02-20T20:00:00+08:00',
  capacity: 4,
  ...over,
});
async function registerWorkers(n: number): Promise<string[]> {
  const inputs = Array.from({ length: n }, () => ({
    name: '李工人',
    idNumber: residentId('450203', '19850505', ++serial),
    phone: '13600136000',
    homeRegion: '450203',
  }));
  const answer = await p.gql(
    'workers',
    `mutation($inputs: [RegisterWorkerInput!]!) { registerWorkers(inputs: $inputs) { id } }`,
    { inputs },
  );
  return expectData(answer).registerWorkers.map((w: { id: string }) => w.id);
}
async function plan(over: Record<string, unknown> = {}) {
  return expectData(await p.gql('transport', PLAN, { input: planInput(over) })).planTrip;
}
async function workerStates(ids: string[]) {
  return expectData(await p.gql('workers', WORKERS, { r: ids.map((id) => ({ __typename: 'Worker', id })) }))
    ._entities;
}
/** The trip's own events (`arrivals`), in order. */
const events = async (tripId: string) =>
  (await p.service.db.db.select().from(outbox).orderBy(outbox.seq))
    .filter((e) => e.tripId === tripId && e.kind !== 'DEPARTURE')
    .map((e) => e.kind);

/** The home side's events of the trip for its own workers on it (`departures`), by TripEvent kind. */
const departures = async (tripId: string) =>
  (await p.service.db.db.select().from(outbox).orderBy(outbox.seq))
    .filter((e) => e.tripId === tripId && e.kind === 'DEPARTURE')
    .map((e) => e.payload.kind);

const p = useTestProvince('450000');

describe('trip lifecycle', () => {
  it('should plan, assign, depart, change ETA, arrive and hand over, with one outbox event per step', async () => {
    const [w1, w2, w3] = await registerWorkers(3);
    const trip = await plan();
    expect(trip).toMatchObject({
      status: 'PLANNED',
      capacity: 4,
      origin: { code: '450203' },
      destination: { code: '440103' },
      departureAt: '2020-02-20T00:00:00.000Z',
      passengers: [],
    });
    expect(trip.id).toMatch(/^T45-/);
    const assigned = expectData(
      await p.gql('transport', ASSIGN, { trip: trip.id, workers: [w1, w2, w3, FOREIGN] }),
    ).assignPassengers;
    expect(assigned.passengers.map((x: any) => x.worker.id).sort()).toEqual([w1, w2, w3, FOREIGN].sort());
    expect(
      expectData(await p.gql('transport', ASSIGN, { trip: trip.id, workers: [w1] })).assignPassengers
        .passengers,
    ).toHaveLength(4);

    await clearForBoarding(p.service, trip.id);
    const departed = expectData(
      await p.gql('transport', DEPART, {
        trip: trip.id,
        boarded: [
          { workerId: w1, temperature: 36.5 },
          { workerId: w2, temperature: 36.84 },
          { workerId: FOREIGN, temperature: 36.6 },
        ],
      }),
    ).departTrip;
    expect(departed.status).toBe('DEPARTED');
    const byWorker = Object.fromEntries(departed.passengers.map((x: any) => [x.worker.id, x]));
    expect(byWorker[w1!]).toMatchObject({ boarded: true, temperature: 36.5 });
    expect(byWorker[w2!]).toMatchObject({ boarded: true, temperature: 36.8 });
    expect(byWorker[w3!]).toMatchObject({ boarded: false, temperature: null });
    expect((await workerStates([w1!, w3!])).map((w: any) => w.status)).toEqual(['TRAVELLING', 'AT_HOME']);

    const eta = expectData(
      await p.gql('transport', ETA, { trip: trip.id, at: '2020-02-20T22:30:00+08:00' }),
    ).updateEta;
    expect(eta.expectedArrivalAt).toBe('2020-02-20T14:30:00.000Z');

    const arrived = expectData(
      await p.gql('transport', ARRIVE, {
        trip: trip.id,
        input: { arrivedAt: '2020-02-20T22:10:00+08:00', headcount: 3, handedOverTo: '广州电子厂人事部' },
      }),
    ).confirmArrival;
    expect(arrived).toMatchObject({
      status: 'HANDED_OVER',
      arrivedAt: '2020-02-20T14:10:00.000Z',
      headcount: 3,
      handedOverTo: '广州电子厂人事部',
    });
    expect(await workerStates([w1!, w2!, w3!])).toEqual([
      { id: w1, status: 'AT_WORK', workRegion: { code: '440103' } },
      { id: w2, status: 'AT_WORK', workRegion: { code: '440103' } },
      { id: w3, status: 'AT_HOME', workRegion: null },
    ]);
    expect(await events(trip.id)).toEqual(['PLANNED', 'DEPARTED', 'ETA_CHANGED', 'ARRIVED', 'HANDED_OVER']);
    // Its workers are this province's: the home side tells its departures feed of each step.
    expect(await departures(trip.id)).toEqual([
      'PLANNED',
      'DEPARTED',
      'ETA_CHANGED',
      'ARRIVED',
      'HANDED_OVER',
    ]);
    const rows = (await p.service.db.db.select().from(outbox)).filter((e) => e.tripId === trip.id);
    expect(rows.every((e) => e.origin === '450203' && e.destination === '440103')).toBe(true);
    // ARRIVED and HANDED_OVER were written by the transaction that changed the trip: same now().
    const [tripRow] = await p.service.db.db.select().from(trips).where(eq(trips.id, trip.id));
    expect(rows.slice(-2).map((e) => e.at.getTime())).toEqual([
      tripRow!.updatedAt.getTime(),
      tripRow!.updatedAt.getTime(),
    ]);
  });

  it('should hand over separately after an arrival without receiver', async () => {
    const [w] = await registerWorkers(1);
    const trip = await plan();
    expectData(await p.gql('transport', ASSIGN, { trip: trip.id, workers: [w] }));
    await clearForBoarding(p.service, trip.id);
    expectData(
      await p.gql('transport', DEPART, { trip: trip.id, boarded: [{ workerId: w, temperature: 36.4 }] }),
    );
    expect(
      expectData(
        await p.gql('transport', ARRIVE, {
          trip: trip.id,
          input: { arrivedAt: '2020-02-20T21:00:00+08:00', headcount: 1 },
        }),
      ).confirmArrival.status,
    ).toBe('ARRIVED');
    expect(
      expectData(await p.gql('transport', HAND_OVER, { trip: trip.id, to: '接收点' })).handOverTrip,
    ).toMatchObject({ status: 'HANDED_OVER', handedOverTo: '接收点' });
    expect(await events(trip.id)).toEqual(['PLANNED', 'DEPARTED', 'ARRIVED', 'HANDED_OVER']);
  });

  it('should cancel a planned or departed trip; workers who had left go back AT_HOME', async () => {
    const planned = await plan();
    expect(
      expectData(await p.gql('transport', CANCEL, { trip: planned.id, reason: '疫情管控' })).cancelTrip,
    ).toMatchObject({ status: 'CANCELLED', cancelReason: '疫情管控' });
    const [w] = await registerWorkers(1);
    const trip = await plan();
    expectData(await p.gql('transport', ASSIGN, { trip: trip.id, workers: [w] }));
    await clearForBoarding(p.service, trip.id);
    expectData(
      await p.gql('transport', DEPART, { trip: trip.id, boarded: [{ workerId: w, temperature: 36.4 }] }),
    );
    expectData(await p.gql('transport', CANCEL, { trip: trip.id, reason: '车辆故障' }));
    expect((await workerStates([w!]))[0].status).toBe('AT_HOME');
    expect(await events(trip.id)).toEqual(['PLANNED', 'DEPARTED', 'CANCELLED']);
  });

  it('should never exceed capacity when assignments race for the last seats', async () => {
    const crew = await registerWorkers(6);
    const trip = await plan({ capacity: 3 });
    const answers = await Promise.all(
      crew.map((w) => p.gql('transport', ASSIGN, { trip: trip.id, workers: [w] })),
    );
    expect(answers.filter((a) => !a.errors)).toHaveLength(3);
    for (const refused of answers.filter((a) => a.errors))
      expectError(refused, 'BAD_USER_INPUT', /free seat/);
    const { trip: after } = expectData(
      await p.gql('transport', `query($id: ID!) { trip(id: $id) { passengers { worker { id } } } }`, {
        id: trip.id,
      }),
    );
    expect(after.passengers).toHaveLength(3);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'should put a worker on one active trip only when assignments to several trips race (#11.6, PostgreSQL)',
    async () => {
      for (let round = 0; round < 3; round++) {
        const [w] = await registerWorkers(1);
        const racing = await Promise.all(Array.from({ length: 6 }, () => plan()));
        const answers = await Promise.all(
          racing.map((t) => p.gql('transport', ASSIGN, { trip: t.id, workers: [w] })),
        );
        expect(answers.filter((a) => !a.errors)).toHaveLength(1);
        for (const refused of answers.filter((a) => a.errors))
          expectError(refused, 'CONFLICT', /is already on trip/);
      }
    },
  );

  it('should replay departTrip with the same idempotency key without a second event', async () => {
    const [w] = await registerWorkers(1);
    const trip = await plan();
    expectData(await p.gql('transport', ASSIGN, { trip: trip.id, workers: [w] }));
    const boarded = [{ workerId: w, temperature: 36.4 }];
    await clearForBoarding(p.service, trip.id);
    expectData(await p.gql('transport', DEPART, { trip: trip.id, boarded, key: 'depart-1' }));
    expect(
      expectData(await p.gql('transport', DEPART, { trip: trip.id, boarded, key: 'depart-1' })).departTrip
        .status,
    ).toBe('DEPARTED');
    expect(await events(trip.id)).toEqual(['PLANNED', 'DEPARTED']);
  });
});

describe('trip validation and state rules', () => {
  let planned: string;
  let departed: string;
  let cancelled: string;
  let handedOver: string;
  let crew: string[];
  beforeAll(async () => {
    crew = await registerWorkers(5);
    planned = (await plan({ capacity: 2 })).id;
    expectData(await p.gql('transport', ASSIGN, { trip: planned, workers: [crew[0]] }));
    departed = (await plan()).id;
    expectData(await p.gql('transport', ASSIGN, { trip: departed, workers: [crew[1], crew[2]] }));
    await clearForBoarding(p.service, departed);
    expectData(
      await p.gql('transport', DEPART, {
        trip: departed,
        boarded: [{ workerId: crew[1], temperature: 36.5 }],
      }),
    );
    cancelled = (await plan()).id;
    expectData(await p.gql('transport', CANCEL, { trip: cancelled, reason: '取消' }));
    handedOver = (await plan()).id;
    expectData(await p.gql('transport', ASSIGN, { trip: handedOver, workers: [crew[3]] }));
    await clearForBoarding(p.service, handedOver);
    expectData(
      await p.gql('transport', DEPART, {
        trip: handedOver,
        boarded: [{ workerId: crew[3], temperature: 36.5 }],
      }),
    );
    expectData(
      await p.gql('transport', ARRIVE, {
        trip: handedOver,
        input: { arrivedAt: '2020-02-20T21:00:00+08:00', headcount: 1, handedOverTo: '厂' },
      }),
    );
  });

  const future = () => new Date(Date.now() + 86_400_000).toISOString();
  const cases: [string, string, () => Record<string, unknown>, string][] = [
    [
      'a trip from another province',
      PLAN,
      () => ({ input: planInput({ origin: '440103' }) }),
      'WRONG_PROVINCE',
    ],
    ['capacity 0', PLAN, () => ({ input: planInput({ capacity: 0 }) }), 'BAD_USER_INPUT'],
    [
      'expected arrival before departure',
      PLAN,
      () => ({ input: planInput({ expectedArrivalAt: '2020-02-19T08:00:00+08:00' }) }),
      'BAD_USER_INPUT',
    ],
    [
      'a vehicle code over 32 characters',
      PLAN,
      () => ({ input: planInput({ vehicleCode: 'K'.repeat(33) }) }),
      'BAD_USER_INPUT',
    ],
    [
      'a departure without time zone',
      PLAN,
      () => ({ input: planInput({ departureAt: '2020-02-20T08:00:00' }) }),
      'BAD_USER_INPUT',
    ],
    ['an unknown mode', PLAN, () => ({ input: planInput({ mode: 'SHIP' }) }), 'BAD_USER_INPUT'],
    [
      'an unknown destination',
      PLAN,
      () => ({ input: planInput({ destination: '449999' }) }),
      'BAD_USER_INPUT',
    ],
    [
      'more passengers than seats',
      ASSIGN,
      () => ({ trip: planned, workers: [crew[4], FOREIGN] }),
      'BAD_USER_INPUT',
    ],
    ['an unknown trip', ASSIGN, () => ({ trip: 'T45-doesnotexist000000', workers: [crew[4]] }), 'NOT_FOUND'],
    [
      "another province's trip",
      ASSIGN,
      () => ({ trip: 'T44-doesnotexist000000', workers: [crew[4]] }),
      'WRONG_PROVINCE',
    ],
    [
      'an unknown local worker',
      ASSIGN,
      () => ({ trip: planned, workers: ['W45-doesnotexist000000'] }),
      'NOT_FOUND',
    ],
    [
      'a malformed worker id',
      ASSIGN,
      () => ({ trip: planned, workers: ['E45-0123456789abcdef'] }),
      'BAD_USER_INPUT',
    ],
    [
      'a worker already on another active trip',
      ASSIGN,
      () => ({ trip: planned, workers: [crew[2]] }),
      'CONFLICT',
    ],
    ['assigning to a departed trip', ASSIGN, () => ({ trip: departed, workers: [crew[4]] }), 'CONFLICT'],
    [
      'boarding a worker not on the manifest',
      DEPART,
      () => ({ trip: planned, boarded: [{ workerId: crew[4], temperature: 36.5 }] }),
      'BAD_USER_INPUT',
    ],
    [
      'a temperature out of range',
      DEPART,
      () => ({ trip: planned, boarded: [{ workerId: crew[0], temperature: 45 }] }),
      'BAD_USER_INPUT',
    ],
    ['a departure with nobody on board', DEPART, () => ({ trip: planned, boarded: [] }), 'BAD_USER_INPUT'],
    [
      'departing a cancelled trip',
      DEPART,
      () => ({ trip: cancelled, boarded: [{ workerId: crew[0], temperature: 36.5 }] }),
      'CONFLICT',
    ],
    [
      'departing twice',
      DEPART,
      () => ({ trip: departed, boarded: [{ workerId: crew[1], temperature: 36.5 }] }),
      'CONFLICT',
    ],
    [
      'an ETA before departure',
      ETA,
      () => ({ trip: departed, at: '2020-02-19T08:00:00+08:00' }),
      'BAD_USER_INPUT',
    ],
    [
      'an ETA for a cancelled trip',
      ETA,
      () => ({ trip: cancelled, at: '2020-02-21T08:00:00+08:00' }),
      'CONFLICT',
    ],
    [
      'an arrival before departure happened',
      ARRIVE,
      () => ({ trip: planned, input: { arrivedAt: '2020-02-20T21:00:00+08:00', headcount: 0 } }),
      'CONFLICT',
    ],
    [
      'an arrival time before the departure time',
      ARRIVE,
      () => ({ trip: departed, input: { arrivedAt: '2020-02-20T07:00:00+08:00', headcount: 1 } }),
      'BAD_USER_INPUT',
    ],
    [
      'an arrival in the future',
      ARRIVE,
      () => ({ trip: departed, input: { arrivedAt: future(), headcount: 1 } }),
      'BAD_USER_INPUT',
    ],
    [
      'a headcount above the boarded workers',
      ARRIVE,
      () => ({ trip: departed, input: { arrivedAt: '2020-02-20T21:00:00+08:00', headcount: 2 } }),
      'BAD_USER_INPUT',
    ],
    ['handing over a trip that has not arrived', HAND_OVER, () => ({ trip: departed, to: '厂' }), 'CONFLICT'],
    [
      'a cancel reason over 500 characters',
      CANCEL,
      () => ({ trip: planned, reason: '因'.repeat(501) }),
      'BAD_USER_INPUT',
    ],
    ['cancelling a handed-over trip', CANCEL, () => ({ trip: handedOver, reason: '晚了' }), 'CONFLICT'],
  ];
  it.each(cases)(
    'should refuse %s and write nothing (no outbox event)',
    async (_label, query, variables, code) => {
      const before = await p.fingerprint();
      expectError(await p.gql('transport', query, variables()), code);
      expect(await p.fingerprint()).toBe(before);
    },
  );
});
