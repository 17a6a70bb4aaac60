/**
 * The write rules of trips organised outside their origin (#13.2), attacked at a signed Hebei
 * province's own port: the organiser's side plans and manages, the destination receives, and an
 * officer of the origin records boarding only for his own workers. Every refusal writes nothing.
 */
import type { Caller } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../db/sql-rows.js';
import type { ProvinceService } from '../index.js';
import {
  expectData,
  expectError,
  type GraphQLAnswer,
  type SignedTestProvince,
  startSignedTestProvince,
  type TestGatewayKeys,
  workerInput,
  clearForBoarding,
} from '../testing/index.js';

const HUAILAI: Caller = { subject: 'hl', role: 'city', region: '130730' };
const ZHANGJIAKOU: Caller = { subject: 'zjk', role: 'city', region: '130700' };
const SHIJIAZHUANG: Caller = { subject: 'sjz', role: 'city', region: '130100' };
const HEBEI: Caller = { subject: 'hb', role: 'province', region: '130000' };
const HENAN: Caller = { subject: 'ha', role: 'province', region: '410000' };
const ZHOUKOU: Caller = { subject: 'zk', role: 'city', region: '411600' };
const MINISTRY: Caller = { subject: 'm', role: 'ministry' };
const ENTERPRISE: Caller = {
  subject: 'e',
  role: 'enterprise',
  region: '130730',
  enterpriseId: 'E13-0123456789abcdef',
};

const TRIP = 'id status organizer { code } passengers { worker { id } boarded }';
const PLAN = `mutation($input: PlanTripInput!) { planTrip(input: $input) { ${TRIP} } }`;
const ASSIGN = `mutation($trip: ID!, $workers: [ID!]!) { assignPassengers(tripId: $trip, workerIds: $workers) { ${TRIP} } }`;
const REMOVE = `mutation($trip: ID!, $workers: [ID!]!) { removePassengers(tripId: $trip, workerIds: $workers) { ${TRIP} } }`;
const DEPART = `mutation($trip: ID!, $boarded: [BoardingInput!]!) { departTrip(tripId: $trip, boarded: $boarded) { ${TRIP} } }`;
const ETA = `mutation($trip: ID!) { updateEta(tripId: $trip, expectedArrivalAt: "2020-02-20T22:00:00+08:00") { ${TRIP} } }`;
const CANCEL = `mutation($trip: ID!) { cancelTrip(tripId: $trip, reason: "改期") { ${TRIP} } }`;
const ARRIVE = `mutation($trip: ID!) { confirmArrival(tripId: $trip, input: { arrivedAt: "2020-02-20T20:00:00+08:00", headcount: 1 }) { ${TRIP} } }`;
const REGISTER = `mutation($i: [RegisterWorkerInput!]!) { registerWorkers(inputs: $i) { id } }`;
const TRIP_STATUS = `query($id: ID!) { trip(id: $id) { ${TRIP} } }`;

let signed: SignedTestProvince;
let service: ProvinceService;
let keys: TestGatewayKeys;

