import { describe, expect, it } from 'vitest';
import { assertResidentId, findRegion, provinceOf, tryDecodeId } from '@p2p/schema';
import { LatencyRecorder, percentile } from './latency.js';
import { generateProvince, workerIdentity } from './population.js';
import { generateEmployment } from './employment-data.js';
import { residentIdFor } from './people.js';
import { postgresText } from './table-insert.js';
import { hubScenarios, parseBenchOptions, parseScenarios, positiveIntList, SCENARIOS } from './options.js';
import { subscriptionSettings } from './scenarios/subscriptions.js';
import { countiesIn, PROVINCE_ORDER, townshipsIn } from './geography.js';

describe('percentiles', () => {
  it('uses the nearest rank: the smallest sample with at least q of all at or below it', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile(sorted, 1)).toBe(100);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([1, 2, 3], 0.5)).toBe(2);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('summarises unsorted samples and merges recorders', () => {
    const a = new LatencyRecorder();
    for (const ms of [5, 1, 4, 2, 3]) a.record(ms);
    const b = new LatencyRecorder();
    for (let i = 0; i < 2000; i++) b.record(10);
    b.merge(a);
    expect(a.summary()).toMatchObject({ count: 5, min: 1, p50: 3, max: 5, mean: 3 });
    expect(b.summary()).toMatchObject({ count: 2005, min: 1, p50: 10, p99: 10, max: 10 });
  });
});

describe('generated data', () => {
  const chunks = [...generateProvince({ province: '450000', workers: 3_000, chunkSize: 1_000 })];
  const workers = chunks.flatMap((c) => c.workers);
  const trips = chunks.flatMap((c) => c.trips);
  const passengers = chunks.flatMap((c) => c.passengers);

  it('gives every worker a valid resident ID, an existing home township of the province and his province id', () => {
    expect(workers).toHaveLength(3_000);
    for (const w of workers) {
      expect(assertResidentId(w.idNumber)).toBe(w.idNumber);
      expect(findRegion(w.homeRegion)?.level).toBe('TOWNSHIP');
      expect(provinceOf(w.homeRegion)).toBe('450000');
      expect(w.idNumber.slice(0, 6)).toBe(w.homeRegion.slice(0, 6));
      expect(tryDecodeId(w.id)).toMatchObject({ kind: 'Worker', province: '450000' });
      if (w.workRegion) expect(findRegion(w.workRegion)).toBeDefined();
    }
    expect(new Set(workers.map((w) => w.id)).size).toBe(workers.length);
    expect(new Set(workers.map((w) => w.idNumber)).size).toBe(workers.length);
  });

  it('is deterministic: worker i is the same person when generated again', () => {
    const again = workerIdentity('450000', 1234);
    expect(workers[1234]).toMatchObject({
      id: again.id,
      idNumber: again.idNumber,
      name: again.name,
      homeRegion: again.homeRegion,
    });
  });

  it('puts each passenger on one trip of the province within capacity, and sets his status from the trip', () => {
    const byId = new Map(workers.map((w) => [w.id, w]));
    const tripById = new Map(trips.map((t) => [t.id, t]));
    expect(new Set(passengers.map((p) => p.workerId)).size).toBe(passengers.length);
    for (const t of trips) {
      expect(tryDecodeId(t.id)).toMatchObject({ kind: 'Trip', province: '450000' });
      expect(provinceOf(t.origin)).toBe('450000');
      expect(findRegion(t.destination)).toBeDefined();
      expect(passengers.filter((p) => p.tripId === t.id).length).toBeLessThanOrEqual(t.capacity);
    }
    for (const p of passengers) {
      const trip = tripById.get(p.tripId)!;
      const worker = byId.get(p.workerId)!;
      if (p.boarded && (trip.status === 'ARRIVED' || trip.status === 'HANDED_OVER'))
        expect(worker).toMatchObject({ status: 'AT_WORK', workRegion: trip.destination });
      if (p.boarded && trip.status === 'DEPARTED') expect(worker.status).toBe('TRAVELLING');
      if (!p.boarded) expect(worker.status).toBe('AT_HOME');
    }
    const share = passengers.length / workers.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.6);
  });

  it('files return requests from enterprises of the province for workers that exist in their home province', () => {
    const rows = [
      ...generateEmployment({
        province: '440000',
        enterprises: 20,
        returnRequests: 50,
        homes: [{ province: '450000', workers: 3_000 }],
      }),
    ];
    const enterprises = rows.flatMap((r) => r.enterprises);
    const requests = rows.flatMap((r) => r.returnRequests);
    const ids = new Set(workers.map((w) => w.id));
    expect(enterprises).toHaveLength(20);
    for (const e of enterprises) expect(provinceOf(e.region)).toBe('440000');
    for (const r of requests) {
      expect(ids.has(r.workerId)).toBe(true);
      expect(enterprises.some((e) => e.id === r.enterpriseId && e.region === r.destinationRegion)).toBe(true);
    }
  });

  it('keeps resident IDs distinct per index, whatever the address code', () => {
    expect(residentIdFor('450203', 0)).not.toBe(residentIdFor('450203', 1));
    expect(residentIdFor('450203', 999)).not.toBe(residentIdFor('450203', 1000));
    expect(() => residentIdFor('450203', -1)).toThrow(RangeError);
  });

  it('finds townships and counties in the real directory (Dongguan has no counties)', () => {
    expect(townshipsIn('441900').length).toBeGreaterThan(20);
    expect(countiesIn('441900')).toEqual(['441900']);
    expect(countiesIn('450200').every((c) => findRegion(c)?.parent === '450200')).toBe(true);
  });
});

