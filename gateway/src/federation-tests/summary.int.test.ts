import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyData, makeEnterprise, makeTrip, makeWorker, type ProvinceData } from '../testing/fake-data.js';
import { startHub, type Hub } from '../testing/hub-fixture.js';

const GX = '450000',
  HE = '130000',
  GD = '440000';

describe('national Summary across provinces', () => {
  let hub: Hub;
  const data: Record<string, ProvinceData> = { [GX]: emptyData(), [HE]: emptyData(), [GD]: emptyData() };

  beforeAll(async () => {
    data[GX]!.workers.push(
      makeWorker('450203'),
      makeWorker('450203', { status: 'AT_WORK', workRegion: '440303', povertyStatus: 'REGISTERED_POOR' }),
    );
    data[HE]!.workers.push(makeWorker('130102', { status: 'TRAVELLING' }));
    data[GD]!.workers.push(makeWorker('440303', { status: 'AT_WORK', workRegion: '440303' }));
    data[GX]!.enterprises.push(makeEnterprise('450203', { openings: 10, filled: 9, key: true }));
    data[HE]!.enterprises.push(makeEnterprise('130102', { openings: 100, filled: 10 }));
    data[GD]!.enterprises.push(makeEnterprise('440303', { openings: 0, filled: 0, key: true }));
    data[GX]!.trips.push(
      makeTrip('450203', '440303', '2020-02-20T08:00:00Z', {
        passengers: [{ workerId: 'W45-aaaaaaaa', boarded: true, temperature: 36.5 }],
      }),
    );
    data[GX]!.trips.push(makeTrip('450203', '130102', '2020-02-21T08:00:00Z', { mode: 'TRAIN' }));
    data[HE]!.trips.push(makeTrip('130102', '440303', '2020-02-22T08:00:00Z'));
    hub = await startHub([GX, HE, GD], data);
  });
  afterAll(() => hub?.close());

  it('should sum every province for scope CN and recompute fillRate from the summed parts', async () => {
    const res = await hub.query(`{ summary {
      scope day region { name }
      workers { registered atHome travelling atWork priority flow { withinTownship crossProvince } }
      employment { enterprises keyEnterprises fillRate }
      transport { internal { trips passengers } byMode { mode trips passengers } }
    } }`);
    expect(res.errors).toBeUndefined();
    const s = res.data!.summary;
    expect(s.scope).toBe('CN');
    expect(s.region).toBeNull();
    expect(s.workers).toEqual({
      registered: 4,
      atHome: 1,
      travelling: 1,
      atWork: 2,
      priority: 1,
      flow: { withinTownship: 1, crossProvince: 1 },
    });
    expect(s.employment).toEqual({ enterprises: 3, keyEnterprises: 2, fillRate: 19 / 110 });
    expect(s.transport.internal).toEqual({ trips: 3, passengers: 1 });
    const byMode = Object.fromEntries(s.transport.byMode.map((m: any) => [m.mode, [m.trips, m.passengers]]));
    expect(byMode).toEqual({ BUS: [2, 1], TRAIN: [1, 0] });
    expect(s.transport.byMode).toHaveLength(2);
    for (const code of [GX, HE, GD]) {
      for (const sg of ['workers', 'employment', 'transport'])
        expect(hub.province(code).count(sg, 'entities')).toBe(1);
    }
  });

  it("should ask only the scope's province for workers and employment, every province for transport", async () => {
    const before = Object.fromEntries(
      [GX, HE, GD].map((c) => [c, hub.province(c).count(undefined, 'entities')]),
    );
    const res = await hub.query(
      `{ summary(scope: "450000") { region { name } workers { registered } employment { openings filled fillRate } transport { outbound { trips } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.summary).toEqual({
      region: { name: '广西壮族自治区' },
      workers: { registered: 2 },
      employment: { openings: 10, filled: 9, fillRate: 0.9 },
      transport: { outbound: { trips: 2 } },
    });
    const delta = Object.fromEntries(
      [GX, HE, GD].map((c) => [c, hub.province(c).count(undefined, 'entities') - before[c]!]),
    );
    expect(delta).toEqual({ [GX]: 3, [HE]: 1, [GD]: 1 });
  });

  it('should sum the provinces that answer and name the one that does not', async () => {
    await hub.province(HE).stop();
    try {
      const res = await hub.query(
        `{ summary { workers { registered } employment { openings filled fillRate } } }`,
      );
      expect(res.data!.summary).toEqual({
        workers: { registered: 3 },
        employment: { openings: 10, filled: 9, fillRate: 0.9 },
      });
      expect(
        res
          .errors!.map((e) => [e.path, e.extensions!.code, e.extensions!.province, e.extensions!.serviceName])
          .sort(),
      ).toEqual([
        [['summary'], 'PROVINCE_UNAVAILABLE', HE, 'employment'],
        [['summary'], 'PROVINCE_UNAVAILABLE', HE, 'workers'],
      ]);
    } finally {
      await hub.province(HE).restart();
    }
  });
});
