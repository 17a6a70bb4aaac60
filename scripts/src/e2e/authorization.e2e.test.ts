/**
 * Who may see and change what, through the real gateway against real province services
 * (Guangxi 450000 exporting, Beijing 110000 importing), as a table: every contract query and
 * mutation × every role (province, city, enterprise, ministry, none), each on its own region and
 * on another one. Then: a province refuses requests that bypass the gateway, an expired token is
 * refused, and no log line of any service holds a resident ID number or a phone.
 * One federation for the whole file. Runs on PGlite, or on PostgreSQL with DATABASE_URL set.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_JWT_SECRET, signDevToken } from '@p2p/gateway';
import {
  CALLER_HEADER,
  generateGatewayKeyPair,
  importGatewaySigningKey,
  residentIdFrom,
  signCallerAssertion,
  type Caller,
} from '@p2p/schema';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { graphqlData, graphqlRequest, type GraphQLAnswer } from '@p2p/runtime';
import { REPO_ROOT, SERVICE_ENTRIES } from '../harness/service-process.js';
import {
  AUTHORIZATION_TABLE,
  CALLERS,
  type CallerName,
  type Expected,
  type Fixture,
} from './authorization-table.js';

const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));
const GX = '450000';
const BJ = '110000';

/** A valid resident ID number of a Liuzhou (450203) worker. */
const residentId = (serial: number) => residentIdFrom('450203', '19900101', serial);
/** The test's workers: resident ID numbers and phones that must never reach a log line. */
const PEOPLE = Array.from({ length: 13 }, (_, i) => ({
  name: `测试工人${i}`,
  idNumber: residentId(100 + i),
  phone: `1390772${String(1000 + i)}`,
  homeRegion: '450203',
}));
/** Guilin (450302) workers: another city of the same province. */
const GUILIN_PEOPLE = Array.from({ length: 2 }, (_, i) => ({
  name: `桂林工人${i}`,
  idNumber: residentIdFrom('450302', '19910202', 200 + i),
  phone: `1390773${String(2000 + i)}`,
  homeRegion: '450302',
}));

const TRIP_PLAN = {
  mode: 'BUS',
  vehicleCode: '桂B·A0001',
  origin: '450203',
  destination: '110105',
  departureAt: '2020-02-20T08:00:00+08:00',
  expectedArrivalAt: '2020-02-21T20:00:00+08:00',
  capacity: 40,
};
const ARRIVAL = { arrivedAt: '2020-02-21T19:00:00+08:00', headcount: 1 };

