import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childRegionCodes } from '@p2p/schema';
import { emptyData, makeTrip, makeWorker, type ProvinceData } from '../testing/fake-data.js';
import { startHub, type Hub, fetchAdmin } from '../testing/hub-fixture.js';

const GX = '450000',
  HE = '130000',
  GD = '440000';
const CODES = [GX, HE, GD];
const TRIPS = `{ trips(destination: "110000", first: 50) { totalCount edges { node { id origin { code } } } } }`;

function seed(): Record<string, ProvinceData> {
  const data: Record<string, ProvinceData> = { [GX]: emptyData(), [HE]: emptyData(), [GD]: emptyData() };
  data[GX]!.trips.push(makeTrip('450203', '110101', '2020-02-20T08:00:00Z'));
  data[HE]!.trips.push(
    makeTrip('130102', '110101', '2020-02-20T09:00:00Z'),
    makeTrip('130102', '110105', '2020-02-21T09:00:00Z'),
  );
  data[GD]!.trips.push(makeTrip('440303', '110101', '2020-02-20T10:00:00Z'));
  return data;
}

describe('a province that is down', () => {
  let hub: Hub;
  const data = seed();
  const gdWorker = makeWorker('440303', { name: '粤籍工人' });
  const gxWorker = makeWorker('450203', { name: '桂籍工人' });
  const trip = makeTrip('130102', '110101', '2020-02-22T08:00:00Z', {
    passengers: [
      { workerId: gxWorker.id, boarded: true, temperature: 36.5 },
      { workerId: gdWorker.id, boarded: true, temperature: 36.5 },
    ],
  });

  beforeAll(async () => {
    data[GD]!.workers.push(gdWorker);
    data[GX]!.workers.push(gxWorker);
    data[HE]!.trips.push(trip);
    hub = await startHub(CODES, data);
  });
  afterAll(() => hub?.close());

  it("should answer with the other provinces' data and a PROVINCE_UNAVAILABLE error naming it", async () => {
    const full = await hub.query(TRIPS);
    expect(full.data!.trips.totalCount).toBe(5);
    await hub.province(GD).stop();
    try {
      const res = await hub.query(TRIPS);
      expect(res.data!.trips.totalCount).toBe(4);
      expect(res.data!.trips.edges.map((e: any) => e.node.origin.code)).not.toContain('440303');
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatchObject({
        path: ['trips'],
        extensions: { code: 'PROVINCE_UNAVAILABLE', province: GD },
      });
      expect(res.errors![0]!.message).toContain(GD);
    } finally {
      await hub.province(GD).restart();
    }
    const again = await hub.query(TRIPS);
    expect(again.errors).toBeUndefined();
    expect(again.data!.trips.totalCount).toBe(5);
  });

  it('should point the error at the missing entity and keep what other provinces resolved', async () => {
    await hub.province(GD).stop();
    try {
      const res = await hub.query(
        `query($id: ID!, $w: ID!) {
        trip(id: $id) { id passengers { boarded worker { id name } } }
        worker(id: $w) { name }
      }`,
        { id: trip.id, w: gxWorker.id },
      );
      const unavailable = res.errors!.filter((e) => e.extensions?.code === 'PROVINCE_UNAVAILABLE');
      expect(unavailable).toHaveLength(1);
      expect(unavailable[0]).toMatchObject({
        path: ['trip', 'passengers', 1, 'worker'],
        extensions: { province: GD },
      });
      // Passenger.worker is nullable in the contract: only the missing worker is null, the trip and
      // the passenger the other province resolved stay.
      expect(res.data!.trip.id).toBe(trip.id);
      expect(res.data!.trip.passengers[1].worker).toBeNull();
      expect(res.data!.trip.passengers[0].worker).toEqual({ id: gxWorker.id, name: '桂籍工人' });
      expect(res.data!.worker).toEqual({ name: '桂籍工人' });
    } finally {
      await hub.province(GD).restart();
    }
  });
});

describe('a province that is not connected', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub(CODES, seed());
  });
  afterAll(() => hub?.close());

  it('should answer null with PROVINCE_UNAVAILABLE for a record it owns, calling nobody', async () => {
    const res = await hub.query(`{ trip(id: "T51-abcdefgh") { id } trips(origin: "510104") { totalCount } }`);
    expect(res.data).toBeNull();
    expect(
      res.errors!.map((e) => [e.path, e.extensions!.code, e.extensions!.province, e.extensions!.reason]),
    ).toEqual([
      [['trip'], 'PROVINCE_UNAVAILABLE', '510000', 'not_connected'],
      [['trips'], 'PROVINCE_UNAVAILABLE', '510000', 'not_connected'],
    ]);
    for (const code of CODES) expect(hub.province(code).count('transport')).toBe(0);
  });
});

