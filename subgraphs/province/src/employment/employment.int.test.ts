import { decodeCursor, workerIdFor } from '@p2p/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../db/schema/index.js';
import { expectData, expectError, residentId, useTestProvince } from '../testing/index.js';

const REGISTER = `mutation($input: RegisterEnterpriseInput!, $key: String) {
  registerEnterprise(input: $input, idempotencyKey: $key) { id name region { code } sector key openings filled }
}`;
const DEMAND = `mutation($id: ID!, $openings: Int!, $filled: Int) { reportLaborDemand(enterpriseId: $id, openings: $openings, filled: $filled) { id openings filled } }`;
const FILE = `mutation($input: FileReturnRequestInput!, $key: String) {
  fileReturnRequest(input: $input, idempotencyKey: $key) {
    id status plannedReturnDate filedAt departureRegion { code } worker { id }
    filedWorker { name idNumber phone homeRegion { code } } enterprise { id name }
  }
}`;
const ON_POST = `mutation($id: ID!) { confirmOnPost(returnRequestId: $id) { id status enterprise { filled } } }`;
const REQUESTS = `query($origin: RegionCode, $destination: RegionCode, $first: Int, $after: String) {
  returnRequests(origin: $origin, destination: $destination, first: $first, after: $after) {
    totalCount edges { cursor node { id plannedReturnDate } } pageInfo { hasNextPage endCursor }
  }
}`;

let factory: string;
let serial = 0;
const requested = (over: Record<string, unknown> = {}) => ({
  name: '黄工人',
  idNumber: residentId('450203', '19920315', ++serial),
  phone: '13700137000',
  homeRegion: '450203',
  ...over,
});
const filing = (over: Record<string, unknown> = {}) => ({
  enterpriseId: factory,
  worker: requested(),
  plannedReturnDate: '2020-02-20',
  departureRegion: '450203',
  ...over,
});
const outboxRows = () => p.service.db.db.select().from(outbox).orderBy(outbox.seq);

const p = useTestProvince('440000');
beforeAll(async () => {
  factory = expectData(
    await p.gql('employment', REGISTER, {
      input: { name: '广州电子厂', region: '440103', sector: '制造业', key: true },
    }),
  ).registerEnterprise.id;
});

describe('enterprises and labour demand', () => {
  it('should register an enterprise of this province and report its demand', async () => {
    const e = expectData(
      await p.gql('employment', REGISTER, {
        input: { name: '韶关服装厂', region: '440203001', sector: '纺织' },
      }),
    ).registerEnterprise;
    expect(e).toMatchObject({
      name: '韶关服装厂',
      region: { code: '440203001' },
      sector: '纺织',
      key: false,
      openings: 0,
      filled: 0,
    });
    expect(e.id).toMatch(/^E44-/);
    expect(
      expectData(await p.gql('employment', DEMAND, { id: e.id, openings: 120 })).reportLaborDemand,
    ).toEqual({ id: e.id, openings: 120, filled: 0 });
    expect(
      expectData(await p.gql('employment', DEMAND, { id: e.id, openings: 100, filled: 40 }))
        .reportLaborDemand,
    ).toEqual({ id: e.id, openings: 100, filled: 40 });
  });

  const cases: [string, string, () => Record<string, unknown>, string][] = [
    [
      'an enterprise in another province',
      REGISTER,
      () => ({ input: { name: '厂', region: '450203', sector: '制造业' } }),
      'WRONG_PROVINCE',
    ],
    [
      'an unknown region',
      REGISTER,
      () => ({ input: { name: '厂', region: '449999', sector: '制造业' } }),
      'BAD_USER_INPUT',
    ],
    [
      'an empty name',
      REGISTER,
      () => ({ input: { name: ' ', region: '440103', sector: '制造业' } }),
      'BAD_USER_INPUT',
    ],
    [
      'a name over 64 characters',
      REGISTER,
      () => ({ input: { name: '厂'.repeat(65), region: '440103', sector: '制造业' } }),
      'BAD_USER_INPUT',
    ],
    ['negative openings', DEMAND, () => ({ id: factory, openings: -1 }), 'BAD_USER_INPUT'],
    [
      'more filled than openings',
      DEMAND,
      () => ({ id: factory, openings: 10, filled: 11 }),
      'BAD_USER_INPUT',
    ],
    [
      'demand of an unknown enterprise',
      DEMAND,
      () => ({ id: 'E44-doesnotexist000000', openings: 1 }),
      'NOT_FOUND',
    ],
    [
      "demand of another province's enterprise",
      DEMAND,
      () => ({ id: 'E45-doesnotexist000000', openings: 1 }),
      'WRONG_PROVINCE',
    ],
  ];
  it.each(cases)('should refuse %s and write nothing', async (_label, query, variables, code) => {
    const before = await p.fingerprint();
    expectError(await p.gql('employment', query, variables()), code);
    expect(await p.fingerprint()).toBe(before);
  });
});

