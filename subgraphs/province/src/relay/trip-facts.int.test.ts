/**
 * The home side of TRIP facts (Henan, 410000): what a trip Guangxi organises (delivered through
 * the relay's inbox) or Henan organises itself (applied in the mutation's own transaction) does
 * to a Henan worker's record — status, work region, current trip and his trips, read through
 * GraphQL as the officers who may see them.
 */
import type { Caller, TripFact } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { outbox, workerTrips } from '../db/schema/index.js';
import {
  expectCountersMatchRecords,
  expectData,
  expectError,
  residentId,
  signedRequests,
  startSignedTestProvince,
  type SignedRequests,
  type SignedTestProvince,
  type TestProvince,
  clearForBoarding,
} from '../testing/index.js';

const HENAN: Caller = { subject: 'ha', role: 'province', region: '410000' };
const ZHENGZHOU: Caller = { subject: 'zz', role: 'city', region: '410100' };
const GUANGXI = '450000';
const RECORD = `query($id: ID!) { worker(id: $id) { status workRegion { code } currentTrip { id } trips { id } } }`;

let signed: SignedTestProvince;
let henan: SignedRequests;
let serial = 0;
let seq = 0;
const EPOCH = 'guangxi-trips-epoch';

async function henanWorker(): Promise<string> {
  serial++;
  const answer = await henan.gql(
    'workers',
    'mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }',
    {
      i: {
        name: `豫工${serial}`,
        idNumber: residentId('411602', '19900101', 500 + serial),
        phone: `138${String(10_000_000 + serial).slice(-8)}`,
        homeRegion: '411602',
      },
    },
    HENAN,
  );
  return expectData(answer).registerWorker.id;
}

/** A TRIP fact Guangxi tells about one of its buses from Liuzhou to Shenzhen. */
function tripFact(
  event: TripFact['event'],
  tripId: string,
  workers: { id: string; boarded: boolean }[],
  departureAt = '2020-02-20T08:00:00.000Z',
): TripFact {
  const status = (
    { ASSIGNED: 'PLANNED', REMOVED: 'PLANNED', ARRIVED: 'ARRIVED', HANDED_OVER: 'HANDED_OVER' } as const
  )[event as 'ASSIGNED'];
  return {
    fact: 'TRIP',
    event,
    trip: {
      id: tripId,
      organizer: '450200',
      mode: 'BUS',
      vehicleCode: '桂B-9',
      origin: '450200',
      destination: '440300',
      departureAt,
      expectedArrivalAt: '2020-02-21T08:00:00.000Z',
      arrivedAt: null,
      status: status ?? (event === 'CANCELLED' ? 'CANCELLED' : 'DEPARTED'),
    },
    workers,
  };
}

/** Delivers TRIP facts from Guangxi through the inbox in ONE batch, as the relay does. */
async function deliver(facts: TripFact[]): Promise<void> {
  const after = seq;
  const events = facts.map((fact) => ({ seq: ++seq, at: new Date().toISOString(), fact }));
  const answer = await henan.relay('/relay/apply', { source: GUANGXI, epoch: EPOCH, after, events });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.body.appliedNow).toBe(facts.length);
}

/** Delivers one TRIP fact from Guangxi through the inbox, as the relay does. */
const tell = (...args: Parameters<typeof tripFact>) => deliver([tripFact(...args)]);

async function record(id: string, as: Caller = HENAN) {
  return expectData(await henan.gql('workers', RECORD, { id }, as)).worker as {
    status: string;
    workRegion: { code: string } | null;
    currentTrip: { id: string } | null;
    trips: { id: string }[];
  };
}

beforeAll(async () => {
  signed = await startSignedTestProvince('410000');
  henan = signedRequests(signed);
});
afterAll(() => signed?.close());