async function gql(
  query: string,
  variables: Record<string, unknown>,
  as: Caller,
  subgraph = 'transport',
): Promise<GraphQLAnswer> {
  const body = JSON.stringify({ query, variables });
  const res = await fetch(`${service.url}/${subgraph}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(await keys.headers(as, { province: '130000', body })),
    },
    body,
  });
  return { status: res.status, ...((await res.json()) as object) };
}

/** Every row of the province's trip tables (equal before and after: nothing was written). */
async function tripTables(): Promise<string> {
  const result = await service.db.db.execute(
    sql`SELECT (SELECT json_agg(t ORDER BY id) FROM trips t) AS trips, (SELECT json_agg(p ORDER BY trip_id, worker_id) FROM trip_passengers p) AS passengers, (SELECT count(*)::int FROM outbox) AS events`,
  );
  return JSON.stringify(rowsOf(result));
}

const pickUp = (over: Record<string, unknown> = {}) => ({
  organizer: '130730',
  mode: 'BUS',
  vehicleCode: '冀G·00017',
  origin: '411600',
  destination: '130730',
  departureAt: '2020-02-20T08:00:00+08:00',
  expectedArrivalAt: '2020-02-20T20:00:00+08:00',
  capacity: 17,
  ...over,
});

/** Asserts `as` is refused with FORBIDDEN (matching `message`) and nothing was written. */
async function refused(query: string, variables: Record<string, unknown>, as: Caller, message?: RegExp) {
  const before = await tripTables();
  expectError(await gql(query, variables, as), 'FORBIDDEN', message);
  expect(await tripTables()).toBe(before);
}

const plan = async (as: Caller, over: Record<string, unknown> = {}) =>
  expectData(await gql(PLAN, { input: pickUp(over) }, as)).planTrip as { id: string };

/** Two Henan workers (ids only: their records live in Henan) and two Hebei workers, Shijiazhuang and Zhuolu. */
const HENAN_WORKERS = ['W41-zhoukouworker0001', 'W41-zhoukouworker0002'];
let shijiazhuangWorker: string;
let zhuoluWorker: string;
/** Two more, for a trip while the first two are still on a departed one. */
let shijiazhuangWorker2: string;
let zhuoluWorker2: string;

beforeAll(async () => {
  signed = await startSignedTestProvince('130000');
  ({ service, keys } = signed);
  const registered = expectData(
    await gql(
      REGISTER,
      { i: [workerInput('130102'), workerInput('130731'), workerInput('130102'), workerInput('130731')] },
      HEBEI,
      'workers',
    ),
  ).registerWorkers.map((w: { id: string }) => w.id);
  [shijiazhuangWorker, zhuoluWorker, shijiazhuangWorker2, zhuoluWorker2] = registered as [
    string,
    string,
    string,
    string,
  ];
});
afterAll(() => signed?.close());

describe('planTrip by the organiser (#13.2)', () => {
  it('should let an officer whose region contains the organiser plan a pick-up from another province', async () => {
    expect((await plan(HUAILAI)).id).toMatch(/^T13-/);
    expect((await plan(ZHANGJIAKOU)).id).toMatch(/^T13-/);
    expect((await plan(HEBEI)).id).toMatch(/^T13-/);
  });

  it("should refuse another city of the province, the origin's officers, the ministry and an enterprise", async () => {
    for (const caller of [SHIJIAZHUANG, ZHOUKOU, HENAN])
      await refused(PLAN, { input: pickUp() }, caller, /organizer 130730 is outside the region/);
    await refused(PLAN, { input: pickUp() }, MINISTRY, /the ministry/);
    await refused(PLAN, { input: pickUp() }, ENTERPRISE, /an enterprise may not/);
    // Without an organiser the origin organises: a Huailai officer may not plan Zhuolu's trip.
    await refused(PLAN, { input: pickUp({ organizer: null, origin: '130731' }) }, HUAILAI, /origin/);
  });
});

describe("a trip's management by its organiser (#13.2)", () => {
  it('should let the organiser assign, remove, change the ETA and cancel, and refuse everyone else', async () => {
    const trip = await plan(HUAILAI);
    const others = [ZHOUKOU, HENAN, SHIJIAZHUANG, MINISTRY, ENTERPRISE];
    for (const caller of others) {
      await refused(ASSIGN, { trip: trip.id, workers: [HENAN_WORKERS[0]] }, caller);
      await refused(ETA, { trip: trip.id }, caller);
      await refused(CANCEL, { trip: trip.id }, caller);
    }
    expectData(await gql(ASSIGN, { trip: trip.id, workers: HENAN_WORKERS }, HUAILAI));
    for (const caller of others)
      await refused(REMOVE, { trip: trip.id, workers: [HENAN_WORKERS[0]] }, caller);
    expect(
      expectData(await gql(REMOVE, { trip: trip.id, workers: [HENAN_WORKERS[0]] }, HUAILAI)).removePassengers
        .passengers,
    ).toHaveLength(1);
    expectData(await gql(ETA, { trip: trip.id }, ZHANGJIAKOU));
    expect(expectData(await gql(CANCEL, { trip: trip.id }, HUAILAI)).cancelTrip.status).toBe('CANCELLED');
  });
});

describe("the home side's consent on a trip organised by the receiving side (#11.1, #13.2)", () => {
  it('should let Huailai put a Zhuolu worker on its bus from Zhuolu only once Zhuolu recorded his intent to go there', async () => {
    const [zhuolu] = expectData(
      await gql(REGISTER, { i: [workerInput('130731')] }, HEBEI, 'workers'),
    ).registerWorkers.map((w: { id: string }) => w.id);
    const trip = await plan(HUAILAI, { origin: '130731', vehicleCode: '冀G·00040' });
    await refused(ASSIGN, { trip: trip.id, workers: [zhuolu] }, HUAILAI, /no travel intent to 130730/);
    expectData(
      await gql(
        'mutation($w: ID!, $i: TravelIntentInput!) { reportTravelIntent(workerId: $w, input: $i) { id } }',
        { w: zhuolu, i: { earliestDate: '2020-02-19', latestDate: '2020-02-21', destination: '130730' } },
        { subject: 'zl', role: 'city', region: '130731' },
        'workers',
      ),
    );
    expect(
      expectData(await gql(ASSIGN, { trip: trip.id, workers: [zhuolu] }, HUAILAI)).assignPassengers
        .passengers,
    ).toEqual([{ worker: { id: zhuolu }, boarded: false }]);
  });
});

describe("the home side's consent is no pass for an organiser at neither end of the trip (review of #13)", () => {
  it('should not let Shijiazhuang put a Zhuolu worker on its own bus from Zhuolu to where he goes, nor so read his record', async () => {
    const [zhuolu] = expectData(
      await gql(REGISTER, { i: [workerInput('130731')] }, HEBEI, 'workers'),
    ).registerWorkers.map((w: { id: string }) => w.id);
    expectData(
      await gql(
        'mutation($w: ID!, $i: TravelIntentInput!) { reportTravelIntent(workerId: $w, input: $i) { id } }',
        { w: zhuolu, i: { earliestDate: '2020-02-19', latestDate: '2020-02-21', destination: '110105' } },
        { subject: 'zl', role: 'city', region: '130731' },
        'workers',
      ),
    );
    // Shijiazhuang is neither his side (Zhuolu) nor the receiving side (Beijing): his intent says
    // where he goes, not that any city of the province may fetch him and read his record
    const trip = await plan(SHIJIAZHUANG, {
      organizer: '130100',
      origin: '130731',
      destination: '110105',
      vehicleCode: '冀A·00041',
    });
    await refused(ASSIGN, { trip: trip.id, workers: [zhuolu] }, SHIJIAZHUANG, /no travel intent|neither/);
    const seen = expectData(
      await gql(
        'query($id: ID!) { worker(id: $id) { idNumber health { code } } }',
        { id: zhuolu },
        SHIJIAZHUANG,
        'workers',
      ),
    ).worker;
    expect(seen.health).toBeNull();
    expect(seen.idNumber).toMatch(/\*/);
  });
});

describe('boarding at the origin of a trip organised elsewhere (#13.2)', () => {
  it("should let the origin's officer record the departure of his own workers only", async () => {
    const trip = await plan(HUAILAI);
    expectData(await gql(ASSIGN, { trip: trip.id, workers: HENAN_WORKERS }, HUAILAI));
    expectData(await gql(ASSIGN, { trip: trip.id, workers: [shijiazhuangWorker] }, HEBEI));
    const board = (ids: string[]) => ({
      trip: trip.id,
      boarded: ids.map((workerId) => ({ workerId, temperature: 36.5 })),
    });
    // A Hebei worker on the bus is not Henan's to board.
    await refused(
      DEPART,
      board([HENAN_WORKERS[0]!, shijiazhuangWorker]),
      HENAN,
      new RegExp(`worker ${shijiazhuangWorker} is not known here as a worker of province 410000`),
    );
    // Zhoukou's own officer cannot prove here that a Henan worker is his (his home region is Henan's record).
    await refused(
      DEPART,
      board([HENAN_WORKERS[0]!]),
      ZHOUKOU,
      /is not known here as a worker of city 411600/,
    );
    // Neither the organiser's neighbours nor the ministry or an enterprise.
    await refused(
      DEPART,
      board([shijiazhuangWorker]),
      SHIJIAZHUANG,
      /organiser 130730 and its origin 411600 are outside/,
    );
    await refused(DEPART, board(HENAN_WORKERS), MINISTRY);
    await refused(DEPART, board(HENAN_WORKERS), ENTERPRISE);
    // Henan's provincial officer boards the Henan workers; the Hebei worker stays on the manifest, not boarded.
    await clearForBoarding(service, trip.id);
    // With a fever at the gate nobody passes: the origin's officer cannot cancel the organiser's trip that way.
    const feverish = await gql(
      DEPART,
      { trip: trip.id, boarded: HENAN_WORKERS.map((workerId) => ({ workerId, temperature: 38.6 })) },
      HENAN,
    );
    expectError(feverish, 'CONFLICT', /nobody passed the boarding gate .* only its organiser 130730/);
    expect(expectData(await gql(TRIP_STATUS, { id: trip.id }, HUAILAI)).trip).toMatchObject({
      status: 'PLANNED',
      passengers: expect.arrayContaining([expect.objectContaining({ boarded: false })]),
    });
    const departed = expectData(await gql(DEPART, board(HENAN_WORKERS), HENAN)).departTrip;
    expect(departed.status).toBe('DEPARTED');
    expect(departed.passengers.filter((p: { boarded: boolean }) => p.boarded)).toHaveLength(2);
    // Everything else stays with the organiser and the receiving place.
    await refused(ETA, { trip: trip.id }, HENAN);
    await refused(CANCEL, { trip: trip.id }, HENAN);
    await refused(ARRIVE, { trip: trip.id }, ZHOUKOU, /destination/);
    expect(expectData(await gql(ARRIVE, { trip: trip.id }, HUAILAI)).confirmArrival.status).toBe('ARRIVED');
  });

  it('should judge a worker of this province by his stored home: Shijiazhuang boards its own, not Zhuolu', async () => {
    const trip = await plan(HUAILAI, { origin: '130100', vehicleCode: '冀A·00001' });
    expectData(await gql(ASSIGN, { trip: trip.id, workers: [shijiazhuangWorker, zhuoluWorker] }, HEBEI));
    const board = (ids: string[]) => ({
      trip: trip.id,
      boarded: ids.map((workerId) => ({ workerId, temperature: 36.6 })),
    });
    await refused(DEPART, board([shijiazhuangWorker, zhuoluWorker]), SHIJIAZHUANG, new RegExp(zhuoluWorker));
    await clearForBoarding(service, trip.id);
    const departed = expectData(await gql(DEPART, board([shijiazhuangWorker]), SHIJIAZHUANG)).departTrip;
    expect(departed.passengers.filter((p: { boarded: boolean }) => p.boarded)).toEqual([
      { worker: { id: shijiazhuangWorker }, boarded: true },
    ]);
  });

  it('should leave a trip organised by its origin exactly as before: the origin organises and boards', async () => {
    const trip = await plan(SHIJIAZHUANG, {
      organizer: undefined,
      origin: '130102',
      vehicleCode: '冀A·00002',
    });
    expectData(await gql(ASSIGN, { trip: trip.id, workers: [shijiazhuangWorker2, zhuoluWorker2] }, HEBEI));
    const board = { trip: trip.id, boarded: [{ workerId: zhuoluWorker2, temperature: 36.6 }] };
    await refused(DEPART, board, HUAILAI, /outside the region of city 130730/);
    await clearForBoarding(service, trip.id);
    expect(expectData(await gql(DEPART, board, SHIJIAZHUANG)).departTrip.status).toBe('DEPARTED');
  });
});