describe('a province slower than its timeout', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub(CODES, seed(), { gateway: { provinceTimeoutMs: 300 } });
  });
  afterAll(() => hub?.close());

  it("should answer within about the timeout with the others' data and PROVINCE_UNAVAILABLE", async () => {
    hub.province(HE).delayMs = 2000;
    try {
      const started = Date.now();
      const res = await hub.query(TRIPS);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(res.data!.trips.totalCount).toBe(2);
      expect(res.errors![0]!.extensions).toMatchObject({
        code: 'PROVINCE_UNAVAILABLE',
        province: HE,
        reason: 'timeout',
      });
    } finally {
      hub.province(HE).delayMs = 0;
    }
  });
});

describe('a slow province in each fan-out over the 31 provinces (#17.3)', () => {
  const NATION = [...childRegionCodes(null)].sort();
  const TIMEOUT_MS = 1000;
  const RETRY_AFTER_MS = 200;
  /** The slow province may cost the answer the timeout, never its 2 s. */
  const WITHIN_MS = TIMEOUT_MS + 700;
  let hub: Hub;
  const workerIds: string[] = [];
  const guangdongIds = new Set<string>();

  beforeAll(async () => {
    const data: Record<string, ProvinceData> = {};
    for (const code of NATION) {
      const city = [...childRegionCodes(code)].sort()[0]!;
      const province = emptyData();
      for (let i = 0; i < 4; i++) province.workers.push(makeWorker(city));
      province.trips.push(makeTrip(city, '110101', '2020-02-20T08:00:00Z'));
      data[code] = province;
    }
    // 100 ids spread over every province, round robin.
    for (let i = 0; workerIds.length < 100; i++)
      workerIds.push(data[NATION[i % NATION.length]!]!.workers[Math.floor(i / NATION.length)]!.id);
    for (const w of data[GD]!.workers) guangdongIds.add(w.id);
    hub = await startHub(NATION, data, {
      gateway: { provinceTimeoutMs: TIMEOUT_MS, provinceRetryAfterMs: RETRY_AFTER_MS },
    });
  }, 60_000);
  afterAll(() => hub?.close());

  /**
   * Sends `query` once with every province well (it warms the plans up, and closes Guangdong's
   * breaker if an earlier test opened it), then with Guangdong 2 s slow; returns the second answer
   * and how much longer than the first it took.
   */
  async function withGuangdongSlow(query: string) {
    let started = 0;
    let well: Awaited<ReturnType<Hub['query']>> | undefined;
    // On a busy machine the gateway may have found some of the 31 slow at start: ask until all answer.
    for (let attempt = 0; attempt < 20 && (!well || well.errors); attempt++) {
      await new Promise((r) => setTimeout(r, RETRY_AFTER_MS + 50));
      started = Date.now();
      well = await hub.query(query);
    }
    expect(well!.errors?.[0]).toBeUndefined();
    const wellMs = Date.now() - started;
    hub.province(GD).delayMs = 2000;
    try {
      started = Date.now();
      const res = await hub.query(query);
      return { res, extraMs: Date.now() - started - wellMs };
    } finally {
      hub.province(GD).delayMs = 0;
    }
  }

  const errorKinds = (res: Awaited<ReturnType<Hub['query']>>) =>
    new Set(res.errors!.map((e) => `${e.extensions!.code} ${e.extensions!.province}`));

  it('should page trips(destination:) from the other 30 provinces within the timeout', {
    timeout: 30_000,
  }, async () => {
    const { res, extraMs } = await withGuangdongSlow(
      '{ trips(destination: "110000", first: 50) { totalCount edges { node { origin { code } } } } }',
    );
    expect(extraMs).toBeLessThan(WITHIN_MS);
    expect(res.data!.trips.totalCount).toBe(30);
    expect(res.data!.trips.edges).toHaveLength(30);
    expect(errorKinds(res)).toEqual(new Set([`PROVINCE_UNAVAILABLE ${GD}`]));
    expect(res.errors![0]!.path).toEqual(['trips']);
  });

  it("should sum the nation's summary and its children without Guangdong, its child's parts in error", {
    timeout: 30_000,
  }, async () => {
    const { res, extraMs } = await withGuangdongSlow(
      '{ summary { workers { registered } children { scope workers { registered } } } }',
    );
    expect(extraMs).toBeLessThan(WITHIN_MS);
    expect(res.data!.summary.workers.registered).toBe(30 * 4);
    const children = res.data!.summary.children as { scope: string; workers: { registered: number } }[];
    expect(children).toHaveLength(31);
    for (const child of children) expect(child.workers.registered).toBe(child.scope === GD ? 0 : 4);
    expect(errorKinds(res)).toEqual(new Set([`PROVINCE_UNAVAILABLE ${GD}`]));
    const gdIndex = children.findIndex((c) => c.scope === GD);
    expect(res.errors!.map((e) => e.path)).toContainEqual(['summary', 'children', gdIndex, 'workers']);
  });

  it("should answer a 100-id batch with every other province's workers and null for Guangdong's", {
    timeout: 30_000,
  }, async () => {
    const { res, extraMs } = await withGuangdongSlow(
      `{ ${workerIds.map((id, i) => `w${i}: worker(id: "${id}") { id }`).join(' ')} }`,
    );
    expect(extraMs).toBeLessThan(WITHIN_MS);
    const guangdong = workerIds.flatMap((id, i) => (guangdongIds.has(id) ? [`w${i}`] : []));
    expect(guangdong.length).toBeGreaterThan(0);
    for (const [i, id] of workerIds.entries())
      expect(res.data![`w${i}`]).toEqual(guangdong.includes(`w${i}`) ? null : { id });
    expect(errorKinds(res)).toEqual(new Set([`PROVINCE_UNAVAILABLE ${GD}`]));
    expect(res.errors!.map((e) => e.path![0]).sort()).toEqual([...guangdong].sort());
  });
});