describe('loader text form and options', () => {
  it('writes values as Postgres reads them in text form', () => {
    expect(postgresText(null)).toBeNull();
    expect(postgresText(new Date('2020-02-20T00:00:00Z'))).toBe('2020-02-20T00:00:00.000Z');
    expect(postgresText(['普工', 'a"b', 'c\\d'])).toBe('{"普工","a\\"b","c\\\\d"}');
    expect(postgresText(true)).toBe('true');
    expect(postgresText({ ids: ['x'] })).toBe('{"ids":["x"]}');
  });

  it('reads options, with --quick defaults that explicit options override', () => {
    expect(parseBenchOptions([], {})).toMatchObject({
      provinces: 5,
      workersPerProvince: 200_000,
      durationSeconds: 180,
      concurrency: 16,
    });
    expect(parseBenchOptions(['--quick'], {})).toMatchObject({
      provinces: 2,
      workersPerProvince: 5_000,
      quick: true,
    });
    expect(parseBenchOptions(['--quick', '--provinces', '4'], {})).toMatchObject({
      provinces: 4,
      workersPerProvince: 5_000,
      quick: true,
    });
    expect(parseScenarios('mixed,read')).toEqual(['federated-read', 'mixed-load']);
    expect(parseScenarios('scatter,table-sizes')).toEqual(['scatter', 'table-sizes']);
    expect(parseBenchOptions([], {}).injectedLatencyMs).toBe(50);
    expect(parseBenchOptions(['--injected-latency', '20'], {}).injectedLatencyMs).toBe(20);
    expect(() => parseScenarios('nope')).toThrow(/unknown scenario/);
    expect(() => parseBenchOptions(['--duration', '0'], {})).toThrow(/positive whole number/);
  });
});

describe('subscriptions options (#17.4)', () => {
  it('leaves subscriptions out of the default scenarios and of `all`: it runs only when named', () => {
    expect(parseBenchOptions([], {}).scenarios).toEqual([...SCENARIOS]);
    expect(parseScenarios('all')).not.toContain('subscriptions');
    expect(parseScenarios(undefined)).not.toContain('subscriptions');
    expect(parseScenarios('subscriptions')).toEqual(['subscriptions']);
    // Runs after the hub's scenarios, whatever the order given.
    expect(parseScenarios('subscriptions,read')).toEqual(['federated-read', 'subscriptions']);
    expect(hubScenarios(parseScenarios('subscriptions'))).toEqual([]);
    expect(hubScenarios(parseScenarios('subscriptions,read'))).toEqual(['federated-read']);
  });

  it('reads --subscribers and --rate as lists, with the bench form defaults', () => {
    expect(parseBenchOptions(['--scenarios', 'subscriptions'], {})).toMatchObject({
      subscribers: [1_000],
      subscriptionRates: [10, 50],
      subscriptionSeconds: 30,
      filtersPerProvince: 10,
      durationSeconds: 180,
    });
    expect(
      parseBenchOptions(
        ['--subscribers', '1000,10_000', '--rate', '10, 50', '--filters-per-province', '4'],
        {},
      ),
    ).toMatchObject({ subscribers: [1_000, 10_000], subscriptionRates: [10, 50], filtersPerProvince: 4 });
    expect(parseBenchOptions(['--rate', '5'], {}).subscriptionRates).toEqual([5]);
    expect(positiveIntList('3,2,1', 'rate')).toEqual([3, 2, 1]);
  });

  it('uses --duration for the phases when given, else its own 30 s (quick: 100 subscribers, 5/s, 5 s)', () => {
    expect(parseBenchOptions(['--duration', '15'], {})).toMatchObject({
      subscriptionSeconds: 15,
      durationSeconds: 15,
    });
    expect(parseBenchOptions(['--quick', '--scenarios', 'subscriptions'], {})).toMatchObject({
      provinces: 2,
      subscribers: [100],
      subscriptionRates: [5],
      subscriptionSeconds: 5,
    });
  });

  it('maps --provinces N to the first N of PROVINCE_ORDER (31: every province) and passes the server on', () => {
    const all = subscriptionSettings(
      parseBenchOptions(['--provinces', '31', '--scenarios', 'subscriptions', '--cpu-prof', '/tmp/p'], {
        DATABASE_URL: 'postgres://db/x',
      }),
    );
    expect(all.provinces).toEqual([...PROVINCE_ORDER]);
    expect(all).toMatchObject({
      databaseUrl: 'postgres://db/x',
      cpuProfileDir: '/tmp/p',
      durationSeconds: 30,
      rates: [10, 50],
    });
    expect(subscriptionSettings(parseBenchOptions(['--provinces', '2'], {})).provinces).toEqual([
      '450000',
      '410000',
    ]);
    expect(() => parseBenchOptions(['--provinces', '32'], {})).toThrow(/--provinces: at most 31/);
  });

  it('rejects bad lists and unknown scenarios with a message naming the option', () => {
    expect(() => parseBenchOptions(['--subscribers', '1000,abc'], {})).toThrow(
      /--subscribers: a comma-separated list of positive whole numbers, got "1000,abc"/,
    );
    expect(() => parseBenchOptions(['--rate', '10,,50'], {})).toThrow(/--rate: a comma-separated list/);
    expect(() => parseBenchOptions(['--rate', '0'], {})).toThrow(/--rate: a comma-separated list/);
    expect(() => parseBenchOptions(['--subscribers', '10000,1000'], {})).toThrow(
      /--subscribers: counts in increasing order/,
    );
    expect(() => parseBenchOptions(['--filters-per-province', '0'], {})).toThrow(
      /--filters-per-province: a positive whole number/,
    );
    expect(() => parseScenarios('subscription')).toThrow(
      /unknown scenario "subscription" \(one of .*subscriptions\)/,
    );
  });
});

