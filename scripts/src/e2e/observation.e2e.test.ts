/**
 * Observation at the receiving place (#14.4) end to end, over real processes (Guangdong 440000,
 * Guangxi 450000, national, the gateway; Postgres with DATABASE_URL, else PGlite): two Guangxi
 * workers travel on a Guangxi bus to Shenzhen (440300); Shenzhen's officer puts them under
 * observation (one from 15 days ago), lists the active observations (Dongguan's officer may not),
 * Guangxi's own record of the worker follows through the relay (status OBSERVATION,
 * `Worker.observation` resolved from Guangdong's `health` subgraph through the gateway), stays
 * OBSERVATION at the hand-over, and is AT_WORK once the observation is released; a release before
 * the days have run is CONFLICT.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { residentIdFrom } from '@p2p/schema';
import { graphqlData, graphqlRequest } from '@p2p/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { REPO_ROOT, SERVICE_ENTRIES } from '../harness/service-process.js';

const GUANGDONG = '440000';
const GUANGXI = '450000';
const SHENZHEN = '440300';
const DONGGUAN = '441900';
const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const REGISTER = `mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }`;
const HEALTH = `mutation($w: ID!, $i: HealthCheckInput!) { recordHealthCheck(workerId: $w, input: $i) { id } }`;
const PLAN = `mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }`;
const ASSIGN = `mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }`;
const DEPART = `mutation($t: ID!, $b: [BoardingInput!]!) { departTrip(tripId: $t, boarded: $b) { id status } }`;
const ARRIVE = `mutation($t: ID!, $i: ConfirmArrivalInput!) { confirmArrival(tripId: $t, input: $i) { id status } }`;
const HAND_OVER = `mutation($t: ID!) { handOverTrip(tripId: $t, handedOverTo: "深圳市人社局") { id status } }`;
const START = `mutation($i: StartObservationInput!) { startObservation(input: $i) { id active endsAt worker { id } } }`;
const END = `mutation($o: ID!, $out: ObservationOutcome!) { endObservation(observationId: $o, outcome: $out) { id active outcome } }`;
const ACTIVE = `query($r: RegionCode!) { observations(region: $r, active: true) { totalCount edges { node { id region { code } worker { id } } } } }`;
/** The ministry's figures: observations in Shenzhen (where they happen), Guangxi's workers (at home). */
const FIGURES = `{ shenzhen: summary(scope: "440300") { health { underObservation released } }
  liuzhou: summary(scope: "450203") { workers { underObservation atWork } } }`;
const RECORD = `query($id: ID!) { worker(id: $id) { status workRegion { code } observation { id kind site active } } }`;

