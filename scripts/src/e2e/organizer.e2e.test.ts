/**
 * A Hebei-organised pick-up from Zhoukou (#13.2, report 004: Huailai County ran a direct bus that
 * brought 17 workers back from Zhoukou, Henan), over real processes (Hebei, Henan, national, the
 * gateway), everything through the gateway as the officers the access rules want:
 * - planned by a Huailai (130730) officer, owned by Hebei (its id), organiser 130730;
 * - counted in Henan's outbound and Hebei's inbound transport (`summary` of each);
 * - managed by the organiser (a Henan officer may not cancel it), its manifest corrected with
 *   `removePassengers`;
 * - visible to a Henan officer in `trips(origin: "410000")`: the origin's province serves the
 *   relayed copy (TRIP_COPY), which needs the relay between provinces (see the skipped test).
 * PGlite, or PostgreSQL with DATABASE_URL.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { graphqlData, graphqlRequest } from '@p2p/runtime';
import { residentIdFrom } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { REPO_ROOT, SERVICE_ENTRIES } from '../harness/service-process.js';

const PROVINCES = ['130000', '410000'];
const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));

const TRANSPORT = `query($henan: RegionCode, $hebei: RegionCode) {
  henan: summary(scope: $henan) { transport { outbound { trips passengers } inbound { trips passengers } } }
  hebei: summary(scope: $hebei) { transport { outbound { trips passengers } inbound { trips passengers } } } }`;
const TRIP =
  'id status organizer { code name } origin { code } destination { code } passengers { worker { id } boarded }';

interface Figures {
  outbound: { trips: number; passengers: number };
  inbound: { trips: number; passengers: number };
}

describe.skipIf(!servicesExist)(
  `a pick-up organised by the receiving side, over Hebei and Henan (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  () => {
    let federation: RunningFederation;
    let tripId: string;
    let workers: string[];
    const as = async (role: 'province' | 'city' | 'ministry', region?: string) =>
      role === 'ministry' ? federation.authorization('ministry') : federation.authorization(role, region);
    const call = async <T = any>(
      query: string,
      variables: Record<string, unknown>,
      role: 'province' | 'city' | 'ministry',
      region?: string,
    ) => graphqlData<T>(federation.gatewayUrl, query, variables, await as(role, region));
    const transport = async () =>
      (await call<{ henan: { transport: Figures }; hebei: { transport: Figures } }>(
        TRANSPORT,
        { henan: '410000', hebei: '130000' },
        'ministry',
      )) as { henan: { transport: Figures }; hebei: { transport: Figures } };

    beforeAll(async () => {
      federation = await startFederation({
        provinces: PROVINCES,
        gatewayEnv: { RATE_LIMIT_PER_SECOND: '0' },
      });
      const inputs = Array.from({ length: 3 }, (_, i) => ({
        name: `周口工人${i}`,
        idNumber: residentIdFrom('411602', '19900101', i + 1),
        phone: `1390000000${i}`,
        homeRegion: '411602',
      }));
      const { registerWorkers } = await call<{ registerWorkers: { id: string }[] }>(
        'mutation($i: [RegisterWorkerInput!]!) { registerWorkers(inputs: $i) { id } }',
        { i: inputs },
        'city',
        '411600',
      );
      workers = registerWorkers.map((w) => w.id);
    }, 180_000);
    afterAll(() => federation?.close(), 60_000);

    it('should let a Huailai officer plan the pick-up, owned by Hebei, and count it in Henan outbound and Hebei inbound', async () => {
      const before = await transport();
      const { planTrip } = await call(
        `mutation($input: PlanTripInput!) { planTrip(input: $input) { ${TRIP} } }`,
        {
          input: {
            organizer: '130730',
            mode: 'BUS',
            vehicleCode: '冀G·00017',
            origin: '411600',
            destination: '130730',
            departureAt: '2020-02-24T07:00:00+08:00',
            expectedArrivalAt: '2020-02-24T19:00:00+08:00',
            capacity: 17,
          },
        },
        'city',
        '130730',
      );
      tripId = planTrip.id;
      expect(tripId).toMatch(/^T13-/);
      expect(planTrip).toMatchObject({
        status: 'PLANNED',
        organizer: { code: '130730', name: '怀来县' },
        origin: { code: '411600' },
        destination: { code: '130730' },
      });
      const { assignPassengers } = await call(
        `mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { ${TRIP} } }`,
        { t: tripId, w: workers },
        'city',
        '130730',
      );
      expect(assignPassengers.passengers).toHaveLength(3);
      // Henan's figures come from Henan, which counts Hebei's trip from its relayed copy (#17.2).
      await federation.waitForRelay();
      const after = await transport();
      expect(after.henan.transport.outbound).toEqual({
        trips: before.henan.transport.outbound.trips + 1,
        passengers: before.henan.transport.outbound.passengers + 3,
      });
      expect(after.hebei.transport.inbound).toEqual({
        trips: before.hebei.transport.inbound.trips + 1,
        passengers: before.hebei.transport.inbound.passengers + 3,
      });
      expect(after.hebei.transport.outbound).toEqual(before.hebei.transport.outbound);
      expect(after.henan.transport.inbound).toEqual(before.henan.transport.inbound);
    });

    it('should leave its management to the organiser: a Henan officer may not cancel it; the organiser corrects the manifest', async () => {
      const refused = await graphqlRequest(
        federation.gatewayUrl,
        'mutation($t: ID!) { cancelTrip(tripId: $t, reason: "x") { id } }',
        { t: tripId },
        await as('province', '410000'),
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      await federation.waitForRelay();
      const before = await transport();
      const { removePassengers } = await call(
        `mutation($t: ID!, $w: [ID!]!) { removePassengers(tripId: $t, workerIds: $w) { ${TRIP} } }`,
        { t: tripId, w: [workers[2]] },
        'city',
        '130730',
      );
      expect(removePassengers.passengers.map((p: { worker: { id: string } }) => p.worker.id)).toEqual(
        workers.slice(0, 2).sort(),
      );
      await federation.waitForRelay();
      expect((await transport()).henan.transport.outbound.passengers).toBe(
        before.henan.transport.outbound.passengers - 1,
      );
    });

    // Hebei's TRIP_COPY fact reaches Henan through the relay.
    it('should show the trip to a Henan officer in trips(origin: "410000") once the relay delivered Hebei\'s copy', async () => {
      const TRIPS = `query($o: RegionCode!) { trips(origin: $o, first: 10) { totalCount edges { node { ${TRIP} } } } }`;
      // Every fact told so far, the removal's included: the copy may show before its last change.
      await federation.waitForRelay();
      const deadline = Date.now() + 20_000;
      let found: any;
      while (!found && Date.now() < deadline) {
        const { trips } = await call(TRIPS, { o: '410000' }, 'province', '410000');
        found = trips.edges
          .map((e: { node: { id: string } }) => e.node)
          .find((t: { id: string }) => t.id === tripId);
        if (!found) await new Promise((r) => setTimeout(r, 250));
      }
      expect(found, 'the copy reached Henan within 20 s').toBeDefined();
      expect(found).toMatchObject({
        organizer: { code: '130730' },
        origin: { code: '411600' },
        status: 'PLANNED',
      });
      expect(found.passengers).toHaveLength(2);
      // The city of the origin sees it too, and the copy is counted once: Henan's outbound is Hebei's count.
      const { trips } = await call(TRIPS, { o: '411600' }, 'city', '411600');
      expect(trips.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(tripId);
      const figures = await transport();
      expect(figures.henan.transport.outbound.trips).toBe(1);
    });
  },
);
