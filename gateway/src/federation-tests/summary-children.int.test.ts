import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childRegionCodes } from '@p2p/schema';
import {
  emptyData,
  makeEnterprise,
  makeTrip,
  makeWorker,
  withTripCopies,
  type ProvinceData,
} from '../testing/fake-data.js';
import { startHub, type Hub } from '../testing/hub-fixture.js';

const GX = '450000',
  HE = '130000',
  GD = '440000',
  HA = '410000',
  SC = '510000';
/** Five provinces, as `npm start` runs (with Henan and Sichuan instead of Beijing, kept outside the hub here). */
const FEDERATED = [HE, HA, GD, GX, SC];
const PARTS = `workers { registered atWork flow { crossProvince } }
  employment { enterprises openings filled fillRate }
  transport { outbound { trips } inbound { trips } internal { trips } byMode { mode trips } }
  health { underObservation boardingRefused { fever } }`;
const ZERO = {
  workers: { registered: 0, atWork: 0, flow: { crossProvince: 0 } },
  employment: { enterprises: 0, openings: 0, filled: 0, fillRate: 0 },
  transport: { outbound: { trips: 0 }, inbound: { trips: 0 }, internal: { trips: 0 }, byMode: [] },
  health: { underObservation: 0, boardingRefused: { fever: 0 } },
};

