/**
 * End to end over real processes: three provinces (Hebei, Henan, Guangxi), national and the
 * gateway, seeded with the part of the demo they can hold, queried through the gateway.
 * Runs on PGlite, or on PostgreSQL with DATABASE_URL set.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { graphqlData, graphqlRequest } from '@p2p/runtime';
import { REPO_ROOT, SERVICE_ENTRIES } from '../harness/service-process.js';
import { seedDemo, type DemoIds } from '../demo/seed.js';

const PROVINCES = ['130000', '410000', '450000'];
const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));

const TRIP = `query Trip($id: ID!) {
  trip(id: $id) {
    id vehicleCode status origin { code name } destination { code fullName }
    passengers { boarded temperature worker { id name homeRegion { code fullName } } }
  }
}`;

describe.skipIf(!servicesExist)(
  `the demo over 3 provinces (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  () => {
    let federation: RunningFederation;
    let ids: DemoIds;
    /** The ministry reads everything (personal identifiers masked). */
    let ministry: Record<string, string>;
    beforeAll(async () => {
      federation = await startFederation({ provinces: PROVINCES });
      ministry = await federation.authorization('ministry');
      ids = await seedDemo(federation.gatewayUrl, {
        provinces: PROVINCES,
        tokenFor: federation.tokenFor,
        waitForRelay: () => federation.waitForRelay(),
      });
    }, 180_000);
    afterAll(() => federation?.close(), 60_000);

    it('a Hebei bus carries Hebei and Henan workers, named by their home provinces', async () => {
      const { trip } = await graphqlData(
        federation.gatewayUrl,
        TRIP,
        { id: ids.trips['shexian-chengdu-bus'] },
        ministry,
      );
      expect(trip).toMatchObject({
        vehicleCode: '冀D·K6218',
        status: 'ARRIVED',
        origin: { code: '130426', name: '涉县' },
        destination: { code: '510116' },
      });
      expect(trip.destination.fullName).toContain('成都市');
      const names = trip.passengers.map((p: { worker: { name: string } }) => p.worker.name).sort();
      expect(names).toEqual(['刘海涛', '张立新', '李红霞', '王建军', '石凤英', '秦玉山'].sort());
      const homes = new Set(
        trip.passengers.map((p: { worker: { homeRegion: { code: string } } }) =>
          p.worker.homeRegion.code.slice(0, 2),
        ),
      );
      expect(homes).toEqual(new Set(['13', '41']));
      // boarding temperatures are the organiser's and the receiving place's, not the ministry's (#11.4)
      const { trip: organised } = await graphqlData(
        federation.gatewayUrl,
        TRIP,
        { id: ids.trips['shexian-chengdu-bus'] },
        await federation.authorization('province', '130000'),
      );
      expect(
        organised.passengers.every(
          (p: { boarded: boolean; temperature: number }) =>
            p.boarded && p.temperature >= 36 && p.temperature < 37.3,
        ),
      ).toBe(true);
    });

    it('the Liuzhou special train was handed over with its eight Guangxi workers', async () => {
      const { trip } = await graphqlData(
        federation.gatewayUrl,
        TRIP,
        { id: ids.trips['liuzhou-shenzhen-train'] },
        ministry,
      );
      expect(trip).toMatchObject({ vehicleCode: 'L1502', status: 'HANDED_OVER', origin: { name: '柳南区' } });
      expect(trip.passengers).toHaveLength(8);
      expect(trip.passengers[0].worker.homeRegion.fullName).toMatch(/^广西壮族自治区 柳州市 /);
    });

    it("Huailai's return requests name Henan workers, resolved from Henan", async () => {
      const data = await graphqlData(
        federation.gatewayUrl,
        `{
      returnRequests(destination: "130730", first: 10) { totalCount edges { node { status enterprise { name } worker { name homeRegion { code } } } } }
    }`,
        undefined,
        ministry,
      );
      expect(data.returnRequests.totalCount).toBe(3);
      for (const { node } of data.returnRequests.edges) {
        expect(node).toMatchObject({ status: 'ON_POST', enterprise: { name: '怀来沙城葡萄酒业(示例)' } });
        expect(node.worker.homeRegion.code.slice(0, 2)).toBe('41');
      }
    });

    it("Hebei's summary has its region from national and every flow class", async () => {
      const { summary } = await graphqlData(
        federation.gatewayUrl,
        `{
      summary(scope: "130000") { scope region { name } workers { registered flow { withinTownship withinCounty withinCity withinProvince crossProvince } } }
    }`,
        undefined,
        ministry,
      );
      expect(summary.region.name).toBe('河北省');
      expect(summary.workers.registered).toBe(17);
      for (const [flowClass, count] of Object.entries(summary.workers.flow))
        expect(count, flowClass).toBeGreaterThanOrEqual(1);
    });

    it('bad region codes are BAD_USER_INPUT through the gateway', async () => {
      const answer = await graphqlRequest(
        federation.gatewayUrl,
        `query($c: RegionCode!) { region(code: $c) { name } }`,
        { c: '999999' },
      );
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('a restarted province still has its trips', async () => {
      await federation.stopProvince('410000');
      await federation.startProvince('410000');
      const { trip } = await graphqlData(
        federation.gatewayUrl,
        TRIP,
        { id: ids.trips['zhoukou-huailai-bus'] },
        ministry,
      );
      expect(trip).toMatchObject({ status: 'HANDED_OVER', vehicleCode: '豫P·J0916' });
      expect(trip.passengers).toHaveLength(6);
    });

    it('seeding again changes nothing (idempotency keys)', async () => {
      const again = await seedDemo(federation.gatewayUrl, {
        provinces: PROVINCES,
        tokenFor: federation.tokenFor,
        waitForRelay: () => federation.waitForRelay(),
      });
      expect(again).toEqual(ids);
    });
  },
);