describe('return requests', () => {
  it("should file a return request with the worker as filed and his home province's id, writing RETURN_REQUEST_FILED in the same transaction", async () => {
    const input = filing({ plannedReturnDate: '2020-02-18' });
    const seqBefore = (await outboxRows()).length;
    const r = expectData(await p.gql('employment', FILE, { input })).fileReturnRequest;
    expect(r).toMatchObject({
      status: 'FILED',
      plannedReturnDate: '2020-02-18',
      departureRegion: { code: '450203' },
      worker: { id: workerIdFor(input.worker.idNumber as string, '450000') },
      filedWorker: { name: '黄工人', phone: '13700137000', homeRegion: { code: '450203' } },
      enterprise: { id: factory, name: '广州电子厂' },
    });
    const events = (await outboxRows()).slice(seqBefore);
    expect(events.map((e) => e.kind)).toEqual(['RETURN_REQUEST_FILED', 'RETURN_REQUEST_UPDATED', 'RELAY']);
    expect(events[0]).toMatchObject({
      kind: 'RETURN_REQUEST_FILED',
      origin: '450203',
      destination: '440103',
      returnRequestId: r.id,
      tripId: null,
    });
    // #13.3: the enterprise's stream, and the fact for his home province (Guangxi)
    expect(events[1]).toMatchObject({
      enterpriseId: factory,
      payload: { returnRequestId: r.id, status: 'FILED' },
    });
    expect(events[2]).toMatchObject({
      target: '450000',
      payload: { fact: 'RETURN_REQUEST', status: 'FILED', request: { id: r.id, enterpriseId: factory } },
    });
    for (const e of events) {
      for (const personal of [input.worker.idNumber as string, '黄工人', '13700137000'])
        expect(JSON.stringify(e.payload)).not.toContain(personal);
    }
  });

  const cases: [string, () => Record<string, unknown>, string][] = [
    ['an unknown enterprise', () => filing({ enterpriseId: 'E44-doesnotexist000000' }), 'NOT_FOUND'],
    [
      'an enterprise of another province',
      () => filing({ enterpriseId: 'E45-doesnotexist000000' }),
      'WRONG_PROVINCE',
    ],
    [
      'a worker with a wrong check digit',
      () => filing({ worker: requested({ idNumber: '450203199203150010' }) }),
      'BAD_USER_INPUT',
    ],
    [
      'a worker with a bad phone',
      () => filing({ worker: requested({ phone: '23700137000' }) }),
      'BAD_USER_INPUT',
    ],
    [
      'a worker with a name over 64 characters',
      () => filing({ worker: requested({ name: '黄'.repeat(65) }) }),
      'BAD_USER_INPUT',
    ],
    [
      'a worker with an unknown home region',
      () => filing({ worker: requested({ homeRegion: '000000' }) }),
      'BAD_USER_INPUT',
    ],
    ['a date that does not exist', () => filing({ plannedReturnDate: '2020-02-30' }), 'BAD_USER_INPUT'],
    ['a malformed departure region', () => filing({ departureRegion: '4502031' }), 'BAD_USER_INPUT'],
  ];
  it.each(cases)('should refuse %s and write nothing (no outbox row either)', async (_label, input, code) => {
    const before = await p.fingerprint();
    expectError(await p.gql('employment', FILE, { input: input() }), code);
    expect(await p.fingerprint()).toBe(before);
  });

  it('should confirm on post once: ON_POST and one more filled opening; again is a CONFLICT', async () => {
    const { id } = expectData(await p.gql('employment', FILE, { input: filing() })).fileReturnRequest;
    const filled = expectData(
      await p.gql('employment', `query($id: ID!) { enterprise(id: $id) { filled } }`, { id: factory }),
    ).enterprise.filled;
    expect(expectData(await p.gql('employment', ON_POST, { id })).confirmOnPost).toEqual({
      id,
      status: 'ON_POST',
      enterprise: { filled: filled + 1 },
    });
    const before = await p.fingerprint();
    expectError(await p.gql('employment', ON_POST, { id }), 'CONFLICT', /already/);
    expectError(await p.gql('employment', ON_POST, { id: 'R44-doesnotexist000000' }), 'NOT_FOUND');
    expect(await p.fingerprint()).toBe(before);
  });

  it('should replay a filing with the same idempotency key: one request, one event', async () => {
    const input = filing();
    const first = expectData(await p.gql('employment', FILE, { input, key: 'file-1' })).fileReturnRequest;
    const before = await p.rowCounts();
    const again = expectData(await p.gql('employment', FILE, { input, key: 'file-1' })).fileReturnRequest;
    expect(again.id).toBe(first.id);
    expect(await p.rowCounts()).toEqual(before);
  });

  it('should page return requests by planned date then id, each exactly once', async () => {
    const dates = [
      '2020-03-01',
      '2020-02-25',
      '2020-03-01',
      '2020-02-21',
      '2020-03-01',
      '2020-02-25',
      '2020-02-28',
    ];
    for (const plannedReturnDate of dates) {
      expectData(
        await p.gql('employment', FILE, {
          input: filing({ plannedReturnDate, worker: requested({ homeRegion: '450102' }) }),
        }),
      );
    }
    const seen: { id: string; plannedReturnDate: string }[] = [];
    let after: string | null = null;
    let totalCount = 0;
    do {
      const page: any = expectData(
        await p.gql('employment', REQUESTS, { origin: '450100', first: 3, after }),
      ).returnRequests;
      for (const e of page.edges)
        expect(decodeCursor(e.cursor)).toEqual({ k: e.node.plannedReturnDate, id: e.node.id });
      seen.push(...page.edges.map((e: any) => e.node));
      totalCount = page.totalCount;
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(totalCount).toBe(dates.length);
    expect(new Set(seen.map((r) => r.id)).size).toBe(dates.length);
    const sorted = [...seen].sort((a, b) =>
      a.plannedReturnDate === b.plannedReturnDate
        ? a.id < b.id
          ? -1
          : 1
        : a.plannedReturnDate < b.plannedReturnDate
          ? -1
          : 1,
    );
    expect(seen).toEqual(sorted);
    const byDestination = expectData(
      await p.gql('employment', REQUESTS, { destination: '440100', first: 100 }),
    ).returnRequests;
    expect(byDestination.totalCount).toBeGreaterThan(dates.length);
  });

  it('should refuse a returnRequests query without origin or destination, and a foreign cursor', async () => {
    expectError(await p.gql('employment', REQUESTS, {}), 'BAD_USER_INPUT', /origin/);
    const tripCursor = Buffer.from(JSON.stringify(['not-a-day', 'R44-x'])).toString('base64url');
    expectError(
      await p.gql('employment', REQUESTS, { destination: '440000', after: tripCursor }),
      'BAD_USER_INPUT',
      /cursor/,
    );
  });
});

describe('employment entities and summary', () => {
  it('should resolve Enterprise and ReturnRequest references in order with nulls', async () => {
    const Q = `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Enterprise { id name } ... on ReturnRequest { id enterprise { id } } } }`;
    const { id: requestId } = expectData(
      await p.gql('employment', FILE, { input: filing() }),
    ).fileReturnRequest;
    const r = [
      { __typename: 'ReturnRequest', id: requestId },
      { __typename: 'Enterprise', id: 'E44-doesnotexist000000' },
      { __typename: 'Enterprise', id: factory },
      { __typename: 'ReturnRequest', id: 'R45-someoneelse0000000' },
    ];
    const { _entities } = expectData(await p.gql('employment', Q, { r }));
    expect(_entities).toEqual([
      { __typename: 'ReturnRequest', id: requestId, enterprise: { id: factory } },
      null,
      { __typename: 'Enterprise', id: factory, name: '广州电子厂' },
      null,
    ]);
  });

  it('should sum enterprises inside the scope with the fill rate recomputed from the parts', async () => {
    const Q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Summary { scope employment { enterprises keyEnterprises openings filled fillRate } } } }`;
    expectData(await p.gql('employment', DEMAND, { id: factory, openings: 50, filled: 10 }));
    const r = ['CN', '440100', '450000'].map((scope) => ({ __typename: 'Summary', scope, day: 'LATEST' }));
    const [nation, city, elsewhere] = expectData(await p.gql('employment', Q, { r }))._entities;
    expect(nation.employment).toEqual({
      enterprises: 2,
      keyEnterprises: 1,
      openings: 150,
      filled: 50,
      fillRate: 50 / 150,
    });
    expect(city.employment).toEqual({
      enterprises: 1,
      keyEnterprises: 1,
      openings: 50,
      filled: 10,
      fillRate: 0.2,
    });
    expect(elsewhere.employment).toEqual({
      enterprises: 0,
      keyEnterprises: 0,
      openings: 0,
      filled: 0,
      fillRate: 0,
    });
  });
});
