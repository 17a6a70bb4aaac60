/**
 * The home side of TRIP facts (Henan, 410000): what a trip Guangxi organises (delivered through
 * the relay's inbox) or Henan organises itself (applied in the mutation's own transaction) does
 * to a Henan worker's record — status, work region, current trip and his trips, read through
 * GraphQL as the officers who may see them.
 */
import type { Caller, TripFact } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectData,
  expectError,
  residentId,
  signedRequests,
  startSignedTestProvince,
  type SignedRequests,
  type SignedTestProvince,
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

/** Delivers one TRIP fact from Guangxi through the inbox, as the relay does. */
async function tell(
  event: TripFact['event'],
  tripId: string,
  workers: { id: string; boarded: boolean }[],
  departureAt = '2020-02-20T08:00:00.000Z',
): Promise<void> {
  const status = (
    { ASSIGNED: 'PLANNED', REMOVED: 'PLANNED', ARRIVED: 'ARRIVED', HANDED_OVER: 'HANDED_OVER' } as const
  )[event as 'ASSIGNED'];
  const fact: TripFact = {
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
  const after = seq;
  seq++;
  const answer = await henan.relay('/relay/apply', {
    source: GUANGXI,
    epoch: EPOCH,
    after,
    events: [{ seq, at: new Date().toISOString(), fact }],
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.body.appliedNow).toBe(1);
}

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
