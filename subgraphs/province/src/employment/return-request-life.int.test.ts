/**
 * The life of a return request (#13.3) through the province's GraphQL, over real HTTP and the
 * province's graphql-ws: one province holding both the enterprise and the worker (its facts to
 * itself apply at once, in the mutation's transaction), and two provinces, Beijing and Henan,
 * whose RELAY events are carried by hand here exactly as the relay applies them (`applyFact` on
 * the target, in one transaction, then the facts it tells itself, then its outbox).
 */
import type { RelayFact, RelayedTrip, TripFact } from '@p2p/schema';
import { DEV_WORKER_ID_KEY } from '@p2p/schema';
import { and, eq, gt } from 'drizzle-orm';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createContext } from '../context.js';
import { outbox, returnRequests, staff, workerReturnRequests } from '../db/schema/index.js';
import { OutboxBatch } from '../outbox.js';
import { applyFact, applyLocalFacts } from '../relay/apply-fact.js';
import {
  expectData,
  expectError,
  residentId,
  startTestProvince,
  type TestProvince,
  clearForBoarding,
} from '../testing/index.js';

const REGISTER_ENTERPRISE = `mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { id } }`;
const REGISTER_WORKER = `mutation($input: RegisterWorkerInput!) { registerWorker(input: $input) { id } }`;
const REQUEST_FIELDS = 'id status updatedAt reason enterprise { id filled }';
const FILE = `mutation($input: FileReturnRequestInput!) { fileReturnRequest(input: $input) { ${REQUEST_FIELDS} } }`;
const FILE_MANY = `mutation($inputs: [FileReturnRequestInput!]!, $key: String) {
  fileReturnRequests(inputs: $inputs, idempotencyKey: $key) { items { index record { id status } error { code message } } }
}`;
const REQUEST = `query($id: ID!) { returnRequest(id: $id) { ${REQUEST_FIELDS} } }`;
const ON_POST = `mutation($id: ID!) { confirmOnPost(returnRequestId: $id) { ${REQUEST_FIELDS} } }`;
const WITHDRAW = `mutation($id: ID!, $reason: String!) { withdrawReturnRequest(returnRequestId: $id, reason: $reason) { ${REQUEST_FIELDS} } }`;
const DECLINE = `mutation($w: ID!, $r: ID!, $reason: String!) { declineReturnRequest(workerId: $w, returnRequestId: $r, reason: $reason) { id } }`;
const STAFF = `mutation($e: ID!, $w: ID!, $change: StaffChange!) { reportStaffChange(enterpriseId: $e, workerId: $w, change: $change) { id } }`;
const WORKER = `query($id: ID!) { worker(id: $id) { id status workRegion { code } employer { id } returnRequests { id } } }`;
const WORKER_SUMMARY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Summary { workers { atWork flow { withinProvince crossProvince } } } } }`;
const PLAN = `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`;
const ASSIGN = `mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }`;
const DEPART = `mutation($t: ID!, $w: ID!) { departTrip(tripId: $t, boarded: [{ workerId: $w, temperature: 36.5 }]) { id } }`;
const ARRIVE = `mutation($t: ID!) { confirmArrival(tripId: $t, input: { arrivedAt: "2020-02-21T08:00:00+08:00", headcount: 1, handedOverTo: "金水区人社局" }) { id status } }`;
const UPDATES = `subscription($e: ID!, $after: String) { returnRequestUpdates(enterpriseId: $e, after: $after) { cursor at status returnRequest { id status } } }`;

let serial = 0;

/** A province's enterprise, registered. */
async function enterprise(p: TestProvince, region: string): Promise<string> {
  return expectData(
    await p.gql('employment', REGISTER_ENTERPRISE, { input: { name: '电子厂', region, sector: '制造业' } }),
  ).registerEnterprise.id;
}

/** A worker's registration input and, once registered at home, his id. */
function person(homeRegion: string) {
  return {
    name: '王工人',
    idNumber: residentId(homeRegion, '19880808', ++serial),
    phone: '13800138000',
    homeRegion,
  };
}

async function register(home: TestProvince, input: ReturnType<typeof person>): Promise<string> {
  return expectData(await home.gql('workers', REGISTER_WORKER, { input })).registerWorker.id;
}

const filing = (enterpriseId: string, worker: ReturnType<typeof person>) => ({
  enterpriseId,
  worker,
  plannedReturnDate: '2020-02-22',
  departureRegion: worker.homeRegion,
});

async function file(p: TestProvince, enterpriseId: string, worker: ReturnType<typeof person>) {
  return expectData(await p.gql('employment', FILE, { input: filing(enterpriseId, worker) }))
    .fileReturnRequest;
}

const requestOf = async (p: TestProvince, id: string) =>
  expectData(await p.gql('employment', REQUEST, { id })).returnRequest;
const workerOf = async (p: TestProvince, id: string) =>
  expectData(await p.gql('workers', WORKER, { id })).worker;
const copyOf = async (p: TestProvince, id: string) =>
  (
    await p.service.db.db
      .select()
      .from(workerReturnRequests)
      .where(eq(workerReturnRequests.returnRequestId, id))
  )[0];
const storedRequest = async (p: TestProvince, id: string) =>
  (await p.service.db.db.select().from(returnRequests).where(eq(returnRequests.id, id)))[0]!;

/** The RETURN_REQUEST_UPDATED statuses of a request, in outbox order. */
const updates = async (p: TestProvince, id: string) =>
  (
    await p.service.db.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, 'RETURN_REQUEST_UPDATED'), eq(outbox.returnRequestId, id)))
      .orderBy(outbox.seq)
  ).map((e) => e.payload.status);

/**
 * Applies `fact` on `target` as the relay applies what `source` told it: one transaction, the
 * handlers, the facts they tell `target` itself, the outbox.
 */
async function apply(target: TestProvince, fact: RelayFact, source: string, seq = 0): Promise<void> {
  const { service } = target;
  const ctx = createContext({
    province: service.province,
    db: service.db.db,
    workerIdKey: DEV_WORKER_ID_KEY,
    log: service.log,
  });
  await service.db.db.transaction(async (tx) => {
    const events = new OutboxBatch();
    await applyFact(ctx, tx, fact, { source, seq, at: new Date() }, events);
    await applyLocalFacts(ctx, tx, events);
    await events.flush(tx);
  });
}

/** The relay by hand: delivers every RELAY event of `from` for `to` after `after`, in order. @returns the new position. */
async function relay(from: TestProvince, to: TestProvince, after: number): Promise<number> {
  const rows = await from.service.db.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.kind, 'RELAY'), eq(outbox.target, to.service.province), gt(outbox.seq, after)))
    .orderBy(outbox.seq);
  for (const row of rows)
    await apply(to, row.payload as unknown as RelayFact, from.service.province, row.seq);
  return rows.at(-1)?.seq ?? after;
}

/** A TRIP fact as the organiser tells the home province (what `tellHomes` sends). */
function tripFact(
  event: TripFact['event'],
  trip: Partial<RelayedTrip> & { id: string; destination: string },
  workers: TripFact['workers'],
): TripFact {
  return {
    fact: 'TRIP',
    event,
    trip: {
      organizer: '411602',
      mode: 'BUS',
      vehicleCode: '豫P·20200',
      origin: '411602',
      departureAt: '2020-02-20T08:00:00.000Z',
      expectedArrivalAt: '2020-02-21T00:00:00.000Z',
      arrivedAt: null,
      status: event === 'DEPARTED' ? 'DEPARTED' : event === 'CANCELLED' ? 'CANCELLED' : 'PLANNED',
      ...trip,
    },
    workers,
  };
}

/** Follows `returnRequestUpdates` of an enterprise on the province's own graphql-ws until `n` events came. */
async function follow(p: TestProvince, enterpriseId: string, after: string | undefined, n: number) {
  const client = createClient({
    url: `${p.service.url.replace(/^http/, 'ws')}/employment/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  const events: { cursor: string; status: string; returnRequest: { id: string; status: string } }[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${events.length} of ${n} updates`)), 10_000);
      client.subscribe<{ returnRequestUpdates: (typeof events)[number] }>(
        { query: UPDATES, variables: { e: enterpriseId, after } },
        {
          next: (message) => {
            if (message.errors) reject(new Error(JSON.stringify(message.errors)));
            if (message.data) events.push(message.data.returnRequestUpdates);
            if (events.length >= n) {
              clearTimeout(timer);
              resolve();
            }
          },
          error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
          complete: () => {},
        },
      );
    });
    // nothing more than expected arrives
    await new Promise((r) => setTimeout(r, 300));
    return events;
  } finally {
    await client.dispose();
  }
}

describe('the life of a return request in one province (#13.3)', () => {
  let p: TestProvince;
  beforeAll(async () => {
    p = await startTestProvince('410000');
  });
  afterAll(() => p?.close());

  it('should go FILED → ACKNOWLEDGED at once, → ARRANGED on a trip towards the enterprise, → ON_POST, the worker AT_WORK there, each step once on returnRequestUpdates, also after a resume', async () => {
    const factory = await enterprise(p, '410105');
    const input = person('411602');
    const workerId = await register(p, input);
    const filed = await file(p, factory, input);
    // His home is this province: it has seen the request in the same transaction.
    expect(filed).toMatchObject({ status: 'ACKNOWLEDGED', reason: null });
    expect(new Date(filed.updatedAt).getTime()).toBeGreaterThan(0);
    expect(await copyOf(p, filed.id)).toMatchObject({
      workerId,
      enterpriseId: factory,
      status: 'ACKNOWLEDGED',
    });
    expect((await workerOf(p, workerId)).returnRequests).toEqual([{ id: filed.id }]);

    const trip = expectData(
      await p.gql('transport', PLAN, {
        input: {
          mode: 'BUS',
          vehicleCode: '豫P·20200',
          origin: '411602',
          destination: '410105',
          departureAt: '2020-02-20T08:00:00+08:00',
          expectedArrivalAt: '2020-02-21T08:00:00+08:00',
          capacity: 40,
        },
      }),
    ).planTrip.id;
    expectData(await p.gql('transport', ASSIGN, { t: trip, w: [workerId] }));
    // What the organiser's tellHomes tells his home (this province) on assignment (relay helper's
    // tell-homes.ts); a second delivery changes nothing.
    const assigned = tripFact('ASSIGNED', { id: trip, destination: '410105' }, [
      { id: workerId, boarded: false },
    ]);
    await apply(p, assigned, '410000');
    await apply(p, assigned, '410000');
    expect(await requestOf(p, filed.id)).toMatchObject({ status: 'ARRANGED' });
    expect((await storedRequest(p, filed.id)).tripId).toBe(trip);
    expect(await copyOf(p, filed.id)).toMatchObject({ status: 'ARRANGED', tripId: trip });

    await clearForBoarding(p.service, trip);
    expectData(await p.gql('transport', DEPART, { t: trip, w: workerId }));
    await apply(
      p,
      tripFact('DEPARTED', { id: trip, destination: '410105' }, [{ id: workerId, boarded: true }]),
      '410000',
    );
    expect(expectData(await p.gql('transport', ARRIVE, { t: trip })).confirmArrival.status).toBe(
      'HANDED_OVER',
    );
    const onPost = expectData(await p.gql('employment', ON_POST, { id: filed.id })).confirmOnPost;
    expect(onPost).toMatchObject({ status: 'ON_POST', enterprise: { id: factory, filled: 1 } });
    expect(await copyOf(p, filed.id)).toMatchObject({ status: 'ON_POST' });
    expect(await workerOf(p, workerId)).toMatchObject({
      status: 'AT_WORK',
      workRegion: { code: '410105' },
      employer: { id: factory },
    });
    expect(await updates(p, filed.id)).toEqual(['FILED', 'ACKNOWLEDGED', 'ARRANGED', 'ON_POST']);

    const all = await follow(p, factory, '0', 4);
    expect(all.map((e) => [e.status, e.returnRequest.id])).toEqual(
      ['FILED', 'ACKNOWLEDGED', 'ARRANGED', 'ON_POST'].map((s) => [s, filed.id]),
    );
    expect(all.every((e) => e.returnRequest.status === 'ON_POST')).toBe(true);
    const resumed = await follow(p, factory, all[1]!.cursor, 2);
    expect(resumed.map((e) => e.status)).toEqual(['ARRANGED', 'ON_POST']);
    expect(resumed.map((e) => e.cursor)).toEqual(all.slice(2).map((e) => e.cursor));
  });

  // The organiser tells its own province the TRIP facts of its own workers (tellHomes →
  // tellProvince to itself: applied in the mutation's transaction).
  it('should arrange the request by the trip mutations alone, and unarrange it when the trip is cancelled', async () => {
    const factory = await enterprise(p, '410105');
    const input = person('411602');
    const workerId = await register(p, input);
    const { id } = await file(p, factory, input);
    const trip = expectData(
      await p.gql('transport', PLAN, {
        input: {
          mode: 'BUS',
          vehicleCode: '豫P·20201',
          origin: '411602',
          destination: '410100',
          departureAt: '2020-02-20T08:00:00+08:00',
          expectedArrivalAt: '2020-02-21T08:00:00+08:00',
          capacity: 40,
        },
      }),
    ).planTrip.id;
    expectData(await p.gql('transport', ASSIGN, { t: trip, w: [workerId] }));
    expect(await copyOf(p, id)).toMatchObject({ status: 'ARRANGED', tripId: trip });
    expect((await storedRequest(p, id)).tripId).toBe(trip);
    expectData(
      await p.gql('transport', `mutation($t: ID!) { cancelTrip(tripId: $t, reason: "改期") { id } }`, {
        t: trip,
      }),
    );
    expect(await updates(p, id)).toEqual(['FILED', 'ACKNOWLEDGED', 'ARRANGED', 'ACKNOWLEDGED']);
  });

  it('should refuse every change from ON_POST with CONFLICT naming it, and write nothing', async () => {
    const factory = await enterprise(p, '410105');
    const input = person('411621');
    const workerId = await register(p, input);
    const { id } = await file(p, factory, input);
    expectData(await p.gql('employment', ON_POST, { id }));
    const before = await p.fingerprint();
    expectError(await p.gql('employment', ON_POST, { id }), 'CONFLICT', /already ON_POST/);
    const withdrawn = expectError(
      await p.gql('employment', WITHDRAW, { id, reason: '岗位取消' }),
      'CONFLICT',
    );
    expect(withdrawn.extensions?.status).toBe('ON_POST');
    expectError(
      await p.gql('workers', DECLINE, { w: workerId, r: id, reason: '不想去' }),
      'CONFLICT',
      /ON_POST, and a ON_POST request cannot become DECLINED/,
    );
    expect(await p.fingerprint()).toBe(before);
    // a late trip fact does not arrange an ON_POST request either (the home side records the trip
    // itself: its departures feed and his trips)
    const statuses = await updates(p, id);
    await apply(
      p,
      tripFact('ASSIGNED', { id: 'T41-latetrip0000', destination: '410105' }, [
        { id: workerId, boarded: false },
      ]),
      '410000',
    );
    expect(await updates(p, id)).toEqual(statuses);
    expect(statuses.at(-1)).toBe('ON_POST');
  });

  it('should withdraw with a reason, told to the home side; a decline after it is a CONFLICT', async () => {
    const factory = await enterprise(p, '410105');
    const input = person('411602');
    const workerId = await register(p, input);
    const { id } = await file(p, factory, input);
    expectError(await p.gql('employment', WITHDRAW, { id, reason: ' ' }), 'BAD_USER_INPUT');
    const withdrawn = expectData(
      await p.gql('employment', WITHDRAW, { id, reason: '订单减少' }),
    ).withdrawReturnRequest;
    expect(withdrawn).toMatchObject({ status: 'WITHDRAWN', reason: '订单减少' });
    expect(await copyOf(p, id)).toMatchObject({ status: 'WITHDRAWN', reason: '订单减少' });
    expectError(
      await p.gql('workers', DECLINE, { w: workerId, r: id, reason: '不去了' }),
      'CONFLICT',
      /WITHDRAWN/,
    );
    expectError(await p.gql('employment', WITHDRAW, { id, reason: '再撤' }), 'CONFLICT', /already WITHDRAWN/);
    expect(await updates(p, id)).toEqual(['FILED', 'ACKNOWLEDGED', 'WITHDRAWN']);
  });

  it("should let the worker's home decline with a reason, the enterprise's record following; nobody declines another worker's request", async () => {
    const factory = await enterprise(p, '410105');
    const mine = person('411602');
    const other = person('411602');
    const workerId = await register(p, mine);
    const otherId = await register(p, other);
    const { id } = await file(p, factory, mine);
    const before = await p.fingerprint();
    expectError(await p.gql('workers', DECLINE, { w: otherId, r: id, reason: '替他拒绝' }), 'NOT_FOUND');
    expectError(
      await p.gql('workers', DECLINE, { w: workerId, r: 'R41-unknownrequest00', reason: '拒绝' }),
      'NOT_FOUND',
    );
    expectError(
      await p.gql('workers', DECLINE, { w: workerId, r: 'not-an-id', reason: '拒绝' }),
      'BAD_USER_INPUT',
    );
    expectError(await p.gql('workers', DECLINE, { w: workerId, r: id, reason: '' }), 'BAD_USER_INPUT');
    expect(await p.fingerprint()).toBe(before);
    expect(
      expectData(await p.gql('workers', DECLINE, { w: workerId, r: id, reason: '已在本地就业' })),
    ).toEqual({
      declineReturnRequest: { id: workerId },
    });
    expect(await requestOf(p, id)).toMatchObject({ status: 'DECLINED', reason: '已在本地就业' });
    expectError(await p.gql('employment', WITHDRAW, { id, reason: '撤回' }), 'CONFLICT', /DECLINED/);
    expectError(await p.gql('employment', ON_POST, { id }), 'CONFLICT', /DECLINED/);
    expect(await updates(p, id)).toEqual(['FILED', 'ACKNOWLEDGED', 'DECLINED']);
  });

  it('should put an arranged request back to ACKNOWLEDGED when he is taken off, left behind or the trip is cancelled, and arrange it again on the next trip', async () => {
    const factory = await enterprise(p, '410105');
    const input = person('411602');
    const workerId = await register(p, input);
    const { id } = await file(p, factory, input);
    const me = [{ id: workerId, boarded: false }];
    const status = async () => (await requestOf(p, id)).status;

    // a trip elsewhere (Shanghai) does not arrange it; one to the enterprise's city does
    await apply(p, tripFact('ASSIGNED', { id: 'T41-toshanghai000', destination: '310000' }, me), '410000');
    expect(await status()).toBe('ACKNOWLEDGED');
    await apply(p, tripFact('ASSIGNED', { id: 'T41-tozhengzhou01', destination: '410100' }, me), '410000');
    expect(await status()).toBe('ARRANGED');
    await apply(p, tripFact('REMOVED', { id: 'T41-tozhengzhou01', destination: '410100' }, me), '410000');
    expect(await status()).toBe('ACKNOWLEDGED');
    expect((await storedRequest(p, id)).tripId).toBeNull();

    // a trip to the enterprise's township-level neighbour inside the county; left behind at departure
    await apply(p, tripFact('ASSIGNED', { id: 'T41-tozhengzhou02', destination: '410105' }, me), '410000');
    await apply(p, tripFact('DEPARTED', { id: 'T41-tozhengzhou02', destination: '410105' }, me), '410000');
    expect(await status()).toBe('ACKNOWLEDGED');

    await apply(p, tripFact('ASSIGNED', { id: 'T41-tozhengzhou03', destination: '410000' }, me), '410000');
    expect(await copyOf(p, id)).toMatchObject({ status: 'ARRANGED', tripId: 'T41-tozhengzhou03' });
    // a cancellation of ANOTHER trip he was on changes nothing; of this one, it goes back
    await apply(p, tripFact('CANCELLED', { id: 'T41-tozhengzhou01', destination: '410100' }, me), '410000');
    expect(await status()).toBe('ARRANGED');
    await apply(p, tripFact('CANCELLED', { id: 'T41-tozhengzhou03', destination: '410000' }, me), '410000');
    expect(await status()).toBe('ACKNOWLEDGED');
    expect(await updates(p, id)).toEqual([
      'FILED',
      'ACKNOWLEDGED',
      'ARRANGED',
      'ACKNOWLEDGED',
      'ARRANGED',
      'ACKNOWLEDGED',
      'ARRANGED',
      'ACKNOWLEDGED',
    ]);
  });

  it('should leave a fact whose source does not own its subject', async () => {
    const factory = await enterprise(p, '410105');
    const input = person('411602');
    const workerId = await register(p, input);
    const { id } = await file(p, factory, input);
    const before = await p.fingerprint();
    // Hebei telling Henan about a Henan trip, or answering for a Henan worker: not theirs to say.
    await apply(
      p,
      tripFact('ASSIGNED', { id: 'T41-notfromhebei0', destination: '410105' }, [
        { id: workerId, boarded: false },
      ]),
      '130000',
    );
    await apply(
      p,
      { fact: 'RETURN_REQUEST_ANSWER', returnRequestId: id, status: 'DECLINED', reason: 'x' },
      '130000',
    );
    await apply(
      p,
      { fact: 'STAFF', enterpriseId: factory, workRegion: '410105', workerId, change: 'LEFT' },
      '130000',
    );
    expect(await p.fingerprint()).toBe(before);
  });

  it("should follow the enterprise's staff reports in the home record: ON_POST at work there, LEFT clears the employer only; the summary moves once", async () => {
    const factory = await enterprise(p, '410105');
    const input = person('411602');
    const workerId = await register(p, input);
    const summary = async () =>
      expectData(
        await p.gql('workers', WORKER_SUMMARY, {
          r: [{ __typename: 'Summary', scope: '411600', day: 'LATEST' }],
        }),
      )._entities[0].workers;
    const before = await summary();
    expectData(await p.gql('employment', STAFF, { e: factory, w: workerId, change: 'ON_POST' }));
    expect(await workerOf(p, workerId)).toMatchObject({
      status: 'AT_WORK',
      workRegion: { code: '410105' },
      employer: { id: factory },
    });
    const atWork = await summary();
    expect(atWork.atWork).toBe(before.atWork + 1);
    expect(atWork.flow.withinProvince).toBe(before.flow.withinProvince + 1);
    expectData(await p.gql('employment', STAFF, { e: factory, w: workerId, change: 'ON_POST' }));
    expect(await summary()).toEqual(atWork);

    // LEFT from another enterprise leaves his employer; from his own, clears it
    const other = await enterprise(p, '410105');
    expectData(await p.gql('employment', STAFF, { e: other, w: workerId, change: 'LEFT' }));
    expect((await workerOf(p, workerId)).employer).toEqual({ id: factory });
    expectData(await p.gql('employment', STAFF, { e: factory, w: workerId, change: 'LEFT' }));
    expect(await workerOf(p, workerId)).toMatchObject({
      status: 'AT_WORK',
      workRegion: { code: '410105' },
      employer: null,
    });
    expect(await summary()).toEqual(atWork);
    const rows = await p.service.db.db.select().from(staff).where(eq(staff.workerId, workerId));
    expect(rows.map((r) => [r.enterpriseId, r.status]).sort()).toEqual(
      [
        [factory, 'LEFT'],
        [other, 'LEFT'],
      ].sort(),
    );

    const fingerprint = await p.fingerprint();
    expectError(
      await p.gql('employment', STAFF, { e: factory, w: 'W41-nobodyhere000000', change: 'ON_POST' }),
      'NOT_FOUND',
    );
    expectError(
      await p.gql('employment', STAFF, { e: 'E41-nosuchfactory00', w: workerId, change: 'ON_POST' }),
      'NOT_FOUND',
    );
    expectError(
      await p.gql('employment', STAFF, { e: 'E11-beijingfactory0', w: workerId, change: 'ON_POST' }),
      'WRONG_PROVINCE',
    );
    expectError(
      await p.gql('employment', STAFF, { e: factory, w: 'bad', change: 'ON_POST' }),
      'BAD_USER_INPUT',
    );
    expect(await p.fingerprint()).toBe(fingerprint);
  });
});

describe('fileReturnRequests (#13.5)', () => {
  let p: TestProvince;
  beforeAll(async () => {
    p = await startTestProvince('410000');
  });
  afterAll(() => p?.close());

  it('should file the good items, give each bad one its own error as fileReturnRequest would, and replay the same result', async () => {
    const factory = await enterprise(p, '410105');
    const good = [person('411602'), person('130730'), person('450203')];
    const valid = residentId('411602', '19880808', 999);
    const wrongCheckDigit = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    const inputs = [
      filing(factory, good[0]!),
      filing(factory, { ...person('411602'), phone: '2380013800' }),
      filing('E11-beijingfactory0', person('411602')),
      filing(factory, good[1]!),
      filing('E41-nosuchfactory00', person('411602')),
      filing(factory, { ...person('411602'), idNumber: wrongCheckDigit }),
      filing(factory, good[2]!),
    ];
    const { items } = expectData(
      await p.gql('employment', FILE_MANY, { inputs, key: 'bulk-1' }),
    ).fileReturnRequests;
    expect(items.map((i: { index: number }) => i.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(items.map((i: { error: { code: string } | null }) => i.error?.code ?? null)).toEqual([
      null,
      'BAD_USER_INPUT',
      'WRONG_PROVINCE',
      null,
      'NOT_FOUND',
      'BAD_USER_INPUT',
      null,
    ]);
    expect(items[1].error.message).toMatch(/^inputs\[1\]\.worker\.phone:/);
    // the same rule as the single mutation, word for word but the field's path
    for (const index of [1, 2, 4, 5]) {
      const alone = expectError(
        await p.gql('employment', FILE, { input: inputs[index] }),
        items[index].error.code,
      );
      expect(items[index].error.message.replace(`inputs[${index}]`, 'input')).toBe(alone.message);
    }
    // the local worker's request is acknowledged at once; the others wait for their home provinces
    expect(
      items
        .filter((i: { record: unknown }) => i.record)
        .map((i: { record: { status: string } }) => i.record.status),
    ).toEqual(['ACKNOWLEDGED', 'FILED', 'FILED']);
    const relayed = await p.service.db.db.select().from(outbox).where(eq(outbox.kind, 'RELAY'));
    expect(relayed.map((e) => e.target).sort()).toEqual(['130000', '450000']);

    const counts = await p.rowCounts();
    const again = expectData(
      await p.gql('employment', FILE_MANY, { inputs, key: 'bulk-1' }),
    ).fileReturnRequests;
    expect(again).toEqual({ items });
    expect(await p.rowCounts()).toEqual(counts);
    expectError(
      await p.gql('employment', FILE_MANY, { inputs: inputs.slice(1), key: 'bulk-1' }),
      'IDEMPOTENCY_CONFLICT',
    );
  });

  it('should take at most 1,000 items and file nothing beyond that; an empty list files nothing', async () => {
    const factory = await enterprise(p, '410105');
    const worker = person('130730'); // a Hebei worker: his home is told through the relay
    const before = await p.fingerprint();
    expectError(
      await p.gql('employment', FILE_MANY, {
        inputs: Array.from({ length: 1_001 }, () => filing(factory, worker)),
      }),
      'BAD_USER_INPUT',
      /at most 1000/,
    );
    expect(expectData(await p.gql('employment', FILE_MANY, { inputs: [] })).fileReturnRequests).toEqual({
      items: [],
    });
    expect(await p.fingerprint()).toBe(before);
    const { items } = expectData(
      await p.gql('employment', FILE_MANY, {
        inputs: Array.from({ length: 1_000 }, () => filing(factory, worker)),
      }),
    ).fileReturnRequests;
    expect(items.filter((i: { record: unknown }) => i.record)).toHaveLength(1_000);
    expect(new Set(items.map((i: { record: { id: string } }) => i.record.id)).size).toBe(1_000);
  });
});

describe('the life of a return request across two provinces, relayed by hand (#13.3)', () => {
  let beijing: TestProvince;
  let henan: TestProvince;
  const positions = { toHenan: 0, toBeijing: 0 };
  /** Carries what each side told the other until both are quiet. */
  const settle = async () => {
    for (;;) {
      const toHenan = await relay(beijing, henan, positions.toHenan);
      const toBeijing = await relay(henan, beijing, positions.toBeijing);
      if (toHenan === positions.toHenan && toBeijing === positions.toBeijing) return;
      Object.assign(positions, { toHenan, toBeijing });
    }
  };
  beforeAll(async () => {
    [beijing, henan] = await Promise.all([startTestProvince('110000'), startTestProvince('410000')]);
  });
  afterAll(async () => {
    await Promise.all([beijing?.close(), henan?.close()]);
  });

  it('should move a Beijing request for a Henan worker FILED → ACKNOWLEDGED → ARRANGED → ON_POST on both sides, the worker AT_WORK in Beijing in his Henan record', async () => {
    const factory = await enterprise(beijing, '110105');
    const input = person('411602');
    const workerId = await register(henan, input);
    const filed = await file(beijing, factory, input);
    expect(filed.status).toBe('FILED');
    expect(await copyOf(henan, filed.id)).toBeUndefined();
    await settle();
    expect(await copyOf(henan, filed.id)).toMatchObject({
      status: 'ACKNOWLEDGED',
      destinationRegion: '110105',
    });
    expect((await requestOf(beijing, filed.id)).status).toBe('ACKNOWLEDGED');
    expect((await workerOf(henan, workerId)).returnRequests).toEqual([{ id: filed.id }]);

    // Henan's own bus to Beijing: its tellHomes tells Henan itself
    await apply(
      henan,
      tripFact('ASSIGNED', { id: 'T41-tobeijing0001', destination: '110000' }, [
        { id: workerId, boarded: false },
      ]),
      '410000',
    );
    await settle();
    expect(await requestOf(beijing, filed.id)).toMatchObject({ status: 'ARRANGED' });
    expect((await storedRequest(beijing, filed.id)).tripId).toBe('T41-tobeijing0001');

    expectData(await beijing.gql('employment', ON_POST, { id: filed.id }));
    await settle();
    expect(await copyOf(henan, filed.id)).toMatchObject({ status: 'ON_POST' });
    expect(await workerOf(henan, workerId)).toMatchObject({
      status: 'AT_WORK',
      workRegion: { code: '110105' },
      employer: { id: factory },
    });
    expect(await updates(beijing, filed.id)).toEqual(['FILED', 'ACKNOWLEDGED', 'ARRANGED', 'ON_POST']);
    // Henan answers with ids and statuses only: no name, resident ID or phone crossed the border
    const crossed = JSON.stringify(
      [
        ...(await henan.service.db.db.select().from(outbox).where(eq(outbox.kind, 'RELAY'))),
        ...(await beijing.service.db.db.select().from(outbox).where(eq(outbox.kind, 'RELAY'))),
      ].map((e) => e.payload),
    );
    for (const personal of [input.name, input.idNumber, input.phone]) expect(crossed).not.toContain(personal);
  });

  it('should carry a decline from Henan and a withdrawal from Beijing; crossing each other, each side keeps its first final status', async () => {
    const factory = await enterprise(beijing, '110108');
    const input = person('411621');
    const workerId = await register(henan, input);
    const declined = await file(beijing, factory, input);
    const crossing = await file(beijing, factory, input);
    await settle();
    expectData(await henan.gql('workers', DECLINE, { w: workerId, r: declined.id, reason: '家中有事' }));
    await settle();
    expect(await requestOf(beijing, declined.id)).toMatchObject({ status: 'DECLINED', reason: '家中有事' });

    // the enterprise withdraws while Henan declines: neither blocks the relay
    expectData(await beijing.gql('employment', WITHDRAW, { id: crossing.id, reason: '岗位已满' }));
    expectData(await henan.gql('workers', DECLINE, { w: workerId, r: crossing.id, reason: '不去了' }));
    await settle();
    expect((await requestOf(beijing, crossing.id)).status).toBe('WITHDRAWN');
    expect((await copyOf(henan, crossing.id))?.status).toBe('DECLINED');
  });
});
