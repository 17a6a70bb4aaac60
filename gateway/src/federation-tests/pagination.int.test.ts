import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyData, makeTrip, seededRandom, type FakeTrip, type ProvinceData } from '../testing/fake-data.js';
import { startHub, type Hub } from '../testing/hub-fixture.js';

const CODES = ['450000', '130000', '440000', '510000'];
const ORIGINS = ['450203', '450102', '130102', '440303', '510104'];
const DESTINATIONS = ['110101', '110105', '130102', '440303'];
const PAGE = `query($d: RegionCode!, $first: Int, $after: String) {
  trips(destination: $d, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id departureAt } } }
}`;
/** Same query without `cursor` in the selection: the router must add (and strip) it itself. */
const PAGE_NO_CURSOR = `query($d: RegionCode!, $first: Int, $after: String) {
  trips(destination: $d, first: $first, after: $after) { pageInfo { endCursor hasNextPage } totalCount edges { node { id } } }
}`;

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const keysetOrder = (a: FakeTrip, b: FakeTrip) =>
  byteOrder(a.departureAt, b.departureAt) || byteOrder(a.id, b.id);

/** Random trips over the provinces; departure times collide often to exercise the id tie-break. */
function randomData(seed: number): { data: Record<string, ProvinceData>; trips: FakeTrip[] } {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const data = Object.fromEntries(CODES.map((c) => [c, emptyData()]));
  const trips: FakeTrip[] = [];
  const count = 20 + Math.floor(random() * 60);
  for (let i = 0; i < count; i++) {
    const hour = Math.floor(random() * 12);
    const trip = makeTrip(
      pick(ORIGINS),
      pick(DESTINATIONS),
      `2020-02-${String(15 + Math.floor(random() * 3)).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`,
    );
    data[`${trip.origin.slice(0, 2)}0000`]!.trips.push(trip);
    trips.push(trip);
  }
  return { data, trips };
}

describe('connection pagination across provinces (property)', () => {
  const seeds = [1, 7, 42, 2020, 31337];
  const hubs: Hub[] = [];
  afterAll(() => Promise.all(hubs.map((h) => h.close())));

  for (const seed of seeds) {
    describe(`seed ${seed}`, () => {
      let hub: Hub;
      let trips: FakeTrip[];
      beforeAll(async () => {
        const generated = randomData(seed);
        trips = generated.trips;
        hub = await startHub(CODES, generated.data);
        hubs.push(hub);
      });

      for (const [label, query] of [
        ['with cursors selected', PAGE],
        ['without cursors selected', PAGE_NO_CURSOR],
      ] as const) {
        it(`should page trips(destination:) with random page sizes, ${label}, losing and repeating nothing`, async () => {
          const random = seededRandom(seed * 31 + label.length);
          for (const destination of ['110000', '440303', '130000']) {
            const expected = trips
              .filter((t) =>
                destination === '110000'
                  ? t.destination.startsWith('11')
                  : destination === '130000'
                    ? t.destination.startsWith('13')
                    : t.destination === destination,
              )
              .sort(keysetOrder);
            const seen: string[] = [];
            let after: string | null = null;
            for (let page = 0; page < 200; page++) {
              const first = 1 + Math.floor(random() * 9);
              const res = await hub.query(query, { d: destination, first, after });
              expect(res.errors).toBeUndefined();
              const conn = res.data!.trips;
              expect(conn.totalCount).toBe(expected.length);
              expect(conn.edges.length).toBeLessThanOrEqual(first);
              for (const edge of conn.edges) {
                expect(Object.keys(edge).some((k) => k.startsWith('__shard'))).toBe(false);
                seen.push(edge.node.id);
              }
              expect(Object.keys(conn).some((k) => k.startsWith('__shard'))).toBe(false);
              if (query === PAGE && conn.edges.length)
                expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1).cursor);
              expect(conn.pageInfo.hasNextPage).toBe(seen.length < expected.length);
              if (!conn.pageInfo.hasNextPage) break;
              after = conn.pageInfo.endCursor;
            }
            expect(seen).toEqual(expected.map((t) => t.id));
          }
        });
      }
    });
  }
});
