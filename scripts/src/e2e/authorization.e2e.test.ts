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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { graphqlData, graphqlRequest, type GraphQLAnswer } from '../harness/graphql-request.js';
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
const PEOPLE = Array.from({ length: 10 }, (_, i) => ({
  name: `测试工人${i}`,
  idNumber: residentId(100 + i),
  phone: `1390772${String(1000 + i)}`,
  homeRegion: '450203',
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
        if (c.role !== 'none' && c.role !== 'enterprise')
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
      [fixture.worker, fixture.departing, fixture.arriving, fixture.handedOver, fixture.assignable] =
        registered.map((w: { id: string }) => w.id) as [string, string, string, string, string];
      fixture.people = PEOPLE;

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
      fixture.toConfirm = (
        await must('enterprise:own', FILE, { i: request(PEOPLE[1]!) })
      ).fileReturnRequest.id;

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
      await assign(fixture.trip, fixture.worker);
      await assign(fixture.tripToDepart, fixture.departing);
      await assign(fixture.tripToArrive, fixture.arriving);
      await depart(fixture.tripToArrive, fixture.arriving);
      await assign(fixture.tripToHandOver, fixture.handedOver);
      await depart(fixture.tripToHandOver, fixture.handedOver);
      await must(
        'city:110105',
        `mutation($t: ID!, $i: ConfirmArrivalInput!) { confirmArrival(tripId: $t, input: $i) { id } }`,
        { t: fixture.tripToHandOver, i: ARRIVAL },
      );
    }, 180_000);

    afterAll(async () => {
      await federation?.close();
      delete process.env.LOG_LEVEL;
    }, 60_000);

    /** What a caller got, in the table's words. */
    function outcome(
      answer: GraphQLAnswer<Record<string, unknown>>,
      identifiers: (data: Record<string, unknown>) => string[],
    ): Expected {
      const code = answer.errors?.[0]?.extensions?.code;
      if (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED') return code;
      if (answer.errors?.length || !answer.data)
        return `error ${String(code)}: ${answer.errors?.[0]?.message}` as Expected;
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
            const answer = await as(caller, row.query, row.variables?.(fixture));
            expect(
              outcome(answer, row.identifiers ?? (() => [])),
              JSON.stringify(answer.errors ?? answer.data).slice(0, 300),
            ).toBe(expected);
          });
        }
      });
    }

    it('a refused write wrote nothing: one enterprise and one trip more, whoever tried', async () => {
      const counts = await must(
        'ministry',
        `{ enterprises(region: "110000") { totalCount } trips(origin: "450000") { totalCount } }`,
      );
      expect(counts).toEqual({ enterprises: { totalCount: 3 }, trips: { totalCount: 8 } });
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
        // the 6 of the set-up and the 2 of the registerWorker(s) rows: the refused registrations wrote nothing
        expect(genuine.body).toEqual({ data: { workers: { totalCount: 8 } } });
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
      for (const person of PEOPLE) {
        for (const secret of [person.idNumber, person.phone]) {
          const leaks = logs.filter((line) => line.includes(secret));
          expect(leaks, `${secret} in the logs`).toEqual([]);
        }
      }
    });
  },
);