describe('TRIP facts in the home province', () => {
  it('should follow a worker through assignment, departure and hand-over of another province’s trip', async () => {
    const [a, b] = [await henanWorker(), await henanWorker()];
    await tell('ASSIGNED', 'T45-tripfacts001', [
      { id: a, boarded: false },
      { id: b, boarded: false },
    ]);
    expect(await record(a)).toEqual({
      status: 'AT_HOME',
      workRegion: null,
      currentTrip: { id: 'T45-tripfacts001' },
      trips: [{ id: 'T45-tripfacts001' }],
    });
    await tell('DEPARTED', 'T45-tripfacts001', [
      { id: a, boarded: true },
      { id: b, boarded: false },
    ]);
    expect(await record(a)).toMatchObject({ status: 'TRAVELLING', currentTrip: { id: 'T45-tripfacts001' } });
    expect(await record(b)).toMatchObject({
      status: 'AT_HOME',
      currentTrip: null,
      trips: [{ id: 'T45-tripfacts001' }],
    });
    await tell('ETA_CHANGED', 'T45-tripfacts001', [
      { id: a, boarded: true },
      { id: b, boarded: false },
    ]);
    await tell('ARRIVED', 'T45-tripfacts001', [{ id: a, boarded: true }]);
    expect(await record(a)).toMatchObject({ status: 'TRAVELLING', currentTrip: { id: 'T45-tripfacts001' } });
    await tell('HANDED_OVER', 'T45-tripfacts001', [
      { id: a, boarded: true },
      { id: b, boarded: false },
    ]);
    expect(await record(a)).toEqual({
      status: 'AT_WORK',
      workRegion: { code: '440300' },
      currentTrip: null,
      trips: [{ id: 'T45-tripfacts001' }],
    });
    expect((await record(b)).status).toBe('AT_HOME');
  });

  it('should take a worker off a trip (REMOVED) and bring the boarded back home when a departed trip is cancelled', async () => {
    const [c, d] = [await henanWorker(), await henanWorker()];
    await tell('ASSIGNED', 'T45-tripfacts002', [
      { id: c, boarded: false },
      { id: d, boarded: false },
    ]);
    await tell('REMOVED', 'T45-tripfacts002', [{ id: d, boarded: false }]);
    expect(await record(d)).toMatchObject({
      status: 'AT_HOME',
      currentTrip: null,
      trips: [{ id: 'T45-tripfacts002' }],
    });
    const rows = await signed.service.db.db.query.workerTrips.findMany();
    expect(rows.find((r) => r.workerId === d)).toMatchObject({ onManifest: false, boarded: false });
    await tell('DEPARTED', 'T45-tripfacts002', [{ id: c, boarded: true }]);
    await tell('CANCELLED', 'T45-tripfacts002', [{ id: c, boarded: true }]);
    expect(await record(c)).toMatchObject({ status: 'AT_HOME', currentTrip: null });
  });

  it('should never let a fact about another trip clear or undo his current one', async () => {
    const e = await henanWorker();
    await tell('ASSIGNED', 'T45-tripfacts003', [{ id: e, boarded: false }]);
    await tell('DEPARTED', 'T45-tripfacts003', [{ id: e, boarded: true }]);
    await tell('REMOVED', 'T45-tripfacts004', [{ id: e, boarded: false }]);
    await tell('CANCELLED', 'T45-tripfacts004', [{ id: e, boarded: true }]);
    expect(await record(e)).toMatchObject({ status: 'TRAVELLING', currentTrip: { id: 'T45-tripfacts003' } });
  });

  it('should skip workers it does not know, workers of other provinces, and trips the source does not organise', async () => {
    const f = await henanWorker();
    await tell('ASSIGNED', 'T45-tripfacts005', [
      { id: 'W41-nobodyknowshim', boarded: false },
      { id: 'W13-notahenanworker', boarded: false },
      { id: f, boarded: false },
    ]);
    expect((await record(f)).currentTrip).toEqual({ id: 'T45-tripfacts005' });
    const rows = await signed.service.db.db.query.workerTrips.findMany();
    expect(rows.filter((r) => r.tripId === 'T45-tripfacts005').map((r) => r.workerId)).toEqual([f]);
    // Guangxi cannot move a worker with news of a Guangdong trip.
    await tell('DEPARTED', 'T44-notguangxis01', [{ id: f, boarded: true }]);
    expect(await record(f)).toMatchObject({ status: 'AT_HOME', currentTrip: { id: 'T45-tripfacts005' } });
  });

  it('should list his trips newest departure first, `first` of them, and hide them from who may not see his whereabouts', async () => {
    const g = await henanWorker();
    await tell('ASSIGNED', 'T45-tripfacts006', [{ id: g, boarded: false }], '2020-02-18T08:00:00.000Z');
    await tell('REMOVED', 'T45-tripfacts006', [{ id: g, boarded: false }]);
    await tell('ASSIGNED', 'T45-tripfacts007', [{ id: g, boarded: false }], '2020-02-25T08:00:00.000Z');
    expect((await record(g)).trips).toEqual([{ id: 'T45-tripfacts007' }, { id: 'T45-tripfacts006' }]);
    const one = await henan.gql(
      'workers',
      'query($id: ID!) { worker(id: $id) { trips(first: 1) { id } } }',
      { id: g },
      HENAN,
    );
    expect(expectData(one).worker.trips).toEqual([{ id: 'T45-tripfacts007' }]);
    expectError(
      await henan.gql(
        'workers',
        'query($id: ID!) { worker(id: $id) { trips(first: 101) { id } } }',
        { id: g },
        HENAN,
      ),
      'BAD_USER_INPUT',
    );
    // Zhengzhou is another city of Henan: status only.
    expect(await record(g, ZHENGZHOU)).toEqual({
      status: 'AT_HOME',
      workRegion: null,
      currentTrip: null,
      trips: [],
    });
  });

  it('should move a worker on a trip Henan organises itself by the same rules, within the mutation', async () => {
    const h = await henanWorker();
    const planned = await henan.gql(
      'transport',
      'mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }',
      {
        i: {
          mode: 'BUS',
          vehicleCode: '豫P-1',
          origin: '411602',
          destination: '440300',
          departureAt: new Date(Date.now() - 3_600_000).toISOString(),
          expectedArrivalAt: new Date().toISOString(),
          capacity: 10,
        },
      },
      HENAN,
    );
    const tripId = expectData(planned).planTrip.id as string;
    const step = async (query: string, variables: Record<string, unknown>) =>
      expectData(await henan.gql('transport', query, { t: tripId, ...variables }, HENAN));
    await step('mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }', {
      w: [h],
    });
    expect(await record(h)).toMatchObject({
      status: 'AT_HOME',
      currentTrip: { id: tripId },
      trips: [{ id: tripId }],
    });
    await clearForBoarding(signed.service, tripId);
    await step('mutation($t: ID!, $b: [BoardingInput!]!) { departTrip(tripId: $t, boarded: $b) { id } }', {
      b: [{ workerId: h, temperature: 36.6 }],
    });
    expect(await record(h)).toMatchObject({ status: 'TRAVELLING', currentTrip: { id: tripId } });
    // Henan's relay inbox saw none of it: its own trips are applied in the same transaction.
    expect(
      (await henan.relay('/relay/inbox', {})).body.inbox.map((r: { source: string }) => r.source),
    ).toEqual([GUANGXI]);
  });
});

