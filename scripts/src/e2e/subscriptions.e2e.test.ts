/**
 * Federated subscriptions end to end, over real processes (Hebei, Henan, Guangxi, national, the
 * gateway), with the reference graphql-ws client and with Apollo Client (GraphQLWsLink):
 * - a receiving place follows a Hebei bus into Beijing, PLANNED → DEPARTED → ARRIVED →
 *   HANDED_OVER, with its Henan passenger's name and home read from Henan;
 * - during a burst of 500 events from the three provinces the gateway restarts and Henan
 *   restarts; each client resubscribes with its last cursor and ends with every event exactly
 *   once, each province's in order;
 * - a receiving place moves from the gateway to a second replica over the same provinces with
 *   its last cursor: it misses nothing sent while it was between them and receives nothing twice;
 * - (PostgreSQL only: the test reaches into Hebei's database) a cursor older than what Hebei
 *   keeps after its retention pass is refused with CURSOR_EXPIRED.
 * Runs on PGlite, or on PostgreSQL with DATABASE_URL set.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { pruneOnce, type Db } from '@p2p/province';
import { provinceOf } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { graphqlData, graphqlRequest } from '@p2p/runtime';
import { databaseUrlFor } from '../harness/province-storage.js';
import { REPO_ROOT, SERVICE_ENTRIES, type ServiceProcess } from '../harness/service-process.js';
import { demoIdNumber, type DemoWorker } from '../demo/model.js';

const PROVINCES = ['130000', '410000', '450000'];
// Apollo's GraphQLWsLink tells socket errors apart with `instanceof WebSocket` (a global only from Node 22 on).
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));

const ARRIVALS = `subscription Arrivals($destination: RegionCode!, $after: String) {
  arrivals(destination: $destination, after: $after) {
    cursor kind at
    trip { id vehicleCode status passengers { worker { name homeRegion { code name } } } }
  }
}`;

interface TripEventData {
  cursor: string;
  kind: string;
  at: string;
  trip: {
    id: string;
    vehicleCode: string;
    status: string;
    passengers: { worker: { name: string; homeRegion: { code: string; name: string } } | null }[];
  };
}

/** The seq of each province in a vector cursor (`{"130000":["<epoch>",41]}`, or a bare 41 before epochs). */
function decode(cursor: string): Record<string, number> {
  const vector = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<
    string,
    number | [string, number]
  >;
  return Object.fromEntries(
    Object.entries(vector).map(([province, value]) => [province, Array.isArray(value) ? value[1] : value]),
  );
}

/** A subscriber that resubscribes with its last cursor whenever its subscription ends. */
interface Follower {
  events: TripEventData[];
  /** Waits until `predicate(events)` holds. */
  until(predicate: (events: TripEventData[]) => boolean, timeoutMs?: number): Promise<void>;
  resubscriptions: number;
  stop(): void;
}

type SubscribeOnce = (
  after: string | undefined,
  sink: { next(e: TripEventData): void; ended(): void },
) => () => void;

function follow(subscribeOnce: SubscribeOnce): Follower {
  const events: TripEventData[] = [];
  let stopped = false;
  let cancel = () => {};
  const follower: Follower = {
    events,
    resubscriptions: 0,
    async until(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline)
          throw new Error(`condition not met after ${timeoutMs} ms (${events.length} events)`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop() {
      stopped = true;
      cancel();
    },
  };
  const start = () => {
    if (stopped) return;
    let ended = false;
    const stop = subscribeOnce(events.at(-1)?.cursor, {
      next: (e) => {
        if (!ended) events.push(e);
      },
      ended: () => {
        if (ended || stopped) return;
        ended = true;
        stop();
        follower.resubscriptions++;
        setTimeout(start, 250);
      },
    });
    cancel = stop;
  };
  start();
  return follower;
}

/** graphql-ws, the reference client; it must not retry by itself (it would resend the first cursor). */
function graphqlWsFollower(
  url: string,
  connectionParams: Record<string, unknown>,
): { follower: Follower; client: Client } {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    keepAlive: 5_000,
    lazyCloseTimeout: 500,
  });
  const follower = follow((after, sink) =>
    client.subscribe<{ arrivals: TripEventData }>(
      { query: ARRIVALS, variables: { destination: '110000', after } },
      {
        next: (r) => (r.data?.arrivals ? sink.next(r.data.arrivals) : sink.ended()),
        error: () => sink.ended(),
        complete: () => sink.ended(),
      },
    ),
  );
  return { follower, client };
}

