/**
 * Property test of the national statistics over real processes: three provinces (Hebei,
 * Guangdong with Dongguan, Guangxi), national and the gateway. Several seeded rounds of random
 * registrations, employments, enterprises and trips (every fate, passengers of any province,
 * organised by any province from an origin in any of them, the relay moving each passenger in his
 * home record) go through the gateway as the officers the access rules want; after each round
 * and once the relay has caught up, `summary` of many
 * scopes that hold data (nation, provinces, cities, counties, townships, and places outside the
 * federation that trips and work reach) equals a record-by-record recount of what the test did,
 * moved trips and passengers, workers under observation, the health part and the corridors between
 * provinces (summed by the gateway over the organising provinces) included.
 * Then the days: a past day reads zeros (everything happened today), today reads the live
 * figures, `dailySeries` returns both. Read as the ministry. PGlite, or PostgreSQL with DATABASE_URL.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ancestry, childRegionCodes, NATION, provinceOf } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { graphqlData } from '@p2p/runtime';
import { REPO_ROOT, SERVICE_ENTRIES } from '../harness/service-process.js';
import {
  emptyModel,
  expectedSummary,
  HEALTH_SELECTION,
  normalise,
  Random,
  regionsInModel,
  SUMMARY_SELECTION,
  TRANSPORT_SELECTION,
  CHILD_SUMMARY_SELECTION,
  withoutCorridors,
  zeroFigures,
  type HubModel,
  type SummaryFigures,
} from './summary-model.js';
import { runScenario } from './summary-scenario.js';

const PROVINCES = ['130000', '440000', '450000'];
const SEEDS = [20200210, 20200217, 20200224];
const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));

/** Today and yesterday as YYYY-MM-DD in China Standard Time (UTC+8). */
function chinaDays(): { today: string; yesterday: string } {
  const now = Date.now() + 8 * 3_600_000;
  return {
    today: new Date(now).toISOString().slice(0, 10),
    yesterday: new Date(now - 86_400_000).toISOString().slice(0, 10),
  };
}

/** True when the scope's workers and enterprises live in a province of the federation (CN included). */
const federated = (scope: string) => scope === NATION || PROVINCES.includes(`${scope.slice(0, 2)}0000`);

/**
 * Scopes that hold data: CN, the provinces, and up to `perLevel` cities, counties and townships
 * the records name; `outside`: regions of other provinces that trips and work reach (only their
 * transport part is answered, by the provinces organising the trips).
 */
function scopesWithData(
  model: HubModel,
  random: Random,
  perLevel = 6,
): { inside: string[]; outside: string[] } {
  const byLevel = new Map<string, Set<string>>();
  for (const code of regionsInModel(model)) {
    for (const region of ancestry(code)) {
      const set = byLevel.get(region.level) ?? new Set<string>();
      set.add(region.code);
      byLevel.set(region.level, set);
    }
  }
  const level = (name: string, n: number, keep: (code: string) => boolean) =>
    random.sample([...(byLevel.get(name) ?? [])].filter(keep).sort(), n);
  const levels = (keep: (code: string) => boolean, n: number) =>
    ['CITY', 'COUNTY', 'TOWNSHIP'].flatMap((l) => level(l, n, keep));
  return {
    inside: [NATION, ...level('PROVINCE', 8, federated), ...levels(federated, perLevel)],
    outside: [...level('PROVINCE', 3, (c) => !federated(c)), ...levels((c) => !federated(c), 2)],
  };
}

