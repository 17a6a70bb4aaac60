/**
 * Trips as they really ran (#14.5, report 002), end to end over real processes (Guangdong 440000,
 * Guangxi 450000, national, the gateway; Postgres with DATABASE_URL, else PGlite): a Guangxi
 * chartered bus from Liuzhou (450200) drops workers in Shenzhen (440300) and Dongguan (441900)
 * before Foshan (440600). Each stop's city officer follows it in `arrivals` through the gateway,
 * confirms the arrival with a check per person and hands over its own passengers: a missing
 * passenger is named and the headcount flagged, a fever at Dongguan is recorded and told to
 * Guangdong (ARRIVAL_FEVER), and Guangxi's own records put each worker AT_WORK at his own stop. A
 * special train carries each passenger's carriage.
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
} from '@p2p/schema';
import { graphqlData, graphqlRequest } from '@p2p/runtime';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { REPO_ROOT, SERVICE_ENTRIES } from '../harness/service-process.js';

const GUANGDONG = '440000';
const GUANGXI = '450000';
const SHENZHEN = '440300';
const DONGGUAN = '441900';
const FOSHAN = '440600';
const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));

const REGISTER = `mutation($i: [RegisterWorkerInput!]!) { registerWorkers(inputs: $i) { id } }`;
const HEALTH = `mutation($id: ID!, $i: HealthCheckInput!) { recordHealthCheck(workerId: $id, input: $i) { id } }`;
const ENTERPRISE = `mutation($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { id } }`;
const STOP =
  'region { code name } status headcount expected headcountMismatch missing { id name } handedOverTo handedOverToEnterprise { id name }';
const TRIP = `id status headcount handedOverToEnterprise { id } stops { ${STOP} } passengers { worker { id } alightAt { code } carriage arrivalTemperature missingAtArrival }`;
const PLAN = `mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }`;
const ASSIGN = `mutation($t: ID!, $w: [ID!]!, $a: [PassengerAssignmentInput!]) { assignPassengers(tripId: $t, workerIds: $w, assignments: $a) { ${TRIP} } }`;
const DEPART = `mutation($t: ID!, $b: [BoardingInput!]!) { departTrip(tripId: $t, boarded: $b) { id status } }`;
const ARRIVE = `mutation($t: ID!, $i: ConfirmArrivalInput!) { confirmArrival(tripId: $t, input: $i) { ${TRIP} } }`;
const HAND_OVER = `mutation($t: ID!, $to: String, $e: ID, $s: RegionCode) { handOverTrip(tripId: $t, handedOverTo: $to, enterpriseId: $e, stop: $s) { ${TRIP} } }`;
const HOME = `query($id: ID!) { worker(id: $id) { status workRegion { code } } }`;
const ARRIVALS = `subscription($d: RegionCode!) { arrivals(destination: $d) { cursor kind stop { code name } trip { id vehicleCode } } }`;

interface ArrivalEvent {
  kind: string;
  stop: { code: string; name: string } | null;
  trip: { id: string; vehicleCode: string };
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

describe.skipIf(!servicesExist)(
  `a bus with stops: each stop's city meets, checks and takes over its own passengers (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  () => {
    let federation: RunningFederation;
    const clients: Client[] = [];
    const seen: Record<string, ArrivalEvent[]> = {};
    let serial = 0;

    const as = (role: 'province' | 'city', region: string) => federation.authorization(role, region);
    const write = async <T = any>(
      query: string,
      variables: Record<string, unknown>,
      headers: Record<string, string>,
    ) => graphqlData<T>(federation.gatewayUrl, query, variables, headers);

    /** Guangxi workers at home with a GREEN code valid on the day (the boarding gate lets them on). */
    const guangxiWorkers = async (n: number): Promise<string[]> => {
      const officer = await as('province', GUANGXI);
      const inputs = Array.from({ length: n }, () => {
        serial++;
        return {
          name: `桂工${serial}`,
          idNumber: residentIdFrom('450203', '19900101', 500 + serial),
          phone: `137${String(10_000_000 + serial).slice(-8)}`,
          homeRegion: '450203',
        };
      });
      const ids = (
        await write<{ registerWorkers: { id: string }[] }>(REGISTER, { i: inputs }, officer)
      ).registerWorkers.map((w) => w.id);
      for (const id of ids)
        await write(
          HEALTH,
          {
            id,
            i: {
              code: 'GREEN',
              issuedBy: GUANGXI,
              checkedAt: hoursAgo(14),
              validUntil: hoursAgo(-24 * 6),
              nucleicAcid: 'NEGATIVE',
              testedAt: hoursAgo(20),
            },
          },
          officer,
        );
      return ids;
    };

    /** The arrivals a city officer follows through the gateway, gathered in `seen[region]`. */
    const followArrivals = async (region: string) => {
      const client = createClient({
        url: federation.gatewayUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${await federation.tokenFor('city', region)}` },
        retryAttempts: 0,
      });
      clients.push(client);
      seen[region] = [];
      client.subscribe<{ arrivals: ArrivalEvent }>(
        { query: ARRIVALS, variables: { d: region } },
        {
          next: (r) => {
            if (r.data?.arrivals) seen[region]!.push(r.data.arrivals);
          },
          error: () => {},
          complete: () => {},
        },
      );
    };

    /** Waits until `region`'s follower saw `count` events of `tripId`. */
    const eventsOf = async (region: string, tripId: string, count: number) => {
      const of = () => seen[region]!.filter((e) => e.trip.id === tripId);
      for (let i = 0; i < 200 && of().length < count; i++) await new Promise((r) => setTimeout(r, 100));
      return of().map((e) => [e.kind, e.stop?.code ?? null]);
    };

    beforeAll(async () => {
      federation = await startFederation({
        provinces: [GUANGDONG, GUANGXI],
        gatewayEnv: { RATE_LIMIT_PER_SECOND: '0' },
      });
      for (const region of [SHENZHEN, DONGGUAN, FOSHAN]) await followArrivals(region);
      await new Promise((r) => setTimeout(r, 1_000)); // subscribed (from now)
    }, 180_000);
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.dispose()));
      await federation?.close();
    }, 60_000);

    it('should let each stop see the bus in arrivals, confirm and hand over its own passengers, and put each worker AT_WORK at his stop', async () => {
      const [s1, s2, d1, d2, f1, f2] = await guangxiWorkers(6);
      const guangxi = await as('province', GUANGXI);
      const { planTrip } = await write<{ planTrip: { id: string } }>(
        PLAN,
        {
          i: {
            mode: 'BUS',
            vehicleCode: '桂B·E2014',
            origin: '450200',
            destination: FOSHAN,
            stops: [SHENZHEN, DONGGUAN],
            departureAt: hoursAgo(12),
            expectedArrivalAt: hoursAgo(1),
            capacity: 40,
          },
        },
        guangxi,
      );
      const trip = planTrip.id;
      await write(
        ASSIGN,
        {
          t: trip,
          w: [f1],
          a: [
            { workerId: s1, alightAt: SHENZHEN },
            { workerId: s2, alightAt: SHENZHEN },
            { workerId: d1, alightAt: DONGGUAN },
            { workerId: d2, alightAt: DONGGUAN },
            { workerId: f2 },
          ],
        },
        guangxi,
      );
      await write(
        DEPART,
        { t: trip, b: [s1, s2, d1, d2, f1, f2].map((workerId) => ({ workerId, temperature: 36.5 })) },
        guangxi,
      );
      const foshanEnterprise = (
        await write<{ registerEnterprise: { id: string } }>(
          ENTERPRISE,
          { i: { name: '佛山家具厂', region: '440604', sector: '制造业', key: true } },
          await as('province', GUANGDONG),
        )
      ).registerEnterprise.id;

      // Dongguan may not confirm Shenzhen's stop, nor Shenzhen the destination.
      const shenzhenStop = {
        stop: SHENZHEN,
        arrivedAt: hoursAgo(6),
        headcount: 1,
        checks: [{ workerId: s1, temperature: 36.6 }],
      };
      const refused = await graphqlRequest(
        federation.gatewayUrl,
        ARRIVE,
        { t: trip, i: shenzhenStop },
        await as('city', DONGGUAN),
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const notHis = await graphqlRequest(
        federation.gatewayUrl,
        ARRIVE,
        { t: trip, i: { arrivedAt: hoursAgo(6), headcount: 0 } },
        await as('city', SHENZHEN),
      );
      expect(notHis.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

      // Shenzhen: one of its two passengers is missing; the headcount says 1.
      const shenzhen = await as('city', SHENZHEN);
      const sz = (await write(ARRIVE, { t: trip, i: shenzhenStop }, shenzhen)).confirmArrival;
      expect(sz.status).toBe('DEPARTED');
      expect(sz.stops[0]).toMatchObject({
        region: { code: SHENZHEN, name: '深圳市' },
        status: 'ARRIVED',
        headcount: 1,
        expected: 2,
        headcountMismatch: true,
        missing: [{ id: s2, name: expect.stringMatching(/^桂工\d+$/) }],
      });
      await write(HAND_OVER, { t: trip, to: '深圳市宝安区人社局', s: SHENZHEN }, shenzhen);

      // Dongguan: a fever; handed over at once.
      const dg = (
        await write(
          ARRIVE,
          {
            t: trip,
            i: {
              stop: DONGGUAN,
              arrivedAt: hoursAgo(4),
              headcount: 2,
              checks: [
                { workerId: d1, temperature: 36.4 },
                { workerId: d2, temperature: 38.1 },
              ],
              handedOverTo: '东莞市长安镇接收点',
            },
          },
          await as('city', DONGGUAN),
        )
      ).confirmArrival;
      expect(dg.stops[1]).toMatchObject({ status: 'HANDED_OVER', headcountMismatch: false, missing: [] });
      expect(dg.passengers.find((p: { worker: { id: string } }) => p.worker.id === d2)).toMatchObject({
        arrivalTemperature: 38.1,
        alightAt: { code: DONGGUAN },
      });

      // Foshan, the last stop: ARRIVED, then handed over to an enterprise of Foshan.
      const foshan = await as('city', FOSHAN);
      const fs = (await write(ARRIVE, { t: trip, i: { arrivedAt: hoursAgo(2), headcount: 2 } }, foshan))
        .confirmArrival;
      expect(fs).toMatchObject({ status: 'ARRIVED', headcount: 5 });
      const done = (await write(HAND_OVER, { t: trip, e: foshanEnterprise }, foshan)).handOverTrip;
      expect(done).toMatchObject({ status: 'HANDED_OVER', handedOverToEnterprise: { id: foshanEnterprise } });
      expect(done.stops[2]).toMatchObject({
        status: 'HANDED_OVER',
        handedOverToEnterprise: { id: foshanEnterprise, name: '佛山家具厂' },
      });

      // Each stop's city followed the bus through the gateway, every stop's event naming its stop.
      const expected = [
        ['PLANNED', null],
        ['DEPARTED', null],
        ['ARRIVED', SHENZHEN],
        ['HANDED_OVER', SHENZHEN],
        ['ARRIVED', DONGGUAN],
        ['HANDED_OVER', DONGGUAN],
        ['ARRIVED', FOSHAN],
        ['HANDED_OVER', FOSHAN],
      ];
      for (const region of [SHENZHEN, DONGGUAN, FOSHAN])
        expect(await eventsOf(region, trip, expected.length)).toEqual(expected);
      expect(seen[DONGGUAN]!.find((e) => e.stop?.code === DONGGUAN)?.stop?.name).toBe('东莞市');

      // Guangxi's own records.
      await federation.waitForRelay();
      const home = async (id: string) =>
        (
          await write<{ worker: { status: string; workRegion: { code: string } | null } }>(
            HOME,
            { id },
            guangxi,
          )
        ).worker;
      // Each worker AT_WORK at his own stop; the one with a fever at Dongguan's check is under
      // observation there (Guangdong started it on the fever; his home follows: not AT_WORK until released).
      expect(await Promise.all([s1, s2, d1, d2, f1, f2].map((id) => home(id!)))).toEqual([
        { status: 'AT_WORK', workRegion: { code: SHENZHEN } },
        { status: 'AT_WORK', workRegion: { code: SHENZHEN } },
        { status: 'AT_WORK', workRegion: { code: DONGGUAN } },
        { status: 'OBSERVATION', workRegion: { code: DONGGUAN } },
        { status: 'AT_WORK', workRegion: { code: FOSHAN } },
        { status: 'AT_WORK', workRegion: { code: FOSHAN } },
      ]);

      // The fever went to Guangdong, the province of the stop (its observation is the health subgraph's).
      const text = JSON.stringify({ consumers: [{ target: GUANGDONG, epoch: null, after: 0 }], limit: 500 });
      const key = await importGatewaySigningKey(federation.gatewayKeys.privateKeyPem);
      const res = await fetch(`${federation.provinceUrls[GUANGXI]}${RELAY_ENDPOINTS.events}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [CALLER_HEADER]: signCallerAssertion(RELAY_CALLER, key, { province: GUANGXI, body: text }),
        },
        body: text,
      });
      const told = (await res.json()) as RelayEventsAnswer;
      expect(told.consumers[0]!.events.map((e) => e.fact).filter((f) => f.fact === 'ARRIVAL_FEVER')).toEqual([
        {
          fact: 'ARRIVAL_FEVER',
          tripId: trip,
          stop: DONGGUAN,
          workerId: d2,
          temperature: 38.1,
          checkedAt: expect.any(String),
        },
      ]);
      // ... where Dongguan put him under observation at once: its officer lists it, Shenzhen's does not.
      const OBSERVATIONS = `query($r: RegionCode!) { observations(region: $r, active: true, first: 50) {
        edges { node { reason kind days worker { id } trip { id } region { code } } } } }`;
      const listed = await write<{ observations: { edges: { node: Record<string, unknown> }[] } }>(
        OBSERVATIONS,
        { r: DONGGUAN },
        await as('city', DONGGUAN),
      );
      expect(listed.observations.edges.map((e) => e.node)).toEqual([
        {
          reason: 'FEVER_AT_ARRIVAL',
          kind: 'CENTRALISED',
          days: 14,
          worker: { id: d2 },
          trip: { id: trip },
          region: { code: DONGGUAN },
        },
      ]);
      const notThere = await graphqlRequest(
        federation.gatewayUrl,
        OBSERVATIONS,
        { r: DONGGUAN },
        await as('city', SHENZHEN),
      );
      expect(notThere.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }, 120_000);

    it('should carry each passenger’s carriage on a special train', async () => {
      const [a, b] = await guangxiWorkers(2);
      const guangxi = await as('province', GUANGXI);
      const { planTrip } = await write<{ planTrip: { id: string } }>(
        PLAN,
        {
          i: {
            mode: 'TRAIN',
            vehicleCode: 'Z2020',
            origin: '450200',
            destination: '440100',
            stops: ['440600'],
            departureAt: hoursAgo(3),
            expectedArrivalAt: hoursAgo(-6),
            capacity: 1_500,
          },
        },
        guangxi,
      );
      const assigned = (
        await write(
          ASSIGN,
          {
            t: planTrip.id,
            w: [],
            a: [
              { workerId: a, carriage: '05车' },
              { workerId: b, carriage: '12车', alightAt: '440600' },
            ],
          },
          guangxi,
        )
      ).assignPassengers;
      expect(assigned.passengers).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ worker: { id: a }, carriage: '05车', alightAt: { code: '440100' } }),
          expect.objectContaining({ worker: { id: b }, carriage: '12车', alightAt: { code: '440600' } }),
        ]),
      );
      expect(assigned.stops.map((s: { region: { code: string } }) => s.region.code)).toEqual([
        '440600',
        '440100',
      ]);
    }, 60_000);
  },
);
