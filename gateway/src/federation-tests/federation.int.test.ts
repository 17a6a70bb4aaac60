import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  emptyData,
  makeEnterprise,
  makeReturnRequest,
  makeTrip,
  makeWorker,
  type ProvinceData,
} from '../testing/fake-data.js';
import { startHub, type Hub } from '../testing/hub-fixture.js';

const GX = '450000',
  BJ = '110000',
  HE = '130000',
  GD = '440000';

describe('cross-province federation', () => {
  let hub: Hub;
  const data: Record<string, ProvinceData> = {
    [GX]: emptyData(),
    [BJ]: emptyData(),
    [HE]: emptyData(),
    [GD]: emptyData(),
  };
  const gxWorker = makeWorker('450203', { name: '韦小宝' });
  const gdWorker = makeWorker('440303', { name: '陈家洛' });
  const trip = makeTrip('130102', '110101', '2020-02-20T08:00:00+08:00', {
    passengers: [
      { workerId: gxWorker.id, boarded: true, temperature: 36.5 },
      { workerId: gdWorker.id, boarded: false, temperature: null },
    ],
  });
  const bjEnterprise = makeEnterprise('110101', { name: '京东方' });
  const heEnterprise = makeEnterprise('130102', { name: '石家庄纺织' });
  const gdEnterprise = makeEnterprise('440303', { name: '富士康' });

  beforeAll(async () => {
    data[GX]!.workers.push(gxWorker);
    data[GD]!.workers.push(gdWorker);
    data[HE]!.trips.push(trip);
    data[BJ]!.enterprises.push(bjEnterprise);
    data[HE]!.enterprises.push(heEnterprise);
    data[GD]!.enterprises.push(gdEnterprise);
    data[BJ]!.returnRequests.push(makeReturnRequest(bjEnterprise, gxWorker, '2020-02-25'));
    data[HE]!.returnRequests.push(makeReturnRequest(heEnterprise, gxWorker, '2020-02-21'));
    data[GD]!.returnRequests.push(makeReturnRequest(gdEnterprise, gdWorker, '2020-02-23'));
    hub = await startHub([GX, BJ, HE, GD], data);
  });
  afterAll(() => hub?.close());

  it("should resolve every passenger of one province's trip from the workers' home provinces", async () => {
    const res = await hub.query(
      `query($id: ID!) { trip(id: $id) { id origin { code name } passengers { boarded worker { id name homeRegion { code name } } } } }`,
      { id: trip.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.trip.origin).toEqual({ code: '130102', name: '长安区' });
    expect(res.data!.trip.passengers.map((p: any) => p.worker.name)).toEqual(['韦小宝', '陈家洛']);
    expect(res.data!.trip.passengers[0].worker.homeRegion.code).toBe('450203');
    expect(hub.province(HE).count('transport', 'query')).toBe(1);
    expect(hub.province(BJ).count('transport')).toBe(0);
    expect(hub.province(GX).count('workers', 'entities')).toBe(1);
    expect(hub.province(GD).count('workers', 'entities')).toBe(1);
    expect(hub.province(BJ).count('workers')).toBe(0);
  });

  it('should gather returnRequests(origin:) from every province in planned-date order', async () => {
    const res = await hub.query(
      `{ returnRequests(origin: "450000") { totalCount pageInfo { hasNextPage endCursor } edges { node { plannedReturnDate enterprise { name } worker { name } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const conn = res.data!.returnRequests;
    expect(conn.totalCount).toBe(2);
    expect(conn.pageInfo.hasNextPage).toBe(false);
    expect(
      conn.edges.map((e: any) => [e.node.plannedReturnDate, e.node.enterprise.name, e.node.worker.name]),
    ).toEqual([
      ['2020-02-21', '石家庄纺织', '韦小宝'],
      ['2020-02-25', '京东方', '韦小宝'],
    ]);
    for (const code of [GX, BJ, HE, GD]) expect(hub.province(code).count('employment', 'query')).toBe(1);
  });

  it("should send returnRequests(destination:) only to the destination's province", async () => {
    const before = [GX, BJ, HE, GD].map((c) => hub.province(c).count('employment', 'query'));
    const res = await hub.query(
      `{ returnRequests(destination: "130100") { totalCount edges { node { enterprise { name } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.returnRequests.edges.map((e: any) => e.node.enterprise.name)).toEqual(['石家庄纺织']);
    const after = [GX, BJ, HE, GD].map((c) => hub.province(c).count('employment', 'query'));
    expect(after.map((n, i) => n - before[i]!)).toEqual([0, 0, 1, 0]);
  });

  it("should find a return request's trip in the province of its departure region", async () => {
    data[GX]!.trips.push(
      makeTrip('450203', '130102', '2020-02-19T08:00:00+08:00', {
        passengers: [{ workerId: gxWorker.id, boarded: true, temperature: 36.6 }],
      }),
    );
    const res = await hub.query(
      `{ returnRequests(destination: "130000") { edges { node { departureRegion { code } trip { origin { code } } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.returnRequests.edges[0].node.trip).toEqual({ origin: { code: '450203' } });
  });

  it('should answer a query of several root fields with different routes, recombined', async () => {
    const res = await hub.query(
      `query($t: ID!) {
      trip(id: $t) { id }
      all: trips(destination: "110000") { totalCount }
      fromHebei: trips(origin: "130000") { totalCount }
      __typename
    }`,
      { t: trip.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      trip: { id: trip.id },
      all: { totalCount: 1 },
      fromHebei: { totalCount: 1 },
      __typename: 'Query',
    });
  });

  it('should report the same input error of every province once', async () => {
    // (a page over 100 is refused by the gateway's own page-size limit before any province is asked)
    for (const { code, ...variables } of [
      { d: '999999', first: 5, code: 'BAD_USER_INPUT' },
      { d: '110000', first: 500, code: 'QUERY_TOO_COMPLEX' },
    ]) {
      const res = await hub.query(
        `query($d: RegionCode!, $first: Int) { trips(destination: $d, first: $first) { totalCount } }`,
        variables,
      );
      expect(res.data ?? null).toBeNull();
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]!.extensions!.code).toBe(code);
    }
  });

  it('should reject a routing value that names no province with BAD_USER_INPUT', async () => {
    const res = await hub.query(`{ worker(id: "not-an-id") { name } }`);
    expect(res.data?.worker ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('worker');
  });
});

describe('entity batches', () => {
  let hub: Hub;
  const data: Record<string, ProvinceData> = { [GX]: emptyData(), [HE]: emptyData(), [GD]: emptyData() };
  const homes = ['450203', '130102', '440303'];
  const workers = Array.from({ length: 100 }, (_, i) =>
    makeWorker(homes[i % 3]!, { name: `passenger ${i}` }),
  );
  const bigTrip = makeTrip('450203', '440303', '2020-02-20T08:00:00+08:00', {
    capacity: 100,
    passengers: workers.map((w) => ({ workerId: w.id, boarded: true, temperature: 36.4 })),
  });

  beforeAll(async () => {
    for (const w of workers) data[`${w.homeRegion.slice(0, 2)}0000`]!.workers.push(w);
    data[GX]!.trips.push(bigTrip);
    hub = await startHub([GX, HE, GD], data);
  });
  afterAll(() => hub?.close());

  it('should send exactly one _entities request per province for a 100-worker batch, answers in order', async () => {
    const res = await hub.query(`query($id: ID!) { trip(id: $id) { passengers { worker { id name } } } }`, {
      id: bigTrip.id,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.trip.passengers.map((p: any) => p.worker.name)).toEqual(workers.map((w) => w.name));
    for (const code of [GX, HE, GD]) {
      const province = hub.province(code);
      expect(province.count('workers', 'entities')).toBe(1);
      expect(province.requests.find((r) => r.kind === 'entities')!.representations).toBe(
        code === GX ? 34 : 33,
      );
    }
  });
});