describe.skipIf(!servicesExist)(
  `summary equals a recount of the records, over 3 provinces (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  () => {
    let federation: RunningFederation;
    let ministry: Record<string, string>;
    const model = emptyModel();
    const read = async <T>(query: string, variables?: Record<string, unknown>): Promise<T> =>
      graphqlData<T>(federation.gatewayUrl, query, variables, ministry);

    /** `summary` of each scope as of `day`, 8 scopes per request (aliases), normalised. */
    const summaries = async (scopes: readonly string[], day?: string): Promise<SummaryFigures[]> => {
      const result: SummaryFigures[] = [];
      for (let i = 0; i < scopes.length; i += 8) {
        const chunk = scopes.slice(i, i + 8);
        const fields = chunk.map(
          (scope, j) =>
            `s${j}: summary(scope: ${scope === NATION ? 'null' : JSON.stringify(scope)}${day ? `, day: "${day}"` : ''}) { ${SUMMARY_SELECTION} }`,
        );
        const data = await read<Record<string, SummaryFigures & { scope: string; day: string }>>(
          `query { ${fields.join('\n')} }`,
        );
        chunk.forEach((scope, j) => {
          expect(data[`s${j}`]).toMatchObject({ scope, day: day ?? 'LATEST' });
          result.push(normalise(data[`s${j}`]!));
        });
      }
      return result;
    };

    beforeAll(async () => {
      federation = await startFederation({
        provinces: PROVINCES,
        gatewayEnv: { RATE_LIMIT_PER_SECOND: '0' },
      });
      ministry = await federation.authorization('ministry');
    }, 180_000);
    afterAll(() => federation?.close(), 60_000);

    for (const seed of SEEDS) {
      it(`seed ${seed}: every scope's summary equals the recount`, async () => {
        const random = new Random(seed);
        const write = async (query: string, variables: Record<string, unknown>, officer: string) =>
          graphqlData(
            federation.gatewayUrl,
            query,
            variables,
            await federation.authorization('province', officer),
          );
        await runScenario(write, model, random, {
          provinces: PROVINCES,
          waitForRelay: () => federation.waitForRelay(),
        });
        // Passengers of other provinces move in their home province once the relay has delivered.
        await federation.waitForRelay();
        const { inside, outside } = scopesWithData(model, random);
        expect(inside.length).toBeGreaterThan(20);
        const answers = await summaries(inside);
        inside.forEach((scope, i) => {
          expect(answers[i], `scope ${scope}`).toEqual(expectedSummary(model, scope));
        });
        for (const scope of outside) {
          const { summary } = await read<{
            summary: { transport: SummaryFigures['transport']; health: SummaryFigures['health'] };
          }>(`query($s: RegionCode) { summary(scope: $s) { ${TRANSPORT_SELECTION} ${HEALTH_SELECTION} } }`, {
            s: scope,
          });
          // A province outside the hub keeps no copy of the trips organised into it, and its
          // Summary is its own (#17.2): zeros, though the model has trips there (counted by
          // their organisers in the nation's and their own scopes).
          const expected = zeroFigures();
          expect(
            normalise({ ...zeroFigures(), transport: summary.transport }).transport,
            `transport of ${scope}`,
          ).toEqual(expected.transport);
          expect(summary.health, `health of ${scope}`).toEqual(expected.health);
        }
        // The round exercised the relay: trips organised outside their origin's province, and
        // workers handed over by a province other than their home's.
        const trips = [...model.trips.values()];
        expect(trips.some((t) => provinceOf(t.organizer) !== provinceOf(t.origin))).toBe(true);
        expect(
          trips.some(
            (t) =>
              t.status === 'HANDED_OVER' &&
              t.boarded.some((w) => provinceOf(model.workers.get(w)!.home) !== provinceOf(t.organizer)),
          ),
        ).toBe(true);
        const nation = answers[0]!;
        expect(nation.workers.registered).toBe(model.workers.size);
        expect(nation.transport.internal.trips).toBeGreaterThan(0);
        // The nation's corridors (contract 1.2): each key sums the trips between its two provinces
        // that every organising province counted, so together they are every such trip not cancelled.
        const crossing = trips.filter(
          (t) => t.status !== 'CANCELLED' && provinceOf(t.origin) !== provinceOf(t.destination),
        );
        expect(crossing.length).toBeGreaterThan(0);
        expect(nation.transport.corridors.reduce((sum, c) => sum + c.trips, 0)).toBe(crossing.length);
        for (const c of nation.transport.corridors) {
          const mine = crossing.filter(
            (t) => `${provinceOf(t.origin)}-${provinceOf(t.destination)}` === c.key,
          );
          expect(c, `corridor ${c.key}`).toMatchObject({
            origin: { code: provinceOf(mine[0]!.origin) },
            destination: { code: provinceOf(mine[0]!.destination) },
            trips: mine.length,
          });
        }
        expect(nation.transport.corridors.map((c) => c.key)).toEqual(
          [...new Set(crossing.map((t) => `${provinceOf(t.origin)}-${provinceOf(t.destination)}`))].sort(),
        );
      }, 60_000);
    }

    it("Summary.children: in one request, the 31 provinces and a province's cities, each equal to its own summary and to the recount", async () => {
      type Child = SummaryFigures & { scope: string; day: string; region: { code: string; name: string } };
      const childrenOf = async (scope: string | null): Promise<Child[]> =>
        (
          await read<{ summary: { children: Child[] } }>(
            `query($s: RegionCode) { summary(scope: $s) { children { region { code name } ${CHILD_SUMMARY_SELECTION} } } }`,
            { s: scope },
          )
        ).summary.children;
      const provinces = await childrenOf(null);
      const codes = [...childRegionCodes(null)].sort();
      expect(provinces.map((c) => [c.scope, c.day, c.region.code])).toEqual(
        codes.map((c) => [c, 'LATEST', c]),
      );
      // Equal to the provinces asked one by one, and to the recount: outside the federation zeros,
      // not an error (no province keeps its figures: #17.2, a province's Summary is its own).
      // The children carry every figure but the corridors (CHILD_SUMMARY_SELECTION: the cost limit).
      expect(provinces.map(normalise)).toEqual((await summaries(codes)).map(withoutCorridors));
      for (const child of provinces) {
        expect(normalise(child), `child ${child.scope}`).toEqual(
          withoutCorridors(federated(child.scope) ? expectedSummary(model, child.scope) : zeroFigures()),
        );
        if (!federated(child.scope)) {
          expect(child.workers).toEqual(zeroFigures().workers);
          expect(normalise(child).employment).toEqual(zeroFigures().employment);
        }
      }
      expect(provinces.filter((c) => c.workers.registered > 0).map((c) => c.scope)).toEqual(PROVINCES);
      for (const province of PROVINCES) {
        const cities = await childrenOf(province);
        const cityCodes = [...childRegionCodes(province)].sort();
        expect(cities.map((c) => c.scope)).toEqual(cityCodes);
        expect(cities.map(normalise)).toEqual((await summaries(cityCodes)).map(withoutCorridors));
        for (const city of cities)
          expect(normalise(city), `city ${city.scope}`).toEqual(
            withoutCorridors(expectedSummary(model, city.scope)),
          );
      }
    }, 60_000);

    it('a past day reads its end-of-day snapshot (zeros: everything happened today); today reads the live figures', async () => {
      const { today, yesterday } = chinaDays();
      const scopes = [NATION, ...PROVINCES, '441900', '450200'];
      const live = scopes.map((scope) => expectedSummary(model, scope));
      expect(await summaries(scopes, today)).toEqual(live);
      expect(await summaries(scopes, yesterday)).toEqual(scopes.map(() => zeroFigures()));
      for (const [i, scope] of scopes.entries()) {
        const { dailySeries } = await read<{ dailySeries: (SummaryFigures & { day: string })[] }>(
          `query($s: RegionCode, $f: Date!, $t: Date!) { dailySeries(scope: $s, from: $f, to: $t) { ${SUMMARY_SELECTION} } }`,
          { s: scope === NATION ? null : scope, f: yesterday, t: today },
        );
        expect(dailySeries.map((d) => d.day)).toEqual([yesterday, today]);
        expect(dailySeries.map(normalise), `series of ${scope}`).toEqual([zeroFigures(), live[i]]);
      }
    }, 60_000);
  },
);
