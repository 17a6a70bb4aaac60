import { describe, expect, it } from 'vitest';
import { assertResidentId, findRegion, provinceOf, regionContains, ancestorAt } from '@p2p/schema';
import { DEMO_DATA, DEMO_PROVINCES } from './data.js';
import { demoHealthInput, demoIdNumber, demoPhone, demoSubset } from './model.js';

const { enterprises, workers, returnRequests, trips } = DEMO_DATA;
const workerKeys = new Set(workers.map((w) => w.key));
const enterpriseKeys = new Set(enterprises.map((e) => e.key));

/** Hebei's flow class of a worker working in `work` with home `home`. */
function flowClass(home: string, work: string): string {
  if (ancestorAt(home, 'TOWNSHIP') && ancestorAt(home, 'TOWNSHIP') === ancestorAt(work, 'TOWNSHIP'))
    return 'withinTownship';
  if (ancestorAt(home, 'COUNTY') === ancestorAt(work, 'COUNTY')) return 'withinCounty';
  if (ancestorAt(home, 'CITY') === ancestorAt(work, 'CITY')) return 'withinCity';
  if (provinceOf(home) === provinceOf(work)) return 'withinProvince';
  return 'crossProvince';
}

describe('demo data', () => {
  it('names only regions that exist in GB/T 2260', () => {
    const codes = [
      ...enterprises.map((e) => e.region),
      ...workers.flatMap((w) => [
        w.home,
        ...(w.works ? [w.works.region] : []),
        ...(w.intent ? [w.intent.destination] : []),
      ]),
      ...returnRequests.map((r) => r.departureRegion),
      ...trips.flatMap((t) => [t.origin, t.destination]),
    ];
    expect(codes.filter((c) => !findRegion(c))).toEqual([]);
  });

  it('gives every worker a valid, unique 18-character resident ID and a unique phone', () => {
    const ids = workers.map((w) => demoIdNumber(w));
    for (const id of ids) expect(assertResidentId(id)).toBe(id);
    expect(new Set(ids).size).toBe(workers.length);
    expect(new Set(workers.map((_, i) => demoPhone(i))).size).toBe(workers.length);
    expect(demoIdNumber({ home: '450225101', birth: '19870412', seq: 31 })).toMatch(
      /^45022519870412031[\dX]$/,
    );
  });

  it('has unique keys and references that resolve', () => {
    expect(workerKeys.size).toBe(workers.length);
    expect(enterpriseKeys.size).toBe(enterprises.length);
    expect(new Set(trips.map((t) => t.key)).size).toBe(trips.length);
    for (const r of returnRequests)
      expect([enterpriseKeys.has(r.enterprise), workerKeys.has(r.worker)]).toEqual([true, true]);
    for (const w of workers)
      if (w.works?.enterprise) expect(enterpriseKeys.has(w.works.enterprise)).toBe(true);
    for (const t of trips) for (const p of t.passengers) expect(workerKeys.has(p)).toBe(true);
  });

  it('files each worker from his own home region', () => {
    for (const r of returnRequests) {
      const worker = workers.find((w) => w.key === r.worker)!;
      expect(
        regionContains(r.departureRegion, worker.home) ||
          provinceOf(r.departureRegion) === provinceOf(worker.home),
      ).toBe(true);
    }
  });

  it('keeps trips consistent: one active trip per worker, sane times, headcount within the boarded', () => {
    const active = trips.filter((t) => !t.progress.cancelReason && !t.progress.arrival);
    const onActive = active.flatMap((t) => t.passengers);
    expect(new Set(onActive).size).toBe(onActive.length);
    for (const t of trips) {
      expect(t.passengers.length).toBeLessThanOrEqual(t.capacity);
      expect(Date.parse(t.expectedArrivalAt)).toBeGreaterThan(Date.parse(t.departureAt));
      const boarded = t.progress.boarded === 'all' ? t.passengers : (t.progress.boarded ?? []);
      for (const b of boarded) expect(t.passengers).toContain(b);
      if (t.progress.arrival) {
        expect(boarded.length).toBeGreaterThanOrEqual(t.progress.arrival.headcount);
        expect(Date.parse(t.progress.arrival.arrivedAt)).toBeGreaterThan(Date.parse(t.departureAt));
      }
      if (t.progress.handedOverTo) expect(t.progress.arrival).toBeDefined();
      for (const p of boarded) {
        const health = workers.find((w) => w.key === p)!.health;
        expect(health?.code, `${p} boards ${t.key} with a green code`).toBe('GREEN');
        // checked before the departure, by the home province's platform, still valid on the day
        expect(Date.parse(health!.checkedAt)).toBeLessThan(Date.parse(t.departureAt));
        const input = demoHealthInput(workers.find((w) => w.key === p)!, health!);
        expect(input.issuedBy).toMatch(/^\d{2}0000$/);
        expect(Date.parse(input.validUntil)).toBeGreaterThan(Date.parse(t.departureAt));
      }
    }
  });

  it('covers the stories: every trip state and all five Hebei flow classes', () => {
    const states = new Set(
      trips.map((t) =>
        t.progress.cancelReason
          ? 'CANCELLED'
          : t.progress.handedOverTo
            ? 'HANDED_OVER'
            : t.progress.arrival
              ? 'ARRIVED'
              : t.progress.boarded
                ? 'DEPARTED'
                : 'PLANNED',
      ),
    );
    expect([...states].sort()).toEqual(['ARRIVED', 'CANCELLED', 'DEPARTED', 'HANDED_OVER', 'PLANNED']);
    const hebei = workers
      .filter((w) => provinceOf(w.home) === '130000' && w.works)
      .map((w) => flowClass(w.home, w.works!.region));
    expect(new Set(hebei)).toEqual(
      new Set(['withinTownship', 'withinCounty', 'withinCity', 'withinProvince', 'crossProvince']),
    );
    expect(trips.map((t) => t.destination)).toEqual(
      expect.arrayContaining(['440306', '510116', '330782', '210213', '130730']),
    );
    for (const p of DEMO_PROVINCES)
      expect(
        workers.some((w) => provinceOf(w.home) === p) || enterprises.some((e) => provinceOf(e.region) === p),
      ).toBe(true);
  });

  it('a subset keeps what its provinces can hold', () => {
    const subset = demoSubset(DEMO_DATA, ['130000', '410000', '450000']);
    expect(subset.enterprises.map((e) => provinceOf(e.region))).not.toContain('110000');
    expect(subset.trips.map((t) => t.key)).toContain('shexian-chengdu-bus');
    expect(subset.trips.map((t) => t.key)).toContain('liuzhou-shenzhen-train');
    expect(
      subset.returnRequests.every((r) => !r.enterprise.startsWith('bj-') && !r.enterprise.startsWith('gd-')),
    ).toBe(true);
    expect(subset.workers.find((w) => w.key === 'gx-01')!.works).toBeUndefined(); // employer in Guangdong
    expect(subset.workers.find((w) => w.key === 'hn-01')!.works?.enterprise).toBe('hb-huailai');
    const guangxiOnly = demoSubset(DEMO_DATA, ['450000']);
    expect(guangxiOnly.trips.every((t) => provinceOf(t.origin) === '450000')).toBe(true);
  });
});
