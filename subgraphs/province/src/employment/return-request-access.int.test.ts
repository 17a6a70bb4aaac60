/**
 * Who may move a return request along its life (#13.3) and file in bulk (#13.5), in the province
 * that owns the records, with assertions signed by a test gateway key: another enterprise, an
 * officer of another city, the other side, the ministry; the worker's requests at home; the
 * enterprise's update stream on the province's own port (the gateway's link only).
 */
import type { Caller } from '@p2p/schema';
import { eq } from 'drizzle-orm';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { returnRequests, staff } from '../db/schema/index.js';
import type { ProvinceService } from '../index.js';
import {
  expectData,
  expectError,
  type GraphQLAnswer,
  residentId,
  type SignedTestProvince,
  startSignedTestProvince,
  type TestGatewayKeys,
} from '../testing/index.js';

const HENAN: Caller = { subject: 'ha', role: 'province', region: '410000' };
const ZHENGZHOU: Caller = { subject: 'zz', role: 'city', region: '410100' }; // the enterprises' city
const ZHOUKOU: Caller = { subject: 'zk', role: 'city', region: '411600' }; // the workers' home city
const KAIFENG: Caller = { subject: 'kf', role: 'city', region: '410200' }; // another city of Henan
const MINISTRY: Caller = { subject: 'm', role: 'ministry' };
const SYSTEM: Caller = { subject: 'p2p-gateway', role: 'system' };

const FILE = `mutation($input: FileReturnRequestInput!) { fileReturnRequest(input: $input) { id status } }`;
const FILE_MANY = `mutation($inputs: [FileReturnRequestInput!]!) { fileReturnRequests(inputs: $inputs) { items { index record { id } error { code message } } } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawReturnRequest(returnRequestId: $id, reason: "不再需要") { id status } }`;
const DECLINE = `mutation($w: ID!, $r: ID!) { declineReturnRequest(workerId: $w, returnRequestId: $r, reason: "不去") { id } }`;
const STAFF = `mutation($e: ID!, $w: ID!) { reportStaffChange(enterpriseId: $e, workerId: $w, change: ON_POST) { id } }`;
const REQUESTS_AT_HOME = `query($id: ID!) { worker(id: $id) { id returnRequests { id } } }`;

let signed: SignedTestProvince;
let service: ProvinceService;
let keys: TestGatewayKeys;

