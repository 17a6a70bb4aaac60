/**
 * The relay end to end, over real processes (Henan 410000, Guangdong 440000, Guangxi 450000,
 * national, the gateway; Postgres with DATABASE_URL, else PGlite): a Henan worker on a bus that
 * Guangxi organises to Shenzhen (440300) goes AT_HOME → TRAVELLING → AT_WORK in Henan's own
 * record, read through the gateway, and the summaries of Henan and of the nation move by exactly
 * one in `atWork` and `flow.crossProvince`:
 * - with everything running;
 * - with Henan's process killed while the bus travels and started again after the hand-over (the
 *   hand-over takes effect once, after the restart);
 * - with the gateway restarted while the facts are on their way;
 * - with a second gateway process relaying at the same time as the first (each event applied once:
 *   Henan's inbox counts exactly the events Guangxi wrote for it).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CALLER_HEADER,
  importGatewaySigningKey,
  RELAY_CALLER,
  RELAY_ENDPOINTS,
  residentIdFrom,
  signCallerAssertion,
  type RelayEventsAnswer,
  type RelayInboxAnswer,
} from '@p2p/schema';
import { graphqlData } from '@p2p/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { REPO_ROOT, SERVICE_ENTRIES, type ServiceProcess } from '../harness/service-process.js';

const HENAN = '410000';
const GUANGDONG = '440000';
const GUANGXI = '450000';
const SHENZHEN = '440300';
const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));

const REGISTER = `mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id status } }`;
const PLAN = `mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }`;
const ASSIGN = `mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }`;
const DEPART = `mutation($t: ID!, $b: [BoardingInput!]!) { departTrip(tripId: $t, boarded: $b) { id status } }`;
const ARRIVE = `mutation($t: ID!, $i: ConfirmArrivalInput!) { confirmArrival(tripId: $t, input: $i) { id status } }`;
const RECORD = `query($id: ID!) { worker(id: $id) { status workRegion { code } currentTrip { id status } trips { id } } }`;
const FIGURES = `query {
  henan: summary(scope: "${HENAN}") { workers { atHome travelling atWork flow { crossProvince } } }
  nation: summary { workers { atHome travelling atWork flow { crossProvince } } }
}`;

interface WorkerFigures {
  atHome: number;
  travelling: number;
  atWork: number;
  flow: { crossProvince: number };
}
interface Figures {
  henan: { workers: WorkerFigures };
  nation: { workers: WorkerFigures };
}
interface HomeRecord {
  status: string;
  workRegion: { code: string } | null;
  currentTrip: { id: string; status: string } | null;
  trips: { id: string }[];
}

/** The change of each figure from `before` to `after`. */
function moved(before: Figures, after: Figures) {
  const delta = (b: WorkerFigures, a: WorkerFigures) => ({
    atHome: a.atHome - b.atHome,
    travelling: a.travelling - b.travelling,
    atWork: a.atWork - b.atWork,
    crossProvince: a.flow.crossProvince - b.flow.crossProvince,
  });
  return {
    henan: delta(before.henan.workers, after.henan.workers),
    nation: delta(before.nation.workers, after.nation.workers),
  };
}

const ONE_AT_WORK = { atHome: -1, travelling: 0, atWork: 1, crossProvince: 1 };

