import { maskIdentifier, type Caller } from '@p2p/schema';
import { count } from 'drizzle-orm';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { workers } from '../db/schema/index.js';
import { startProvince, type ProvinceService } from '../index.js';
import { intentMatches } from './passenger-consent.js';
import {
  expectData,
  expectError,
  residentId,
  type GraphQLAnswer,
  startSignedTestProvince,
  testGatewayKeys,
  type SignedTestProvince,
  type TestGatewayKeys,
  clearForBoarding,
} from '../testing/index.js';

/**
 * The province's own access checks, called directly with assertions signed by a test gateway key
 * (the table of every role × operation through the real gateway is scripts/src/e2e/authorization.e2e.test.ts).
 */

const GUANGXI: Caller = { subject: 'gx', role: 'province', region: '450000' };
const LIUZHOU: Caller = { subject: 'lz', role: 'city', region: '450200' };
const GUILIN: Caller = { subject: 'gl', role: 'city', region: '450300' };
const BEIJING_DISTRICT: Caller = { subject: 'cy', role: 'city', region: '110105' };
const MINISTRY: Caller = { subject: 'm', role: 'ministry' };
const SYSTEM: Caller = { subject: 'p2p-gateway', role: 'system' };

const REGISTER = `mutation($input: RegisterWorkerInput!) { registerWorker(input: $input) { id idNumber phone } }`;
const WORKER = `query($id: ID!) { worker(id: $id) { id idNumber phone } }`;

let keys: TestGatewayKeys;
let signed: SignedTestProvince;
let service: ProvinceService;