async function gql(subgraph: string, query: string, variables: Record<string, unknown>, as: Caller) {
  const body = JSON.stringify({ query, variables });
  const res = await fetch(`${service.url}/${subgraph}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(await keys.headers(as, { province: '410000', body })),
    },
    body,
  });
  return { status: res.status, ...((await res.json()) as object) } as GraphQLAnswer;
}

let serial = 0;
const person = () => ({
  name: '刘工人',
  idNumber: residentId('411602', '19900909', ++serial),
  phone: '13900139000',
  homeRegion: '411602',
});
const statusOf = async (id: string) =>
  (await service.db.db.select().from(returnRequests).where(eq(returnRequests.id, id)))[0]!.status;

let factory: string;
let otherFactory: string;
let ENTERPRISE: Caller;
let OTHER_ENTERPRISE: Caller;
let worker: ReturnType<typeof person>;
let workerId: string;
let otherWorkerId: string;

/** Files a request of `factory` for the worker, as the enterprise. */
const fileOne = async () =>
  expectData(
    await gql(
      'employment',
      FILE,
      {
        input: { enterpriseId: factory, worker, plannedReturnDate: '2020-02-25', departureRegion: '411602' },
      },
      ENTERPRISE,
    ),
  ).fileReturnRequest.id as string;

beforeAll(async () => {
  signed = await startSignedTestProvince('410000');
  ({ service, keys } = signed);
  const REGISTER_ENTERPRISE = `mutation($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { id } }`;
  const register = async (name: string) =>
    expectData(
      await gql(
        'employment',
        REGISTER_ENTERPRISE,
        { i: { name, region: '410105', sector: '制造' } },
        ZHENGZHOU,
      ),
    ).registerEnterprise.id as string;
  factory = await register('郑州电子厂');
  otherFactory = await register('郑州纺织厂');
  ENTERPRISE = { subject: 'e1', role: 'enterprise', region: '410105', enterpriseId: factory };
  OTHER_ENTERPRISE = { subject: 'e2', role: 'enterprise', region: '410105', enterpriseId: otherFactory };
  const REGISTER = `mutation($input: RegisterWorkerInput!) { registerWorker(input: $input) { id } }`;
  worker = person();
  workerId = expectData(await gql('workers', REGISTER, { input: worker }, ZHOUKOU)).registerWorker.id;
  otherWorkerId = expectData(await gql('workers', REGISTER, { input: person() }, ZHOUKOU)).registerWorker.id;
});
afterAll(() => signed?.close());

describe('who moves a return request along its life (#13.3)', () => {
  it("should let only the enterprise that filed it, or an officer of the enterprise's region, withdraw it", async () => {
    const id = await fileOne();
    for (const [caller, why] of [
      [OTHER_ENTERPRISE, /filed by another enterprise/],
      [KAIFENG, /outside the region of city 410200/],
      [ZHOUKOU, /outside the region of city 411600/],
      [MINISTRY, /ministry/],
      [SYSTEM, /system caller/],
    ] as const) {
      expectError(await gql('employment', WITHDRAW, { id }, caller), 'FORBIDDEN', why);
    }
    expect(await statusOf(id)).toBe('ACKNOWLEDGED');
    expect(
      expectData(await gql('employment', WITHDRAW, { id }, ENTERPRISE)).withdrawReturnRequest.status,
    ).toBe('WITHDRAWN');
    const byOfficer = await fileOne();
    expectData(await gql('employment', WITHDRAW, { id: byOfficer }, ZHENGZHOU));
    expect(await statusOf(byOfficer)).toBe('WITHDRAWN');
  });

  it("should let only the worker's home side decline, and only his own request", async () => {
    const id = await fileOne();
    for (const [caller, why] of [
      [ENTERPRISE, /enterprise may not/],
      [KAIFENG, /outside the region of city 410200/],
      [ZHENGZHOU, /outside the region of city 410100/],
      [MINISTRY, /ministry/],
    ] as const) {
      expectError(await gql('workers', DECLINE, { w: workerId, r: id }, caller), 'FORBIDDEN', why);
    }
    // his home officer, naming another worker of his: that worker has no such request
    expectError(await gql('workers', DECLINE, { w: otherWorkerId, r: id }, ZHOUKOU), 'NOT_FOUND');
    expect(await statusOf(id)).toBe('ACKNOWLEDGED');
    expectData(await gql('workers', DECLINE, { w: workerId, r: id }, ZHOUKOU));
    expect(await statusOf(id)).toBe('DECLINED');
  });

  it('should let only the enterprise itself, or an officer of its region, report its staff', async () => {
    for (const [caller, why] of [
      [OTHER_ENTERPRISE, /may act only for itself/],
      [KAIFENG, /outside the region of city 410200/],
      [ZHOUKOU, /outside the region of city 411600/],
      [MINISTRY, /ministry/],
    ] as const) {
      expectError(await gql('employment', STAFF, { e: factory, w: otherWorkerId }, caller), 'FORBIDDEN', why);
    }
    expect(await service.db.db.select().from(staff).where(eq(staff.workerId, otherWorkerId))).toEqual([]);
    expectData(await gql('employment', STAFF, { e: factory, w: otherWorkerId }, ENTERPRISE));
  });

  it('should show the requests filed for a worker to his home side only', async () => {
    const id = await fileOne();
    const seen = expectData(await gql('workers', REQUESTS_AT_HOME, { id: workerId }, ZHOUKOU)).worker;
    expect(seen.returnRequests.map((r: { id: string }) => r.id)).toContain(id);
    expect(
      expectData(await gql('workers', REQUESTS_AT_HOME, { id: workerId }, HENAN)).worker.returnRequests
        .length,
    ).toBeGreaterThan(0);
    for (const caller of [KAIFENG, ZHENGZHOU, ENTERPRISE, MINISTRY]) {
      const answer = await gql('workers', REQUESTS_AT_HOME, { id: workerId }, caller);
      expectError(answer, 'FORBIDDEN', /read only by his home side/);
      expect(answer.data?.worker ?? null).toBeNull();
    }
  });
});

describe('fileReturnRequests under the write rule, item by item (#13.5)', () => {
  const item = (enterpriseId: string) => ({
    enterpriseId,
    worker: person(),
    plannedReturnDate: '2020-02-26',
    departureRegion: '411602',
  });

  it('should file an enterprise only for itself, and refuse each item of another enterprise on its own', async () => {
    const { items } = expectData(
      await gql(
        'employment',
        FILE_MANY,
        { inputs: [item(factory), item(otherFactory), item(factory)] },
        ENTERPRISE,
      ),
    ).fileReturnRequests;
    expect(
      items.map((i: { record: unknown; error: { code: string } | null }) => [
        !!i.record,
        i.error?.code ?? null,
      ]),
    ).toEqual([
      [true, null],
      [false, 'FORBIDDEN'],
      [true, null],
    ]);
    expect(items[1].error.message).toMatch(/may act only for itself/);
  });

  it('should refuse every item to an officer of another city, and the whole call to the ministry', async () => {
    const { items } = expectData(
      await gql('employment', FILE_MANY, { inputs: [item(factory), item(otherFactory)] }, KAIFENG),
    ).fileReturnRequests;
    expect(items.map((i: { error: { code: string } }) => i.error.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expectError(
      await gql('employment', FILE_MANY, { inputs: [item(factory)] }, MINISTRY),
      'FORBIDDEN',
      /ministry/,
    );
    const { items: byCity } = expectData(
      await gql('employment', FILE_MANY, { inputs: [item(factory), item(otherFactory)] }, ZHENGZHOU),
    ).fileReturnRequests;
    expect(byCity.every((i: { record: unknown }) => i.record)).toBe(true);
  });
});

describe("returnRequestUpdates on the province's own port (#13.3)", () => {
  /** Subscribes as `caller` from the start and collects what comes within `ms`. */
  const follow = async (caller: Caller, enterpriseId: string, ms = 1_500) => {
    const headers = await keys.headers(caller, { province: '410000', webSocket: true });
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
    const events: { status: string; returnRequest: { id: string } }[] = [];
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      const stop = client.subscribe<{ returnRequestUpdates: (typeof events)[number] }>(
        {
          query: `subscription($e: ID!) { returnRequestUpdates(enterpriseId: $e, after: "0") { cursor status returnRequest { id } } }`,
          variables: { e: enterpriseId },
        },
        {
          next: (message) => {
            if (message.errors) errors.push(...message.errors);
            if (message.data) events.push(message.data.returnRequestUpdates);
          },
          error: (error) => {
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

  it("should give the gateway's link one enterprise's updates only, and refuse every person at the door", async () => {
    const id = await fileOne();
    const linked = await follow(SYSTEM, factory);
    expect(linked.errors).toBe('[]');
    expect(linked.events.filter((e) => e.returnRequest.id === id).map((e) => e.status)).toEqual([
      'FILED',
      'ACKNOWLEDGED',
    ]);
    const other = await follow(SYSTEM, otherFactory);
    expect(other.events.some((e) => e.returnRequest.id === id)).toBe(false);
    for (const caller of [ENTERPRISE, OTHER_ENTERPRISE, ZHENGZHOU, MINISTRY]) {
      const refused = await follow(caller, factory, 800);
      expect(refused.events).toEqual([]);
      expect(refused.errors).toContain('4403');
    }
  });

  it('should refuse a malformed, foreign or unknown enterprise id', async () => {
    expect((await follow(SYSTEM, 'not-an-id', 800)).errors).toMatch(/BAD_USER_INPUT/);
    expect((await follow(SYSTEM, 'E11-beijingfactory0', 800)).errors).toMatch(/WRONG_PROVINCE/);
    expect((await follow(SYSTEM, 'E41-nosuchfactory00', 800)).errors).toMatch(/NOT_FOUND/);
  });
});