/** Apollo Client over GraphQLWsLink, with the `ws` WebSocket. */
function apolloFollower(
  url: string,
  connectionParams: Record<string, unknown>,
): { follower: Follower; client: Client; apollo: ApolloClient } {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    keepAlive: 5_000,
    lazyCloseTimeout: 500,
  });
  const apollo = new ApolloClient({ link: new GraphQLWsLink(client), cache: new InMemoryCache() });
  const query = gql(ARRIVALS);
  const follower = follow((after, sink) => {
    const subscription = apollo
      .subscribe<{ arrivals: TripEventData }>({
        query,
        variables: { destination: '110000', after },
        fetchPolicy: 'no-cache',
      })
      .subscribe({
        // Partial data (e.g. a passenger's home province down) is an event; no data is not.
        next: (r) => (r.data?.arrivals ? sink.next(r.data.arrivals) : sink.ended()),
        error: () => sink.ended(),
        complete: () => sink.ended(),
      });
    return () => subscription.unsubscribe();
  });
  return { follower, client, apollo };
}

/** Runs `send` until it succeeds (the gateway or a province may be restarting). */
async function persist<T>(send: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await send();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe.skipIf(!servicesExist)(
  `federated subscriptions over 3 provinces (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  () => {
    let hub: RunningFederation;
    let wsUrl: string;
    let reference: ReturnType<typeof graphqlWsFollower>;
    let apollo: ReturnType<typeof apolloFollower>;
    const officer = (region: string) => hub.authorization('province', provinceOf(region));
    const mutate = async (
      region: string,
      query: string,
      variables: Record<string, unknown>,
      headers?: Record<string, string>,
    ) => graphqlData(hub.gatewayUrl, query, variables, headers ?? (await officer(region)));
    /** Registers a demo worker in his home province (a valid resident ID from the demo model). */
    const registerDemoWorker = async (
      worker: Pick<DemoWorker, 'name' | 'home' | 'birth' | 'seq'>,
      phone: string,
    ): Promise<{ id: string }> =>
      (
        await mutate(
          worker.home,
          `mutation($input: RegisterWorkerInput!) { registerWorker(input: $input) { id } }`,
          {
            input: { name: worker.name, idNumber: demoIdNumber(worker), phone, homeRegion: worker.home },
          },
        )
      ).registerWorker;

    beforeAll(async () => {
      hub = await startFederation({ provinces: PROVINCES });
      wsUrl = hub.gatewayUrl.replace(/^http/, 'ws');
      // The receiving place: Beijing's city government follows every arrival into Beijing.
      const receiver = { authorization: `Bearer ${await hub.tokenFor('city', '110100')}` };
      reference = graphqlWsFollower(wsUrl, receiver);
      apollo = apolloFollower(wsUrl, receiver);
      await new Promise((r) => setTimeout(r, 1_000)); // both are subscribed (from now)
    }, 180_000);

    afterAll(async () => {
      reference?.follower.stop();
      apollo?.follower.stop();
      apollo?.apollo.stop();
      await reference?.client.dispose();
      await apollo?.client.dispose();
      await hub?.close();
    }, 60_000);

    // First in the file: no cursor has been checked yet, so the gateway holds no cached retention point.
    it.skipIf(!process.env.DATABASE_URL)(
      'refuses a cursor older than what a province keeps with CURSOR_EXPIRED, and takes one at its retention point',
      async () => {
        const plan = (n: number) => ({
          mode: 'BUS',
          vehicleCode: `冀D·R${n}`,
          origin: '130426',
          destination: '110108',
          departureAt: '2030-03-01T08:00:00+08:00',
          expectedArrivalAt: '2030-03-02T08:00:00+08:00',
          capacity: 50,
        });
        for (const n of [1, 2])
          await mutate('130000', `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`, {
            input: plan(n),
          });
        // Hebei's events are made 40 days old, and a retention pass (30 days) prunes them.
        const pool = new pg.Pool({
          connectionString: databaseUrlFor(
            process.env.DATABASE_URL!,
            new URL(hub.provinceStorage['130000']!).pathname.slice(1),
          ),
        });
        let prunedThrough: number;
        try {
          const db = drizzle(pool);
          await db.execute(sql`UPDATE outbox SET at = at - interval '40 days'`);
          ({ prunedThrough } = await pruneOnce(db as unknown as Db, {
            outboxDays: 30,
            idempotencyKeyDays: 0,
          }));
        } finally {
          await pool.end();
        }
        expect(prunedThrough).toBeGreaterThanOrEqual(2);
        const cursor = (positions: Record<string, number>) =>
          Buffer.from(JSON.stringify(positions)).toString('base64url');
        const client = createClient({
          url: wsUrl,
          webSocketImpl: WebSocket,
          connectionParams: await hub.authorization('city', '110100'),
          retryAttempts: 0,
        });
        try {
          const first = (after: string, destination = '110000') =>
            new Promise<unknown>((resolve) => {
              const stop = client.subscribe(
                { query: ARRIVALS, variables: { destination, after } },
                {
                  next: (r) => {
                    stop();
                    resolve(r);
                  },
                  error: resolve,
                  complete: () => {},
                },
              );
            });
          const refusal = await first(cursor({ '130000': prunedThrough - 1, '410000': 0, '450000': 0 }));
          const errors = (Array.isArray(refusal) ? refusal : (refusal as { errors?: unknown[] }).errors) as {
            extensions?: Record<string, unknown>;
          }[];
          expect(errors?.[0]?.extensions).toMatchObject({
            code: 'CURSOR_EXPIRED',
            field: 'after',
            province: '130000',
            prunedThrough: String(prunedThrough),
          });
          // The same old position for Guangdong: no pruned event went there, nothing was lost, no refusal.
          const quiet = await Promise.race([
            first(cursor({ '130000': 0, '410000': 0, '450000': 0 }), '440000'),
            new Promise((r) => setTimeout(() => r('still subscribed'), 1_000)),
          ]);
          expect(quiet).toBe('still subscribed');
          // At the retention point itself nothing was lost: the next Hebei event arrives.
          const next = first(cursor({ '130000': prunedThrough, '410000': 0, '450000': 0 }));
          await new Promise((r) => setTimeout(r, 500));
          await mutate('130000', `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`, {
            input: plan(3),
          });
          const event = (await next) as {
            data?: { arrivals?: { kind: string; trip: { vehicleCode: string } } };
          };
          expect(event.data?.arrivals).toMatchObject({ kind: 'PLANNED', trip: { vehicleCode: '冀D·R3' } });
        } finally {
          await client.dispose();
        }
      },
      60_000,
    );

    it('shows a Hebei bus going PLANNED → DEPARTED → ARRIVED → HANDED_OVER with its Henan passenger', async () => {
      const worker = { name: '陈国强', home: '411624100', birth: '19860305', seq: 19 };
      const registered = await registerDemoWorker(worker, '13900009901');
      const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
      const plan = {
        mode: 'BUS',
        vehicleCode: '冀D·K6218',
        origin: '130426',
        destination: '110105',
        departureAt: hoursAgo(8),
        expectedArrivalAt: hoursAgo(0.5),
        capacity: 45,
      };
      const { planTrip } = await mutate(
        '130000',
        `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`,
        { input: plan },
      );
      const id: string = planTrip.id;
      await mutate(
        '130000',
        `mutation($id: ID!, $w: [ID!]!) { assignPassengers(tripId: $id, workerIds: $w) { id } }`,
        { id, w: [registered.id] },
      );
      // #14: the boarding gate wants his home officer's GREEN code, valid on the departure day; it
      // reaches the Hebei organiser through the relay (HEALTH_COPY, sent when he is assigned)
      await mutate(
        worker.home,
        `mutation($w: ID!, $i: HealthCheckInput!) { recordHealthCheck(workerId: $w, input: $i) { id } }`,
        {
          w: registered.id,
          i: { code: 'GREEN', issuedBy: '410000', checkedAt: hoursAgo(9), validUntil: hoursAgo(-72) },
        },
      );
      await hub.waitForRelay();
      await mutate(
        '130000',
        `mutation($id: ID!, $w: ID!) { departTrip(tripId: $id, boarded: [{ workerId: $w, temperature: 36.5 }]) { id } }`,
        { id, w: registered.id },
      );
      // The receiving place meets the bus and hands the workers over.
      const receiving = await hub.authorization('city', '110100');
      await mutate(
        '130000',
        `mutation($id: ID!, $at: DateTime!) { confirmArrival(tripId: $id, input: { arrivedAt: $at, headcount: 1, handedOverTo: "朝阳区人社局" }) { id } }`,
        { id, at: hoursAgo(0.1) },
        receiving,
      );

      for (const { follower } of [reference, apollo]) {
        await follower.until((events) => events.filter((e) => e.trip.id === id).length >= 4, 20_000);
        const mine = follower.events.filter((e) => e.trip.id === id);
        expect(mine.map((e) => e.kind)).toEqual(['PLANNED', 'DEPARTED', 'ARRIVED', 'HANDED_OVER']);
        const last = mine.at(-1)!;
        expect(last.trip).toMatchObject({ vehicleCode: '冀D·K6218', status: 'HANDED_OVER' });
        // Read as it is now: handed over, so the receiving city no longer sees his name (#11.4),
        // while his home region still comes from Henan's workers subgraph.
        expect(last.trip.passengers[0]!.worker).toMatchObject({
          name: '陈**',
          homeRegion: { code: '411624100' },
        });
        expect(last.trip.passengers[0]!.worker!.homeRegion.name).toBeTruthy();
        expect(Object.keys(decode(last.cursor)).sort()).toEqual(PROVINCES);
      }
    }, 60_000);

    it('should send one principal the same bytes and another principal its own view (#17.4), each client with its own cursor', async () => {
      // Two officers of the passenger's home province (they see his name) and Guangxi's officer
      // (anyone else: his name masked) follow the same arrivals into Chaoyang; the gateway executes
      // and serialises each event once per principal and operation, never once for all.
      const subscribers: { events: TripEventData[]; client: Client; stop: () => void }[] = [];
      const subscribe = async (headers: Record<string, string>, after?: string) => {
        const client = createClient({
          url: wsUrl,
          webSocketImpl: WebSocket,
          connectionParams: headers,
          retryAttempts: 0,
        });
        const subscriber = { events: [] as TripEventData[], client, stop: () => {} };
        subscriber.stop = client.subscribe<{ arrivals: TripEventData }>(
          { query: ARRIVALS, variables: { destination: '110105', ...(after ? { after } : {}) } },
          {
            next: (r) => r.data && subscriber.events.push(r.data.arrivals),
            error: () => {},
            complete: () => {},
          },
        );
        subscribers.push(subscriber);
        return subscriber;
      };
      const until = async (ok: () => boolean, ms = 20_000) => {
        for (const deadline = Date.now() + ms; !ok() && Date.now() < deadline; )
          await new Promise((r) => setTimeout(r, 100));
        expect(ok()).toBe(true);
      };
      try {
        const home = await subscribe(await hub.authorization('province', '410000'));
        const guangxi = await subscribe(await hub.authorization('province', '450000'));
        await new Promise((r) => setTimeout(r, 1_000)); // subscribed (from now)
        const worker = { name: '林秀英', home: '411624100', birth: '19900412', seq: 27 };
        const registered = await registerDemoWorker(worker, '13900009927');
        const plan = (region: string, vehicleCode: string, origin: string, destination: string) =>
          mutate(region, `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`, {
            input: {
              mode: 'BUS',
              vehicleCode,
              origin,
              destination,
              departureAt: '2030-03-01T08:00:00+08:00',
              expectedArrivalAt: '2030-03-02T08:00:00+08:00',
              capacity: 45,
            },
          });
        // Guangxi: one trip into Chaoyang (its feed's position), then one elsewhere (its head moves on).
        const intoChaoyang = (await plan('450000', '桂A·S1701', '450225', '110105')).planTrip.id as string;
        await plan('450000', '桂A·S1702', '450225', '440306');
        const id: string = (await plan('130000', '冀D·S1704', '130426', '110105')).planTrip.id;
        await until(() => [intoChaoyang, id].every((trip) => home.events.some((e) => e.trip.id === trip)));
        // A second Henan officer resumes from the first one's cursor with Guangxi one position
        // further (its trip elsewhere, none into Chaoyang after it): same principal, another cursor.
        const last = home.events.at(-1)!;
        const vector = JSON.parse(Buffer.from(last.cursor, 'base64url').toString('utf8')) as Record<
          string,
          number | [string, number]
        >;
        const value = vector['450000']!;
        vector['450000'] = Array.isArray(value) ? [value[0], value[1] + 1] : value + 1;
        const second = await subscribe(
          await hub.authorization('province', '410000'),
          Buffer.from(JSON.stringify(vector)).toString('base64url'),
        );
        await new Promise((r) => setTimeout(r, 1_000));
        await mutate(
          '130000',
          `mutation($id: ID!, $w: [ID!]!) { assignPassengers(tripId: $id, workerIds: $w) { id } }`,
          {
            id,
            w: [registered.id],
          },
        );
        await mutate(
          '130000',
          `mutation($id: ID!, $at: DateTime!) { updateEta(tripId: $id, expectedArrivalAt: $at) { id } }`,
          {
            id,
            at: '2030-03-02T09:00:00+08:00',
          },
        );
        const changed = (s: (typeof subscribers)[number]) =>
          s.events.find((e) => e.trip.id === id && e.kind === 'ETA_CHANGED');
        await until(() => subscribers.every((s) => changed(s)));
        const [a, b, g] = [changed(home)!, changed(second)!, changed(guangxi)!];
        expect(a.trip.passengers[0]!.worker!.name).toBe('林秀英');
        expect({ ...b, cursor: undefined }).toEqual({ ...a, cursor: undefined });
        expect(g.trip.passengers[0]!.worker!.name).toBe('林**');
        expect({ ...g, cursor: undefined, trip: { ...g.trip, passengers: undefined } }).toEqual({
          ...a,
          cursor: undefined,
          trip: { ...a.trip, passengers: undefined },
        });
        // Each client's own cursor: the second one's Guangxi position is still one further.
        expect(b.cursor).not.toBe(a.cursor);
        expect(decode(b.cursor)['450000']).toBe(decode(a.cursor)['450000']! + 1);
        expect(decode(b.cursor)['130000']).toBe(decode(a.cursor)['130000']);
      } finally {
        for (const s of subscribers) s.stop();
        await Promise.all(subscribers.map((s) => s.client.dispose()));
      }
    }, 60_000);

    it('refuses a malformed cursor with BAD_USER_INPUT, and a connection without a token with 4403', async () => {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: await hub.authorization('city', '110100'),
        retryAttempts: 0,
      });
      const refusal = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: ARRIVALS, variables: { destination: '110000', after: 'not-a-cursor!' } },
          { next: resolve, error: resolve, complete: () => {} },
        );
      });
      await client.dispose();
      // graphql-ws delivers a refused subscription as one result with errors (or as an error message).
      const errors = (Array.isArray(refusal) ? refusal : (refusal as { errors?: unknown[] }).errors) as {
        extensions?: Record<string, unknown>;
      }[];
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });

      const anonymous = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
      const closed = await new Promise<unknown>((resolve) => {
        anonymous.subscribe(
          { query: ARRIVALS, variables: { destination: '110000' } },
          { next: resolve, error: resolve, complete: () => {} },
        );
      });
      await anonymous.dispose();
      expect((closed as { code?: number }).code).toBe(4403);
    });

    it('loses nothing and repeats nothing through a burst of 500 events while the gateway and Henan restart', async () => {
      const perProvince = { 130000: '130426', 410000: '411624', 450000: '450225' } as Record<string, string>;
      const tripsPerProvince = 2;
      const etaChangesPerTrip = 83; // 3 × 2 × (1 PLANNED + 83 ETA_CHANGED) = 504 events
      const burstTrips = new Set<string>();
      const plans = await Promise.all(
        PROVINCES.flatMap((province) =>
          Array.from({ length: tripsPerProvince }, (_, t) =>
            mutate(
              province,
              `mutation($input: PlanTripInput!, $key: String) { planTrip(input: $input, idempotencyKey: $key) { id } }`,
              {
                key: `burst:${province}:${t}`,
                input: {
                  mode: 'BUS',
                  vehicleCode: `BURST-${province}-${t}`,
                  origin: perProvince[province],
                  destination: '110108',
                  departureAt: '2030-03-01T08:00:00+08:00',
                  expectedArrivalAt: '2030-03-02T08:00:00+08:00',
                  capacity: 50,
                },
              },
            ).then((d) => ({ province, id: d.planTrip.id as string })),
          ),
        ),
      );
      for (const p of plans) burstTrips.add(p.id);

      let sent = 0;
      const eta = (i: number) =>
        new Date(Date.parse('2030-03-02T08:00:00+08:00') + (i + 1) * 60_000).toISOString();
      // Ten ETA changes per request (aliases, run in order); a request that failed in part is sent
      // again whole: the idempotency keys make what already committed a no-op, so each change is one event.
      const drive = async ({ province, id }: { province: string; id: string }) => {
        for (let first = 0; first < etaChangesPerTrip; first += 10) {
          const batch = Array.from({ length: Math.min(10, etaChangesPerTrip - first) }, (_, k) => first + k);
          const fields = batch.map(
            (i) =>
              `e${i}: updateEta(tripId: $id, expectedArrivalAt: "${eta(i)}", idempotencyKey: "burst:${id}:${i}") { id }`,
          );
          await persist(async () => {
            const answer = await graphqlRequest(
              hub.gatewayUrl,
              `mutation Burst($id: ID!) { ${fields.join(' ')} }`,
              { id },
              await officer(province),
            );
            if (answer.errors?.length || !answer.data)
              throw new Error(answer.errors?.[0]?.message ?? 'no data');
          });
          sent += batch.length;
        }
      };
      const chaos = (async () => {
        while (sent < 125) await new Promise((r) => setTimeout(r, 50));
        await hub.restartGateway();
        while (sent < 275) await new Promise((r) => setTimeout(r, 50));
        await hub.stopProvince('410000');
        await new Promise((r) => setTimeout(r, 500));
        await hub.startProvince('410000');
      })();
      await Promise.all([...plans.map(drive), chaos]);
      const expected = plans.length * (1 + etaChangesPerTrip);

      for (const [name, { follower }] of [
        ['graphql-ws', reference],
        ['Apollo', apollo],
      ] as const) {
        await follower
          .until((events) => events.filter((e) => burstTrips.has(e.trip.id)).length >= expected, 90_000)
          .catch((error: Error) => {
            throw new Error(
              `${name}: ${error.message}; ${follower.events.filter((e) => burstTrips.has(e.trip.id)).length} of ${expected} burst events, ${follower.resubscriptions} resubscriptions, ${sent} changes sent`,
            );
          });
        await new Promise((r) => setTimeout(r, 500)); // anything more would be a duplicate
        // Each event moved exactly one province's position forward by some amount: no repeat, no going back.
        let previous = decode(follower.events[0]!.cursor);
        const seqsByProvince = new Map<string, number[]>();
        for (const event of follower.events.slice(1)) {
          const current = decode(event.cursor);
          const moved = Object.keys(current).filter(
            (p) => previous[p] !== undefined && current[p] !== previous[p],
          );
          expect(moved).toHaveLength(1);
          const province = moved[0]!;
          expect(current[province]!).toBeGreaterThan(previous[province] ?? -1);
          seqsByProvince.set(province, [...(seqsByProvince.get(province) ?? []), current[province]!]);
          previous = { ...previous, ...current };
        }
        const burst = follower.events.filter((e) => burstTrips.has(e.trip.id));
        expect(burst).toHaveLength(expected);
        const byKind: Record<string, number> = {};
        for (const e of burst) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
        expect(byKind).toEqual({ PLANNED: plans.length, ETA_CHANGED: plans.length * etaChangesPerTrip });
        for (const province of PROVINCES) {
          const seqs = seqsByProvince.get(province) ?? [];
          expect(new Set(seqs).size, `province ${province}: no event twice`).toBe(seqs.length);
        }
        expect(
          follower.resubscriptions,
          'the gateway restart made the client resubscribe',
        ).toBeGreaterThanOrEqual(1);
      }
    }, 240_000);

    describe('with a second gateway replica over the same provinces', () => {
      let replica: ServiceProcess;
      beforeAll(async () => {
        replica = await hub.startGatewayReplica();
      }, 60_000);
      afterAll(() => replica?.stop());

      it('moves a receiving place to the other replica with its last cursor: nothing missed, nothing twice', async () => {
        const origins = { 130000: '130426', 410000: '411624', 450000: '450225' } as Record<string, string>;
        const trips = await Promise.all(
          PROVINCES.map((province) =>
            mutate(province, `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`, {
              input: {
                mode: 'BUS',
                vehicleCode: `REPLICA-${province}`,
                origin: origins[province],
                destination: '110105',
                departureAt: '2030-04-01T08:00:00+08:00',
                expectedArrivalAt: '2030-04-02T08:00:00+08:00',
                capacity: 50,
              },
            }).then((d) => ({ province, id: d.planTrip.id as string })),
          ),
        );
        const ours = new Set(trips.map((t) => t.id));
        const eta = (i: number) =>
          new Date(Date.parse('2030-04-02T08:00:00+08:00') + (i + 1) * 60_000).toISOString();
        /** Ten ETA changes to every trip, numbered from `first`. */
        const changes = async (first: number) => {
          for (const { province, id } of trips) {
            const fields = Array.from(
              { length: 10 },
              (_, k) =>
                `e${k}: updateEta(tripId: $id, expectedArrivalAt: "${eta(first + k)}", idempotencyKey: "replica:${id}:${first + k}") { id }`,
            );
            await mutate(province, `mutation Move($id: ID!) { ${fields.join(' ')} }`, { id });
          }
        };
        const received: { cursor: string; key: string }[] = [];
        /** Follows, as Beijing's city government, arrivals into Beijing on `url` from `after`. */
        const subscribeOn = async (url: string, after?: string) => {
          const client = createClient({
            url: url.replace(/^http/, 'ws'),
            webSocketImpl: WebSocket,
            connectionParams: await hub.authorization('city', '110100'),
            retryAttempts: 0,
          });
          client.subscribe<{
            arrivals: { cursor: string; kind: string; trip: { id: string; expectedArrivalAt: string } };
          }>(
            {
              query: `subscription($after: String) { arrivals(destination: "110100", after: $after) { cursor kind trip { id expectedArrivalAt } } }`,
              variables: { after },
            },
            {
              next: ({ data }) => {
                const e = data?.arrivals;
                if (e && ours.has(e.trip.id))
                  received.push({
                    cursor: e.cursor,
                    key: `${e.trip.id} ${e.kind} ${e.trip.expectedArrivalAt}`,
                  });
              },
              error: () => {},
              complete: () => {},
            },
          );
          return client;
        };
        const until = async (count: number) => {
          const deadline = Date.now() + 30_000;
          while (received.length < count) {
            if (Date.now() > deadline) throw new Error(`${received.length} of ${count} events`);
            await new Promise((r) => setTimeout(r, 100));
          }
        };
        const first = await subscribeOn(hub.gatewayUrl, undefined);
        await new Promise((r) => setTimeout(r, 1_000));
        await changes(0);
        await until(30);
        const last = received.at(-1)!.cursor;
        await first.dispose();
        await changes(10); // while the officer is between replicas
        const second = await subscribeOn(replica.url, last);
        try {
          await changes(20);
          await until(90);
          await new Promise((r) => setTimeout(r, 500)); // anything more would be a repeat
        } finally {
          await second.dispose();
        }
        // The trip is read when the event is delivered (its latest ETA), so events are told apart by
        // their positions: each of the 90 moves one province's position forward, none twice.
        expect(received).toHaveLength(90);
        for (const { id } of trips)
          expect(
            received.filter((e) => e.key.startsWith(`${id} ETA_CHANGED`)),
            id,
          ).toHaveLength(30);
        let previous = decode(received[0]!.cursor);
        for (const event of received.slice(1)) {
          const current = decode(event.cursor);
          const moved = Object.keys(current).filter((p) => current[p] !== previous[p]);
          expect(moved).toHaveLength(1);
          expect(current[moved[0]!]!).toBeGreaterThan(previous[moved[0]!] ?? -1);
          previous = current;
        }
      }, 120_000);
    });
  },
);