describe.skipIf(!servicesExist)(
  `authorization through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  () => {
    let federation: RunningFederation;
    const logs: string[] = [];
    const fixture = {} as Fixture;
    const headersOf = new Map<CallerName, Record<string, string>>();

    /** Sends an operation as one of the table's callers. */
    const as = (caller: CallerName, query: string, variables?: Record<string, unknown>) =>
      graphqlRequest(federation.gatewayUrl, query, variables, headersOf.get(caller));
    /** Sends an operation that must succeed (fixture set-up), as `caller`. */
    const must = (caller: CallerName, query: string, variables?: Record<string, unknown>) =>
      graphqlData(federation.gatewayUrl, query, variables, headersOf.get(caller));

    beforeAll(async () => {
      process.env.LOG_LEVEL = 'debug'; // every service logs all it would ever log
      federation = await startFederation({ provinces: [GX, BJ], onLog: (_service, line) => logs.push(line) });
      const enterpriseToken = async (region: string, id: string) => ({
        authorization: `Bearer ${await federation.tokenFor('enterprise', region, id)}`,
      });
      for (const [name, c] of Object.entries(CALLERS) as [CallerName, (typeof CALLERS)[CallerName]][]) {
        if (c.role !== 'none' && c.role !== 'enterprise' && c.role !== 'worker')
          headersOf.set(name, await federation.authorization(c.role, c.region));
      }

      // Enterprises in Beijing, registered by Beijing's officer.
      const REGISTER_ENTERPRISE = `mutation($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { id } }`;
      fixture.enterprise = (
        await must('province:110000', REGISTER_ENTERPRISE, {
          i: { name: '京华建工(测试)', region: '110105003', sector: '建筑业', key: true },
        })
      ).registerEnterprise.id;
      fixture.otherEnterprise = (
        await must('province:110000', REGISTER_ENTERPRISE, {
          i: { name: '京南物流(测试)', region: '110115004', sector: '物流' },
        })
      ).registerEnterprise.id;
      headersOf.set('enterprise:own', await enterpriseToken('110105003', fixture.enterprise));
      headersOf.set('enterprise:other', await enterpriseToken('110115004', fixture.otherEnterprise));

      // Guangxi workers (home Liuzhou 450203), registered by Guangxi's officer.
      const registered = (
        await must(
          'province:450000',
          `mutation($w: [RegisterWorkerInput!]!) { registerWorkers(inputs: $w) { id } }`,
          { w: PEOPLE.slice(0, 6) },
        )
      ).registerWorkers;
      [
        fixture.worker,
        fixture.departing,
        fixture.arriving,
        fixture.handedOver,
        fixture.assignable,
        fixture.otherWorker,
      ] = registered.map((w: { id: string }) => w.id) as [string, string, string, string, string, string];
      fixture.people = PEOPLE;
      // #13.7: two of them hold worker tokens; #13.6: his intent, for the grouping row
      headersOf.set('worker:own', await federation.authorization('worker', undefined, fixture.worker));
      headersOf.set('worker:other', await federation.authorization('worker', undefined, fixture.otherWorker));
      await must(
        'province:450000',
        'mutation($w: ID!) { reportTravelIntent(workerId: $w, input: { earliestDate: "2020-03-01", latestDate: "2020-03-10", destination: "110105", mode: BUS }) { id } }',
        { w: fixture.worker },
      );
      // a health record, so the table tells who sees it (#11.4)
      await must(
        'province:450000',
        'mutation($w: ID!) { recordHealthCheck(workerId: $w, input: { code: GREEN, issuedBy: "450000", checkedAt: "2020-02-18T09:00:00+08:00", validUntil: "2020-02-25T09:00:00+08:00", nucleicAcid: NEGATIVE, testedAt: "2020-02-18T09:00:00+08:00" }) { id } }',
        { w: fixture.worker },
      );
      const [departing2, arriving2, handedOver2] = (
        await must(
          'province:450000',
          `mutation($w: [RegisterWorkerInput!]!) { registerWorkers(inputs: $w) { id } }`,
          { w: PEOPLE.slice(10, 13) },
        )
      ).registerWorkers.map((w: { id: string }) => w.id) as [string, string, string];
      [fixture.guilinAssigned, fixture.guilinRefused] = (
        await must(
          'province:450000',
          `mutation($w: [RegisterWorkerInput!]!) { registerWorkers(inputs: $w) { id } }`,
          { w: GUILIN_PEOPLE },
        )
      ).registerWorkers.map((w: { id: string }) => w.id) as [string, string];
      fixture.guilinPerson = GUILIN_PEOPLE[0]!;

      // Return requests filed by the Beijing enterprise for Guangxi workers.
      const FILE = `mutation($i: FileReturnRequestInput!) { fileReturnRequest(input: $i) { id } }`;
      const request = (p: (typeof PEOPLE)[number]) => ({
        enterpriseId: fixture.enterprise,
        worker: { name: p.name, idNumber: p.idNumber, phone: p.phone, homeRegion: p.homeRegion },
        plannedReturnDate: '2020-02-22',
        departureRegion: '450203',
      });
      fixture.returnRequest = (
        await must('enterprise:own', FILE, { i: request(PEOPLE[0]!) })
      ).fileReturnRequest.id;
      const toConfirm = async (p = PEOPLE[1]!) =>
        (await must('enterprise:own', FILE, { i: request(p) })).fileReturnRequest.id as string;
      fixture.perCaller = {
        // one worker each: a worker already on post through another request is CONFLICT
        toConfirm: {
          'province:110000': await toConfirm(PEOPLE[6]),
          'city:110105': await toConfirm(PEOPLE[7]),
          'enterprise:own': await toConfirm(PEOPLE[8]),
        },
        toWithdraw: {
          'province:110000': await toConfirm(),
          'city:110105': await toConfirm(),
          'enterprise:own': await toConfirm(),
        },
        tripToDepart: {},
        tripToArrive: {},
        tripToHandOver: {},
        tripToCancel: {},
        toEndObservation: {},
      };
      fixture.toConfirm = fixture.perCaller.toConfirm['province:110000']!;

      // Trips organised by Liuzhou into Beijing's Chaoyang district, in the states the table needs.
      const plan = async () =>
        (
          await must('city:450200', `mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }`, {
            i: TRIP_PLAN,
          })
        ).planTrip.id as string;
      const assign = (trip: string, worker: string) =>
        must(
          'city:450200',
          `mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }`,
          { t: trip, w: [worker] },
        );
      const depart = (trip: string, worker: string) =>
        must(
          'city:450200',
          `mutation($t: ID!, $b: [BoardingInput!]!) { departTrip(tripId: $t, boarded: $b) { id } }`,
          { t: trip, b: [{ workerId: worker, temperature: 36.5 }] },
        );
      [
        fixture.trip,
        fixture.emptyTrip,
        fixture.tripToDepart,
        fixture.tripToEta,
        fixture.tripToArrive,
        fixture.tripToHandOver,
        fixture.tripToCancel,
      ] = (await Promise.all(Array.from({ length: 7 }, plan))) as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const [departTrip2, arriveTrip2, handOverTrip2, cancelTrip2] = await Promise.all(
        Array.from({ length: 4 }, plan),
      );
      [fixture.guilinTripOfProvince, fixture.guilinTripOfLiuzhou] = await Promise.all([plan(), plan()]);
      const arrive = (trip: string) =>
        must(
          'city:110105',
          `mutation($t: ID!, $i: ConfirmArrivalInput!) { confirmArrival(tripId: $t, input: $i) { id } }`,
          { t: trip, i: ARRIVAL },
        );
      // #14: the boarding gate wants a recognised GREEN code valid on the departure day (20 Feb)
      await must(
        'province:450000',
        `mutation($items: [HealthCheckItemInput!]!) { recordHealthChecks(items: $items) { items { error { code } } } }`,
        {
          items: [
            fixture.departing,
            fixture.arriving,
            fixture.handedOver,
            departing2,
            arriving2,
            handedOver2,
          ].map((workerId) => ({
            workerId,
            input: {
              code: 'GREEN',
              issuedBy: '450000',
              checkedAt: '2020-02-19T09:00:00+08:00',
              validUntil: '2020-02-26T09:00:00+08:00',
            },
          })),
        },
      );
      await assign(fixture.trip, fixture.worker);
      await assign(fixture.tripToDepart, fixture.departing);
      await assign(departTrip2!, departing2);
      await assign(fixture.tripToArrive, fixture.arriving);
      await depart(fixture.tripToArrive, fixture.arriving);
      await assign(arriveTrip2!, arriving2);
      await depart(arriveTrip2!, arriving2);
      await assign(fixture.tripToHandOver, fixture.handedOver);
      await depart(fixture.tripToHandOver, fixture.handedOver);
      await arrive(fixture.tripToHandOver);
      await assign(handOverTrip2!, handedOver2);
      await depart(handOverTrip2!, handedOver2);
      await arrive(handOverTrip2!);
      fixture.perCaller.tripToDepart = {
        'province:450000': { trip: fixture.tripToDepart, worker: fixture.departing },
        'city:450200': { trip: departTrip2!, worker: departing2 },
      };
      fixture.perCaller.tripToArrive = {
        'province:110000': fixture.tripToArrive,
        'city:110105': arriveTrip2!,
      };
      fixture.perCaller.tripToHandOver = {
        'province:110000': fixture.tripToHandOver,
        'city:110105': handOverTrip2!,
      };
      fixture.perCaller.tripToCancel = {
        'province:450000': fixture.tripToCancel,
        'city:450200': cancelTrip2!,
      };

      // #14.4: Chaoyang observes the worker its trip brings (his home confirms it through the
      // relay, so his home officers may read it), and two more to end.
      const START = `mutation($i: StartObservationInput!) { startObservation(input: $i) { id } }`;
      const observe = async (workerId: string) =>
        (
          await must('city:110105', START, {
            i: { workerId, region: '110105', kind: 'HOME', site: '朝阳区某小区' },
          })
        ).startObservation.id as string;
      fixture.observation = await observe(fixture.worker);
      fixture.perCaller.toEndObservation = {
        'province:110000': await observe('W45-authzobsend000001'),
        'city:110105': await observe('W45-authzobsend000002'),
      };
      // #15: the enterprise's job post recruiting from Liuzhou, and a Liuzhou worker at home who fits it
      fixture.job = (
        await must(
          'enterprise:own',
          'mutation($e: ID!) { postJob(enterpriseId: $e, input: { title: "钢筋工", openings: 20, region: "110105003", from: ["450200"] }) { id } }',
          { e: fixture.enterprise },
        )
      ).postJob.id;
      await must(
        'province:450000',
        'mutation($w: ID!) { reportTravelIntent(workerId: $w, input: { earliestDate: "2020-03-01", latestDate: "2020-03-10", destination: "110000" }) { id } }',
        { w: fixture.otherWorker },
      );
      await federation.waitForRelay();
    }, 180_000);

    afterAll(async () => {
      await federation?.close();
      delete process.env.LOG_LEVEL;
    }, 60_000);

    /** What a caller got, in the table's words. */
    function outcome(
      answer: GraphQLAnswer<Record<string, unknown>>,
      identifiers: (data: Record<string, unknown>) => string[],
      judge?: (data: Record<string, unknown>) => Expected,
    ): Expected {
      const code = answer.errors?.[0]?.extensions?.code;
      if (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED' || code === 'CONFLICT') return code;
      if (answer.errors?.length || !answer.data)
        return `error ${String(code)}: ${answer.errors?.[0]?.message}` as Expected;
      if (judge) return judge(answer.data);
      const values = identifiers(answer.data);
      if (values.length === 0) return 'ok';
      if (values.every((v) => /^\d{4}\*+\w{4}$/.test(v))) return 'masked';
      if (values.every((v) => !v.includes('*'))) return 'full';
      return `mixed ${values.join(',')}` as Expected;
    }

    for (const row of AUTHORIZATION_TABLE) {
      describe(row.operation, () => {
        for (const [caller, expected] of Object.entries(row.expect) as [CallerName, Expected][]) {
          it(`${caller} → ${expected}`, async () => {
            const answer = await as(caller, row.query, row.variables?.(fixture, caller));
            expect(
              outcome(answer, row.identifiers ?? (() => []), row.judge),
              JSON.stringify(answer.errors ?? answer.data).slice(0, 300),
            ).toBe(expected);
          });
        }
      });
    }

    it('a refused write wrote nothing: one enterprise and one trip more per allowed caller (keys are per caller), whoever else tried', async () => {
      const counts = await must(
        'ministry',
        `{ enterprises(region: "110000") { totalCount } trips(origin: "450000") { totalCount } }`,
      );
      // set-up: 2 enterprises, 13 trips; the registerEnterprise and planTrip rows: 2 allowed callers each
      expect(counts).toEqual({ enterprises: { totalCount: 4 }, trips: { totalCount: 15 } });
    });

    describe('issue #11 through the gateway', () => {
      it('a refused assignment opened nothing: Liuzhou still reads the Guilin worker masked and cannot board him (#11.1)', async () => {
        const { worker } = await must(
          'city:450200',
          'query($id: ID!) { worker(id: $id) { name idNumber phone health { code } } }',
          { id: fixture.guilinRefused },
        );
        expect(worker).toMatchObject({ health: null, name: expect.stringContaining('*') });
        expect(worker.idNumber).toMatch(/^\d{4}\*+\w{4}$/);
        const { trip } = await must(
          'province:450000',
          'query($id: ID!) { trip(id: $id) { passengers { boarded } } }',
          {
            id: fixture.guilinTripOfLiuzhou,
          },
        );
        expect(trip.passengers).toEqual([]);
        const boarding = await as(
          'city:450200',
          `mutation($t: ID!, $b: [BoardingInput!]!) { departTrip(tripId: $t, boarded: $b) { id } }`,
          { t: fixture.guilinTripOfLiuzhou, b: [{ workerId: fixture.guilinRefused, temperature: 36.5 }] },
        );
        expect(boarding.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      });

      it("a refused re-registration kept the Guilin worker's phone (#11.3)", async () => {
        const { worker } = await must(
          'province:450000',
          'query($id: ID!) { worker(id: $id) { phone homeRegion { code } } }',
          {
            id: fixture.guilinAssigned,
          },
        );
        expect(worker).toEqual({ phone: GUILIN_PEOPLE[0]!.phone, homeRegion: { code: '450302' } });
      });

      it("one caller's idempotency key never meets another caller's call (#11.5)", async () => {
        const REGISTER = `mutation($i: RegisterEnterpriseInput!, $k: String) { registerEnterprise(input: $i, idempotencyKey: $k) { id name } }`;
        const i = (name: string) => ({ name, region: '110105003', sector: '物流' });
        const first = (
          await must('city:110105', REGISTER, { i: i('先到公司(测试)'), k: 'import:predictable' })
        ).registerEnterprise;
        const second = await as('province:110000', REGISTER, {
          i: i('后到公司(测试)'),
          k: 'import:predictable',
        });
        expect(second.errors).toBeUndefined();
        const registered = second.data?.registerEnterprise as { id: string; name: string } | undefined;
        expect(registered?.name).toBe('后到公司(测试)');
        expect(registered?.id).not.toBe(first.id);
        const reused = await as(
          'province:110000',
          'mutation($e: ID!, $k: String) { reportLaborDemand(enterpriseId: $e, openings: 5, idempotencyKey: $k) { id } }',
          { e: fixture.enterprise, k: 'import:predictable' },
        );
        expect(reused.errors?.[0]).toMatchObject({ extensions: { code: 'IDEMPOTENCY_CONFLICT' } });
        expect(reused.errors?.[0]?.message).not.toContain('先到');
        expect(reused.errors?.[0]?.message).toMatch(/already used by you for registerEnterprise/);
      });

      it('openings are bounded so national sums stay far below 2^31 (#11.13)', async () => {
        const REPORT =
          'mutation($e: ID!, $n: Int!) { reportLaborDemand(enterpriseId: $e, openings: $n) { openings } }';
        const refused = await as('enterprise:own', REPORT, { e: fixture.enterprise, n: 100_001 });
        expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'openings' });
        expect(
          (await must('enterprise:own', REPORT, { e: fixture.enterprise, n: 100_000 })).reportLaborDemand,
        ).toEqual({
          openings: 100_000,
        });
      });

      describe('returnRequestsFiled follows the returnRequests rule (#11.2)', () => {
        /** Every event since the beginning of both provinces' outboxes. */
        const FROM_THE_START = Buffer.from(JSON.stringify({ 110000: 0, 450000: 0 })).toString('base64url');
        /** Subscribes as `caller` and collects what comes within `ms` (or until `enough` events). */
        const follow = (
          caller: CallerName,
          query: string,
          ms: number,
          enough = Number.POSITIVE_INFINITY,
          origin = '450000',
        ) =>
          new Promise<{ events: any[]; errors: unknown[] }>((resolve) => {
            const client = createClient({
              url: federation.gatewayUrl.replace(/^http/, 'ws'),
              webSocketImpl: WebSocket,
              connectionParams: { ...headersOf.get(caller) },
              retryAttempts: 0,
              lazyCloseTimeout: 100,
            });
            const events: any[] = [];
            const errors: unknown[] = [];
            const done = () => {
              clearTimeout(timer);
              stop();
              void client.dispose();
              resolve({ events, errors });
            };
            const timer = setTimeout(done, ms);
            const stop = client.subscribe(
              { query, variables: { after: FROM_THE_START, origin } },
              {
                next: (message) => {
                  if (message.errors) errors.push(...message.errors);
                  if (message.data) events.push(message.data.returnRequestsFiled);
                  if (events.length >= enough) done();
                },
                error: (error) => {
                  errors.push(error);
                  done();
                },
                complete: () => done(),
              },
            );
          });
        const WITH_RECORD = `subscription($after: String, $origin: RegionCode!) { returnRequestsFiled(origin: $origin, after: $after) { cursor returnRequest { id filedWorker { idNumber } } } }`;
        const EVENTS_ONLY = `subscription($after: String, $origin: RegionCode!) { returnRequestsFiled(origin: $origin, after: $after) { cursor at } }`;

        it('the filing enterprise gets its own requests in full, another enterprise gets no event at all', async () => {
          const own = await follow('enterprise:own', WITH_RECORD, 20_000, 4);
          expect(own.errors).toEqual([]);
          expect(own.events.length).toBeGreaterThanOrEqual(4);
          expect(own.events.every((e) => !e.returnRequest.filedWorker.idNumber.includes('*'))).toBe(true);
          for (const query of [WITH_RECORD, EVENTS_ONLY]) {
            const other = await follow('enterprise:other', query, 4_000);
            expect(other).toEqual({ events: [], errors: [] });
          }
        });

        it("the workers' home city and the ministry follow them (the ministry masked); other regions are refused", async () => {
          const home = await follow('city:450200', WITH_RECORD, 20_000, 4, '450200');
          expect(home.events.length).toBeGreaterThanOrEqual(4);
          const ministry = await follow('ministry', WITH_RECORD, 20_000, 4);
          expect(ministry.events.every((e) => e.returnRequest.filedWorker.idNumber.includes('*'))).toBe(true);
          for (const caller of ['city:450300', 'city:110105', 'province:110000'] as const) {
            const refused = await follow(caller, EVENTS_ONLY, 5_000);
            expect(refused.events).toEqual([]);
            expect(JSON.stringify(refused.errors)).toContain('FORBIDDEN');
          }
        });
      });
    });

    describe('nobody goes around the gateway', () => {
      const direct = async (subgraph: string, query: string, headers: Record<string, string> = {}) => {
        const res = await fetch(`${federation.provinceUrls[GX]}/${subgraph}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query }),
        });
        return { status: res.status, body: (await res.json()) as GraphQLAnswer<Record<string, unknown>> };
      };
      /** The assertion the gateway would send to Guangxi for `query` (bound to the body `direct` sends). */
      const assertion = async (caller: Caller, privateKeyPem: string, query: string) => ({
        [CALLER_HEADER]: signCallerAssertion(caller, await importGatewaySigningKey(privateKeyPem), {
          province: GX,
          body: JSON.stringify({ query }),
        }),
      });
      const GUANGXI: Caller = { subject: 'intruder', role: 'province', region: GX };

      it("a province refuses any GraphQL request without the gateway's signature, _service and _entities included", async () => {
        for (const [subgraph, query] of [
          ['workers', '{ workers(homeRegion: "450000") { totalCount } }'],
          ['workers', '{ _service { sdl } }'],
          [
            'transport',
            `{ _entities(representations: [{ __typename: "Trip", id: "${fixture.trip}" }]) { ... on Trip { id } } }`,
          ],
        ]) {
          const { status, body } = await direct(subgraph!, query!);
          expect(status).toBe(401);
          expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        }
        expect((await fetch(`${federation.provinceUrls[GX]}/health`)).status).toBe(200);
      });

      it("a province refuses an assertion forged with another key, and accepts the gateway's", async () => {
        const forger = await generateGatewayKeyPair();
        const forged = await direct(
          'workers',
          '{ workers(homeRegion: "450000") { totalCount } }',
          await assertion(GUANGXI, forger.privateKeyPem, '{ workers(homeRegion: "450000") { totalCount } }'),
        );
        expect(forged.status).toBe(401);
        expect(forged.body.errors?.[0]).toMatchObject({
          extensions: { code: 'UNAUTHENTICATED' },
          message: expect.stringMatching(/not signed by the gateway/),
        });
        const genuine = await direct(
          'workers',
          '{ workers(homeRegion: "450000") { totalCount } }',
          await assertion(
            GUANGXI,
            federation.gatewayKeys.privateKeyPem,
            '{ workers(homeRegion: "450000") { totalCount } }',
          ),
        );
        // the 11 of the set-up and the 2 of the registerWorker(s) rows: the refused registrations wrote nothing
        expect(genuine.body).toEqual({ data: { workers: { totalCount: 13 } } });
      });

      it('the gateway refuses an expired token', async () => {
        const expired = await signDevToken(
          { role: 'ministry' },
          { secret: process.env.AUTH_JWT_SECRET || DEV_JWT_SECRET, expiresIn: -60 },
        );
        const answer = await graphqlRequest(federation.gatewayUrl, '{ summary { scope } }', undefined, {
          authorization: `Bearer ${expired}`,
        });
        expect(answer.errors?.[0]).toMatchObject({
          extensions: { code: 'UNAUTHENTICATED' },
          message: expect.stringMatching(/expired/),
        });
      });
    });

    it('no log line of any service holds a resident ID number or a phone', () => {
      expect(logs.length).toBeGreaterThan(100);
      expect(logs.some((line) => line.includes('mutation committed'))).toBe(true);
      for (const person of [...PEOPLE, ...GUILIN_PEOPLE]) {
        for (const secret of [person.idNumber, person.phone]) {
          const leaks = logs.filter((line) => line.includes(secret));
          expect(leaks, `${secret} in the logs`).toEqual([]);
        }
      }
    });
  },
);
