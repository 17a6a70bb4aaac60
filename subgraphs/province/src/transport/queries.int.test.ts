import { decodeCursor } from '@p2p/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { clearForBoarding, expectData, expectError, residentId, useTestProvince } from '../testing/index.js';

const PLAN = `mutation($input: PlanTripInput!) { planTrip(input: $input) { id departureAt } }`;
const ASSIGN = `mutation($trip: ID!, $workers: [ID!]!) { assignPassengers(tripId: $trip, workerIds: $workers) { id } }`;
const DEPART = `mutation($trip: ID!, $boarded: [BoardingInput!]!) { departTrip(tripId: $trip, boarded: $boarded) { id } }`;
const CANCEL = `mutation($trip: ID!) { cancelTrip(tripId: $trip, reason: "取消") { id } }`;
const TRIPS = `query($origin: RegionCode, $destination: RegionCode, $status: [TripStatus!], $first: Int, $after: String) {
  trips(origin: $origin, destination: $destination, status: $status, first: $first, after: $after) {
    totalCount edges { cursor node { id departureAt status } } pageInfo { hasNextPage endCursor }
  }
}`;

const trips: { id: string; departureAt: string; destination: string; mode: string }[] = [];
let workers: string[] = [];
const departures = [
  '2020-02-20T08:00:00+08:00',
  '2020-02-18T08:00:00+08:00',
  '2020-02-20T08:00:00+08:00',
  '2020-02-22T06:30:00+08:00',
  '2020-02-19T23:59:59.500+08:00',
  '2020-02-20T08:00:00+08:00',
  '2020-02-21T12:00:00+08:00',
];
const destinations = ['440103', '440103', '130102', '440203', '450102', '440103', '130102'];
const modes = ['BUS', 'TRAIN', 'BUS', 'FLIGHT', 'BUS', 'BUS', 'TRAIN'];

const p = useTestProvince('450000');
beforeAll(async () => {
  const inputs = Array.from({ length: 6 }, (_, i) => ({
    name: '农工人',
    idNumber: residentId('450203', '19870707', i + 1),
    phone: '13500135000',
    homeRegion: '450203',
  }));
  workers = expectData(
    await p.gql(
      'workers',
      `mutation($inputs: [RegisterWorkerInput!]!) { registerWorkers(inputs: $inputs) { id } }`,
      { inputs },
    ),
  ).registerWorkers.map((w: { id: string }) => w.id);
  for (const [i, departureAt] of departures.entries()) {
    const input = {
      mode: modes[i],
      vehicleCode: `V${i}`,
      origin: '450203',
      destination: destinations[i],
      departureAt,
      expectedArrivalAt: '2020-02-23T08:00:00+08:00',
      capacity: 10,
    };
    const { id } = expectData(await p.gql('transport', PLAN, { input })).planTrip;
    trips.push({
      id,
      departureAt: new Date(departureAt).toISOString(),
      destination: destinations[i]!,
      mode: modes[i]!,
    });
  }
  // trip 0: two workers assigned, one boards; trip 1: one worker, then cancelled; trip 3: three assigned (planned).
  expectData(await p.gql('transport', ASSIGN, { trip: trips[0]!.id, workers: [workers[0], workers[1]] }));
  await clearForBoarding(p.service, trips[0]!.id);
  expectData(
    await p.gql('transport', DEPART, {
      trip: trips[0]!.id,
      boarded: [{ workerId: workers[0], temperature: 36.5 }],
    }),
  );
  expectData(await p.gql('transport', ASSIGN, { trip: trips[1]!.id, workers: [workers[2]] }));
  expectData(await p.gql('transport', CANCEL, { trip: trips[1]!.id }));
  expectData(
    await p.gql('transport', ASSIGN, { trip: trips[3]!.id, workers: [workers[2], workers[3], workers[4]] }),
  );
});

