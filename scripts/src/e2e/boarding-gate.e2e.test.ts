/**
 * The boarding gate and health records that travel (#14.1, #14.2), over real processes (Guangdong
 * 440000, Guangxi 450000, national, the gateway) and the relay, everything through the gateway as
 * the officers the access rules want:
 * - a Guangdong-organised pick-up from Liuzhou (organiser Shenzhen 440300, origin 450200) with 4
 *   passengers, GREEN/36.5, YELLOW, GREEN/38.1, RED, departs with one aboard and three refused
 *   (HEALTH_CODE, FEVER, HEALTH_CODE); the Guangxi workers' records reached Guangdong as relayed
 *   copies, and Guangxi (the home side) lists its refused in `refusedBoardings`;
 * - mutual recognition: a GREEN code issued by Guangxi (450000) boards at the Guangdong gate, an
 *   expired one is refused, a self-declared one opens nothing (NO_HEALTH_RECORD);
 * - Guangxi requires a negative test of the last 7 days (NUCLEIC_ACID_VALID_DAYS=7).
 * PGlite, or PostgreSQL with DATABASE_URL.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { graphqlData, graphqlRequest } from '@p2p/runtime';
import { residentIdFrom } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { REPO_ROOT, SERVICE_ENTRIES } from '../harness/service-process.js';

const PROVINCES = ['440000', '450000'];
const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));

const DAY = 86_400_000;
/** Tomorrow 08:00 China Standard Time. */
const DEPARTURE = new Date(Math.floor((Date.now() + 8 * 3_600_000) / DAY) * DAY + DAY);

const TRIP = 'id status cancelReason passengers { worker { id } boarded temperature boardingRefusal }';
const REGISTER = 'mutation($i: [RegisterWorkerInput!]!) { registerWorkers(inputs: $i) { id } }';
const HEALTH =
  'mutation($w: ID!, $i: HealthCheckInput!) { recordHealthCheck(workerId: $w, input: $i) { id } }';
const PLAN = `mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }`;
const ASSIGN = 'mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }';
const DEPART = `mutation($t: ID!, $b: [BoardingInput!]!) { departTrip(tripId: $t, boarded: $b) { ${TRIP} } }`;
const REFUSED = `query($home: RegionCode!) { refusedBoardings(homeRegion: $home, first: 50) {
  totalCount edges { node { id reason refusedAt worker { id } trip { id } } } } }`;

/** A health check issued by `issuedBy`, checked an hour ago, valid 7 days. */
const check = (code: string, issuedBy: string, over: Record<string, unknown> = {}) => ({
  code,
  issuedBy,
  checkedAt: new Date(Date.now() - 3_600_000).toISOString(),
  validUntil: new Date(Date.now() + 7 * DAY).toISOString(),
  ...over,
});

let serial = 0;
const person = (home: string) => {
  serial++;
  return {
    name: `返岗工人${serial}`,
    idNumber: residentIdFrom(home, '19920315', 100 + serial),
    phone: `1390001${String(serial).padStart(4, '0')}`,
    homeRegion: home,
  };
};

