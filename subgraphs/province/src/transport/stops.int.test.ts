/**
 * Trips as they really ran (#14.5): a Guangxi bus from Liuzhou drops workers in Shenzhen and
 * Dongguan before Foshan; each stop's city confirms its own arrival with checks and hands over its
 * own passengers, attacked at a signed Guangxi province's own port (another stop's officer, another
 * city of the same province).
 */
import type { Caller } from '@p2p/schema';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, tripStops } from '../db/schema/index.js';
import { rowsOf } from '../db/sql-rows.js';
import { markKeysOfEventSql, topicFilterSql } from '../event-topics.js';
import {
  expectData,
  expectError,
  type SignedRequests,
  type SignedTestProvince,
  signedRequests,
  startSignedTestProvince,
  workerInput,
} from '../testing/index.js';

const GUANGXI: Caller = { subject: 'gx', role: 'province', region: '450000' };
const SHENZHEN: Caller = { subject: 'sz', role: 'city', region: '440300' };
const DONGGUAN: Caller = { subject: 'dg', role: 'city', region: '441900' };
const FOSHAN: Caller = { subject: 'fs', role: 'city', region: '440600' };
const GUANGZHOU: Caller = { subject: 'gz', role: 'city', region: '440100' };
const GUANGDONG: Caller = { subject: 'gd', role: 'province', region: '440000' };

const STOP =
  'region { code } status arrivedAt headcount expected headcountMismatch missing { id } handedOverTo handedOverToEnterprise { id }';
