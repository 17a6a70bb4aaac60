import { encodeId } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyData, makeTrip, type ProvinceData } from '../testing/fake-data.js';
import { startHub, type Hub } from '../testing/hub-fixture.js';

const GX = '450000',
  HE = '130000',
  GD = '440000';
const CODES = [GX, HE, GD];

const PLAN_TRIP = `mutation($input: PlanTripInput!) { planTrip(input: $input) { id origin { code } destination { name } status } }`;
const planInput = (origin: string) => ({
  mode: 'BUS',
  vehicleCode: '桂B12345',
  origin,
  destination: '440303',
  departureAt: '2020-02-20T08:00:00+08:00',
  expectedArrivalAt: '2020-02-20T20:00:00+08:00',
  capacity: 45,
});
const worker = (homeRegion: string, idNumber = '450203199001011234') => ({
  name: '测试',
  idNumber,
  phone: '13800000000',
  homeRegion,
});

describe('mutation routing', () => {
  let hub: Hub;
  const data: Record<string, ProvinceData> = { [GX]: emptyData(), [HE]: emptyData(), [GD]: emptyData() };
  const mutations = () => CODES.map((c) => hub.province(c).count(undefined, 'mutation'));
  const calls = () => CODES.map((c) => hub.province(c).count());

  beforeAll(async () => {
    hub = await startHub(CODES, data);
  });
  afterAll(() => hub?.close());

  it('should send a mutation to exactly the province its input names', async () => {
    const before = mutations();
    const res = await hub.query(PLAN_TRIP, { input: planInput('450203') });
    expect(res.errors).toBeUndefined();
    expect(res.data!.planTrip).toMatchObject({
      origin: { code: '450203' },
      destination: { name: '罗湖区' },
      status: 'PLANNED',
    });
    expect(res.data!.planTrip.id).toMatch(/^T45-/);
    expect(mutations().map((n, i) => n - before[i]!)).toEqual([1, 0, 0]);
    expect(data[GX]!.trips).toHaveLength(1);
    expect(data[HE]!.trips).toHaveLength(0);
  });

  it('should route a mutation by the province encoded in an entity id', async () => {
    const trip = makeTrip('130102', '440303', '2020-02-21T08:00:00Z');
    data[HE]!.trips.push(trip);
    const before = mutations();
    const res = await hub.query(
      `mutation($id: ID!) { cancelTrip(tripId: $id, reason: "疫情") { id status } }`,
      { id: trip.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.cancelTrip.status).toBe('CANCELLED');
    expect(mutations().map((n, i) => n - before[i]!)).toEqual([0, 1, 0]);
  });

  it('should reject a region of a province that is not connected with BAD_USER_INPUT and call no province', async () => {
    const before = calls();
    const res = await hub.query(
      `mutation($input: RegisterWorkerInput!) { registerWorker(input: $input) { id } }`,
      { input: worker('110101') },
    );
    expect(res.data ?? null).toBeNull();
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toContain('registerWorker');
    expect(res.errors![0]!.message).toContain('110000');
    expect(res.errors![0]!.extensions!.field).toBe('registerWorker.input.homeRegion');
    expect(calls()).toEqual(before);
  });

  it('should reject a region code that does not exist, and inputs naming several provinces, calling nobody', async () => {
    const before = calls();
    const unknown = await hub.query(PLAN_TRIP, { input: planInput('459999') });
    expect(unknown.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors![0]!.message).toContain('planTrip');
    const several = await hub.query(
      `mutation($inputs: [RegisterWorkerInput!]!) { registerWorkers(inputs: $inputs) { id } }`,
      {
        inputs: [worker('450203'), worker('130102', '130102199001011234')],
      },
    );
    expect(several.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(several.errors![0]!.message).toMatch(/registerWorkers.*2 provinces/);
    expect(calls()).toEqual(before);
  });

  it('should take a full registerWorkers call (1,000 workers, the province limit) under the default body limit, in one province call', async () => {
    const inputs = Array.from({ length: 1_000 }, (_, i) => ({
      ...worker('450203', `45020319900101${String(i).padStart(4, '0')}`.slice(0, 18)),
      name: `测试工人${i}`,
      skills: ['电工', '焊工'],
    }));
    const body = JSON.stringify({
      query: `mutation($inputs: [RegisterWorkerInput!]!) { registerWorkers(inputs: $inputs) { id } }`,
      variables: { inputs },
    });
    expect(Buffer.byteLength(body)).toBeGreaterThan(100_000);
    const before = mutations();
    const res = await hub.query(
      `mutation($inputs: [RegisterWorkerInput!]!) { registerWorkers(inputs: $inputs) { id } }`,
      { inputs },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.registerWorkers).toHaveLength(1_000);
    expect(mutations().map((n, i) => n - before[i]!)).toEqual([1, 0, 0]);
  });

  it("should send a full bulk report (1,000 items, with each item's record) to its one province, and refuse items of two provinces, calling nobody (#13.5)", async () => {
    const REGISTER = `mutation($inputs: [RegisterWorkerInput!]!) { registerWorkers(inputs: $inputs) { id } }`;
    const ids = (
      await hub.query(REGISTER, {
        inputs: Array.from({ length: 1_000 }, (_, i) =>
          worker('450203', `45020319910101${String(i).padStart(4, '0')}`.slice(0, 18)),
        ),
      })
    ).data!.registerWorkers.map((w: { id: string }) => w.id) as string[];
    const INTENTS = `mutation($items: [TravelIntentItemInput!]!) {
      reportTravelIntents(items: $items) {
        items { index error { code message } record { id name idNumber phone status homeRegion { code } travelIntent { earliestDate latestDate mode destination { code } } } }
      }
    }`;
    const input = {
      earliestDate: '2020-03-01',
      latestDate: '2020-03-07',
      destination: '440300',
      mode: 'BUS',
    };
    const before = mutations();
    const res = await hub.query(INTENTS, { items: ids.map((workerId) => ({ workerId, input })) });
    expect(res.errors).toBeUndefined();
    expect(res.data!.reportTravelIntents.items).toHaveLength(1_000);
    expect(res.data!.reportTravelIntents.items[999]).toMatchObject({
      index: 999,
      error: null,
      record: { id: ids[999], travelIntent: { destination: { code: '440300' } } },
    });
    expect(mutations().map((n, i) => n - before[i]!)).toEqual([1, 0, 0]);

    const callsBefore = calls();
    const mixed = await hub.query(
      `mutation($items: [HealthCheckItemInput!]!) { recordHealthChecks(items: $items) { items { index } } }`,
      {
        items: [ids[0], encodeId('Worker', HE)].map((workerId) => ({
          workerId,
          input: {
            code: 'GREEN',
            issuedBy: '450000',
            checkedAt: '2020-02-18T09:00:00+08:00',
            validUntil: '2020-02-25T09:00:00+08:00',
          },
        })),
      },
    );
    expect(mixed.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(mixed.errors![0]!.message).toMatch(/recordHealthChecks.*2 provinces/);
    expect(calls()).toEqual(callsBefore);
  });

  it('should run several mutation fields of different provinces in order, each in its own province', async () => {
    const before = mutations();
    const res = await hub.query(
      `mutation($a: PlanTripInput!, $b: PlanTripInput!) { a: planTrip(input: $a) { id } b: planTrip(input: $b) { id } }`,
      {
        a: planInput('440303'),
        b: planInput('130102'),
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.a.id).toMatch(/^T44-/);
    expect(res.data!.b.id).toMatch(/^T13-/);
    expect(mutations().map((n, i) => n - before[i]!)).toEqual([0, 1, 1]);
  });

  it('should never retry a mutation whose province fails, but retry a query once', async () => {
    const gd = hub.province(GD);
    gd.failStatus = 503;
    try {
      const before = gd.count(undefined, 'mutation');
      const res = await hub.query(PLAN_TRIP, { input: planInput('440303') });
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'PROVINCE_UNAVAILABLE', province: GD });
      expect(res.errors![0]!.path).toEqual(['planTrip']);
      expect(gd.count(undefined, 'mutation') - before).toBe(1);

      const queries = gd.count('transport', 'query');
      const read = await hub.query(`{ trips(origin: "440000") { totalCount } }`);
      expect(read.errors![0]!.extensions).toMatchObject({ code: 'PROVINCE_UNAVAILABLE', province: GD });
      expect(gd.count('transport', 'query') - queries).toBe(2);
    } finally {
      gd.failStatus = undefined;
    }
  });
});
