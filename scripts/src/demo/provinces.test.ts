import { describe, expect, it } from 'vitest';
import { assertResidentId, childRegionCodes, findRegion, provinceOf } from '@p2p/schema';
import { DEMO_DATA, DEMO_PROVINCES } from './data.js';
import { demoIdNumber, demoPhone } from './model.js';
import { demoFor, provinceDemo, RECEIVING_PLACES } from './provinces.js';

const ALL = childRegionCodes(null);

describe('a little demo in every province', () => {
  it('gives every province but the three whose workers data.ts registers three workers and a bus, and an enterprise where it has none', () => {
    const data = provinceDemo(ALL);
    expect(ALL).toHaveLength(31);
    for (const province of ALL) {
      const inside = (code: string) => provinceOf(code) === province;
      const reported = ['130000', '410000', '450000'].includes(province);
      const ownEnterprises = DEMO_DATA.enterprises.some((e) => inside(e.region));
      expect(
        data.workers.filter((w) => inside(w.home)),
        province,
      ).toHaveLength(reported ? 0 : 3);
      expect(
        data.trips.filter((t) => inside(t.origin)),
        province,
      ).toHaveLength(reported ? 0 : 1);
      expect(
        data.enterprises.filter((e) => inside(e.region)),
        province,
      ).toHaveLength(reported || ownEnterprises ? 0 : 1);
    }
    expect(data.workers).toHaveLength(28 * 3);
    expect(data.enterprises).toHaveLength(26);
  });

  it('leaves the report-drawn demo exactly as it is', () => {
    expect(provinceDemo(['130000', '410000', '450000'])).toEqual({
      enterprises: [],
      workers: [],
      returnRequests: [],
      trips: [],
      jobs: [],
    });
    for (const provinces of [ALL, DEMO_PROVINCES]) {
      const all = demoFor(provinces);
      expect(all.workers.slice(0, DEMO_DATA.workers.length)).toEqual(DEMO_DATA.workers);
      expect(all.enterprises.slice(0, DEMO_DATA.enterprises.length)).toEqual(DEMO_DATA.enterprises);
      expect(all.trips.slice(0, DEMO_DATA.trips.length)).toEqual(DEMO_DATA.trips);
      expect(all.returnRequests).toEqual(DEMO_DATA.returnRequests);
      expect(all.jobs).toEqual(DEMO_DATA.jobs);
    }
    expect(demoFor(['130000', '410000', '450000'])).toEqual(DEMO_DATA);
  });

  it('is deterministic and a province gets the same data whatever else runs', () => {
    expect(provinceDemo(ALL)).toEqual(provinceDemo(ALL));
    const alone = provinceDemo(['340000', '440000']);
    const inAll = provinceDemo(ALL);
    const anhui = (code: string) => provinceOf(code) === '340000';
    expect(alone.workers.filter((w) => anhui(w.home))).toEqual(inAll.workers.filter((w) => anhui(w.home)));
    expect(alone.enterprises).toEqual(inAll.enterprises.filter((e) => anhui(e.region)));
    expect(alone.workers.find((w) => anhui(w.home))!.phone).toBe('13900001341');
    const phones = [...DEMO_DATA.workers.map((_, i) => demoPhone(i)), ...inAll.workers.map((w) => w.phone)];
    expect(new Set(phones).size).toBe(phones.length);
  });

  it('names real GB/T 2260 regions and gives valid, unique resident IDs, keys and invented names', () => {
    const data = demoFor(ALL);
    const codes = [
      ...data.enterprises.map((e) => e.region),
      ...data.workers.map((w) => w.home),
      ...data.trips.flatMap((t) => [t.origin, t.destination]),
    ];
    expect(codes.filter((c) => !findRegion(c))).toEqual([]);
    const ids = data.workers.map((w) => demoIdNumber(w));
    for (const id of ids) expect(assertResidentId(id)).toBe(id);
    expect(new Set(ids).size).toBe(data.workers.length);
    expect(new Set(data.workers.map((w) => w.key)).size).toBe(data.workers.length);
    expect(new Set(data.enterprises.map((e) => e.key)).size).toBe(data.enterprises.length);
    expect(new Set(data.trips.map((t) => t.key)).size).toBe(data.trips.length);
    for (const w of provinceDemo(ALL).workers) expect(w.name).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
    for (const e of provinceDemo(ALL).enterprises) expect(e.name).toMatch(/\(示例\)$/);
  });

  it('sends each bus from the workers’ home county to another province, boarded with green codes checked before', () => {
    const data = provinceDemo(ALL);
    for (const t of data.trips) {
      const passengers = t.passengers.map((key) => data.workers.find((w) => w.key === key)!);
      expect(passengers).toHaveLength(3);
      for (const w of passengers) {
        expect(findRegion(w.home)!.parent).toBe(t.origin);
        expect(w.health?.code).toBe('GREEN');
        expect(Date.parse(w.health!.checkedAt)).toBeLessThan(Date.parse(t.departureAt));
      }
      expect(provinceOf(t.destination)).not.toBe(provinceOf(t.origin));
      expect(t.progress.boarded).toBe('all');
      expect(t.vehicleCode).toMatch(/^[\u4e00-\u9fa5]A·F\d{4}$/);
    }
  });

  it('sends the buses to receiving places that run, in turn, and elsewhere when none runs', () => {
    const [bus] = provinceDemo(['340000', '320000']).trips.filter((t) => provinceOf(t.origin) === '340000');
    expect(bus!.destination).toBe('320583');
    const [lonely] = provinceDemo(['340000']).trips;
    expect(RECEIVING_PLACES).toContain(lonely!.destination);
    const [fromQinghai] = provinceDemo(['440000', '450000', '630000']).trips.filter(
      (t) => provinceOf(t.origin) === '630000',
    );
    expect(provinceOf(fromQinghai!.origin)).toBe('630000');
    expect(fromQinghai!.destination).toBe('440306');
    const destinations = new Set(provinceDemo(ALL).trips.map((t) => t.destination));
    expect([...destinations].sort()).toEqual([...RECEIVING_PLACES].sort());
  });
});