describe.skipIf(!servicesExist)(
  `the boarding gate through the gateway, over Guangdong and Guangxi (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  () => {
    let federation: RunningFederation;
    type Role = 'province' | 'city' | 'ministry';
    const as = async (role: Role, region?: string) =>
      role === 'ministry' ? federation.authorization('ministry') : federation.authorization(role, region);
    const call = async <T = any>(
      query: string,
      variables: Record<string, unknown>,
      role: Role,
      region?: string,
    ) => graphqlData<T>(federation.gatewayUrl, query, variables, await as(role, region));
    const register = async (home: string, n: number, officer: string): Promise<string[]> =>
      (
        await call(REGISTER, { i: Array.from({ length: n }, () => person(home)) }, 'city', officer)
      ).registerWorkers.map((w: { id: string }) => w.id);
    const plan = async (organizer: string, origin: string, officer: string, vehicleCode: string) =>
      (
        await call(
          PLAN,
          {
            i: {
              organizer,
              mode: 'BUS',
              vehicleCode,
              origin,
              destination: '440300',
              departureAt: DEPARTURE.toISOString(),
              expectedArrivalAt: new Date(DEPARTURE.getTime() + 12 * 3_600_000).toISOString(),
              capacity: 40,
            },
          },
          'city',
          officer,
        )
      ).planTrip.id as string;
    const byWorker = (trip: { passengers: { worker: { id: string } }[] }) =>
      Object.fromEntries(trip.passengers.map((p) => [p.worker.id, p])) as Record<string, any>;

    beforeAll(async () => {
      federation = await startFederation({
        provinces: PROVINCES,
        gatewayEnv: { RATE_LIMIT_PER_SECOND: '0' },
        provinceEnv: { '450000': { NUCLEIC_ACID_VALID_DAYS: '7' } },
      });
    }, 180_000);
    afterAll(() => federation?.close(), 60_000);

    describe('four passengers at a Guangdong gate', () => {
      let trip: string;
      let green: string;
      let yellow: string;
      let fever: string;
      let red: string;

      beforeAll(async () => {
        [green, yellow, red] = (await register('450203', 3, '450200')) as [string, string, string];
        [fever] = (await register('440305', 1, '440300')) as [string];
        // Guangxi's platform issued the Guangxi workers' codes, Guangdong's the Shenzhen worker's
        await call(HEALTH, { w: green, i: check('GREEN', '450000') }, 'city', '450200');
        await call(HEALTH, { w: yellow, i: check('YELLOW', '450000') }, 'city', '450200');
        await call(HEALTH, { w: red, i: check('RED', '450000') }, 'city', '450200');
        await call(HEALTH, { w: fever, i: check('GREEN', '440000') }, 'city', '440300');
        trip = await plan('440300', '450200', '440300', '粤B·G0001');
        await call(ASSIGN, { t: trip, w: [green, yellow, fever, red] }, 'city', '440300');
        // Guangxi learns the assignment and answers with the records (HEALTH_COPY)
        await federation.waitForRelay();
      }, 120_000);

      it('should depart with one aboard and three refused with their reasons', async () => {
        const { departTrip } = await call(
          DEPART,
          {
            t: trip,
            b: [
              { workerId: green, temperature: 36.5 },
              { workerId: yellow, temperature: 36.6 },
              { workerId: fever, temperature: 38.1 },
              { workerId: red, temperature: 36.4 },
            ],
          },
          'city',
          '440300',
        );
        expect(departTrip.status).toBe('DEPARTED');
        const seen = byWorker(departTrip);
        expect(seen[green]).toMatchObject({ boarded: true, temperature: 36.5, boardingRefusal: null });
        expect(seen[yellow]).toMatchObject({ boarded: false, boardingRefusal: 'HEALTH_CODE' });
        expect(seen[fever]).toMatchObject({ boarded: false, temperature: 38.1, boardingRefusal: 'FEVER' });
        expect(seen[red]).toMatchObject({ boarded: false, boardingRefusal: 'HEALTH_CODE' });
      });

      it('should list the refused for follow-up in their home province, through the relay', async () => {
        await federation.waitForRelay();
        const guangxi = (await call(REFUSED, { home: '450200' }, 'city', '450200')).refusedBoardings;
        const onTrip = guangxi.edges.map((e: any) => e.node).filter((n: any) => n.trip.id === trip);
        expect(Object.fromEntries(onTrip.map((n: any) => [n.worker.id, n.reason]))).toEqual({
          [yellow]: 'HEALTH_CODE',
          [red]: 'HEALTH_CODE',
        });
        expect(onTrip.every((n: any) => n.refusedAt === DEPARTURE.toISOString())).toBe(true);
        const guangdong = (await call(REFUSED, { home: '440300' }, 'province', '440000')).refusedBoardings;
        expect(guangdong.edges.map((e: any) => [e.node.worker.id, e.node.reason])).toEqual([
          [fever, 'FEVER'],
        ]);
        // the boarded Guangxi worker travels in his home record
        const { worker } = await call(
          'query($id: ID!) { worker(id: $id) { status currentTrip { id } } }',
          { id: green },
          'city',
          '450200',
        );
        expect(worker).toEqual({ status: 'TRAVELLING', currentTrip: { id: trip } });
      });

      it('should refuse the list to another city, another province and the ministry (health data)', async () => {
        for (const [role, region] of [
          ['city', '450300'],
          ['province', '440000'],
          ['ministry', undefined],
        ] as const) {
          const answer = await graphqlRequest(
            federation.gatewayUrl,
            REFUSED,
            { home: '450200' },
            await as(role, region),
          );
          expect(answer.errors?.[0]?.extensions?.code, `${role} ${region}`).toBe('FORBIDDEN');
        }
      });

      it('should show the refusals to the home province’s officer and hide them from another city', async () => {
        const read = async (role: Role, region: string) =>
          byWorker(
            (await call(`query($id: ID!) { trip(id: $id) { ${TRIP} } }`, { id: trip }, role, region)).trip,
          );
        expect((await read('province', '450000'))[yellow]).toMatchObject({ boardingRefusal: 'HEALTH_CODE' });
        const other = await read('city', '440100');
        expect(other[yellow]).toMatchObject({ boarded: false, boardingRefusal: null, temperature: null });
      });
    });

    describe('mutual recognition, expiry and self-declaration at a Guangdong pick-up from Guangxi', () => {
      it('should board a code issued by Guangxi, refuse an expired one and a self-declared one', async () => {
        const [recognised, expired, self] = (await register('450203', 3, '450200')) as [
          string,
          string,
          string,
        ];
        await call(HEALTH, { w: recognised, i: check('GREEN', '450000') }, 'city', '450200');
        await call(
          HEALTH,
          {
            w: expired,
            i: check('GREEN', '450000', {
              checkedAt: new Date(Date.now() - 8 * DAY).toISOString(),
              validUntil: new Date(Date.now() - DAY).toISOString(),
            }),
          },
          'city',
          '450200',
        );
        const asHimself = await federation.authorization('worker', undefined, self);
        await graphqlData(federation.gatewayUrl, HEALTH, { w: self, i: check('GREEN', '450000') }, asHimself);
        const trip = await plan('440300', '450200', '440300', '粤B·G0002');
        await call(ASSIGN, { t: trip, w: [recognised, expired, self] }, 'city', '440300');
        await federation.waitForRelay();
        const { departTrip } = await call(
          DEPART,
          {
            t: trip,
            b: [recognised, expired, self].map((workerId) => ({ workerId, temperature: 36.6 })),
          },
          'city',
          '440300',
        );
        const seen = byWorker(departTrip);
        expect(seen[recognised]).toMatchObject({ boarded: true, boardingRefusal: null });
        expect(seen[expired]).toMatchObject({ boarded: false, boardingRefusal: 'HEALTH_CODE' });
        expect(seen[self]).toMatchObject({ boarded: false, boardingRefusal: 'NO_HEALTH_RECORD' });
        await federation.waitForRelay();
        const listed = (await call(REFUSED, { home: '450203' }, 'city', '450200')).refusedBoardings.edges
          .map((e: any) => e.node)
          .filter((n: any) => n.trip.id === trip);
        expect(Object.fromEntries(listed.map((n: any) => [n.worker.id, n.reason]))).toEqual({
          [expired]: 'HEALTH_CODE',
          [self]: 'NO_HEALTH_RECORD',
        });
      });

      it('should cancel a trip nobody passes, with the reason', async () => {
        const [only] = (await register('450203', 1, '450200')) as [string];
        const trip = await plan('440300', '450200', '440300', '粤B·G0003');
        await call(ASSIGN, { t: trip, w: [only] }, 'city', '440300');
        await federation.waitForRelay();
        const { departTrip } = await call(
          DEPART,
          { t: trip, b: [{ workerId: only, temperature: 36.5 }] },
          'city',
          '440300',
        );
        expect(departTrip).toMatchObject({
          status: 'CANCELLED',
          cancelReason: 'nobody passed the boarding gate',
        });
        expect(byWorker(departTrip)[only]).toMatchObject({ boardingRefusal: 'NO_HEALTH_RECORD' });
      });
    });

    describe('a province requiring a negative nucleic-acid test (Guangxi, NUCLEIC_ACID_VALID_DAYS=7)', () => {
      it('should board a GREEN code with a recent negative test and refuse one without a test', async () => {
        const [tested, untested] = (await register('450203', 2, '450200')) as [string, string];
        const negative = { nucleicAcid: 'NEGATIVE', testedAt: new Date(Date.now() - 2 * DAY).toISOString() };
        await call(HEALTH, { w: tested, i: check('GREEN', '440000', negative) }, 'city', '450200');
        await call(HEALTH, { w: untested, i: check('GREEN', '450000') }, 'city', '450200');
        const trip = await plan('450200', '450200', '450200', '桂B·N0001');
        await call(ASSIGN, { t: trip, w: [tested, untested] }, 'city', '450200');
        const { departTrip } = await call(
          DEPART,
          { t: trip, b: [tested, untested].map((workerId) => ({ workerId, temperature: 36.5 })) },
          'city',
          '450200',
        );
        expect(byWorker(departTrip)[tested]).toMatchObject({ boarded: true, boardingRefusal: null });
        expect(byWorker(departTrip)[untested]).toMatchObject({
          boarded: false,
          boardingRefusal: 'HEALTH_CODE',
        });
      });
    });
  },
);