describe.skipIf(!servicesExist)(
  `observation at the receiving place through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  () => {
    let federation: RunningFederation;
    const headers = (role: 'province' | 'city', region: string) => federation.authorization(role, region);
    const as = async <T = any>(
      role: 'province' | 'city',
      region: string,
      query: string,
      variables: Record<string, unknown> = {},
    ) => graphqlData<T>(federation.gatewayUrl, query, variables, await headers(role, region));
    const figures = async () =>
      graphqlData<any>(federation.gatewayUrl, FIGURES, {}, await federation.authorization('ministry'));
    const homeRecord = async (id: string) =>
      (await as('province', GUANGXI, RECORD, { id })).worker as {
        status: string;
        workRegion: { code: string } | null;
        observation: { id: string; kind: string; site: string; active: boolean } | null;
      };

    let workers: string[];
    let trip: string;
    let observation: string;

    beforeAll(async () => {
      federation = await startFederation({
        provinces: [GUANGDONG, GUANGXI],
        gatewayEnv: { RATE_LIMIT_PER_SECOND: '0' },
      });
      // Two Liuzhou workers, registered and checked by Guangxi (a GREEN code valid for the journey).
      workers = [];
      for (const serial of [1, 2]) {
        const { registerWorker } = await as('province', GUANGXI, REGISTER, {
          i: {
            name: `桂工${serial}`,
            idNumber: residentIdFrom('450203', '19890101', 300 + serial),
            phone: `1397720${String(1000 + serial)}`,
            homeRegion: '450203',
          },
        });
        workers.push(registerWorker.id);
        const checkedAt = new Date(Date.now() - 2 * DAY);
        await as('province', GUANGXI, HEALTH, {
          w: registerWorker.id,
          i: {
            code: 'GREEN',
            issuedBy: GUANGXI,
            checkedAt: checkedAt.toISOString(),
            validUntil: new Date(Date.now() + 5 * DAY).toISOString(),
            nucleicAcid: 'NEGATIVE',
            testedAt: checkedAt.toISOString(),
          },
        });
      }
      // A Guangxi bus from Liuzhou to Shenzhen: planned, boarded, departed, met in Shenzhen.
      trip = (
        await as('province', GUANGXI, PLAN, {
          i: {
            mode: 'BUS',
            vehicleCode: '桂B·OBS01',
            origin: '450200',
            destination: SHENZHEN,
            departureAt: new Date(Date.now() - 12 * HOUR).toISOString(),
            expectedArrivalAt: new Date(Date.now() - HOUR).toISOString(),
            capacity: 40,
          },
        })
      ).planTrip.id;
      await as('province', GUANGXI, ASSIGN, { t: trip, w: workers });
      const { departTrip } = await as('province', GUANGXI, DEPART, {
        t: trip,
        b: workers.map((workerId) => ({ workerId, temperature: 36.5 })),
      });
      expect(departTrip.status).toBe('DEPARTED');
      await as('city', SHENZHEN, ARRIVE, {
        t: trip,
        i: {
          arrivedAt: new Date(Date.now() - 30 * 60_000).toISOString(),
          headcount: 2,
          checks: workers.map((workerId) => ({ workerId, temperature: 36.6 })),
        },
      });
      await federation.waitForRelay();
    }, 180_000);
    afterAll(() => federation?.close(), 60_000);

    it("should let Shenzhen's officer observe the worker from 15 days ago and list the active observations; not Dongguan's", async () => {
      const startedAt = new Date(Date.now() - 15 * DAY).toISOString();
      const { startObservation } = await as('city', SHENZHEN, START, {
        i: {
          workerId: workers[0],
          region: SHENZHEN,
          kind: 'CENTRALISED',
          site: '深圳市集中隔离点',
          startedAt,
        },
      });
      observation = startObservation.id;
      expect(startObservation).toMatchObject({ active: true, worker: { id: workers[0] } });
      expect(Date.parse(startObservation.endsAt)).toBe(Date.parse(startedAt) + 14 * DAY);

      const { observations } = await as('city', SHENZHEN, ACTIVE, { r: SHENZHEN });
      expect(observations).toEqual({
        totalCount: 1,
        edges: [{ node: { id: observation, region: { code: SHENZHEN }, worker: { id: workers[0] } } }],
      });
      const dongguan = await graphqlRequest(
        federation.gatewayUrl,
        ACTIVE,
        { r: SHENZHEN },
        await headers('city', DONGGUAN),
      );
      expect(dongguan.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(dongguan.data?.observations ?? null).toBeNull();
      const dongguanStart = await graphqlRequest(
        federation.gatewayUrl,
        START,
        { i: { workerId: workers[1], region: SHENZHEN, kind: 'HOME', site: '某小区' } },
        await headers('city', DONGGUAN),
      );
      expect(dongguanStart.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('should put his home record under OBSERVATION, show Worker.observation through the gateway, and keep him so at the hand-over', async () => {
      await federation.waitForRelay();
      expect(await homeRecord(workers[0]!)).toEqual({
        status: 'OBSERVATION',
        workRegion: null,
        observation: { id: observation, kind: 'CENTRALISED', site: '深圳市集中隔离点', active: true },
      });
      // the worker himself reads his own observation
      const himself = await graphqlData<any>(
        federation.gatewayUrl,
        'query($id: ID!) { worker(id: $id) { observation { id endsAt } } }',
        { id: workers[0] },
        await federation.authorization('worker', undefined, workers[0]),
      );
      expect(himself.worker.observation.id).toBe(observation);
      const listed = await as(
        'province',
        GUANGXI,
        '{ workers(homeRegion: "450203", status: OBSERVATION) { edges { node { id } } } }',
      );
      expect(listed.workers.edges).toEqual([{ node: { id: workers[0] } }]);
      expect(await figures()).toEqual({
        shenzhen: { health: { underObservation: 1, released: 0 } },
        liuzhou: { workers: { underObservation: 1, atWork: 0 } },
      });

      const { handOverTrip } = await as('city', SHENZHEN, HAND_OVER, { t: trip });
      expect(handOverTrip.status).toBe('HANDED_OVER');
      await federation.waitForRelay();
      expect(await homeRecord(workers[0]!)).toMatchObject({
        status: 'OBSERVATION',
        workRegion: { code: SHENZHEN },
      });
      expect((await homeRecord(workers[1]!)).status).toBe('AT_WORK');
    });

    it('should release him: his home record AT_WORK in Shenzhen once the relay has carried it', async () => {
      const { endObservation } = await as('city', SHENZHEN, END, { o: observation, out: 'RELEASED' });
      expect(endObservation).toEqual({ id: observation, active: false, outcome: 'RELEASED' });
      await federation.waitForRelay();
      expect(await homeRecord(workers[0]!)).toEqual({
        status: 'AT_WORK',
        workRegion: { code: SHENZHEN },
        observation: { id: observation, kind: 'CENTRALISED', site: '深圳市集中隔离点', active: false },
      });
      // the ministry's figures follow: released where it happened, at work in his home's counts
      expect(await figures()).toEqual({
        shenzhen: { health: { underObservation: 0, released: 1 } },
        liuzhou: { workers: { underObservation: 0, atWork: 2 } },
      });
    });

    it('should refuse a release before the days have run (CONFLICT), naming the date', async () => {
      const { startObservation } = await as('city', SHENZHEN, START, {
        i: { workerId: workers[1], region: SHENZHEN, kind: 'HOME', site: '福田区某小区' },
      });
      const early = await graphqlRequest(
        federation.gatewayUrl,
        END,
        { o: startObservation.id, out: 'RELEASED' },
        await headers('city', SHENZHEN),
      );
      expect(early.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(early.errors?.[0]?.message).toContain(`release is possible from ${startObservation.endsAt}`);
      await federation.waitForRelay();
      expect((await homeRecord(workers[1]!)).status).toBe('OBSERVATION');
    });
  },
);
