/**
 * The worker himself (#13.7) and the bulk work of an exporting province (#13.5, #13.6), through the
 * real gateway against real province services (Henan 410000, the workers' home; Guangdong 440000,
 * where the enterprise is). A Zhoukou worker holds a worker token: he reads his own record in
 * full, his trip (himself alone among its passengers) and his return request, reports his own
 * travel intent and health check, and is refused everything about anyone else, the subscriptions
 * included; his intent reaches his home officer's `workers(homeRegion:, intent:)`.
 * Runs on PGlite, or on PostgreSQL with DATABASE_URL set.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodeId, residentIdFrom } from '@p2p/schema';
import { graphqlData, graphqlRequest, type GraphQLAnswer } from '@p2p/runtime';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { REPO_ROOT, SERVICE_ENTRIES } from '../harness/service-process.js';

const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));
const HENAN = '410000';
const GUANGDONG = '440000';
/** Zhoukou (411600) and a township of its Chuanhui district; Nanyang (411300), another city of Henan. */
const TOWNSHIP = '411602001';

const person = (home: string, serial: number, name: string) => ({
  name,
  idNumber: residentIdFrom(home, '19920404', serial),
  phone: `1379394${String(1000 + serial)}`,
  homeRegion: home,
});
const HIM = person(TOWNSHIP, 1, '周口自己');
const NEIGHBOUR = person(TOWNSHIP, 2, '周口邻居');
const NANYANG = person('411302', 3, '南阳工人');

const OWN_RECORD = `query($id: ID!) { worker(id: $id) {
  id name idNumber phone povertyStatus status health { code } travelIntent { destination { code } }
} }`;
const INTENT = `mutation($w: ID!, $i: TravelIntentInput!) { reportTravelIntent(workerId: $w, input: $i) { id travelIntent { destination { code } earliestDate latestDate } } }`;
const HEALTH = `mutation($w: ID!) { recordHealthCheck(workerId: $w, input: { code: GREEN, issuedBy: "450000", checkedAt: "2020-02-20T09:00:00+08:00", validUntil: "2020-02-27T09:00:00+08:00", nucleicAcid: NEGATIVE, testedAt: "2020-02-20T09:00:00+08:00" }) { id health { code } } }`;
const BY_INTENT = `query($home: RegionCode!, $intent: TravelIntentFilter) {
  workers(homeRegion: $home, intent: $intent, first: 50) { totalCount edges { node { id name idNumber travelIntent { destination { code } } } } }
}`;