describe('subscriptions.ts on its own', () => {
  it('keeps its flags and defaults, and importing it runs nothing', async () => {
    const { parseSubscriptionArgs } = await import('./subscriptions.js');
    expect(parseSubscriptionArgs([], {})).toEqual({
      subscribers: [1_000],
      rates: [10],
      durationSeconds: 30,
      filtersPerProvince: 10,
      provinces: [...PROVINCE_ORDER],
    });
    expect(
      parseSubscriptionArgs(
        ['--subscribers', '10000', '--rate', '10,50', '--duration', '15', '--provinces', '3'],
        { DATABASE_URL: 'postgres://db/x' },
      ),
    ).toMatchObject({
      subscribers: [10_000],
      rates: [10, 50],
      durationSeconds: 15,
      provinces: PROVINCE_ORDER.slice(0, 3),
      databaseUrl: 'postgres://db/x',
    });
    expect(parseSubscriptionArgs(['--provinces', '450000,440000'], {}).provinces).toEqual([
      '450000',
      '440000',
    ]);
    expect(() => parseSubscriptionArgs(['--duration', '15,30'], {})).toThrow(/--duration: one positive/);
  });
});

describe('service usage from /proc', () => {
  it('reads RSS, CPU time and the service name', async () => {
    const { cpuMsFromStat, rssFromStatus, serviceName } = await import('./service-usage.js');
    expect(rssFromStatus('Name:\tnode\nVmRSS:\t  204800 kB\n')).toBe(204_800 * 1024);
    // pid (comm with spaces) state ppid … utime=250 stime=50 (fields 14 and 15)
    expect(cpuMsFromStat('42 (node main) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0')).toBe(3_000);
    expect(serviceName('node --import tsx subgraphs/province/src/main.ts', { PROVINCE: '450000' })).toBe(
      'province 450000',
    );
    expect(serviceName('node --import tsx scripts/src/bench/plain-gateway.ts', {})).toBe('plain gateway');
    expect(serviceName('node --import tsx gateway/src/main.ts', {})).toBe('gateway');
    expect(serviceName('node --import tsx scripts/src/bench/subscriber-process.ts', {})).toBe(
      'bench subscribers',
    );
  });

  it("says the cores each group used over a phase and the machine's busy share", async () => {
    const { coresUsed } = await import('./subscriptions.js');
    const before = new Map([
      ['gateway', 1_000],
      ['provinces', 0],
      ['machine busy', 0],
      ['machine', 0],
    ]);
    const after = new Map([
      ['gateway', 4_000],
      ['provinces', 12_000],
      ['Postgres', 6_000],
      ['machine busy', 45_000],
      ['machine', 60_000],
    ]);
    expect(coresUsed(before, after, 30)).toBe(
      'gateway 0.10, provinces 0.40, national 0.00, Postgres 0.20, bench subscribers 0.00, bench 0.00 cores; machine 75% busy',
    );
  });
});

describe('keep-alive check', () => {
  it('counts established and closed connections touching the watched ports, either end', async () => {
    const { countConnections } = await import('./connections.js');
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue',
      '   0: 0100007F:1031 0100007F:D431 01 00000000:00000000', // 4145 → peer, established
      '   1: 0100007F:D431 0100007F:1031 01 00000000:00000000', // peer → 4145
      '   2: 0100007F:D432 0100007F:1031 06 00000000:00000000', // closed, towards 4145
      '   3: 0100007F:0FA0 0100007F:D433 01 00000000:00000000', // 4000: not watched
    ].join('\n');
    expect(countConnections(table, new Set([4145]))).toEqual({ established: 2, timeWait: 1 });
  });
});
