/**
 * The home province follows its own people anywhere (#13.4): TRIP facts applied through
 * `applyFact` (as the relay's inbox will) write DEPARTURE events for the home regions of this
 * province's workers, which the province serves as `departures(homeRegion:)` over graphql-ws.
 * On PGlite, or a fresh Postgres database with DATABASE_URL.
 */
import type { RelayedTrip, TripFact } from '@p2p/schema';
import { eq } from 'drizzle-orm';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { outbox } from '../db/schema/index.js';
import { applyFactsTo, registerWorkers, useTestProvince, workerInput } from '../testing/index.js';

const henan = useTestProvince('410000');

const DEPARTURES = `subscription($h: RegionCode!, $after: String) { departures(homeRegion: $h, after: $after) { cursor kind at trip { id } } }`;

let serial = 0;
/** A trip organised by Hebei, as the relay tells it. */
const hebeiTrip = (status: RelayedTrip['status'] = 'PLANNED'): RelayedTrip => ({
  id: `T13-pickup${String(++serial).padStart(10, '0')}`,
  organizer: '130730',
  mode: 'BUS',
  vehicleCode: '冀G·00017',
  origin: '411600',
  destination: '130730',
  departureAt: '2030-02-20T00:00:00.000Z',
  expectedArrivalAt: '2030-02-20T12:00:00.000Z',
  arrivedAt: null,
  status,
});
const tripFact = (event: TripFact['event'], trip: RelayedTrip, workers: string[]): TripFact => ({
  fact: 'TRIP',
  event,
  trip,
  workers: workers.map((id) => ({ id, boarded: event !== 'ASSIGNED' })),
});

const departures = async (tripId: string) =>
  (
    await henan.service.db.db.select().from(outbox).where(eq(outbox.tripId, tripId)).orderBy(outbox.seq)
  ).filter((e) => e.kind === 'DEPARTURE');

let zhoukou: string;
let zhengzhou: string;
let zhoukou2: string;
beforeAll(async () => {
  const ids = await registerWorkers(henan, [
    workerInput('411602'),
    workerInput('410102'),
    workerInput('411621'),
  ]);
  [zhoukou, zhengzhou, zhoukou2] = ids as [string, string, string];
});

describe('DEPARTURE events from TRIP facts (#13.4)', () => {
  it("should write one event per fact with the distinct home regions of this province's workers on it", async () => {
    const trip = hebeiTrip();
    await applyFactsTo(henan.service, '130000', [
      tripFact('ASSIGNED', trip, [
        zhoukou,
        zhengzhou,
        zhoukou2,
        'W13-hebeiworker00000',
        'W41-notregistered000',
      ]),
    ]);
    const [event, ...more] = await departures(trip.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      kind: 'DEPARTURE',
      origin: '411600',
      destination: '130730',
      homeRegions: ['410102', '411602', '411621'],
      payload: { tripId: trip.id, kind: 'PLANNED', event: 'ASSIGNED', organizer: '130730', source: '130000' },
    });
    // Ids, places and times only.
    expect(JSON.stringify(event!.payload)).not.toMatch(/W41-|工人/);
  });

  it('should map each trip fact to the TripEvent kind, REMOVED to CANCELLED for those taken off', async () => {
    const trip = hebeiTrip();
    const facts: TripFact['event'][] = [
      'ASSIGNED',
      'REMOVED',
      'ASSIGNED',
      'DEPARTED',
      'ETA_CHANGED',
      'ARRIVED',
      'HANDED_OVER',
      'CANCELLED',
    ];
    await applyFactsTo(
      henan.service,
      '130000',
      facts.map((event) => tripFact(event, trip, [zhoukou])),
    );
    expect((await departures(trip.id)).map((e) => e.payload.kind)).toEqual([
      'PLANNED',
      'CANCELLED',
      'PLANNED',
      'DEPARTED',
      'ETA_CHANGED',
      'ARRIVED',
      'HANDED_OVER',
      'CANCELLED',
    ]);
  });

  it('should write nothing for a fact naming no worker of this province', async () => {
    const trip = hebeiTrip();
    await applyFactsTo(henan.service, '130000', [
      tripFact('DEPARTED', trip, ['W13-hebeiworker00000', 'W41-notregistered000']),
      tripFact('DEPARTED', trip, []),
    ]);
    expect(await departures(trip.id)).toEqual([]);
  });
});

describe('the departures subscription of the province (#13.4)', () => {
  let client: Client;
  beforeAll(() => {
    client = createClient({
      url: `${henan.service.url.replace('http', 'ws')}/transport/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
  });
  afterAll(() => client?.dispose());

  /** The events of one subscription until `n` arrived (or an error). */
  function follow(variables: Record<string, unknown>, n: number) {
    const events: { cursor: string; kind: string; at: string; trip: { id: string } }[] = [];
    return new Promise<typeof events>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${events.length} of ${n} events`)), 10_000);
      const stop = client.subscribe<{ departures: (typeof events)[number] }>(
        { query: DEPARTURES, variables },
        {
          next: (r) => {
            if (r.errors) return reject(new Error(JSON.stringify(r.errors)));
            events.push(r.data!.departures);
            if (events.length === n) {
              clearTimeout(timer);
              stop();
              resolve(events);
            }
          },
          error: (e) => reject(e instanceof Error ? e : new Error(JSON.stringify(e))),
          complete: () => {},
        },
      );
    });
  }

  it("should deliver the events of trips carrying the region's workers, whoever organised them, and replay after a cursor", async () => {
    const head = String(
      (await henan.service.db.db.select({ seq: outbox.seq }).from(outbox).orderBy(outbox.seq)).at(-1)?.seq ??
        0,
    );
    const toZhoukou = hebeiTrip();
    const toZhengzhou = hebeiTrip();
    const at = new Date('2030-02-20T00:05:00.000Z');
    await applyFactsTo(henan.service, '130000', [
      { seq: 41, at: at.toISOString(), fact: tripFact('ASSIGNED', toZhoukou, [zhoukou]) },
      { seq: 42, at: at.toISOString(), fact: tripFact('ASSIGNED', toZhengzhou, [zhengzhou]) },
      { seq: 43, at: at.toISOString(), fact: tripFact('DEPARTED', toZhoukou, [zhoukou]) },
    ]);
    const events = await follow({ h: '411600', after: head }, 2);
    expect(events.map((e) => [e.kind, e.trip.id])).toEqual([
      ['PLANNED', toZhoukou.id],
      ['DEPARTED', toZhoukou.id],
    ]);
    // `at` is when the organiser recorded it (the fact's commit), not when it reached home.
    expect(events[0]!.at).toBe(at.toISOString());
    const replay = await follow({ h: '410000', after: events[0]!.cursor }, 2);
    expect(replay.map((e) => [e.kind, e.trip.id])).toEqual([
      ['PLANNED', toZhengzhou.id],
      ['DEPARTED', toZhoukou.id],
    ]);
  });

  it('should answer the retention point of the departures filter, and refuse a field it does not serve', async () => {
    const ask = (query: string) =>
      new Promise<{ data?: unknown; errors?: { extensions?: { code?: string } }[] }>((resolve, reject) => {
        client.subscribe({ query }, { next: (r) => resolve(r as never), error: reject, complete: () => {} });
      });
    expect((await ask('{ outboxPrunedThrough(region: "411600", field: "departures") }')).data).toEqual({
      outboxPrunedThrough: '0',
    });
    const refused = await ask('{ outboxPrunedThrough(region: "411600", field: "workers") }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badRegion = await ask('{ outboxPrunedThrough(region: "4116", field: "departures") }');
    expect(badRegion.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