/** POSTs to a subgraph of the province, as `caller` (signed by the test gateway key) or with raw headers. */
async function gql(
  subgraph: string,
  query: string,
  variables: Record<string, unknown>,
  as: Caller | Record<string, string> | null,
): Promise<GraphQLAnswer> {
  const body = JSON.stringify({ query, variables });
  const headers =
    as === null
      ? {}
      : 'role' in as
        ? await keys.headers(as as Caller, { province: '450000', body })
        : (as as Record<string, string>);
  const res = await fetch(`${service.url}/${subgraph}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, ...((await res.json()) as object) };
}

beforeAll(async () => {
  signed = await startSignedTestProvince('450000');
  ({ service, keys } = signed);
});
afterAll(() => signed?.close());

describe('the gateway signature', () => {
  it('should refuse every GraphQL request without an assertion, _service and _entities included; /health stays open', async () => {
    for (const query of [
      '{ _service { sdl } }',
      '{ _entities(representations: [{ __typename: "Worker", id: "W45-abcdefgh" }]) { __typename } }',
      '{ workers(homeRegion: "450000") { totalCount } }',
    ]) {
      const answer = await gql('workers', query, {}, null);
      expect(answer.status).toBe(401);
      expectError(answer, 'UNAUTHENTICATED', /only requests from the national gateway/);
    }
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
  });

  it("should refuse an assertion signed by another key, and a person's token in its place", async () => {
    const forger = await testGatewayKeys();
    const body = JSON.stringify({ query: '{ _service { sdl } }', variables: {} });
    const forged = await gql(
      'workers',
      '{ _service { sdl } }',
      {},
      await forger.headers(GUANGXI, { province: '450000', body }),
    );
    expect(forged.status).toBe(401);
    expectError(forged, 'UNAUTHENTICATED', /not signed by the gateway/);
    expectError(
      await gql('workers', '{ _service { sdl } }', {}, { 'x-p2p-caller': 'Bearer abc' }),
      'UNAUTHENTICATED',
      /not valid/,
    );
  });

  it("should let the gateway's system caller read _service and nothing else", async () => {
    expect(expectData(await gql('transport', '{ _service { sdl } }', {}, SYSTEM))._service.sdl).toContain(
      'type Trip',
    );
    expectError(
      await gql('transport', '{ trips(origin: "450000") { totalCount } }', {}, SYSTEM),
      'FORBIDDEN',
      /system caller/,
    );
    expectError(
      await gql(
        'workers',
        '{ _entities(representations: [{ __typename: "Worker", id: "W45-abcdefgh" }]) { __typename } }',
        {},
        SYSTEM,
      ),
      'FORBIDDEN',
    );
  });

  it('should refuse to start without a key unless told so', async () => {
    const previous = process.env.ALLOW_UNSIGNED;
    delete process.env.ALLOW_UNSIGNED;
    try {
      await expect(
        startProvince({ province: '450000', port: 0, logLevel: 'silent', gatewayPublicKey: '' }),
      ).rejects.toThrow(/GATEWAY_PUBLIC_KEY is not set/);
      await expect(
        startProvince({ province: '450000', port: 0, logLevel: 'silent', gatewayPublicKey: 'not a key' }),
      ).rejects.toThrow(/must hold one ES256 SPKI PEM public key/);
    } finally {
      if (previous !== undefined) process.env.ALLOW_UNSIGNED = previous;
    }
  });
});

describe('rules in the province that owns the data', () => {
  const input = {
    name: '韦工人',
    idNumber: residentId('450203', '19880808', 7),
    phone: '13800138007',
    homeRegion: '450203',
  };
  let workerId: string;

  it("should let the home province and the city of the worker's home register him, nobody else", async () => {
    const countWorkers = async () => (await service.db.db.select({ n: count() }).from(workers))[0]!.n;
    const before = await countWorkers();
    for (const [caller, why] of [
      [GUILIN, /outside the region of city 450300/],
      [MINISTRY, /ministry/],
      [BEIJING_DISTRICT, /outside/],
    ] as const) {
      expectError(await gql('workers', REGISTER, { input }, caller), 'FORBIDDEN', why);
    }
    expect(await countWorkers()).toBe(before);
    const byCity = expectData(await gql('workers', REGISTER, { input }, LIUZHOU)).registerWorker;
    expect(byCity.idNumber).toBe(input.idNumber);
    workerId = expectData(await gql('workers', REGISTER, { input }, GUANGXI)).registerWorker.id;
    expect(workerId).toBe(byCity.id);
  });

  it('should mask the resident ID and phone for the ministry and other regions', async () => {
    expect(expectData(await gql('workers', WORKER, { id: workerId }, GUANGXI)).worker).toMatchObject({
      idNumber: input.idNumber,
      phone: input.phone,
    });
    for (const caller of [MINISTRY, GUILIN, BEIJING_DISTRICT]) {
      expect(expectData(await gql('workers', WORKER, { id: workerId }, caller)).worker).toMatchObject({
        idNumber: maskIdentifier(input.idNumber),
        phone: '1380***8007',
      });
    }
  });

  it('should show them to the receiving place of a trip he is on, until it is handed over', async () => {
    const plan = {
      mode: 'BUS',
      vehicleCode: '桂B·12345',
      origin: '450203',
      destination: '110105',
      departureAt: '2020-02-20T08:00:00+08:00',
      expectedArrivalAt: '2020-02-21T20:00:00+08:00',
      capacity: 40,
    };
    expectError(
      await gql(
        'transport',
        `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`,
        { input: plan },
        BEIJING_DISTRICT,
      ),
      'FORBIDDEN',
      /origin 450203 is outside/,
    );
    const tripId = expectData(
      await gql(
        'transport',
        `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`,
        { input: plan },
        LIUZHOU,
      ),
    ).planTrip.id;
    expectData(
      await gql(
        'transport',
        `mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }`,
        { t: tripId, w: [workerId] },
        GUANGXI,
      ),
    );
    expect(expectData(await gql('workers', WORKER, { id: workerId }, BEIJING_DISTRICT)).worker.idNumber).toBe(
      input.idNumber,
    );
    expect(expectData(await gql('workers', WORKER, { id: workerId }, GUILIN)).worker.idNumber).toBe(
      maskIdentifier(input.idNumber),
    );
    await clearForBoarding(service, tripId);
    expectData(
      await gql(
        'transport',
        `mutation($t: ID!, $b: [BoardingInput!]!) { departTrip(tripId: $t, boarded: $b) { id } }`,
        { t: tripId, b: [{ workerId, temperature: 36.5 }] },
        GUANGXI,
      ),
    );
    const arrival = { arrivedAt: '2020-02-21T19:00:00+08:00', headcount: 1, handedOverTo: '朝阳区接收点' };
    const CONFIRM = `mutation($t: ID!, $i: ConfirmArrivalInput!) { confirmArrival(tripId: $t, input: $i) { status } }`;
    expectError(
      await gql('transport', CONFIRM, { t: tripId, i: arrival }, GUANGXI),
      'FORBIDDEN',
      /destination \(the receiving place\) 110105 is outside/,
    );
    expect(
      expectData(await gql('transport', CONFIRM, { t: tripId, i: arrival }, BEIJING_DISTRICT)).confirmArrival
        .status,
    ).toBe('HANDED_OVER');
    expect(expectData(await gql('workers', WORKER, { id: workerId }, BEIJING_DISTRICT)).worker.idNumber).toBe(
      maskIdentifier(input.idNumber),
    );
  });

  it('should let only the home side and the ministry list workers', async () => {
    const LIST = `query($r: RegionCode!) { workers(homeRegion: $r) { totalCount } }`;
    expect(expectData(await gql('workers', LIST, { r: '450200' }, LIUZHOU)).workers.totalCount).toBe(1);
    expect(expectData(await gql('workers', LIST, { r: '450000' }, MINISTRY)).workers.totalCount).toBe(1);
    expectError(
      await gql('workers', LIST, { r: '450000' }, LIUZHOU),
      'FORBIDDEN',
      /homeRegion 450000 is outside the region of city 450200/,
    );
    expectError(await gql('workers', LIST, { r: '450000' }, BEIJING_DISTRICT), 'FORBIDDEN');
  });
});

describe('issue #11: the rules of the province that owns the data', () => {
  const ENTERPRISE_REGION = '450203';
  let enterpriseId: string;
  let otherEnterpriseId: string;
  let ENTERPRISE: Caller;
  let OTHER_ENTERPRISE: Caller;
  const guilinInput = {
    name: '覃桂林',
    idNumber: residentId('450302', '19850505', 31),
    phone: '13900773031',
    homeRegion: '450302',
  };
  const liuzhouInput = {
    name: '韦柳州',
    idNumber: residentId('450203', '19870707', 32),
    phone: '13900772032',
    homeRegion: '450203',
  };
  let guilinWorker: string;
  let liuzhouWorker: string;
  const PLAN = `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`;
  const ASSIGN = `mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id passengers { worker { id } } } }`;
  const TRIP_TEMPERATURES = `query($id: ID!) { trip(id: $id) { passengers { temperature worker { id } } } }`;
  const liuzhouTrip = () => ({
    mode: 'BUS',
    vehicleCode: '桂B·11111',
    origin: '450203',
    destination: '450203',
    departureAt: '2020-02-20T08:00:00+08:00',
    expectedArrivalAt: '2020-02-20T12:00:00+08:00',
    capacity: 10,
  });
  const passengerCount = async (tripId: string) =>
    expectData(
      await gql(
        'transport',
        'query($id: ID!) { trip(id: $id) { passengers { boarded } } }',
        { id: tripId },
        GUANGXI,
      ),
    ).trip.passengers.length as number;

  beforeAll(async () => {
    guilinWorker = expectData(await gql('workers', REGISTER, { input: guilinInput }, GUILIN)).registerWorker
      .id;
    liuzhouWorker = expectData(await gql('workers', REGISTER, { input: liuzhouInput }, LIUZHOU))
      .registerWorker.id;
    const REGISTER_ENTERPRISE = `mutation($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { id } }`;
    enterpriseId = expectData(
      await gql(
        'employment',
        REGISTER_ENTERPRISE,
        { i: { name: '柳工(测试)', region: ENTERPRISE_REGION, sector: '制造' } },
        LIUZHOU,
      ),
    ).registerEnterprise.id;
    otherEnterpriseId = expectData(
      await gql(
        'employment',
        REGISTER_ENTERPRISE,
        { i: { name: '柳钢(测试)', region: ENTERPRISE_REGION, sector: '钢铁' } },
        LIUZHOU,
      ),
    ).registerEnterprise.id;
    ENTERPRISE = { subject: 'e-own', role: 'enterprise', region: ENTERPRISE_REGION, enterpriseId };
    OTHER_ENTERPRISE = {
      subject: 'e-other',
      role: 'enterprise',
      region: ENTERPRISE_REGION,
      enterpriseId: otherEnterpriseId,
    };
  });

  it('should refuse a Liuzhou officer assigning a Guilin worker (#11.1)', async () => {
    const tripId = expectData(await gql('transport', PLAN, { input: liuzhouTrip() }, LIUZHOU)).planTrip.id;
    expectError(
      await gql('transport', ASSIGN, { t: tripId, w: [guilinWorker] }, LIUZHOU),
      'FORBIDDEN',
      /home outside the region of city 450200 and no travel intent/,
    );
    expect(await passengerCount(tripId)).toBe(0);
    // the trip opened nothing: Liuzhou still sees the Guilin worker masked
    const seen = expectData(await gql('workers', WORKER, { id: guilinWorker }, LIUZHOU)).worker;
    expect(seen.idNumber).toBe(maskIdentifier(guilinInput.idNumber));
    // Guilin covers his home but not the trip's origin; the ministry and enterprises change nothing
    for (const caller of [GUILIN, MINISTRY, ENTERPRISE, BEIJING_DISTRICT])
      expectError(await gql('transport', ASSIGN, { t: tripId, w: [guilinWorker] }, caller), 'FORBIDDEN');
    // his own city's worker: yes; the province (which covers his home): yes
    expectData(await gql('transport', ASSIGN, { t: tripId, w: [liuzhouWorker] }, LIUZHOU));
    expectData(await gql('transport', ASSIGN, { t: tripId, w: [guilinWorker] }, GUANGXI));
    expect(await passengerCount(tripId)).toBe(2);
  });

  it('should take a travel intent as consent only for a trip from his own side, on its days, to its destination (#11.1 consent)', async () => {
    const other = {
      ...guilinInput,
      name: '覃意向',
      idNumber: residentId('450302', '19860606', 33),
      phone: '13900773033',
    };
    const id = expectData(await gql('workers', REGISTER, { input: other }, GUILIN)).registerWorker.id;
    const tripId = expectData(await gql('transport', PLAN, { input: liuzhouTrip() }, LIUZHOU)).planTrip.id;
    const INTENT = `mutation($w: ID!, $d: RegionCode!) { reportTravelIntent(workerId: $w, input: { earliestDate: "2020-02-18", latestDate: "2020-02-25", destination: $d, mode: BUS }) { id } }`;
    // an intent recorded elsewhere (Guangzhou) is no consent to a trip to Liuzhou
    expectData(await gql('workers', INTENT, { w: id, d: '440100' }, GUILIN));
    expectError(await gql('transport', ASSIGN, { t: tripId, w: [id] }, LIUZHOU), 'FORBIDDEN');
    // the worker cannot record his own consent through Liuzhou: only his home side records it
    expectError(await gql('workers', INTENT, { w: id, d: '450203' }, LIUZHOU), 'FORBIDDEN');
    // his intent to Liuzhou, but for other days than the trip's: no consent either
    const LATER = `mutation($w: ID!) { reportTravelIntent(workerId: $w, input: { earliestDate: "2020-02-21", latestDate: "2020-02-28", destination: "450200" }) { id } }`;
    expectData(await gql('workers', LATER, { w: id }, GUILIN));
    expectError(
      await gql('transport', ASSIGN, { t: tripId, w: [id] }, LIUZHOU),
      'FORBIDDEN',
      /on 2020-02-20/,
    );
    expectData(await gql('workers', INTENT, { w: id, d: '450200' }, GUILIN));
    // his intent to Liuzhou on the day, but the bus leaves from Liuzhou, not from his side: an
    // intent names where he goes, not who may fetch him (review: any city could take him)
    expectError(await gql('transport', ASSIGN, { t: tripId, w: [id] }, LIUZHOU), 'FORBIDDEN');
    expect(await passengerCount(tripId)).toBe(0);
    expect(expectData(await gql('workers', WORKER, { id }, LIUZHOU)).worker.idNumber).toBe(
      maskIdentifier(other.idNumber),
    );
    // the rule itself: a trip from his own side (Guilin) to Liuzhou on the day matches his intent
    const worker = {
      id,
      homeRegion: '450302',
      intentDestination: '450200',
      intentEarliestDate: '2020-02-18',
      intentLatestDate: '2020-02-25',
    };
    const at = new Date('2020-02-20T08:00:00+08:00');
    expect(intentMatches(worker, { origin: '450300', destination: '450203', departureAt: at })).toBe(true);
    expect(intentMatches(worker, { origin: '450302', destination: '450200', departureAt: at })).toBe(true);
    expect(intentMatches(worker, { origin: '450203', destination: '450203', departureAt: at })).toBe(false);
    expect(intentMatches(worker, { origin: '450300', destination: '440300', departureAt: at })).toBe(false);
  });

  it('should refuse another enterprise, another region and the system caller a single return request, on the root field and through _entities (#11.2)', async () => {
    const FILE = `mutation($i: FileReturnRequestInput!) { fileReturnRequest(input: $i) { id } }`;
    const requestId = expectData(
      await gql(
        'employment',
        FILE,
        {
          i: {
            enterpriseId,
            worker: liuzhouInput,
            plannedReturnDate: '2020-02-22',
            departureRegion: '450203',
          },
        },
        ENTERPRISE,
      ),
    ).fileReturnRequest.id;
    const ONE = `query($id: ID!) { returnRequest(id: $id) { id filedWorker { name idNumber } } }`;
    const ENTITY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ReturnRequest { id filedWorker { name idNumber } } } }`;
    const r = [{ __typename: 'ReturnRequest', id: requestId }];
    for (const caller of [ENTERPRISE, LIUZHOU, GUANGXI]) {
      expect(
        expectData(await gql('employment', ONE, { id: requestId }, caller)).returnRequest.filedWorker,
      ).toEqual({
        name: liuzhouInput.name,
        idNumber: liuzhouInput.idNumber,
      });
      expect(expectData(await gql('employment', ENTITY, { r }, caller))._entities[0].id).toBe(requestId);
    }
    expect(
      expectData(await gql('employment', ONE, { id: requestId }, MINISTRY)).returnRequest.filedWorker,
    ).toEqual({
      name: liuzhouInput.name,
      idNumber: maskIdentifier(liuzhouInput.idNumber),
    });
    for (const caller of [OTHER_ENTERPRISE, GUILIN, BEIJING_DISTRICT]) {
      const one = await gql('employment', ONE, { id: requestId }, caller);
      expectError(one, 'FORBIDDEN', /read only by the enterprise that filed it/);
      expect(one.data?.returnRequest ?? null).toBeNull();
      const entity = await gql('employment', ENTITY, { r }, caller);
      expectError(entity, 'FORBIDDEN');
      expect(JSON.stringify(entity.data ?? null)).not.toContain(liuzhouInput.name);
    }
    expectError(await gql('employment', ONE, { id: requestId }, SYSTEM), 'FORBIDDEN');
  });

  it("should let no person follow returnRequestsFiled on the province's own port, only the gateway's link (#11.2)", async () => {
    /** Subscribes as `caller` from the start of the outbox and collects what comes within `ms`. */
    const follow = async (caller: Caller, origin: string, ms = 1_500) => {
      const headers = await keys.headers(caller, { province: '450000', webSocket: true });
      class SignedWebSocket extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers });
        }
      }
      const client = createClient({
        url: `${service.url.replace(/^http/, 'ws')}/employment/graphql`,
        webSocketImpl: SignedWebSocket,
        retryAttempts: 0,
      });
      const events: { returnRequest: { id: string } }[] = [];
      const errors: unknown[] = [];
      await new Promise<void>((resolve) => {
        const stop = client.subscribe<{ returnRequestsFiled: { returnRequest: { id: string } } }>(
          {
            query: `subscription($o: RegionCode!) { returnRequestsFiled(origin: $o, after: "0") { cursor returnRequest { id } } }`,
            variables: { o: origin },
          },
          {
            next: (message) => {
              if (message.errors) errors.push(...message.errors);
              if (message.data) events.push(message.data.returnRequestsFiled);
            },
            error: (error) => {
              // a refused connection ends with its close event: keep its code (4403)
              errors.push((error as { code?: number }).code ?? error);
              resolve();
            },
            complete: () => resolve(),
          },
        );
        setTimeout(() => {
          stop();
          resolve();
        }, ms);
      });
      await client.dispose();
      return { events, errors: JSON.stringify(errors) };
    };
    // The gateway's own link (the system caller) gets the ids of every filed request; the gateway
    // applies each client's returnRequests rule before delivering (execution.ts). A person's
    // assertion, whatever its region, is refused at connection_init: the list rule cannot be
    // side-stepped through the province's port.
    const linked = await follow(SYSTEM, '450000');
    expect(linked.errors).toBe('[]');
    expect(linked.events.length).toBeGreaterThanOrEqual(1);
    for (const caller of [ENTERPRISE, MINISTRY, LIUZHOU, OTHER_ENTERPRISE, GUILIN, BEIJING_DISTRICT]) {
      const refused = await follow(caller, '450000');
      expect(refused.events).toEqual([]);
      expect(refused.errors).toContain('4403');
    }
  });

  it('should refuse a Liuzhou re-registration of a Guilin resident: CONFLICT, his phone kept, nothing revealed (#11.3)', async () => {
    const hijack = { ...guilinInput, name: '冒名', phone: '13700000000', homeRegion: '450203' };
    for (const [field, variables] of [
      ['registerWorker', { input: hijack }],
      ['registerWorkers', { inputs: [hijack] }],
    ] as const) {
      const query =
        field === 'registerWorker'
          ? `mutation($input: RegisterWorkerInput!) { registerWorker(input: $input) { id name status phone } }`
          : `mutation($inputs: [RegisterWorkerInput!]!) { registerWorkers(inputs: $inputs) { id name status phone } }`;
      const answer = await gql('workers', query, variables, LIUZHOU);
      expectError(answer, 'CONFLICT', /already registered with another home region/);
      expect(JSON.stringify(answer)).not.toMatch(/覃桂林|450302|秀峰/);
    }
    // the same from the province (which covers both cities) is a CONFLICT too: a home is not moved
    expectError(await gql('workers', REGISTER, { input: hijack }, GUANGXI), 'CONFLICT');
    const stored = expectData(await gql('workers', WORKER, { id: guilinWorker }, GUILIN)).worker;
    expect(stored.phone).toBe(guilinInput.phone);
    // his own city may refresh his phone
    expect(
      expectData(await gql('workers', REGISTER, { input: { ...guilinInput, phone: '13900773099' } }, GUILIN))
        .registerWorker.phone,
    ).toBe('13900773099');
  });

  it('should show health, poverty status, name and temperature only to those the table names (#11.4)', async () => {
    const HEALTH = `mutation($w: ID!) { recordHealthCheck(workerId: $w, input: { code: GREEN, issuedBy: "450000", checkedAt: "2020-02-19T09:00:00+08:00", validUntil: "2020-02-26T09:00:00+08:00", nucleicAcid: NEGATIVE, testedAt: "2020-02-19T09:00:00+08:00" }) { id } }`;
    const SENSITIVE = `query($id: ID!) { worker(id: $id) { name status health { code nucleicAcid } workRegion { code } travelIntent { earliestDate } } }`;
    const POVERTY = `query($id: ID!) { worker(id: $id) { povertyStatus } }`;
    expectData(await gql('workers', HEALTH, { w: liuzhouWorker }, LIUZHOU));
    const sees = async (caller: Caller) =>
      expectData(await gql('workers', SENSITIVE, { id: liuzhouWorker }, caller)).worker;
    // the home side, and the enterprise that filed a return request for him (#11.2's request)
    for (const caller of [LIUZHOU, GUANGXI, ENTERPRISE]) {
      expect(await sees(caller)).toMatchObject({
        name: liuzhouInput.name,
        health: { code: 'GREEN', nucleicAcid: 'NEGATIVE' },
      });
      expect(
        expectData(await gql('workers', POVERTY, { id: liuzhouWorker }, caller)).worker.povertyStatus,
      ).toBe('NONE');
    }
    // the ministry: name and whereabouts, health and poverty only in aggregate
    expect(await sees(MINISTRY)).toMatchObject({ name: liuzhouInput.name, health: null });
    // another enterprise, another city: status only, name masked
    for (const caller of [OTHER_ENTERPRISE, GUILIN, BEIJING_DISTRICT]) {
      expect(await sees(caller)).toEqual({
        name: '韦**',
        status: 'AT_HOME',
        health: null,
        workRegion: null,
        travelIntent: null,
      });
    }
    for (const caller of [MINISTRY, OTHER_ENTERPRISE, GUILIN])
      expect(
        expectData(await gql('workers', POVERTY, { id: liuzhouWorker }, caller)).worker.povertyStatus,
      ).toBeNull();
    // the same through _entities, the gateway's path
    const ENTITY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Worker { name health { code } } } }`;
    expect(
      expectData(
        await gql('workers', ENTITY, { r: [{ __typename: 'Worker', id: liuzhouWorker }] }, OTHER_ENTERPRISE),
      )._entities[0],
    ).toEqual({ name: '韦**', health: null });
    // an employer sees him once it employs him
    expectData(
      await gql(
        'workers',
        `mutation($w: ID!, $e: ID) { reportEmployment(workerId: $w, workRegion: "450203", enterpriseId: $e) { id } }`,
        { w: liuzhouWorker, e: otherEnterpriseId },
        LIUZHOU,
      ),
    );
    expect((await sees(OTHER_ENTERPRISE)).health).toEqual({ code: 'GREEN', nucleicAcid: 'NEGATIVE' });
    // a passenger's temperature: the organiser and the receiving place, not the ministry nor an enterprise
    const tripId = expectData(
      await gql('transport', PLAN, { input: { ...liuzhouTrip(), destination: '110105' } }, LIUZHOU),
    ).planTrip.id;
    const passengerId = expectData(
      await gql(
        'workers',
        REGISTER,
        { input: { ...liuzhouInput, idNumber: residentId('450203', '19900909', 34), phone: '13900772034' } },
        LIUZHOU,
      ),
    ).registerWorker.id;
    expectData(await gql('transport', ASSIGN, { t: tripId, w: [passengerId] }, LIUZHOU));
    await clearForBoarding(service, tripId);
    expectData(
      await gql(
        'transport',
        `mutation($t: ID!, $b: [BoardingInput!]!) { departTrip(tripId: $t, boarded: $b) { id } }`,
        { t: tripId, b: [{ workerId: passengerId, temperature: 36.6 }] },
        LIUZHOU,
      ),
    );
    const temperatureFor = async (caller: Caller) =>
      expectData(await gql('transport', TRIP_TEMPERATURES, { id: tripId }, caller)).trip.passengers[0]
        .temperature;
    expect(await temperatureFor(LIUZHOU)).toBe(36.6);
    expect(await temperatureFor(BEIJING_DISTRICT)).toBe(36.6);
    for (const caller of [MINISTRY, GUILIN, OTHER_ENTERPRISE])
      expect(await temperatureFor(caller)).toBeNull();
  });

  it('should not open a worker to an enterprise that files for him with his resident ID number alone (#11.4, review)', async () => {
    const FILE = `mutation($i: FileReturnRequestInput!) { fileReturnRequest(input: $i) { id worker { id } } }`;
    const guess = { ...guilinInput, name: '某某', phone: '13800000000' };
    const answer = expectData(
      await gql(
        'employment',
        FILE,
        {
          i: {
            enterpriseId: otherEnterpriseId,
            worker: guess,
            plannedReturnDate: '2020-02-23',
            departureRegion: '450302',
          },
        },
        OTHER_ENTERPRISE,
      ),
    ).fileReturnRequest;
    expect(answer.worker.id).toBe(guilinWorker);
    const later = expectData(
      await gql(
        'workers',
        `query($id: ID!) { worker(id: $id) { name phone povertyStatus health { code } } }`,
        { id: guilinWorker },
        OTHER_ENTERPRISE,
      ),
    ).worker;
    expect(later).toMatchObject({ povertyStatus: null, health: null });
    const real = expectData(
      await gql(
        'workers',
        `query($id: ID!) { worker(id: $id) { name phone } }`,
        { id: guilinWorker },
        GUILIN,
      ),
    ).worker;
    expect(later.phone).not.toBe(real.phone);
    expect(later.name).not.toBe(real.name);
  });

  it("should keep one caller's idempotency key from touching another caller's call (#11.5)", async () => {
    const ENTERPRISE_MUTATION = `mutation($k: String, $i: RegisterEnterpriseInput!) { registerEnterprise(input: $i, idempotencyKey: $k) { id name } }`;
    const input = (name: string) => ({ i: { name, region: '450203', sector: '物流' }, k: 'shared-key-1' });
    const mine = expectData(
      await gql('employment', ENTERPRISE_MUTATION, input('甲公司'), LIUZHOU),
    ).registerEnterprise;
    // another caller, the same key text: its own first call, neither a replay nor a conflict
    const theirs = expectData(
      await gql('employment', ENTERPRISE_MUTATION, input('乙公司'), GUANGXI),
    ).registerEnterprise;
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.name).toBe('乙公司');
    // the first caller's replay still returns its own record
    expect(
      expectData(await gql('employment', ENTERPRISE_MUTATION, input('甲公司'), LIUZHOU)).registerEnterprise
        .id,
    ).toBe(mine.id);
    // a key claimed in advance by one caller (a predictable key) blocks nobody else
    const TRIP = `mutation($k: String, $input: PlanTripInput!) { planTrip(input: $input, idempotencyKey: $k) { id } }`;
    expectData(await gql('transport', TRIP, { k: 'import:abc123', input: liuzhouTrip() }, LIUZHOU));
    expectData(
      await gql(
        'workers',
        `mutation($k: String, $input: RegisterWorkerInput!) { registerWorker(input: $input, idempotencyKey: $k) { id } }`,
        { k: 'import:abc123', input: guilinInput },
        GUILIN,
      ),
    );
    // a caller's own key reused for another operation: a conflict naming only its own call
    const reused = await gql('transport', TRIP, { k: 'shared-key-1', input: liuzhouTrip() }, GUANGXI);
    expectError(reused, 'IDEMPOTENCY_CONFLICT', /already used by you for registerEnterprise/);
  });
});
