import { encodeId, type Caller } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { rowsOf } from '../db/sql-rows.js';
import {
  expectData,
  expectError,
  residentId,
  type GraphQLAnswer,
  silentLog,
  startSignedTestProvince,
  type SignedTestProvince,
  clearForBoarding,
} from '../testing/index.js';
import { bindAccess } from './request-access.js';
import { WRITE_RULES } from './write-rules.js';

/**
 * The worker role (#13.7) and the bulk reports' per-item rule (#13.5), as the province judges them
 * on its own records, with assertions signed by a test gateway key. Through the real gateway:
 * scripts/src/e2e/worker-role.e2e.test.ts.
 */

const GX = '450000';
const GUANGXI: Caller = { subject: 'gx', role: 'province', region: GX };
const LIUZHOU: Caller = { subject: 'lz', role: 'city', region: '450200' };
const MINISTRY: Caller = { subject: 'm', role: 'ministry' };

const person = (home: string, serial: number, name: string) => ({
  name,
  idNumber: residentId(home, '19900303', serial),
  phone: `1390077${String(1000 + serial)}`,
  homeRegion: home,
});
/** He holds the token; his neighbour lives in the same township; a Guilin worker in another city. */
const HIM = person('450203001', 1, '韦自己');
const NEIGHBOUR = person('450203001', 2, '韦邻居');
const GUILIN = person('450302', 3, '覃桂林');

let signed: SignedTestProvince;
let me: string;
let neighbour: string;
let guilin: string;
let WORKER: Caller;
let myTrip: string;
let otherTrip: string;
let myRequest: string;
let neighbourRequest: string;
let enterprise: string;

