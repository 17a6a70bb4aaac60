import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  emptyData,
  makeEnterprise,
  makeObservation,
  makeTrip,
  makeWorker,
  type FakePassenger,
  type ProvinceData,
  withTripCopies,
} from '../testing/fake-data.js';
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
    hub = await startHub([GX, HE, GD], withTripCopies(data));
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

  it("should ask only the scope's province for every part, transport included (#17.2)", async () => {
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
    expect(delta).toEqual({ [GX]: 3, [HE]: 0, [GD]: 0 });
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

describe('national Summary of safety across provinces (health, moved, under observation)', () => {
  let hub: Hub;
  const data: Record<string, ProvinceData> = { [GX]: emptyData(), [HE]: emptyData(), [GD]: emptyData() };
  const passenger = (workerId: string, over: Partial<FakePassenger> = {}): FakePassenger => ({
    workerId,
    boarded: false,
    temperature: 36.5,
    ...over,
  });

  beforeAll(async () => {
    data[GX]!.workers.push(makeWorker('450203', { status: 'OBSERVATION' }), makeWorker('450203'));
    data[HE]!.workers.push(makeWorker('130102', { status: 'OBSERVATION' }));
    // Guangxi's bus to Shenzhen left with two of five: refused for a fever, a code, and one absent;
    // one of the two had a fever at the arrival check in Shenzhen.
    data[GX]!.trips.push(
      makeTrip('450203', '440303', '2020-02-20T08:00:00Z', {
        status: 'DEPARTED',
        passengers: [
          passenger('W45-p0000001', { boarded: true, arrivalFever: true }),
          passenger('W45-p0000002', { boarded: true }),
          passenger('W45-p0000003', { refusal: 'FEVER', temperature: 38.1 }),
          passenger('W45-p0000004', { refusal: 'HEALTH_CODE' }),
          passenger('W45-p0000005', { refusal: 'ABSENT' }),
        ],
      }),
      // Nobody passed the gate: CANCELLED, the refusal still counts.
      makeTrip('450203', '440303', '2020-02-21T08:00:00Z', {
        status: 'CANCELLED',
        passengers: [passenger('W45-p0000006', { refusal: 'NO_HEALTH_RECORD' })],
      }),
      // Planned to organise, not moved.
      makeTrip('450203', '441900', '2020-02-22T08:00:00Z', {
        passengers: [passenger('W45-p0000007'), passenger('W45-p0000008')],
      }),
    );
    // Hebei's train handed over three in Guangdong, one of whom alighted with a fever in Dongguan.
    data[HE]!.trips.push(
      makeTrip('130102', '440303', '2020-02-20T08:00:00Z', {
        status: 'HANDED_OVER',
        passengers: [
          passenger('W13-p0000001', { boarded: true, alightAt: '441900', arrivalFever: true }),
          passenger('W13-p0000002', { boarded: true }),
          passenger('W13-p0000003', { boarded: true }),
          passenger('W13-p0000004', { refusal: 'FEVER' }),
        ],
      }),
    );
    // Guangdong observes the arrivals; Hebei one at home.
    data[GD]!.observations = [
      makeObservation('440303', 'W45-p0000001'),
      makeObservation('441900', 'W13-p0000001'),
      makeObservation('441900', 'W13-p0000002', { endedAt: '2020-03-06T00:00:00.000Z', outcome: 'RELEASED' }),
      makeObservation('440303', 'W13-p0000003', {
        endedAt: '2020-02-25T00:00:00.000Z',
        outcome: 'TRANSFERRED_TO_HOSPITAL',
      }),
    ];
    data[HE]!.observations = [makeObservation('130102', 'W13-p0000009')];
    hub = await startHub([GX, HE, GD], withTripCopies(data));
  });
  afterAll(() => hub?.close());

  const SAFETY = `health { boardingRefused { fever healthCode } feverAtArrival underObservation released }
    transport { internal { moved { trips passengers } } inbound { moved { trips passengers } } outbound { moved { trips passengers } } }
    workers { underObservation }`;

  it('should sum health, moved and workers under observation of every province for scope CN', async () => {
    const before = Object.fromEntries(
      [GX, HE, GD].map((c) => [c, hub.province(c).count('health', 'entities')]),
    );
    const res = await hub.query(`{ summary { ${SAFETY} } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.summary).toEqual({
      health: {
        boardingRefused: { fever: 2, healthCode: 2 },
        feverAtArrival: 2,
        underObservation: 3,
        released: 1,
      },
      transport: {
        internal: { moved: { trips: 2, passengers: 5 } },
        inbound: { moved: { trips: 0, passengers: 0 } },
        outbound: { moved: { trips: 0, passengers: 0 } },
      },
      workers: { underObservation: 2 },
    });
    // Every province answers the health part (it may organise a trip or observe a worker anywhere).
    for (const code of [GX, HE, GD])
      expect(hub.province(code).count('health', 'entities') - before[code]!).toBe(1);
  });

  it("should answer a province scope from that province alone, the organisers' trips counted from its copies (#17.2)", async () => {
    const asked = () => [GX, HE, GD].map((c) => hub.province(c).count(undefined, 'entities'));
    const before = asked();
    const res = await hub.query(`{ summary(scope: "440000") { ${SAFETY} } }`);
    // workers, transport and health: Guangdong's three parts, nobody else asked
    expect(asked().map((n, i) => n - before[i]!)).toEqual([0, 0, 3]);
    expect(res.errors).toBeUndefined();
    expect(res.data!.summary).toEqual({
      // Refusals count where the trips left (Guangxi, Hebei); fevers at the stops; observations where they happen.
      health: {
        boardingRefused: { fever: 0, healthCode: 0 },
        feverAtArrival: 2,
        underObservation: 2,
        released: 1,
      },
      transport: {
        internal: { moved: { trips: 0, passengers: 0 } },
        inbound: { moved: { trips: 2, passengers: 5 } },
        outbound: { moved: { trips: 0, passengers: 0 } },
      },
      workers: { underObservation: 0 },
    });
    const gx = await hub.query(`{ summary(scope: "450000") { ${SAFETY} } }`);
    expect(gx.data!.summary).toMatchObject({
      health: { boardingRefused: { fever: 1, healthCode: 2 }, feverAtArrival: 0, underObservation: 0 },
      transport: { outbound: { moved: { trips: 1, passengers: 2 } } },
      workers: { underObservation: 1 },
    });
  });

  it('should sum the provinces that answer and name the one that does not', async () => {
    await hub.province(GD).stop();
    try {
      const res = await hub.query(`{ summary { health { underObservation feverAtArrival } } }`);
      expect(res.data!.summary).toEqual({ health: { underObservation: 1, feverAtArrival: 2 } });
      expect(
        res.errors!.map((e) => [e.extensions!.code, e.extensions!.province, e.extensions!.serviceName]),
      ).toEqual([['PROVINCE_UNAVAILABLE', GD, 'health']]);
    } finally {
      await hub.province(GD).restart();
    }
  });
});

describe("the ministry's rates across provinces (#15): recomputed from the summed parts, never averaged", () => {
  let hub: Hub;
  const data: Record<string, ProvinceData> = { [GX]: emptyData(), [HE]: emptyData() };

  beforeAll(async () => {
    // Guangxi: 2 of 2 gone out (100%); Hebei: 1 of 8 (12.5%). The average of the two rates would
    // be 56.25%; the national rate is 3 of 10.
    data[GX]!.workers.push(
      makeWorker('450203', { status: 'TRAVELLING' }),
      makeWorker('450203', { status: 'OBSERVATION' }),
    );
    data[HE]!.workers.push(
      makeWorker('130102', { status: 'AT_WORK', workRegion: '130102' }),
      ...Array.from({ length: 7 }, () => makeWorker('130102')),
    );
    // Key enterprises: Guangxi 9 of 10 filled (90%), Hebei 10 of 100 (10%): average 50%, national
    // 19 of 110. Guangxi's big non-key enterprise counts in neither.
    data[GX]!.enterprises.push(
      makeEnterprise('450203', { openings: 10, filled: 9, key: true }),
      makeEnterprise('450203', { openings: 1000, filled: 0 }),
    );
    data[HE]!.enterprises.push(makeEnterprise('130102', { openings: 100, filled: 10, key: true }));
    hub = await startHub([GX, HE], data);
  });
  afterAll(() => hub?.close());

  it('should recompute outRate and keyFillRate from the summed parts even when the parts are not asked for', async () => {
    const res = await hub.query(`{ summary { workers { outRate } employment { keyFillRate } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.summary.workers.outRate).toBeCloseTo(3 / 10, 12);
    expect(res.data!.summary.employment.keyFillRate).toBeCloseTo(19 / 110, 12);
  });

  it('should sum out, keyOpenings and keyFilled, and answer each province its own rates', async () => {
    const res = await hub.query(`{
      cn: summary { workers { registered out outRate } employment { keyEnterprises keyOpenings keyFilled keyFillRate fillRate } }
      gx: summary(scope: "450000") { workers { out outRate } employment { keyFillRate } }
      he: summary(scope: "130000") { workers { out outRate } employment { keyFillRate } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.cn).toEqual({
      workers: { registered: 10, out: 3, outRate: 3 / 10 },
      employment: {
        keyEnterprises: 2,
        keyOpenings: 110,
        keyFilled: 19,
        keyFillRate: 19 / 110,
        fillRate: 19 / 1110,
      },
    });
    expect(res.data!.gx).toEqual({ workers: { out: 2, outRate: 1 }, employment: { keyFillRate: 0.9 } });
    expect(res.data!.he).toEqual({ workers: { out: 1, outRate: 1 / 8 }, employment: { keyFillRate: 0.1 } });
  });

  it('should recompute the rates of every day of a dailySeries', async () => {
    const res = await hub.query(
      `{ dailySeries(from: "2020-02-15", to: "2020-02-19") { day workers { outRate } employment { keyFillRate } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.dailySeries).toHaveLength(5);
    for (const day of res.data!.dailySeries) {
      expect(day.workers.outRate).toBeCloseTo(3 / 10, 12);
      expect(day.employment.keyFillRate).toBeCloseTo(19 / 110, 12);
    }
  });
});