describe('a batch of TRIP facts', () => {
  /** Guangxi's news of three trips `<prefix>1..3` for workers a, b, c, in the order it happened. */
  const story = (prefix: string, [a, b, c]: string[]): TripFact[] => {
    const on = (id: string, boarded = false) => ({ id: id!, boarded });
    return [
      tripFact('ASSIGNED', `${prefix}1`, [on(a!), on(b!)]),
      tripFact('ASSIGNED', `${prefix}2`, [on(c!)]),
      tripFact('DEPARTED', `${prefix}1`, [on(a!, true), on(b!)]),
      tripFact('DEPARTED', `${prefix}2`, [on(c!, true)]),
      tripFact('ETA_CHANGED', `${prefix}1`, [on(a!, true), on(b!)]),
      tripFact('HANDED_OVER', `${prefix}1`, [on(a!, true), on(b!)]),
      tripFact('CANCELLED', `${prefix}2`, [on(c!, true)]),
      tripFact('ASSIGNED', `${prefix}3`, [on(a!), on(b!)], '2020-02-25T08:00:00.000Z'),
      tripFact('REMOVED', `${prefix}3`, [on(b!)]),
    ];
  };
  /** What Henan keeps of workers `ids`, trip ids shown without `prefix`. */
  const kept = async (prefix: string, ids: string[]) => {
    const strip = (id: string) => id.replace(prefix, '#');
    const records = await Promise.all(ids.map((id) => record(id)));
    const trips = await signed.service.db.db
      .select()
      .from(workerTrips)
      .where(inArray(workerTrips.workerId, ids))
      .orderBy(asc(workerTrips.tripId));
    const departures = await signed.service.db.db
      .select()
      .from(outbox)
      .where(
        and(
          eq(outbox.kind, 'DEPARTURE'),
          inArray(
            outbox.tripId,
            [1, 2, 3].map((n) => `${prefix}${n}`),
          ),
        ),
      )
      .orderBy(asc(outbox.seq));
    return {
      records: records.map((r) => ({
        ...r,
        currentTrip: r.currentTrip && strip(r.currentTrip.id),
        trips: r.trips.map((t) => strip(t.id)),
      })),
      trips: trips.map((t) => ({
        worker: ids.indexOf(t.workerId),
        trip: strip(t.tripId),
        status: t.tripStatus,
        onManifest: t.onManifest,
        boarded: t.boarded,
      })),
      departures: departures.map((e) => [strip(e.tripId!), e.payload.event, e.homeRegions]),
    };
  };

  it('should leave every record, trip, DEPARTURE event and counter as the same facts one at a time do', async () => {
    const oneByOne = [await henanWorker(), await henanWorker(), await henanWorker()];
    const together = [await henanWorker(), await henanWorker(), await henanWorker()];
    for (const fact of story('T45-onebyone0', oneByOne)) await deliver([fact]);
    await deliver(story('T45-together00', together));

    const expected = await kept('T45-onebyone0', oneByOne);
    expect(await kept('T45-together00', together)).toEqual(expected);
    expect(expected.records).toEqual([
      { status: 'AT_WORK', workRegion: { code: '440300' }, currentTrip: '#3', trips: ['#3', '#1'] },
      { status: 'AT_HOME', workRegion: null, currentTrip: null, trips: ['#3', '#1'] },
      { status: 'AT_HOME', workRegion: null, currentTrip: null, trips: ['#2'] },
    ]);
    expect(expected.departures.map(([trip, event]) => `${trip} ${event}`)).toEqual([
      '#1 ASSIGNED',
      '#2 ASSIGNED',
      '#1 DEPARTED',
      '#2 DEPARTED',
      '#1 ETA_CHANGED',
      '#1 HANDED_OVER',
      '#2 CANCELLED',
      '#3 ASSIGNED',
      '#3 REMOVED',
    ]);
    // The counters: each scope's summary equals a recount of the workers as they are now.
    const province: Pick<TestProvince, 'service' | 'gql'> = {
      service: signed.service,
      gql: (subgraph, query, variables = {}) => henan.gql(subgraph, query, variables, HENAN),
    };
    await expectCountersMatchRecords(province as TestProvince, ['410000', '411602', '440300', 'CN']);
  });
});
