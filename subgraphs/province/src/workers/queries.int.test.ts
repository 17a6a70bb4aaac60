import { decodeCursor, encodeCursor, workerIdFor } from '@p2p/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectData, expectError, residentId, useTestProvince } from '../testing/index.js';

const REGISTER_MANY = `mutation($inputs: [RegisterWorkerInput!]!) { registerWorkers(inputs: $inputs) { id } }`;
const EMPLOY = `mutation($id: ID!, $region: RegionCode!) { reportEmployment(workerId: $id, workRegion: $region) { id } }`;
const PAGE = `query($home: RegionCode!, $status: WorkerStatus, $first: Int, $after: String) {
  workers(homeRegion: $home, status: $status, first: $first, after: $after) {
    totalCount edges { cursor node { id homeRegion { code } } } pageInfo { hasNextPage endCursor }
  }
}`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Worker { id name status } } }`;

/** 30 workers in 450203 (Liuzhou), 15 in 450102 (Nanning) and one in township 450203001. */
const homes = [...Array(30).fill('450203'), ...Array(15).fill('450102'), '450203001'];
const inputs = homes.map((homeRegion, i) => ({
  name: `工人${i}`,
  idNumber: residentId(homeRegion.slice(0, 6), '19900101', i + 1),
  phone: '13800138000',
  homeRegion,
}));
const ids = inputs.map((w) => workerIdFor(w.idNumber, '450000'));

const p = useTestProvince('450000');
beforeAll(async () => {
  expectData(await p.gql('workers', REGISTER_MANY, { inputs }));
});

/** Reads every page of a connection. */
async function allPages(variables: Record<string, unknown>, first: number) {
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const { workers } = expectData(await p.gql('workers', PAGE, { ...variables, first, after }));
    seen.push(...workers.edges.map((e: { node: { id: string } }) => e.node.id));
    if (!workers.pageInfo.hasNextPage) return { seen, totalCount: workers.totalCount as number };
    after = workers.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

describe('worker queries', () => {
  it("should read a worker by id, and null for unknown or other provinces' ids", async () => {
    const q = `query($id: ID!) { worker(id: $id) { id name } }`;
    expect(expectData(await p.gql('workers', q, { id: ids[0] })).worker).toEqual({
      id: ids[0],
      name: '工人0',
    });
    expect(expectData(await p.gql('workers', q, { id: 'W45-doesnotexist000000' })).worker).toBeNull();
    expect(expectData(await p.gql('workers', q, { id: 'W44-doesnotexist000000' })).worker).toBeNull();
    expectError(await p.gql('workers', q, { id: 'garbage' }), 'BAD_USER_INPUT');
  });
});

describe('workers connection (keyset pagination)', () => {
  it('should page through every worker of a region exactly once, in id order', async () => {
    const { seen, totalCount } = await allPages({ home: '450000' }, 7);
    expect(totalCount).toBe(46);
    expect(new Set(seen).size).toBe(46);
    expect(seen).toEqual([...ids].sort());
  });

  it('should match a region and everything inside it', async () => {
    const city = await allPages({ home: '450200' }, 100);
    expect(city.seen.sort()).toEqual(ids.filter((_, i) => homes[i]!.startsWith('450203')).sort());
    const county = await allPages({ home: '450102' }, 4);
    expect(county.totalCount).toBe(15);
    const township = await allPages({ home: '450203001' }, 10);
    expect(township.seen).toEqual([ids[45]]);
  });

  it('should give cursors that are keysets {k: id, id} and continue strictly after them', async () => {
    const { workers } = expectData(await p.gql('workers', PAGE, { home: '450000', first: 3 }));
    const last = workers.edges[2];
    expect(decodeCursor(last.cursor)).toEqual({ k: last.node.id, id: last.node.id });
    const next = expectData(
      await p.gql('workers', PAGE, {
        home: '450000',
        first: 3,
        after: encodeCursor({ k: last.node.id, id: last.node.id }),
      }),
    ).workers;
    expect(next.edges[0].node.id > last.node.id).toBe(true);
  });

  it('should filter by status', async () => {
    expectData(await p.gql('workers', EMPLOY, { id: ids[1], region: '440103' }));
    const atWork = await allPages({ home: '450000', status: 'AT_WORK' }, 10);
    expect(atWork.seen).toEqual([ids[1]]);
  });

  it('should refuse a malformed cursor or page size with BAD_USER_INPUT', async () => {
    expectError(
      await p.gql('workers', PAGE, { home: '450000', after: 'not-a-cursor' }),
      'BAD_USER_INPUT',
      /cursor/,
    );
    expectError(await p.gql('workers', PAGE, { home: '450000', first: 101 }), 'BAD_USER_INPUT');
    expectError(await p.gql('workers', PAGE, { home: '450000', first: -1 }), 'BAD_USER_INPUT');
  });

  it('should answer an empty page for a region with no workers', async () => {
    const { workers } = expectData(await p.gql('workers', PAGE, { home: '451000' }));
    expect(workers).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('Worker entities', () => {
  it('should resolve references in order, with null for unknown, foreign and malformed ids', async () => {
    const r = [ids[3], 'W45-doesnotexist000000', ids[0], 'W44-someoneelse0000000', 'bogus', ids[3]].map(
      (id) => ({ __typename: 'Worker', id }),
    );
    const { _entities } = expectData(await p.gql('workers', ENTITIES, { r }));
    expect(_entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual([
      ids[3],
      null,
      ids[0],
      null,
      null,
      ids[3],
    ]);
  });

  it('should resolve a batch of 100 references with exactly ONE SQL statement', async () => {
    const r = Array.from({ length: 100 }, (_, i) => ({
      __typename: 'Worker',
      id: i < ids.length ? ids[i] : `W45-missing${String(i).padStart(12, '0')}`,
    }));
    p.service.db.statements.recording = true;
    p.service.db.statements.reset();
    const { _entities } = expectData(await p.gql('workers', ENTITIES, { r }));
    const { count, recorded } = p.service.db.statements;
    p.service.db.statements.recording = false;
    expect(_entities).toHaveLength(100);
    expect(_entities.filter(Boolean)).toHaveLength(ids.length);
    expect(count).toBe(1);
    expect(recorded[0]).toMatch(/= ANY\(\$1::text\[\]\)/);
  });
});

describe('Summary (workers part)', () => {
  it('should count workers whose home is inside the scope, with the five flow classes', async () => {
    const Q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Summary { scope workers { registered atHome travelling atWork priority flow { withinTownship withinCounty withinCity withinProvince crossProvince } } } } }`;
    const moves: [number, string][] = [
      [2, '450203'],
      [3, '450202'],
      [4, '450102'],
      [5, '440103'],
      [45, '450203001'],
    ];
    for (const [i, region] of moves) expectData(await p.gql('workers', EMPLOY, { id: ids[i], region }));
    const r = [
      { __typename: 'Summary', scope: 'CN', day: 'LATEST' },
      { __typename: 'Summary', scope: '450203', day: 'LATEST' },
      { __typename: 'Summary', scope: '440000', day: '2020-02-20' },
    ];
    const [nation, county, elsewhere] = expectData(await p.gql('workers', Q, { r }))._entities;
    // ids[1] works in 440103 (earlier test): cross-province too.
    expect(nation.workers).toEqual({
      registered: 46,
      atHome: 40,
      travelling: 0,
      atWork: 6,
      priority: 0,
      flow: { withinTownship: 1, withinCounty: 1, withinCity: 1, withinProvince: 1, crossProvince: 2 },
    });
    expect(county.workers.registered).toBe(31);
    expect(elsewhere.workers.registered).toBe(0);
    expectError(
      await p.gql('workers', Q, { r: [{ __typename: 'Summary', scope: 'XX', day: 'LATEST' }] }),
      'BAD_USER_INPUT',
    );
  });
});