describe.skipIf(!servicesExist)(
  `the relay: a Henan worker on a Guangxi bus to Shenzhen (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  () => {
    let federation: RunningFederation;
    let serial = 0;
    const as = async (role: 'province' | 'city', region: string) => federation.authorization(role, region);
    const write = async <T>(
      query: string,
      variables: Record<string, unknown>,
      role: 'province' | 'city',
      region: string,
    ) => graphqlData<T>(federation.gatewayUrl, query, variables, await as(role, region));
    const figures = async () =>
      graphqlData<Figures>(federation.gatewayUrl, FIGURES, {}, await federation.authorization('ministry'));
    const homeRecord = async (id: string) =>
      (
        await graphqlData<{ worker: HomeRecord }>(
          federation.gatewayUrl,
          RECORD,
          { id },
          await as('province', HENAN),
        )
      ).worker;

    /** A Henan worker at home, registered by Henan. */
    const henanWorker = async (): Promise<string> => {
      serial++;
      const { registerWorker } = await write<{ registerWorker: { id: string; status: string } }>(
        REGISTER,
        {
          i: {
            name: `豫工${serial}`,
            idNumber: residentIdFrom('411602', '19880301', 100 + serial),
            phone: `139${String(10_000_000 + serial).slice(-8)}`,
            homeRegion: '411602',
          },
        },
        'province',
        HENAN,
      );
      expect(registerWorker.status).toBe('AT_HOME');
      return registerWorker.id;
    };

    /** A Guangxi bus from Liuzhou to Shenzhen carrying `workers`, departed; its id. */
    const departedBus = async (workers: string[]): Promise<string> => {
      const { planTrip } = await write<{ planTrip: { id: string } }>(
        PLAN,
        {
          i: {
            mode: 'BUS',
            vehicleCode: `桂B-${serial}`,
            origin: '450200',
            destination: SHENZHEN,
            departureAt: new Date(Date.now() - 3_600_000).toISOString(),
            expectedArrivalAt: new Date(Date.now() + 3_600_000).toISOString(),
            capacity: 40,
          },
        },
        'province',
        GUANGXI,
      );
      // #14: their home officer's GREEN codes travel to the organiser's gate (HEALTH_COPY) when assigned
      for (const w of workers)
        await write(
          'mutation($w: ID!, $i: HealthCheckInput!) { recordHealthCheck(workerId: $w, input: $i) { id } }',
          {
            w,
            i: {
              code: 'GREEN',
              issuedBy: HENAN,
              checkedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
              validUntil: new Date(Date.now() + 3 * 86_400_000).toISOString(),
            },
          },
          'province',
          HENAN,
        );
      await write(ASSIGN, { t: planTrip.id, w: workers }, 'province', GUANGXI);
      await federation.waitForRelay();
      await write(
        DEPART,
        { t: planTrip.id, b: workers.map((workerId) => ({ workerId, temperature: 36.5 })) },
        'province',
        GUANGXI,
      );
      return planTrip.id;
    };

    /** Shenzhen meets the bus and hands its passengers over. */
    const handOver = (tripId: string, headcount: number) =>
      write(
        ARRIVE,
        {
          t: tripId,
          i: {
            arrivedAt: new Date(Date.now() - 60_000).toISOString(),
            headcount,
            handedOverTo: '深圳市人社局',
          },
        },
        'city',
        SHENZHEN,
      );

    beforeAll(async () => {
      federation = await startFederation({
        provinces: [HENAN, GUANGDONG, GUANGXI],
        gatewayEnv: { RATE_LIMIT_PER_SECOND: '0' },
      });
    }, 180_000);
    afterAll(() => federation?.close(), 60_000);

    it('should move him AT_HOME → TRAVELLING → AT_WORK (440300) in Henan’s own record, and Henan’s and the nation’s summary by exactly one', async () => {
      const worker = await henanWorker();
      const before = await figures();
      const trip = await departedBus([worker]);
      await federation.waitForRelay();
      expect(await homeRecord(worker)).toMatchObject({
        status: 'TRAVELLING',
        currentTrip: { id: trip, status: 'DEPARTED' },
      });
      expect(moved(before, await figures()).henan).toEqual({
        atHome: -1,
        travelling: 1,
        atWork: 0,
        crossProvince: 0,
      });
      await handOver(trip, 1);
      await federation.waitForRelay();
      expect(await homeRecord(worker)).toEqual({
        status: 'AT_WORK',
        workRegion: { code: SHENZHEN },
        currentTrip: null,
        trips: [{ id: trip }],
      });
      expect(moved(before, await figures())).toEqual({ henan: ONE_AT_WORK, nation: ONE_AT_WORK });
    });

    it('should apply the hand-over once, after Henan comes back, when Henan was killed while the bus travelled', async () => {
      const worker = await henanWorker();
      const before = await figures();
      const trip = await departedBus([worker]);
      await federation.waitForRelay();
      expect((await homeRecord(worker)).status).toBe('TRAVELLING');
      await federation.stopProvince(HENAN, { graceMs: 0 });
      await handOver(trip, 1);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await federation.startProvince(HENAN);
      await federation.waitForRelay({ timeoutMs: 60_000 });
      expect(await homeRecord(worker)).toMatchObject({
        status: 'AT_WORK',
        workRegion: { code: SHENZHEN },
        currentTrip: null,
      });
      expect(moved(before, await figures())).toEqual({ henan: ONE_AT_WORK, nation: ONE_AT_WORK });
    }, 120_000);

    it('should carry the facts through a restart of the gateway', async () => {
      const worker = await henanWorker();
      const before = await figures();
      const trip = await departedBus([worker]);
      await federation.restartGateway();
      await federation.waitForRelay({ timeoutMs: 60_000 });
      expect((await homeRecord(worker)).status).toBe('TRAVELLING');
      // The gateway goes down right after the hand-over commits, with the fact on its way.
      await handOver(trip, 1);
      await federation.restartGateway();
      await federation.waitForRelay({ timeoutMs: 60_000 });
      expect(await homeRecord(worker)).toMatchObject({ status: 'AT_WORK', workRegion: { code: SHENZHEN } });
      expect(moved(before, await figures())).toEqual({ henan: ONE_AT_WORK, nation: ONE_AT_WORK });
    }, 120_000);

    it('should show the relay: up/down per source on the public /health, positions, backlogs and lags behind the admin token', async () => {
      await departedBus([await henanWorker()]);
      await federation.waitForRelay();
      const base = federation.gatewayUrl.replace(/\/graphql$/, '');
      const admin = { authorization: `Bearer ${federation.adminToken}` };
      const open = await (await fetch(`${base}/health`)).json();
      expect(open.relay).toEqual([
        { source: HENAN, state: 'up' },
        { source: GUANGDONG, state: 'up' },
        { source: GUANGXI, state: 'up' },
      ]);
      expect(JSON.stringify(open)).not.toMatch(/position|backlog|epoch/);
      for (const path of ['/health/details', '/metrics', '/relay/backlog'])
        expect((await fetch(`${base}${path}`)).status).toBe(401);
      const details = await (await fetch(`${base}/health/details`, { headers: admin })).json();
      const pair = details.relay.pairs.find(
        (p: { source: string; target: string }) => p.source === GUANGXI && p.target === HENAN,
      );
      expect(pair).toMatchObject({ backlog: 0, alarm: null, behindRetention: false });
      expect(pair.position).toBeGreaterThan(0);
      expect(pair.lagSeconds).toBeGreaterThanOrEqual(0);
      expect(details.relay.sources.find((s: { source: string }) => s.source === GUANGXI)).toMatchObject({
        state: 'up',
        backlog: 0,
      });
      const metrics = await (await fetch(`${base}/metrics`, { headers: admin })).text();
      expect(metrics).toMatch(/p2p_gateway_relay_backlog_events\{source="450000",target="410000"\} 0/);
      expect(metrics).toMatch(/p2p_gateway_relay_lag_seconds_count\{source="450000",target="410000"\} [1-9]/);
      expect(metrics).toMatch(/p2p_gateway_relay_source_up\{source="410000"\} 1/);
      const backlog = await (await fetch(`${base}/relay/backlog`, { headers: admin })).json();
      expect(backlog).toMatchObject({ caughtUp: true, unreachable: [] });
      expect(backlog.pairs).toHaveLength(6);
    });

    describe('with a second gateway relaying at the same time', () => {
      let replica: ServiceProcess;
      /** POSTs to a province's relay endpoint as the relay (signed with the federation's gateway key). */
      const relayPost = async <T>(province: string, path: string, body: unknown): Promise<T> => {
        const text = JSON.stringify(body);
        const key = await importGatewaySigningKey(federation.gatewayKeys.privateKeyPem);
        const res = await fetch(`${federation.provinceUrls[province]}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [CALLER_HEADER]: signCallerAssertion(RELAY_CALLER, key, { province, body: text }),
          },
          body: text,
        });
        expect(res.status).toBe(200);
        return (await res.json()) as T;
      };

      beforeAll(async () => {
        replica = await federation.startGatewayReplica();
      }, 60_000);
      afterAll(() => replica?.stop());

      it('should apply each event once: Henan’s inbox counts exactly the events Guangxi wrote for it', async () => {
        const workers = await Promise.all(Array.from({ length: 6 }, () => henanWorker()));
        const before = await figures();
        const trips = await Promise.all([departedBus(workers.slice(0, 3)), departedBus(workers.slice(3))]);
        await Promise.all(trips.map((trip) => handOver(trip, 3)));
        await federation.waitForRelay({ timeoutMs: 60_000 });
        const records = await Promise.all(workers.map((w) => homeRecord(w)));
        expect(records.map((r) => r.status)).toEqual(Array(6).fill('AT_WORK'));
        const six = { atHome: -6, travelling: 0, atWork: 6, crossProvince: 6 };
        expect(moved(before, await figures())).toEqual({ henan: six, nation: six });
        const { inbox } = await relayPost<RelayInboxAnswer>(HENAN, RELAY_ENDPOINTS.inbox, {});
        const fromGuangxi = inbox.find((row) => row.source === GUANGXI)!;
        const written = await relayPost<RelayEventsAnswer>(GUANGXI, RELAY_ENDPOINTS.events, {
          consumers: [{ target: HENAN, epoch: null, after: 0 }],
          limit: 0,
        });
        expect(written.consumers[0]!.pending).toBeGreaterThan(0);
        expect(fromGuangxi).toMatchObject({
          epoch: written.epoch,
          position: written.consumers[0]!.head,
          applied: written.consumers[0]!.pending,
        });
      }, 120_000);
    });
  },
);
