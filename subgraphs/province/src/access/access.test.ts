import { maskIdentifier, type Caller } from '@p2p/schema';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workers } from '../db/schema/index.js';
import { startProvince, type ProvinceService } from '../index.js';
import { expectData, expectError, residentId, type GraphQLAnswer } from '../test-support.js';
import {
  createProvinceDatabase,
  testGatewayKeys,
  type TestDatabase,
  type TestGatewayKeys,
} from '../testing.js';

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
let database: TestDatabase;
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
  keys = await testGatewayKeys();
  database = await createProvinceDatabase();
  service = await startProvince({
    province: '450000',
    port: 0,
    databaseUrl: database.databaseUrl,
    logLevel: process.env.ACCESS_LOG ?? 'silent',
    gatewayPublicKey: keys.publicKeyPem,
  });
});
afterAll(async () => {
  await service?.close();
  await database?.drop();
});

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
      ).rejects.toThrow(/not an ES256 SPKI PEM/);
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