describe.skipIf(!servicesExist)(
  `the worker role and bulk reports through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  () => {
    let federation: RunningFederation;
    let me: string;
    let neighbour: string;
    let nanyang: string;
    let myTrip: string;
    let otherTrip: string;
    let myRequest: string;
    let neighbourRequest: string;
    let enterprise: string;
    let asWorker: Record<string, string>;
    let asHenan: Record<string, string>;
    let asZhoukou: Record<string, string>;

    const query = (headers: Record<string, string>, q: string, variables?: Record<string, unknown>) =>
      graphqlRequest(federation.gatewayUrl, q, variables, headers);
    const must = (headers: Record<string, string>, q: string, variables?: Record<string, unknown>) =>
      graphqlData(federation.gatewayUrl, q, variables, headers);
    const code = (answer: GraphQLAnswer<unknown>) => answer.errors?.[0]?.extensions?.code;

    beforeAll(async () => {
      federation = await startFederation({ provinces: [HENAN, GUANGDONG] });
      asHenan = await federation.authorization('province', HENAN);
      asZhoukou = await federation.authorization('city', '411600');
      const asGuangdong = await federation.authorization('province', GUANGDONG);
      [me, neighbour, nanyang] = (
        await must(asHenan, 'mutation($w: [RegisterWorkerInput!]!) { registerWorkers(inputs: $w) { id } }', {
          w: [HIM, NEIGHBOUR, NANYANG],
        })
      ).registerWorkers.map((w: { id: string }) => w.id);
      asWorker = await federation.authorization('worker', undefined, me);
      const plan = async () =>
        (
          await must(asZhoukou, 'mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }', {
            i: {
              mode: 'BUS',
              vehicleCode: '豫P·20001',
              origin: '411602',
              destination: '440300',
              departureAt: '2020-03-02T08:00:00+08:00',
              expectedArrivalAt: '2020-03-03T08:00:00+08:00',
              capacity: 40,
            },
          })
        ).planTrip.id as string;
      [myTrip, otherTrip] = [await plan(), await plan()];
      const ASSIGN = 'mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }';
      await must(asZhoukou, ASSIGN, { t: myTrip, w: [me, neighbour] });
      await must(asHenan, ASSIGN, { t: otherTrip, w: [nanyang] });
      enterprise = (
        await must(
          asGuangdong,
          'mutation($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { id } }',
          {
            i: { name: '深圳电子(测试)', region: '440306', sector: '电子', key: true },
          },
        )
      ).registerEnterprise.id;
      const file = async (p: typeof HIM) =>
        (
          await must(
            asGuangdong,
            'mutation($i: FileReturnRequestInput!) { fileReturnRequest(input: $i) { id } }',
            {
              i: {
                enterpriseId: enterprise,
                worker: p,
                plannedReturnDate: '2020-03-04',
                departureRegion: '411602',
              },
            },
          )
        ).fileReturnRequest.id as string;
      [myRequest, neighbourRequest] = [await file(HIM), await file(NEIGHBOUR)];
    }, 180_000);

    afterAll(async () => {
      await federation?.close();
    }, 60_000);

    describe('his own records', () => {
      it('should show him his own record in full, after his own health check and travel intent', async () => {
        await must(asWorker, HEALTH, { w: me });
        await must(asWorker, INTENT, {
          w: me,
          i: { earliestDate: '2020-03-01', latestDate: '2020-03-06', destination: '440306', mode: 'BUS' },
        });
        expect((await must(asWorker, OWN_RECORD, { id: me })).worker).toEqual({
          id: me,
          name: HIM.name,
          idNumber: HIM.idNumber,
          phone: HIM.phone,
          povertyStatus: 'NONE',
          status: 'AT_HOME',
          health: { code: 'GREEN' },
          travelIntent: { destination: { code: '440306' } },
        });
      });

      it('should show him his trip, organised by his home city, with himself alone among the passengers', async () => {
        const { trip } = await must(
          asWorker,
          'query($id: ID!) { trip(id: $id) { id passengers { worker { id name idNumber } } } }',
          { id: myTrip },
        );
        expect(trip).toEqual({
          id: myTrip,
          passengers: [{ worker: { id: me, name: HIM.name, idNumber: HIM.idNumber } }],
        });
      });

      it('should show him the return request filed for him in another province, with the enterprise', async () => {
        const { returnRequest } = await must(
          asWorker,
          'query($id: ID!) { returnRequest(id: $id) { id status filedWorker { idNumber } enterprise { name } worker { id idNumber } } }',
          { id: myRequest },
        );
        expect(returnRequest).toEqual({
          id: myRequest,
          // the relay moves it on its own time: filed, seen by Henan, arranged on his bus to Shenzhen
          status: expect.stringMatching(/^(FILED|ACKNOWLEDGED|ARRANGED)$/),
          filedWorker: { idNumber: HIM.idNumber },
          enterprise: { name: '深圳电子(测试)' },
          worker: { id: me, idNumber: HIM.idNumber },
        });
      });

      it('should let him read the national totals, as every person', async () => {
        const { summary } = await must(asWorker, '{ summary { workers { registered } } }');
        expect(summary.workers.registered).toBeGreaterThanOrEqual(3);
      });
    });

    describe('finding his own requests and trips (review of #13)', () => {
      it('should list him the requests filed for him and only the trips whose manifest names him, through the gateway', async () => {
        const MINE = 'query($id: ID!) { worker(id: $id) { id returnRequests { id } trips { id status } } }';
        const before = await query(asWorker, MINE, { id: me });
        expect(before.errors).toBeUndefined();
        expect(before.data?.worker).toEqual({
          id: me,
          returnRequests: [{ id: myRequest }],
          trips: [{ id: myTrip, status: 'PLANNED' }],
        });
        // taken off his bus: the trip is no longer his to read, and his record still reads whole
        await must(
          asZhoukou,
          'mutation($t: ID!, $w: [ID!]!) { removePassengers(tripId: $t, workerIds: $w) { id } }',
          {
            t: myTrip,
            w: [me],
          },
        );
        const after = await query(asWorker, MINE, { id: me });
        expect(after.errors).toBeUndefined();
        expect(after.data?.worker).toEqual({ id: me, returnRequests: [{ id: myRequest }], trips: [] });
        await must(
          asZhoukou,
          'mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }',
          {
            t: myTrip,
            w: [me],
          },
        );
      });
    });

    describe("anyone else's", () => {
      it('should refuse another worker by id: of the same township, another city, another province', async () => {
        for (const id of [neighbour, nanyang, encodeId('Worker', GUANGDONG)]) {
          const answer = await query(asWorker, OWN_RECORD, { id });
          expect(code(answer), JSON.stringify(answer)).toBe('FORBIDDEN');
          expect(JSON.stringify(answer)).not.toContain(NEIGHBOUR.name);
        }
      });

      it('should refuse him every list: workers, the intent grouping, trips, return requests, enterprises', async () => {
        for (const q of [
          `{ workers(homeRegion: "${TOWNSHIP}") { totalCount } }`,
          '{ workers(homeRegion: "411600", intent: { destination: "440000" }) { totalCount } }',
          '{ trips(origin: "411602") { totalCount } }',
          '{ trips(destination: "440300") { edges { node { id } } } }',
          '{ returnRequests(origin: "411600") { totalCount } }',
          '{ returnRequests(destination: "440000") { totalCount } }',
          '{ enterprises(region: "440000") { totalCount } }',
          `{ enterprise(id: "${enterprise}") { name } }`,
        ]) {
          const answer = await query(asWorker, q);
          expect(code(answer), `${q}: ${JSON.stringify(answer)}`).toBe('FORBIDDEN');
          expect(JSON.stringify(answer.data ?? null)).not.toMatch(/totalCount":[1-9]/);
        }
      });

      it('should refuse a trip he is not on and a request filed for someone else', async () => {
        const trip = await query(asWorker, 'query($id: ID!) { trip(id: $id) { id } }', { id: otherTrip });
        expect(code(trip)).toBe('FORBIDDEN');
        expect(trip.data).toEqual({ trip: null });
        const request = await query(
          asWorker,
          'query($id: ID!) { returnRequest(id: $id) { filedWorker { name } } }',
          {
            id: neighbourRequest,
          },
        );
        expect(code(request)).toBe('FORBIDDEN');
        expect(JSON.stringify(request)).not.toContain(NEIGHBOUR.name);
      });

      it("should refuse another's travel intent and health check, writing nothing", async () => {
        const intent = await query(asWorker, INTENT, {
          w: neighbour,
          i: { earliestDate: '2020-03-01', latestDate: '2020-03-06', destination: '440306' },
        });
        expect(code(intent)).toBe('FORBIDDEN');
        expect(code(await query(asWorker, HEALTH, { w: neighbour }))).toBe('FORBIDDEN');
        const { worker } = await must(
          asZhoukou,
          'query($id: ID!) { worker(id: $id) { travelIntent { earliestDate } health { code } } }',
          {
            id: neighbour,
          },
        );
        expect(worker).toEqual({ travelIntent: null, health: null });
      });

      it('should refuse him the bulk forms, as a whole', async () => {
        const answer = await query(
          asWorker,
          'mutation($i: [TravelIntentItemInput!]!) { reportTravelIntents(items: $i) { items { index } } }',
          {
            i: [
              {
                workerId: me,
                input: { earliestDate: '2020-03-01', latestDate: '2020-03-02', destination: '440300' },
              },
            ],
          },
        );
        expect(code(answer)).toBe('FORBIDDEN');
      });

      it('should refuse him the subscriptions instead of the lists', async () => {
        for (const [q, variables] of [
          [
            'subscription($r: RegionCode!) { arrivals(destination: $r) { cursor trip { id } } }',
            { r: '440300' },
          ],
          ['subscription($r: RegionCode!) { returnRequestsFiled(origin: $r) { cursor } }', { r: TOWNSHIP }],
        ] as const) {
          const outcome = await new Promise<unknown>((resolve) => {
            const client = createClient({
              url: federation.gatewayUrl.replace(/^http/, 'ws'),
              webSocketImpl: WebSocket,
              connectionParams: asWorker,
              retryAttempts: 0,
            });
            const timer = setTimeout(() => finish('open'), 5_000);
            const finish = (value: unknown) => {
              clearTimeout(timer);
              void client.dispose();
              resolve(value);
            };
            client.subscribe(
              { query: q, variables },
              {
                next: (message) => finish(message.errors ?? message.data),
                error: (error) => finish(error),
                complete: () => finish('complete'),
              },
            );
          });
          expect(JSON.stringify(outcome), q).toContain('FORBIDDEN');
        }
      });

      it("should be refused on the province's own port: his token is no gateway assertion", async () => {
        const token = asWorker.authorization!.replace(/^Bearer /, '');
        for (const headers of [{ authorization: `Bearer ${token}` }, { 'x-p2p-caller': token }] as Record<
          string,
          string
        >[]) {
          const res = await fetch(`${federation.provinceUrls[HENAN]}/workers/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify({ query: OWN_RECORD, variables: { id: me } }),
          });
          expect(res.status).toBe(401);
          const body = (await res.json()) as GraphQLAnswer<unknown>;
          expect(code(body)).toBe('UNAUTHENTICATED');
        }
      });
    });

    describe('grouping by intent (#13.6)', () => {
      it("should bring his own travel intent to his home officer's intent query, within the window only", async () => {
        for (const headers of [asHenan, asZhoukou]) {
          const { workers } = await must(headers, BY_INTENT, {
            home: '411600',
            intent: { destination: '440300', from: '2020-03-06', to: '2020-03-10' },
          });
          expect(workers.totalCount).toBe(1);
          expect(workers.edges[0].node).toEqual({
            id: me,
            name: HIM.name,
            idNumber: HIM.idNumber,
            travelIntent: { destination: { code: '440306' } },
          });
        }
        const after = await must(asHenan, BY_INTENT, {
          home: '411600',
          intent: { destination: '440300', from: '2020-03-07' },
        });
        expect(after.workers.totalCount).toBe(0);
        const elsewhere = await must(asHenan, BY_INTENT, {
          home: '411600',
          intent: { destination: '110000' },
        });
        expect(elsewhere.workers.totalCount).toBe(0);
        // another city's officer may not list Zhoukou's workers
        const nanyangOfficer = await federation.authorization('city', '411300');
        expect(
          code(await query(nanyangOfficer, BY_INTENT, { home: '411600', intent: { destination: '440300' } })),
        ).toBe('FORBIDDEN');
        expect(
          code(
            await query(asHenan, BY_INTENT, {
              home: '411600',
              intent: { destination: '440300', from: '2020-03-07', to: '2020-03-06' },
            }),
          ),
        ).toBe('BAD_USER_INPUT');
      });
    });

    describe('bulk reports (#13.5)', () => {
      const INTENTS = `mutation($i: [TravelIntentItemInput!]!, $k: String) {
        reportTravelIntents(items: $i, idempotencyKey: $k) { items { index record { id travelIntent { destination { code } } } error { code message } } }
      }`;
      const item = (workerId: string, destination = '440300', latestDate = '2020-03-12') => ({
        workerId,
        input: { earliestDate: '2020-03-10', latestDate, destination, mode: 'TRAIN' },
      });

      it("should report a city's items, each bad one failing alone: another city's worker, an unknown one, bad dates", async () => {
        const items = [
          item(neighbour),
          item(nanyang),
          item(encodeId('Worker', HENAN)),
          item(neighbour, '440300', '2020-03-01'),
        ];
        const first = (await must(asZhoukou, INTENTS, { i: items, k: 'zhoukou-intents-1' }))
          .reportTravelIntents;
        expect(first.items.map((i: any) => i.error?.code ?? i.record.travelIntent.destination.code)).toEqual([
          '440300',
          'FORBIDDEN',
          'NOT_FOUND',
          'BAD_USER_INPUT',
        ]);
        const again = (await must(asZhoukou, INTENTS, { i: items, k: 'zhoukou-intents-1' }))
          .reportTravelIntents;
        expect(again).toEqual(first);
        const { worker } = await must(
          asHenan,
          'query($id: ID!) { worker(id: $id) { travelIntent { destination { code } } } }',
          {
            id: nanyang,
          },
        );
        expect(worker.travelIntent).toBeNull();
      });

      it('should refuse items of two provinces as a whole, before any province', async () => {
        const answer = await query(asHenan, INTENTS, { i: [item(me), item(encodeId('Worker', GUANGDONG))] });
        expect(code(answer)).toBe('BAD_USER_INPUT');
        expect(answer.errors?.[0]?.message).toMatch(/2 provinces/);
      });
    });
  },
);