describe('a province that hangs (circuit breaker)', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub(CODES, seed(), { gateway: { provinceTimeoutMs: 1000, provinceRetryAfterMs: 1500 } });
  });
  afterAll(() => hub?.close());

  it('should cost one timeout, then skip it at once until a probe finds it back', async () => {
    const he = hub.province(HE);
    he.delayMs = 5000;
    try {
      const first = await hub.query(TRIPS);
      expect(first.errors![0]!.extensions).toMatchObject({ province: HE, reason: 'timeout' });
      const started = Date.now();
      const second = await hub.query(TRIPS);
      expect(Date.now() - started).toBeLessThan(500);
      expect(second.data!.trips.totalCount).toBe(2);
      expect(second.errors![0]!.extensions).toMatchObject({
        code: 'PROVINCE_UNAVAILABLE',
        province: HE,
        reason: 'down',
      });
      const health = (await (await fetch(hub.gateway.url.replace('/graphql', '/health'))).json()) as any;
      expect(health.provinces.find((p: any) => p.code === HE).state).toBe('down');
    } finally {
      he.delayMs = 0;
    }
    await new Promise((r) => setTimeout(r, 1600));
    const back = await hub.query(TRIPS);
    expect(back.errors).toBeUndefined();
    expect(back.data!.trips.totalCount).toBe(4);
  });
});

describe('a province serving an incompatible schema', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub(CODES, seed(), {
      province: (code) =>
        code === GD
          ? {
              transformSdl: (name, sdl) =>
                name === 'transport' ? sdl.replace('capacity: Int!', 'capacity: String!') : sdl,
            }
          : {},
    });
  });
  afterAll(() => hub?.close());

  it('should not be routed to, and its part should be a PROVINCE_INCOMPATIBLE error', async () => {
    const res = await hub.query(TRIPS);
    expect(res.data!.trips.totalCount).toBe(3);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ['trips'],
      extensions: { code: 'PROVINCE_INCOMPATIBLE', province: GD },
    });
    expect(hub.province(GD).count('transport', 'query')).toBe(0);
  });

  it('should show as incompatible in /health/details, naming what differs', async () => {
    const health = (await (await fetchAdmin(hub.gateway.url, '/health/details')).json()) as any;
    expect(health.status).toBe('degraded');
    const gd = health.provinces.find((p: any) => p.code === GD);
    expect(gd.state).toBe('incompatible');
    expect(gd.problems).toContain('transport: Trip.capacity is String!, the contract says Int!');
    expect(typeof gd.checkedAt).toBe('string');
    expect(typeof gd.latencyMs).toBe('number');
    expect(health.provinces.filter((p: any) => p.state === 'up').map((p: any) => p.code)).toEqual([HE, GX]);
  });
});

describe('periodic province health checks', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub(CODES, seed(), { gateway: { healthCheckIntervalMs: 100, provinceTimeoutMs: 500 } });
  });
  afterAll(() => hub?.close());

  const stateOf = async (code: string) => {
    const health = (await (await fetchAdmin(hub.gateway.url, '/health/details')).json()) as any;
    return health.provinces.find((p: any) => p.code === code);
  };
  const waitFor = async (code: string, state: string) => {
    for (let i = 0; i < 50; i++) {
      const s = await stateOf(code);
      if (s.state === state) return s;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${code} never became ${state}`);
  };

  it('should notice a province going down and coming back', async () => {
    expect((await stateOf(GX)).state).toBe('up');
    await hub.province(GX).stop();
    const down = await waitFor(GX, 'down');
    expect(down.problems).toEqual(expect.arrayContaining(['transport: network']));
    await hub.province(GX).restart();
    const up = await waitFor(GX, 'up');
    expect(up.problems).toEqual([]);
    expect(Date.parse(up.checkedAt)).toBeGreaterThan(Date.parse(down.checkedAt));
  });
});