describe('trips connection (keyset by departureAt, then id)', () => {
  it('should page through every trip exactly once in (departureAt, id) order with ISO cursors', async () => {
    const seen: { id: string; departureAt: string }[] = [];
    let after: string | null = null;
    do {
      const page: any = expectData(await p.gql('transport', TRIPS, { first: 2, after })).trips;
      for (const e of page.edges)
        expect(decodeCursor(e.cursor)).toEqual({ k: e.node.departureAt, id: e.node.id });
      expect(page.totalCount).toBe(trips.length);
      seen.push(...page.edges.map((e: any) => ({ id: e.node.id, departureAt: e.node.departureAt })));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    const expected = trips
      .map(({ id, departureAt }) => ({ id, departureAt }))
      .sort((a, b) =>
        a.departureAt === b.departureAt ? (a.id < b.id ? -1 : 1) : a.departureAt < b.departureAt ? -1 : 1,
      );
    expect(seen).toEqual(expected);
  });

  it('should filter by origin, destination (inside the region) and status', async () => {
    const toGuangdong = expectData(
      await p.gql('transport', TRIPS, { destination: '440000', first: 100 }),
    ).trips;
    expect(toGuangdong.totalCount).toBe(4);
    const toCounty = expectData(
      await p.gql('transport', TRIPS, { origin: '450200', destination: '440103', first: 100 }),
    ).trips;
    expect(toCounty.edges.map((e: any) => e.node.id).sort()).toEqual(
      [trips[0]!.id, trips[1]!.id, trips[5]!.id].sort(),
    );
    const moving = expectData(await p.gql('transport', TRIPS, { status: ['DEPARTED', 'CANCELLED'] })).trips;
    expect(moving.edges.map((e: any) => e.node.status).sort()).toEqual(['CANCELLED', 'DEPARTED']);
    expect(expectData(await p.gql('transport', TRIPS, { origin: '440000' })).trips.totalCount).toBe(0);
  });

  it('should refuse a cursor whose order value is not an instant', async () => {
    const bad = Buffer.from(JSON.stringify(['2020-02-20', 'T45-x'])).toString('base64url');
    expectError(await p.gql('transport', TRIPS, { after: bad }), 'BAD_USER_INPUT', /cursor/);
  });
});

describe('transport entities', () => {
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Trip { id status } } }`;

  it('should resolve Trip references in order with null for unknown and foreign ids', async () => {
    const r = [trips[2]!.id, 'T45-doesnotexist000000', 'T44-doesnotexist000000', trips[0]!.id].map((id) => ({
      __typename: 'Trip',
      id,
    }));
    const { _entities } = expectData(await p.gql('transport', ENTITIES, { r }));
    expect(_entities.map((t: any) => t?.id ?? null)).toEqual([trips[2]!.id, null, null, trips[0]!.id]);
  });

  it('should resolve 100 Trip references with exactly ONE SQL statement', async () => {
    const r = Array.from({ length: 100 }, (_, i) => ({
      __typename: 'Trip',
      id: trips[i % trips.length]!.id,
    }));
    p.service.db.statements.reset();
    const { _entities } = expectData(await p.gql('transport', ENTITIES, { r }));
    expect(p.service.db.statements.count).toBe(1);
    expect(_entities.every(Boolean)).toBe(true);
  });

  it('should batch the manifests of many trips into one statement', async () => {
    const r = trips.map((t) => ({ __typename: 'Trip', id: t.id }));
    p.service.db.statements.reset();
    const Q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Trip { id passengers { worker { id } boarded } } } }`;
    const { _entities } = expectData(await p.gql('transport', Q, { r }));
    expect(p.service.db.statements.count).toBe(2);
    expect(_entities[0].passengers).toHaveLength(2);
    expect(_entities[0].passengers).toEqual(
      expect.arrayContaining([
        { worker: { id: workers[0] }, boarded: true },
        { worker: { id: workers[1] }, boarded: false },
      ]),
    );
  });

  it("should find the trip of a return request's worker (most recent, not cancelled, this province only)", async () => {
    const Q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ReturnRequest { id trip { id } } } }`;
    const ref = (id: string, region: string, worker: string) => ({
      __typename: 'ReturnRequest',
      id,
      departureRegion: { code: region },
      worker: { id: worker },
    });
    const r = [
      ref('R44-a0000000', '450203', workers[0]!),
      ref('R44-b0000000', '450203', workers[2]!),
      ref('R44-c0000000', '450203', workers[5]!),
      ref('R44-d0000000', '440103', workers[0]!),
    ];
    p.service.db.statements.reset();
    const { _entities } = expectData(await p.gql('transport', Q, { r }));
    expect(p.service.db.statements.count).toBe(1);
    expect(_entities).toEqual([
      { id: 'R44-a0000000', trip: { id: trips[0]!.id } },
      { id: 'R44-b0000000', trip: { id: trips[3]!.id } },
      { id: 'R44-c0000000', trip: null },
      { id: 'R44-d0000000', trip: null },
    ]);
  });
});

describe('Summary (transport part)', () => {
  const Q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Summary { scope transport {
    outbound { trips passengers } inbound { trips passengers } internal { trips passengers } byMode { mode trips passengers } } } } }`;

  it('should count trips relative to the scope, excluding cancelled ones', async () => {
    const r = ['CN', '450000', '440000', '440103', '450102'].map((scope) => ({
      __typename: 'Summary',
      scope,
      day: 'LATEST',
    }));
    const [nation, guangxi, guangdong, county, nanning] = expectData(
      await p.gql('transport', Q, { r }),
    )._entities.map((e: any) => e.transport);
    // Not cancelled: 0 (DEPARTED, 1 boarded of 2), 2, 3 (3 assigned), 4, 5, 6.
    expect(nation).toEqual({
      outbound: { trips: 0, passengers: 0 },
      inbound: { trips: 0, passengers: 0 },
      internal: { trips: 6, passengers: 4 },
      byMode: [
        { mode: 'BUS', trips: 4, passengers: 1 },
        { mode: 'FLIGHT', trips: 1, passengers: 3 },
        { mode: 'TRAIN', trips: 1, passengers: 0 },
      ],
    });
    expect(guangxi.outbound).toEqual({ trips: 5, passengers: 4 });
    expect(guangxi.internal).toEqual({ trips: 1, passengers: 0 });
    expect(guangdong.inbound).toEqual({ trips: 3, passengers: 4 });
    expect(guangdong.outbound).toEqual({ trips: 0, passengers: 0 });
    expect(county.inbound).toEqual({ trips: 2, passengers: 1 });
    expect(nanning).toMatchObject({
      inbound: { trips: 1, passengers: 0 },
      byMode: [{ mode: 'BUS', trips: 1, passengers: 0 }],
    });
  });
});