describe('Summary.children across provinces', () => {
  let hub: Hub;
  const data: Record<string, ProvinceData> = Object.fromEntries(FEDERATED.map((c) => [c, emptyData()]));
  const entities = () =>
    Object.fromEntries(FEDERATED.map((c) => [c, hub.province(c).count(undefined, 'entities')]));

  beforeAll(async () => {
    data[GX]!.workers.push(
      makeWorker('450203'),
      makeWorker('450203', { status: 'AT_WORK', workRegion: '440303' }),
      makeWorker('450102', { status: 'AT_WORK', workRegion: '450102' }),
    );
    data[HE]!.workers.push(makeWorker('130102', { status: 'TRAVELLING' }));
    data[GD]!.workers.push(makeWorker('440303', { status: 'AT_WORK', workRegion: '440303' }));
    data[HA]!.workers.push(
      makeWorker('411302', { status: 'AT_WORK', workRegion: '110105' }),
      makeWorker('411302', { status: 'TRAVELLING' }),
    );
    data[SC]!.workers.push(makeWorker('510104'));
    data[SC]!.enterprises.push(makeEnterprise('510104', { openings: 40, filled: 30 }));
    data[HA]!.trips.push(makeTrip('411302', '110105', '2020-02-21T08:00:00Z', { mode: 'TRAIN' }));
    data[GX]!.enterprises.push(makeEnterprise('450203', { openings: 10, filled: 9 }));
    data[HE]!.enterprises.push(makeEnterprise('130102', { openings: 100, filled: 10 }));
    // Trips reaching Beijing, which is not part of this hub: no province keeps Beijing's copies, so
    // its summary reads zeros in every part (#17.2: a province's figures come from the province).
    data[GX]!.trips.push(makeTrip('450203', '110105', '2020-02-20T08:00:00Z'));
    data[HE]!.trips.push(makeTrip('130102', '440303', '2020-02-22T08:00:00Z', { mode: 'TRAIN' }));
    hub = await startHub(FEDERATED, withTripCopies(data));
  });
  afterAll(() => hub?.close());

  it("should list the 31 provinces, the federated ones equal to their own summary, the others' workers and employment zero", async () => {
    const before = entities();
    const res = await hub.query(`{ summary { children { scope day region { code name } ${PARTS} } } }`);
    expect(res.errors).toBeUndefined();
    const children = res.data!.summary.children as any[];
    expect(children.map((c) => c.scope)).toEqual([...childRegionCodes(null)].sort());
    expect(children).toHaveLength(31);
    // One _entities request per province and logical subgraph for the 31 children, not one per child.
    const delta = Object.fromEntries(
      FEDERATED.map((c) => [c, hub.province(c).count(undefined, 'entities') - before[c]!]),
    );
    expect(delta).toEqual({ [HE]: 4, [HA]: 4, [GD]: 4, [GX]: 4, [SC]: 4 });

    for (const code of FEDERATED) {
      const own = await hub.query(
        `{ summary(scope: "${code}") { scope day region { code name } ${PARTS} } }`,
      );
      expect(own.errors).toBeUndefined();
      expect(children.find((c) => c.scope === code)).toEqual(own.data!.summary);
    }
    expect(children.find((c) => c.scope === GX).workers).toMatchObject({ registered: 3, atWork: 2 });
    const beijing = children.find((c) => c.scope === '110000');
    expect(beijing).toEqual({
      scope: '110000',
      day: 'LATEST',
      region: { code: '110000', name: '北京市' },
      ...ZERO,
    });
    // Guangdong's child counts Hebei's train into Shenzhen from its copy.
    expect(children.find((c) => c.scope === GD).transport.inbound).toEqual({ trips: 1 });
    expect(children.find((c) => c.scope === '650000')).toMatchObject({ scope: '650000', ...ZERO });
  });

  it('should read zeros, not an error, for a province outside the hub asked alone, as among the children', async () => {
    const res = await hub.query(`{ summary(scope: "650000") { scope ${PARTS} } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.summary).toEqual({ scope: '650000', ...ZERO });
    const city = await hub.query(
      `{ summary(scope: "110000") { children { scope workers { registered } } } }`,
    );
    expect(city.errors).toBeUndefined();
    expect(city.data!.summary.children.map((c: any) => c.workers.registered)).toEqual(
      childRegionCodes('110000').map(() => 0),
    );
  });

  it("should give a province's cities, summing to the province, and a city's counties, for a past day too", async () => {
    const before = entities();
    const res = await hub.query(
      `{ summary(scope: "${GX}") { workers { registered } children { scope region { name } workers { registered atWork } employment { openings } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const { workers, children } = res.data!.summary;
    expect(children.map((c: any) => c.scope)).toEqual([...childRegionCodes(GX)].sort());
    expect(children.reduce((n: number, c: any) => n + c.workers.registered, 0)).toBe(workers.registered);
    expect(children.find((c: any) => c.scope === '450200')).toEqual({
      scope: '450200',
      region: { name: '柳州市' },
      workers: { registered: 2, atWork: 1 },
      employment: { openings: 10 },
    });
    expect(children.find((c: any) => c.scope === '450100').workers).toEqual({ registered: 1, atWork: 1 });
    // Workers and employment of Guangxi's cities are Guangxi's alone: one request for the
    // province's own workers, one for its cities' workers and one for their employment.
    const delta = Object.fromEntries(
      FEDERATED.map((c) => [c, hub.province(c).count(undefined, 'entities') - before[c]!]),
    );
    expect(delta).toEqual({ [HE]: 0, [HA]: 0, [GD]: 0, [GX]: 3, [SC]: 0 });

    // A past day: every child carries it (a dailySeries with children exceeds the cost limit at
    // its declared 366 days, so a client asks day by day).
    const past = await hub.query(
      `{ summary(scope: "450200", day: "2020-02-21") { day children { scope day workers { registered } } } }`,
    );
    expect(past.errors).toBeUndefined();
    const { children: counties } = past.data!.summary;
    expect(counties.map((c: any) => c.scope)).toEqual([...childRegionCodes('450200')].sort());
    expect(counties.every((c: any) => c.day === '2020-02-21')).toBe(true);
    expect(counties.find((c: any) => c.scope === '450203').workers.registered).toBe(2);
  });

  it('should name a stopped province in its child only, with paths into that child, while every other child answers', async () => {
    await hub.province(HE).stop();
    try {
      const res = await hub.query(
        `{ summary { children { scope workers { registered } employment { openings } } } }`,
      );
      const children = res.data!.summary.children as any[];
      expect(children).toHaveLength(31);
      const index = children.findIndex((c) => c.scope === HE);
      // Hebei's own parts read as the sum of no answer, flagged by the errors below.
      expect(children[index]).toEqual({ scope: HE, workers: { registered: 0 }, employment: { openings: 0 } });
      expect(children.find((c) => c?.scope === GX)).toEqual({
        scope: GX,
        workers: { registered: 3 },
        employment: { openings: 10 },
      });
      expect(children.find((c) => c?.scope === '110000')).toEqual({
        scope: '110000',
        workers: { registered: 0 },
        employment: { openings: 0 },
      });
      expect(
        res
          .errors!.map((e) => [e.path, e.extensions!.code, e.extensions!.province, e.extensions!.serviceName])
          .sort(),
      ).toEqual([
        [['summary', 'children', index, 'employment'], 'PROVINCE_UNAVAILABLE', HE, 'employment'],
        [['summary', 'children', index, 'workers'], 'PROVINCE_UNAVAILABLE', HE, 'workers'],
      ]);
      // Asked alone, Hebei's summary says the same.
      const alone = await hub.query(`{ summary(scope: "${HE}") { workers { registered } } }`);
      expect(alone.data!.summary).toEqual({ workers: { registered: 0 } });
      expect(alone.errors!.map((e) => [e.path, e.extensions!.code, e.extensions!.province])).toEqual([
        [['summary', 'workers'], 'PROVINCE_UNAVAILABLE', HE],
      ]);
    } finally {
      await hub.province(HE).restart();
    }
  });
});