const TRIP = `id status arrivedAt headcount handedOverTo handedOverToEnterprise { id } destination { code } stops { ${STOP} } passengers { worker { id } boarded alightAt { code } carriage arrivalTemperature missingAtArrival }`;
const PLAN = `mutation($input: PlanTripInput!) { planTrip(input: $input) { ${TRIP} } }`;
const ASSIGN = `mutation($trip: ID!, $workers: [ID!]!, $assignments: [PassengerAssignmentInput!]) { assignPassengers(tripId: $trip, workerIds: $workers, assignments: $assignments) { ${TRIP} } }`;
const DEPART = `mutation($trip: ID!, $boarded: [BoardingInput!]!) { departTrip(tripId: $trip, boarded: $boarded) { ${TRIP} } }`;
const ARRIVE = `mutation($trip: ID!, $input: ConfirmArrivalInput!) { confirmArrival(tripId: $trip, input: $input) { ${TRIP} } }`;
const HAND_OVER = `mutation($trip: ID!, $to: String, $enterprise: ID, $stop: RegionCode) { handOverTrip(tripId: $trip, handedOverTo: $to, enterpriseId: $enterprise, stop: $stop) { ${TRIP} } }`;
const TRIPS = `query($destination: RegionCode!) { trips(destination: $destination) { edges { node { id } } } }`;
const WORKERS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Worker { id status workRegion { code } } } }`;
const HEALTH = `mutation($id: ID!, $input: HealthCheckInput!) { recordHealthCheck(workerId: $id, input: $input) { id } }`;

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

let signed: SignedTestProvince;
let r: SignedRequests;
const gql = (
  query: string,
  variables: Record<string, unknown>,
  as: Caller = GUANGXI,
  subgraph = 'transport',
) => r.gql(subgraph, query, variables, as);

beforeAll(async () => {
  signed = await startSignedTestProvince('450000');
  r = signedRequests(signed);
}, 60_000);
afterAll(async () => signed?.close());

async function registerWorkers(n: number): Promise<string[]> {
  const inputs = Array.from({ length: n }, () => workerInput('450203'));
  const ids = expectData(
    await gql(
      `mutation($i: [RegisterWorkerInput!]!) { registerWorkers(inputs: $i) { id } }`,
      { i: inputs },
      GUANGXI,
      'workers',
    ),
  ).registerWorkers.map((w: { id: string }) => w.id);
  // A GREEN code valid on the day, so the boarding gate (#14.2) lets them on.
  for (const id of ids)
    expectData(
      await gql(
        HEALTH,
        {
          id,
          input: {
            code: 'GREEN',
            issuedBy: '450000',
            checkedAt: hoursAgo(12),
            validUntil: hoursAgo(-24 * 6),
            nucleicAcid: 'NEGATIVE',
            testedAt: hoursAgo(13),
          },
        },
        GUANGXI,
        'workers',
      ),
    );
  return ids;
}

const planInput = (over: Record<string, unknown> = {}) => ({
  mode: 'BUS',
  vehicleCode: '桂B·20200',
  origin: '450200',
  destination: '440600',
  stops: ['440300', '441900'],
  departureAt: hoursAgo(12),
  expectedArrivalAt: hoursAgo(2),
  capacity: 10,
  ...over,
});

/** A departed bus 450200 → 440300 → 441900 → 440600 with two workers for each stop. */
async function departedBus() {
  const [s1, s2, d1, d2, f1, f2] = await registerWorkers(6);
  const trip = expectData(await gql(PLAN, { input: planInput() })).planTrip;
  expectData(
    await gql(ASSIGN, {
      trip: trip.id,
      workers: [f1],
      assignments: [
        { workerId: s1, alightAt: '440300' },
        { workerId: s2, alightAt: '440300' },
        { workerId: d1, alightAt: '441900' },
        { workerId: d2, alightAt: '441900' },
        { workerId: f2, alightAt: '440600' },
      ],
    }),
  );
  const departed = expectData(
    await gql(DEPART, {
      trip: trip.id,
      boarded: [s1, s2, d1, d2, f1, f2].map((workerId) => ({ workerId, temperature: 36.5 })),
    }),
  ).departTrip;
  return { trip: departed, s1: s1!, s2: s2!, d1: d1!, d2: d2!, f1: f1!, f2: f2! };
}

const stopOf = (trip: any, code: string) => trip.stops.find((s: any) => s.region.code === code);
const passenger = (trip: any, id: string) => trip.passengers.find((p: any) => p.worker.id === id);
async function workerStates(ids: string[]) {
  const { _entities } = expectData(
    await gql(WORKERS, { r: ids.map((id) => ({ __typename: 'Worker', id })) }, GUANGXI, 'workers'),
  );
  return Object.fromEntries(
    _entities.map((w: any) => [w.id, { status: w.status, work: w.workRegion?.code ?? null }]),
  );
}
const fingerprint = async () =>
  JSON.stringify(await signed.service.db.db.select().from(outbox).orderBy(asc(outbox.seq)));

describe('planning stops', () => {
  it('should write the stops in order, the destination last, and serve them with the trip', async () => {
    const trip = expectData(await gql(PLAN, { input: planInput() })).planTrip;
    expect(trip.stops.map((s: any) => [s.region.code, s.status, s.expected])).toEqual([
      ['440300', 'PENDING', 0],
      ['441900', 'PENDING', 0],
      ['440600', 'PENDING', 0],
    ]);
    const rows = await signed.service.db.db
      .select()
      .from(tripStops)
      .where(eq(tripStops.tripId, trip.id))
      .orderBy(asc(tripStops.seq));
    expect(rows.map((s) => [s.seq, s.region])).toEqual([
      [1, '440300'],
      [2, '441900'],
      [3, '440600'],
    ]);
    const direct = expectData(await gql(PLAN, { input: planInput({ stops: null }) })).planTrip;
    expect(direct.stops.map((s: any) => s.region.code)).toEqual(['440600']);
  });

  it('should refuse a repeated, origin, destination, unknown stop and more than 8, writing nothing', async () => {
    const before = await fingerprint();
    for (const [stops, field] of [
      [['440300', '440300'], 'input.stops[1]'],
      [['450200'], 'input.stops[0]'],
      [['440300', '440600'], 'input.stops[1]'],
      [['449999'], 'input.stops[0]'],
      [
        ['440300', '440400', '440500', '440700', '440800', '440900', '441200', '441300', '441400'],
        'input.stops',
      ],
    ] as const) {
      const answer = await gql(PLAN, { input: planInput({ stops }) });
      expectError(answer, 'BAD_USER_INPUT');
      if (field !== 'input.stops[0]' || stops[0] !== '449999')
        expect(answer.errors?.[0]?.extensions?.field ?? field).toBe(field);
    }
    expect(await fingerprint()).toBe(before);
  });
});

describe('assignments with a stop and a carriage', () => {
  it('should store each passenger’s stop (null for the destination) and carriage, trimmed', async () => {
    const [a, b, c] = await registerWorkers(3);
    const trip = expectData(
      await gql(PLAN, { input: planInput({ mode: 'TRAIN', vehicleCode: 'G2020' }) }),
    ).planTrip;
    const assigned = expectData(
      await gql(ASSIGN, {
        trip: trip.id,
        workers: [a],
        assignments: [
          { workerId: b, alightAt: '441900', carriage: ' 08车 ' },
          { workerId: c, alightAt: '440600', carriage: '12' },
        ],
      }),
    ).assignPassengers;
    expect(passenger(assigned, a!)).toMatchObject({ alightAt: { code: '440600' }, carriage: null });
    expect(passenger(assigned, b!)).toMatchObject({ alightAt: { code: '441900' }, carriage: '08车' });
    expect(passenger(assigned, c!)).toMatchObject({ alightAt: { code: '440600' }, carriage: '12' });
  });

  it('should refuse a worker twice, a stop the trip does not make and a long carriage, writing nothing', async () => {
    const [a, b] = await registerWorkers(2);
    const trip = expectData(await gql(PLAN, { input: planInput() })).planTrip;
    const before = await fingerprint();
    const cases: [Record<string, unknown>, string][] = [
      [{ workers: [a], assignments: [{ workerId: a, alightAt: '440300' }] }, 'assignments[0].workerId'],
      [
        { workers: [], assignments: [{ workerId: b }, { workerId: b, alightAt: '440300' }] },
        'assignments[1].workerId',
      ],
      [{ workers: [], assignments: [{ workerId: b, alightAt: '440100' }] }, 'assignments[0].alightAt'],
      [{ workers: [], assignments: [{ workerId: b, carriage: '1'.repeat(21) }] }, 'assignments[0].carriage'],
    ];
    for (const [args, field] of cases) {
      const answer = await gql(ASSIGN, { trip: trip.id, ...args });
      expectError(answer, 'BAD_USER_INPUT');
      expect(answer.errors?.[0]?.extensions?.field).toBe(field);
    }
    expect(await fingerprint()).toBe(before);
  });
});

describe('arrival, checks and hand-over per stop', () => {
  it('should arrive and hand over stop by stop; the trip is ARRIVED only once its last stop is', async () => {
    const { trip, s1, s2, d1, d2, f1, f2 } = await departedBus();
    expect(stopOf(trip, '440300')).toMatchObject({ expected: 2, status: 'PENDING' });

    // Shenzhen: one of its two passengers is missing; the count says 1.
    const sz = expectData(
      await gql(
        ARRIVE,
        {
          trip: trip.id,
          input: {
            stop: '440300',
            arrivedAt: hoursAgo(6),
            headcount: 1,
            checks: [{ workerId: s1, temperature: 36.6 }],
          },
        },
        SHENZHEN,
      ),
    ).confirmArrival;
    expect(sz.status).toBe('DEPARTED');
    expect(stopOf(sz, '440300')).toMatchObject({
      status: 'ARRIVED',
      headcount: 1,
      expected: 2,
      headcountMismatch: true,
      missing: [{ id: s2 }],
    });
    expect(passenger(sz, s1)).toMatchObject({ arrivalTemperature: 36.6, missingAtArrival: false });
    expect(passenger(sz, s2)).toMatchObject({ arrivalTemperature: null, missingAtArrival: true });
    expect(passenger(sz, d1)).toMatchObject({ missingAtArrival: false });
    expect(sz.headcount).toBe(1);

    const szOver = expectData(
      await gql(HAND_OVER, { trip: trip.id, to: '深圳电子厂', stop: '440300' }, SHENZHEN),
    ).handOverTrip;
    expect(szOver.status).toBe('DEPARTED');
    expect(stopOf(szOver, '440300')).toMatchObject({ status: 'HANDED_OVER', handedOverTo: '深圳电子厂' });
    // Only Shenzhen's boarded passengers moved, to Shenzhen.
    expect(await workerStates([s1, s2, d1, f1])).toEqual({
      [s1]: { status: 'AT_WORK', work: '440300' },
      [s2]: { status: 'AT_WORK', work: '440300' },
      [d1]: { status: 'TRAVELLING', work: null },
      [f1]: { status: 'TRAVELLING', work: null },
    });

    // Dongguan: a fever; hand-over at once.
    const dg = expectData(
      await gql(
        ARRIVE,
        {
          trip: trip.id,
          input: {
            stop: '441900',
            arrivedAt: hoursAgo(4),
            headcount: 2,
            checks: [
              { workerId: d1, temperature: 36.4 },
              { workerId: d2, temperature: 38.1 },
            ],
            handedOverTo: '东莞市人社局',
          },
        },
        DONGGUAN,
      ),
    ).confirmArrival;
    expect(dg.status).toBe('DEPARTED');
    expect(stopOf(dg, '441900')).toMatchObject({
      status: 'HANDED_OVER',
      headcountMismatch: false,
      missing: [],
    });
    const [feverRow] = await signed.service.db.db
      .execute(
        `SELECT arrival_fever FROM trip_passengers WHERE trip_id = '${trip.id}' AND worker_id = '${d2}'`,
      )
      .then((res: any) => res.rows ?? res);
    expect(feverRow.arrival_fever).toBe(true);
    const fevers = (
      await signed.service.db.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.kind, 'RELAY'), eq(outbox.target, '440000')))
    )
      .map((e) => e.payload)
      .filter((f: any) => f.fact === 'ARRIVAL_FEVER' && f.tripId === trip.id);
    expect(fevers).toEqual([
      {
        fact: 'ARRIVAL_FEVER',
        tripId: trip.id,
        stop: '441900',
        workerId: d2,
        temperature: 38.1,
        checkedAt: expect.any(String),
      },
    ]);

    // Foshan, the last stop: the trip is ARRIVED, then HANDED_OVER.
    const fs = expectData(
      await gql(ARRIVE, { trip: trip.id, input: { arrivedAt: hoursAgo(2), headcount: 2 } }, FOSHAN),
    ).confirmArrival;
    expect(fs).toMatchObject({ status: 'ARRIVED', headcount: 5, arrivedAt: expect.any(String) });
    expect(stopOf(fs, '440600')).toMatchObject({ status: 'ARRIVED', missing: [], headcountMismatch: false });
    const done = expectData(await gql(HAND_OVER, { trip: trip.id, to: '佛山家具厂' }, FOSHAN)).handOverTrip;
    expect(done).toMatchObject({ status: 'HANDED_OVER', handedOverTo: '佛山家具厂' });
    expect(await workerStates([d1, d2, f1, f2])).toEqual({
      [d1]: { status: 'AT_WORK', work: '441900' },
      [d2]: { status: 'AT_WORK', work: '441900' },
      [f1]: { status: 'AT_WORK', work: '440600' },
      [f2]: { status: 'AT_WORK', work: '440600' },
    });

    // One ARRIVED and one HANDED_OVER event per stop, each naming its stop.
    const events = (
      await signed.service.db.db
        .select()
        .from(outbox)
        .where(eq(outbox.tripId, trip.id))
        .orderBy(asc(outbox.seq))
    )
      .filter((e) => e.kind === 'ARRIVED' || e.kind === 'HANDED_OVER')
      .map((e) => [e.kind, e.payload.stop, e.payload.status]);
    expect(events).toEqual([
      ['ARRIVED', '440300', 'DEPARTED'],
      ['HANDED_OVER', '440300', 'DEPARTED'],
      ['ARRIVED', '441900', 'DEPARTED'],
      ['HANDED_OVER', '441900', 'DEPARTED'],
      ['ARRIVED', '440600', 'ARRIVED'],
      ['HANDED_OVER', '440600', 'HANDED_OVER'],
    ]);
  });

  it('should refuse an unknown stop, a second arrival, a check of another stop’s passenger, twice, too many counted, and a cancellation once a stop arrived', async () => {
    const { trip, s1, d1 } = await departedBus();
    const arrive = (input: Record<string, unknown>, as: Caller = GUANGDONG) =>
      gql(ARRIVE, { trip: trip.id, input: { arrivedAt: hoursAgo(6), headcount: 1, ...input } }, as);
    const before = await fingerprint();
    expectError(await arrive({ stop: '440100' }), 'BAD_USER_INPUT');
    expectError(
      await arrive({ stop: '440300', checks: [{ workerId: d1, temperature: 36.5 }] }),
      'BAD_USER_INPUT',
    );
    expectError(
      await arrive({
        stop: '440300',
        checks: [
          { workerId: s1, temperature: 36.5 },
          { workerId: s1, temperature: 36.6 },
        ],
      }),
      'BAD_USER_INPUT',
    );
    expectError(
      await arrive({ stop: '440300', checks: [{ workerId: s1, temperature: 45 }] }),
      'BAD_USER_INPUT',
    );
    expectError(await arrive({ stop: '440300', headcount: 3 }), 'BAD_USER_INPUT');
    expectError(
      await arrive({ stop: '440300', handedOverToEnterprise: 'E45-0123456789abcdef' }),
      'WRONG_PROVINCE',
    );
    expectError(
      await arrive({ stop: '440300', handedOverToEnterprise: 'W44-0123456789abcdef' }),
      'BAD_USER_INPUT',
    );
    expectError(await gql(HAND_OVER, { trip: trip.id, to: 'x', stop: '440300' }, GUANGDONG), 'CONFLICT');
    expect(await fingerprint()).toBe(before);
    expectData(await arrive({ stop: '440300', handedOverToEnterprise: 'E44-0123456789abcdef' }));
    expectError(await arrive({ stop: '440300' }), 'CONFLICT');
    expectError(await gql(HAND_OVER, { trip: trip.id, to: 'x', stop: '440300' }, GUANGDONG), 'CONFLICT');
    expectError(await gql(HAND_OVER, { trip: trip.id, stop: '441900' }, GUANGDONG), 'BAD_USER_INPUT');
    expectError(
      await gql(`mutation($t: ID!) { cancelTrip(tripId: $t, reason: "改期") { id } }`, { t: trip.id }),
      'CONFLICT',
    );
    const read = expectData(await gql(`query($id: ID!) { trip(id: $id) { ${TRIP} } }`, { id: trip.id })).trip;
    expect(stopOf(read, '440300')).toMatchObject({
      status: 'HANDED_OVER',
      handedOverToEnterprise: { id: 'E44-0123456789abcdef' },
    });
  });
});

describe('the arrivals topic of a trip with stops', () => {
  it('should match its events for the destination and every stop, and key their pruning marks under each', async () => {
    const trip = expectData(await gql(PLAN, { input: planInput() })).planTrip;
    const db = signed.service.db.db;
    const matching = async (key: string) =>
      rowsOf<{ n: number | string }>(
        await db.execute(
          sql`SELECT count(*) AS n FROM outbox WHERE trip_id = ${trip.id} AND ${topicFilterSql('arrivals', key)}`,
        ),
      )[0]!.n;
    for (const key of ['4403', '4419', '4406', '44']) expect(Number(await matching(key))).toBe(1);
    for (const key of ['4401', '45', '440303']) expect(Number(await matching(key))).toBe(0);
    const [row] = rowsOf<{ keys: string[] | string }>(
      await db.execute(sql`SELECT ${markKeysOfEventSql()} AS keys FROM outbox WHERE trip_id = ${trip.id}`),
    );
    const keys = typeof row!.keys === 'string' ? row!.keys.replace(/[{}]/g, '').split(',') : row!.keys;
    expect(keys).toEqual(expect.arrayContaining(['44', '4403', '4406', '4419']));
    expect(keys).not.toContain('4401');
  });
});

describe('who confirms which stop', () => {
  it('should let only the officers of a stop confirm and hand over there, not another stop’s or another city’s', async () => {
    const { trip } = await departedBus();
    const before = await fingerprint();
    const at = (stop: string | null, as: Caller) =>
      gql(
        ARRIVE,
        { trip: trip.id, input: { ...(stop ? { stop } : {}), arrivedAt: hoursAgo(6), headcount: 0 } },
        as,
      );
    expectError(await at('440300', DONGGUAN), 'FORBIDDEN');
    expectError(await at('440300', FOSHAN), 'FORBIDDEN');
    expectError(await at('440300', GUANGZHOU), 'FORBIDDEN');
    expectError(await at(null, SHENZHEN), 'FORBIDDEN');
    expectError(await at('440300', GUANGXI), 'FORBIDDEN');
    expectError(await gql(HAND_OVER, { trip: trip.id, to: 'x', stop: '441900' }, SHENZHEN), 'FORBIDDEN');
    expect(await fingerprint()).toBe(before);
    expectData(await at('440300', SHENZHEN));
  });

  it('should find the trip by trips(destination:) of any of its stops', async () => {
    const { trip } = await departedBus();
    for (const destination of ['441900', '440300', '440000', '440600']) {
      const ids = expectData(await gql(TRIPS, { destination }, SHENZHEN)).trips.edges.map(
        (e: any) => e.node.id,
      );
      expect(ids).toContain(trip.id);
    }
    const elsewhere = expectData(await gql(TRIPS, { destination: '440100' }, SHENZHEN)).trips.edges.map(
      (e: any) => e.node.id,
    );
    expect(elsewhere).not.toContain(trip.id);
  });

  it('should show a stop’s officer the personal data of the passengers alighting there only', async () => {
    const { trip, s1, d1 } = await departedBus();
    const Q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Worker { id name phone } } }`;
    const read = async (as: Caller) =>
      expectData(
        await gql(Q, { r: [s1, d1].map((id) => ({ __typename: 'Worker', id })) }, as, 'workers'),
      )._entities.map((w: any) => !w.phone.includes('*'));
    expect(await read(SHENZHEN)).toEqual([true, false]);
    expect(await read(DONGGUAN)).toEqual([false, true]);
    expect(await read(GUANGZHOU)).toEqual([false, false]);
    expect(trip.id).toBeTruthy();
  });
});