/** POSTs to a subgraph of the province as `caller` (signed by the test gateway key), or with raw headers. */
async function gql(
  subgraph: string,
  query: string,
  variables: Record<string, unknown>,
  as: Caller | Record<string, string>,
): Promise<GraphQLAnswer> {
  const body = JSON.stringify({ query, variables });
  const headers = 'role' in as ? await signed.keys.headers(as as Caller, { province: GX, body }) : as;
  const res = await fetch(`${signed.service.url}/${subgraph}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(headers as Record<string, string>) },
    body,
  });
  return { status: res.status, ...((await res.json()) as object) };
}
const must = async (subgraph: string, query: string, variables: Record<string, unknown>, as: Caller) =>
  expectData(await gql(subgraph, query, variables, as));

const OWN_RECORD = `query($id: ID!) { worker(id: $id) {
  id name idNumber phone povertyStatus status workRegion { code }
  health { code testedAt nucleicAcid } travelIntent { destination { code } earliestDate latestDate }
} }`;
const HEALTH = `mutation($w: ID!, $c: HealthCode!, $t: DateTime!) { recordHealthCheck(workerId: $w, input: { code: $c, issuedBy: "450000", checkedAt: $t, validUntil: "2020-02-25T09:00:00+08:00" }) { id health { code checkedAt } } }`;
const INTENT = `mutation($w: ID!, $d: RegionCode!) { reportTravelIntent(workerId: $w, input: { earliestDate: "2020-03-01", latestDate: "2020-03-07", destination: $d, mode: BUS }) { id travelIntent { destination { code } } } }`;
/** `_entities` (the gateway's path to every record) of each subgraph. */
const ENTITIES = {
  workers: `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Worker { id idNumber } } }`,
  transport: `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Trip { id } } }`,
  employment: `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Enterprise { id name } ... on ReturnRequest { id } } }`,
};

/** The stored health source of a worker. */
async function healthSource(id: string): Promise<string | null> {
  const [row] = rowsOf<{ health_source: string | null }>(
    await signed.service.db.db.execute(sql`select health_source from workers where id = ${id}`),
  );
  return row?.health_source ?? null;
}

beforeAll(async () => {
  signed = await startSignedTestProvince(GX);
  [me, neighbour, guilin] = (
    await must(
      'workers',
      'mutation($w: [RegisterWorkerInput!]!) { registerWorkers(inputs: $w) { id } }',
      { w: [HIM, NEIGHBOUR, GUILIN] },
      GUANGXI,
    )
  ).registerWorkers.map((w: { id: string }) => w.id);
  WORKER = { subject: `worker:${me}`, role: 'worker', region: GX, workerId: me };
  const plan = async () =>
    (
      await must(
        'transport',
        'mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }',
        {
          i: {
            mode: 'BUS',
            vehicleCode: '桂B·70001',
            origin: '450203',
            destination: '440300',
            departureAt: '2020-03-02T08:00:00+08:00',
            expectedArrivalAt: '2020-03-03T08:00:00+08:00',
            capacity: 40,
          },
        },
        LIUZHOU,
      )
    ).planTrip.id as string;
  [myTrip, otherTrip] = [await plan(), await plan()];
  const assign = (t: string, w: string[]) =>
    must(
      'transport',
      'mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }',
      { t, w },
      GUANGXI,
    );
  await assign(myTrip!, [me!, neighbour!]);
  await assign(otherTrip!, [guilin!]);
  await clearForBoarding(signed.service, myTrip!);
  await must(
    'transport',
    'mutation($t: ID!, $b: [BoardingInput!]!) { departTrip(tripId: $t, boarded: $b) { id } }',
    {
      t: myTrip,
      b: [
        { workerId: me, temperature: 36.4 },
        { workerId: neighbour, temperature: 36.8 },
      ],
    },
    LIUZHOU,
  );
  // the gate's records were set up for the departure; his neighbour's health record starts empty below
  await signed.service.db.db.execute(
    sql`update workers set health_code = null, health_checked_at = null, health_valid_until = null, health_source = null where id = ${neighbour}`,
  );
  enterprise = (
    await must(
      'employment',
      'mutation($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { id } }',
      { i: { name: '柳工(测试)', region: '450203', sector: '制造' } },
      LIUZHOU,
    )
  ).registerEnterprise.id;
  const file = async (p: typeof HIM) =>
    (
      await must(
        'employment',
        'mutation($i: FileReturnRequestInput!) { fileReturnRequest(input: $i) { id } }',
        {
          i: {
            enterpriseId: enterprise,
            worker: p,
            plannedReturnDate: '2020-03-05',
            departureRegion: '450203',
          },
        },
        LIUZHOU,
      )
    ).fileReturnRequest.id as string;
  [myRequest, neighbourRequest] = [await file(HIM), await file(NEIGHBOUR)];
}, 60_000);
afterAll(() => signed?.close());

describe('the worker role: his own record', () => {
  it('should show him his own record in full: identifiers, name, health, poverty status, whereabouts', async () => {
    await must('workers', HEALTH, { w: me, c: 'GREEN', t: '2020-02-18T09:00:00+08:00' }, GUANGXI);
    await must('workers', INTENT, { w: me, d: '440300' }, WORKER);
    const { worker } = await must('workers', OWN_RECORD, { id: me }, WORKER);
    expect(worker).toMatchObject({
      id: me,
      name: HIM.name,
      idNumber: HIM.idNumber,
      phone: HIM.phone,
      povertyStatus: 'NONE',
      status: 'TRAVELLING',
      health: { code: 'GREEN' },
      travelIntent: { destination: { code: '440300' }, earliestDate: '2020-03-01', latestDate: '2020-03-07' },
    });
    const [self] = (
      await must('workers', ENTITIES.workers, { r: [{ __typename: 'Worker', id: me }] }, WORKER)
    )._entities;
    expect(self).toEqual({ __typename: 'Worker', id: me, idNumber: HIM.idNumber });
  });

  it("should refuse anyone else's record: a neighbour of the same township, another city, another province, by id or by reference", async () => {
    for (const id of [neighbour, guilin, encodeId('Worker', '410000')]) {
      expectError(await gql('workers', OWN_RECORD, { id }, WORKER), 'FORBIDDEN', /reads only his own record/);
      const answer = await gql('workers', ENTITIES.workers, { r: [{ __typename: 'Worker', id }] }, WORKER);
      expectError(answer, 'FORBIDDEN');
      expect(JSON.stringify(answer)).not.toContain(NEIGHBOUR.idNumber.slice(-4));
    }
  });

  it('should refuse him every list, the intent grouping included', async () => {
    for (const [subgraph, query] of [
      ['workers', '{ workers(homeRegion: "450203001") { totalCount } }'],
      ['workers', '{ workers(homeRegion: "450000", intent: { destination: "440300" }) { totalCount } }'],
      ['transport', '{ trips(origin: "450203") { totalCount } }'],
      ['employment', '{ returnRequests(origin: "450203001") { totalCount } }'],
      ['employment', '{ enterprises(region: "450000") { totalCount } }'],
      ['employment', `{ enterprise(id: "${enterprise}") { name } }`],
    ] as const) {
      expectError(await gql(subgraph, query, {}, WORKER), 'FORBIDDEN', /a worker reads only his own record/);
    }
  });
});

describe('the worker role: his trips and return requests', () => {
  const TRIP = `query($id: ID!) { trip(id: $id) { id status passengers { boarded temperature worker { id } } } }`;

  it('should show him a trip he is on, with himself alone among its passengers and his own temperature', async () => {
    const { trip } = await must('transport', TRIP, { id: myTrip }, WORKER);
    expect(trip).toEqual({
      id: myTrip,
      status: 'DEPARTED',
      passengers: [{ boarded: true, temperature: 36.4, worker: { id: me } }],
    });
    // the organiser sees both
    expect((await must('transport', TRIP, { id: myTrip }, LIUZHOU)).trip.passengers).toHaveLength(2);
    const [ref] = (
      await must('transport', ENTITIES.transport, { r: [{ __typename: 'Trip', id: myTrip }] }, WORKER)
    )._entities;
    expect(ref).toEqual({ __typename: 'Trip', id: myTrip });
  });

  it('should refuse him a trip he is not on, by id and by reference', async () => {
    expectError(await gql('transport', TRIP, { id: otherTrip }, WORKER), 'FORBIDDEN', /does not carry him/);
    expectError(
      await gql('transport', ENTITIES.transport, { r: [{ __typename: 'Trip', id: otherTrip }] }, WORKER),
      'FORBIDDEN',
    );
  });

  it("should show him only the runs of a shuttle that carry him, not the other runs' status and headcounts (#15)", async () => {
    const { planTrip } = await must(
      'transport',
      'mutation($i: PlanTripInput!) { planTrip(input: $i) { id runs { id } } }',
      {
        i: {
          mode: 'BUS',
          vehicleCode: '桂B·70002',
          origin: '450203',
          destination: '440300',
          departureAt: '2020-03-04T08:00:00+08:00',
          expectedArrivalAt: '2020-03-04T20:00:00+08:00',
          capacity: 40,
          runs: [
            { departureAt: '2020-03-05T08:00:00+08:00', expectedArrivalAt: '2020-03-05T20:00:00+08:00' },
          ],
        },
      },
      LIUZHOU,
    );
    const [first, second] = (planTrip.runs as { id: string }[]).map((r) => r.id);
    expect(first).toBe(planTrip.id);
    const [rider] = (
      await must(
        'workers',
        'mutation($w: [RegisterWorkerInput!]!) { registerWorkers(inputs: $w) { id } }',
        { w: [person('450203001', 77, '韦班车')] },
        GUANGXI,
      )
    ).registerWorkers.map((w: { id: string }) => w.id);
    const RIDER: Caller = { subject: `worker:${rider}`, role: 'worker', region: GX, workerId: rider };
    await must(
      'transport',
      'mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }',
      { t: second, w: [rider] },
      GUANGXI,
    );
    const RUNS = 'query($id: ID!) { trip(id: $id) { id runs { id status headcount } } }';
    expect((await must('transport', RUNS, { id: second }, RIDER)).trip.runs).toEqual([
      { id: second, status: 'PLANNED', headcount: null },
    ]);
    expect(
      (await must('transport', RUNS, { id: second }, LIUZHOU)).trip.runs.map((r: { id: string }) => r.id),
    ).toEqual([first, second]);
    expectError(await gql('transport', RUNS, { id: first }, RIDER), 'FORBIDDEN', /does not carry him/);
  });

  it('should show him the return requests filed for him, with the worker as filed in full, and the enterprise', async () => {
    const READ = `query($id: ID!) { returnRequest(id: $id) { id status filedWorker { name idNumber phone } enterprise { id } } }`;
    const { returnRequest } = await must('employment', READ, { id: myRequest }, WORKER);
    expect(returnRequest).toMatchObject({
      id: myRequest,
      filedWorker: { name: HIM.name, idNumber: HIM.idNumber, phone: HIM.phone },
      enterprise: { id: enterprise },
    });
    expectError(await gql('employment', READ, { id: neighbourRequest }, WORKER), 'FORBIDDEN');
    const answer = await gql(
      'employment',
      ENTITIES.employment,
      {
        r: [
          { __typename: 'ReturnRequest', id: neighbourRequest },
          { __typename: 'Enterprise', id: enterprise },
        ],
      },
      WORKER,
    );
    expectError(answer, 'FORBIDDEN');
    expect((answer.data as any)._entities[1]).toEqual({
      __typename: 'Enterprise',
      id: enterprise,
      name: '柳工(测试)',
    });
    // the transport side's stub of a request names its worker: only his own
    expectError(
      await gql(
        'transport',
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on ReturnRequest { trip { id } } } }',
        {
          r: [
            {
              __typename: 'ReturnRequest',
              id: neighbourRequest,
              departureRegion: { code: '450203' },
              worker: { id: neighbour },
            },
          ],
        },
        WORKER,
      ),
      'FORBIDDEN',
    );
  });

  it('should let him read the statistics every person reads', async () => {
    const answer = await must(
      'workers',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Summary { workers { registered } } } }',
      { r: [{ __typename: 'Summary', scope: '450000', day: 'LATEST' }] },
      WORKER,
    );
    expect(answer._entities[0].workers.registered).toBeGreaterThanOrEqual(0);
  });
});

describe('the worker role: what he reports', () => {
  it('should take his own travel intent, and refuse one for anyone else, writing nothing', async () => {
    expect((await must('workers', INTENT, { w: me, d: '440305' }, WORKER)).reportTravelIntent).toEqual({
      id: me,
      travelIntent: { destination: { code: '440305' } },
    });
    expectError(await gql('workers', INTENT, { w: neighbour, d: '440305' }, WORKER), 'FORBIDDEN');
    const { worker } = await must(
      'workers',
      'query($id: ID!) { worker(id: $id) { travelIntent { destination { code } } } }',
      { id: neighbour },
      LIUZHOU,
    );
    expect(worker.travelIntent).toBeNull();
  });

  it('should store his health report as SELF-declared, which never replaces an officer record; an officer record replaces his', async () => {
    expectError(
      await gql('workers', HEALTH, { w: neighbour, c: 'GREEN', t: '2020-02-19T09:00:00+08:00' }, WORKER),
      'FORBIDDEN',
    );
    expect(await healthSource(neighbour)).toBeNull();
    // an officer's record (GREEN, 18 Feb) stands: his newer self-report is accepted but changes nothing
    const later = await must(
      'workers',
      HEALTH,
      { w: me, c: 'YELLOW', t: '2020-02-20T09:00:00+08:00' },
      WORKER,
    );
    expect(later.recordHealthCheck.health.code).toBe('GREEN');
    expect(await healthSource(me)).toBe('OFFICER');
    // with no officer record, his own is kept, as SELF
    const WORKER_NEIGHBOUR: Caller = { subject: 'n', role: 'worker', region: GX, workerId: neighbour };
    await must(
      'workers',
      HEALTH,
      { w: neighbour, c: 'GREEN', t: '2020-02-20T09:00:00+08:00' },
      WORKER_NEIGHBOUR,
    );
    expect(await healthSource(neighbour)).toBe('SELF');
    // an officer's record replaces it, even an older test
    const officer = await must(
      'workers',
      HEALTH,
      { w: neighbour, c: 'RED', t: '2020-02-19T09:00:00+08:00' },
      LIUZHOU,
    );
    expect(officer.recordHealthCheck.health.code).toBe('RED');
    expect(await healthSource(neighbour)).toBe('OFFICER');
  });

  it('should refuse him every other change, the bulk forms included', async () => {
    for (const [subgraph, query, variables] of [
      [
        'workers',
        'mutation($w: ID!) { reportEmployment(workerId: $w, workRegion: "440300") { id } }',
        { w: me },
      ],
      [
        'workers',
        'mutation($i: [HealthCheckItemInput!]!) { recordHealthChecks(items: $i) { items { index } } }',
        {
          i: [
            {
              workerId: me,
              input: {
                code: 'GREEN',
                issuedBy: '450000',
                checkedAt: '2020-02-21T09:00:00+08:00',
                validUntil: '2020-02-28T09:00:00+08:00',
              },
            },
          ],
        },
      ],
      [
        'workers',
        'mutation($i: [TravelIntentItemInput!]!) { reportTravelIntents(items: $i) { items { index } } }',
        {
          i: [
            {
              workerId: me,
              input: { earliestDate: '2020-03-01', latestDate: '2020-03-02', destination: '440300' },
            },
          ],
        },
      ],
      ['workers', 'mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }', { i: HIM }],
      ['transport', 'mutation($t: ID!) { cancelTrip(tripId: $t, reason: "不去了") { id } }', { t: myTrip }],
      ['employment', 'mutation($r: ID!) { confirmOnPost(returnRequestId: $r) { id } }', { r: myRequest }],
    ] as const) {
      expectError(await gql(subgraph, query, variables, WORKER), 'FORBIDDEN', /a worker may/);
    }
  });

  it('should let him decline only for himself (the rule of declineReturnRequest)', async () => {
    const ctx = createContext({
      province: GX,
      db: signed.service.db.db,
      workerIdKey: 'unused',
      log: silentLog,
    });
    bindAccess(ctx, { kind: 'caller', caller: WORKER });
    const rule = WRITE_RULES.declineReturnRequest!;
    await expect(rule(ctx, WORKER, { workerId: me, returnRequestId: myRequest })).resolves.toBeUndefined();
    await expect(
      rule(ctx, WORKER, { workerId: neighbour, returnRequestId: neighbourRequest }),
    ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(
      rule(ctx, LIUZHOU, { workerId: neighbour, returnRequestId: neighbourRequest }),
    ).resolves.toBeUndefined();
    await expect(rule(ctx, MINISTRY, { workerId: me, returnRequestId: myRequest })).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
  });
});

describe('bulk reports: each item by the rule of its single mutation (#13.5)', () => {
  it("should refuse alone an item outside the officer's region, the others going on", async () => {
    const { items } = (
      await must(
        'workers',
        `mutation($i: [TravelIntentItemInput!]!) { reportTravelIntents(items: $i) { items { index record { id travelIntent { destination { code } } } error { code message } } } }`,
        {
          i: [me, guilin, neighbour].map((workerId) => ({
            workerId,
            input: { earliestDate: '2020-03-10', latestDate: '2020-03-12', destination: '110105' },
          })),
        },
        LIUZHOU,
      )
    ).reportTravelIntents;
    expect(items.map((i: any) => i.error?.code ?? i.record.travelIntent.destination.code)).toEqual([
      '110105',
      'FORBIDDEN',
      '110105',
    ]);
    const alone = await gql('workers', INTENT, { w: guilin, d: '110105' }, LIUZHOU);
    expect(items[1].error.message).toBe(alone.errors?.[0]?.message);
    const { worker } = await must(
      'workers',
      'query($id: ID!) { worker(id: $id) { travelIntent { destination { code } } } }',
      { id: guilin },
      GUANGXI,
    );
    expect(worker.travelIntent).toBeNull();
  });

  it('should refuse the ministry as a whole', async () => {
    expectError(
      await gql(
        'workers',
        'mutation($i: [HealthCheckItemInput!]!) { recordHealthChecks(items: $i) { items { index } } }',
        {
          i: [
            {
              workerId: me,
              input: {
                code: 'GREEN',
                issuedBy: '450000',
                checkedAt: '2020-02-21T09:00:00+08:00',
                validUntil: '2020-02-28T09:00:00+08:00',
              },
            },
          ],
        },
        MINISTRY,
      ),
      'FORBIDDEN',
      /the ministry/,
    );
  });
});

describe('the worker role: finding his own trips and requests (review of #13)', () => {
  it('should list him the return requests filed for him (Worker.returnRequests), none of anyone else', async () => {
    const { worker } = await must(
      'workers',
      'query($id: ID!) { worker(id: $id) { id returnRequests { id } } }',
      { id: me },
      WORKER,
    );
    expect(worker).toEqual({ id: me, returnRequests: [{ id: myRequest }] });
    expectError(
      await gql(
        'workers',
        'query($id: ID!) { worker(id: $id) { returnRequests { id } } }',
        { id: neighbour },
        WORKER,
      ),
      'FORBIDDEN',
    );
  });

  it('should list him only trips whose manifest still names him: each one he may read by reference', async () => {
    const person = {
      name: '韦后来',
      idNumber: residentId('450203001', '19900303', 9),
      phone: '13900779009',
      homeRegion: '450203001',
    };
    const later = (
      await must(
        'workers',
        'mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }',
        { i: person },
        LIUZHOU,
      )
    ).registerWorker.id as string;
    const trip = (
      await must(
        'transport',
        'mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }',
        {
          i: {
            mode: 'BUS',
            vehicleCode: '桂B·70009',
            origin: '450203',
            destination: '440300',
            departureAt: '2020-03-04T08:00:00+08:00',
            expectedArrivalAt: '2020-03-05T08:00:00+08:00',
            capacity: 10,
          },
        },
        LIUZHOU,
      )
    ).planTrip.id as string;
    for (const change of ['assignPassengers', 'removePassengers'])
      await must(
        'transport',
        `mutation($t: ID!, $w: [ID!]!) { ${change}(tripId: $t, workerIds: $w) { id } }`,
        { t: trip, w: [later] },
        LIUZHOU,
      );
    const HIMSELF: Caller = { subject: 'later', role: 'worker', region: GX, workerId: later };
    const { worker } = await must(
      'workers',
      'query($id: ID!) { worker(id: $id) { trips { id } } }',
      { id: later },
      HIMSELF,
    );
    // what the gateway does next: read each listed trip where it lives, as him
    for (const { id } of worker.trips as { id: string }[])
      await must('transport', ENTITIES.transport, { r: [{ __typename: 'Trip', id }] }, HIMSELF);
    expect(worker.trips).toEqual([]);
    // his home officer still sees the trip he was taken off
    const seen = await must(
      'workers',
      'query($id: ID!) { worker(id: $id) { trips { id } } }',
      { id: later },
      LIUZHOU,
    );
    expect(seen.worker.trips).toEqual([{ id: trip }]);
  });
});
