/**
 * The relay's inbox (target side) over the province's real HTTP endpoint `/relay/apply`, signed
 * as the relay: each event takes effect once, in order per source, however often and however
 * concurrently it is delivered; another epoch or a position beyond the inbox is refused, never
 * skipped. Henan (410000) receives facts from Guangxi (450000).
 */
import type { Caller, RelayedEvent, TripFact } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectData,
  residentId,
  signedRequests,
  startSignedTestProvince,
  type SignedRequests,
  type SignedTestProvince,
} from '../testing/index.js';

const HENAN: Caller = { subject: 'ha', role: 'province', region: '410000' };
const MINISTRY: Caller = { subject: 'm', role: 'ministry' };
const GUANGXI = '450000';
const EPOCH = 'guangxi-epoch-1';

let signed: SignedTestProvince;
let henan: SignedRequests;
let serial = 0;

/** Registers a Henan worker (as Henan's officer); his id. */
async function henanWorker(): Promise<string> {
  serial++;
  const answer = await henan.gql(
    'workers',
    'mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }',
    {
      i: {
        name: `豫工${serial}`,
        idNumber: residentId('411602', '19880301', serial),
        phone: `139${String(10_000_000 + serial).slice(-8)}`,
        homeRegion: '411602',
      },
    },
    HENAN,
  );
  return expectData(answer).registerWorker.id;
}

/** A TRIP fact of Guangxi's trip `tripId` about `workers`. */
function tripFact(
  event: TripFact['event'],
  tripId: string,
  workers: { id: string; boarded: boolean }[],
  status: TripFact['trip']['status'] = 'DEPARTED',
): TripFact {
  return {
    fact: 'TRIP',
    event,
    trip: {
      id: tripId,
      organizer: '450200',
      mode: 'BUS',
      vehicleCode: '桂B-1',
      origin: '450200',
      destination: '440300',
      departureAt: '2020-02-20T08:00:00.000Z',
      expectedArrivalAt: '2020-02-21T08:00:00.000Z',
      arrivedAt: null,
      status,
    },
    workers,
  };
}

/** A trip's three facts for one worker: assigned, departed with him on board, handed over. */
function journey(seq: number, workerId: string, tripId: string): RelayedEvent[] {
  const at = new Date().toISOString();
  return [
    { seq, at, fact: tripFact('ASSIGNED', tripId, [{ id: workerId, boarded: false }], 'PLANNED') },
    { seq: seq + 1, at, fact: tripFact('DEPARTED', tripId, [{ id: workerId, boarded: true }]) },
    {
      seq: seq + 2,
      at,
      fact: tripFact('HANDED_OVER', tripId, [{ id: workerId, boarded: true }], 'HANDED_OVER'),
    },
  ];
}

const apply = (after: number, events: RelayedEvent[], epoch = EPOCH, source = GUANGXI) =>
  henan.relay('/relay/apply', { source, epoch, after, events });

async function inboxOf(source: string) {
  const { status, body } = await henan.relay('/relay/inbox', {});
  expect(status).toBe(200);
  return body.inbox.find((row: { source: string }) => row.source === source);
}

async function statusOf(workerId: string): Promise<{ status: string; currentTrip: { id: string } | null }> {
  const answer = await henan.gql(
    'workers',
    'query($id: ID!) { worker(id: $id) { status currentTrip { id } } }',
    { id: workerId },
    HENAN,
  );
  return expectData(answer).worker;
}

/** Henan's `atWork` and `travelling` counters (the statistics triggers), read as the ministry. */
async function counters(): Promise<{ atWork: number; travelling: number; atHome: number }> {
  const answer = await henan.gql(
    'workers',
    `{ _entities(representations: [{ __typename: "Summary", scope: "410000", day: "LATEST" }]) {
        ... on Summary { workers { atWork travelling atHome } } } }`,
    {},
    MINISTRY,
  );
  return expectData(answer)._entities[0].workers;
}

beforeAll(async () => {
  signed = await startSignedTestProvince('410000');
  henan = signedRequests(signed);
});
afterAll(() => signed?.close());

describe('the relay inbox', () => {
  it('should apply a batch once: a redelivery changes nothing and is counted as skipped', async () => {
    const worker = await henanWorker();
    const before = await counters();
    const [assigned, departed, handedOver] = journey(10, worker, 'T45-redelivery01');
    const first = await apply(0, [assigned!, departed!]);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      source: GUANGXI,
      epoch: EPOCH,
      position: 11,
      applied: 2,
      appliedNow: 2,
      skipped: 0,
    });
    expect(await statusOf(worker)).toEqual({ status: 'TRAVELLING', currentTrip: { id: 'T45-redelivery01' } });
    const again = await apply(0, [assigned!, departed!]);
    expect(again.body).toMatchObject({ position: 11, applied: 2, appliedNow: 0, skipped: 2 });
    const stale = await apply(0, [assigned!, departed!, handedOver!]);
    expect(stale.body).toMatchObject({ position: 12, applied: 3, appliedNow: 1, skipped: 2 });
    expect(await statusOf(worker)).toEqual({ status: 'AT_WORK', currentTrip: null });
    expect(await counters()).toEqual({ ...before, atWork: before.atWork + 1, atHome: before.atHome - 1 });
    expect(await inboxOf(GUANGXI)).toMatchObject({ epoch: EPOCH, position: 12, applied: 3 });
  });

  it('should apply each event once when two deliverers send overlapping batches at the same time', async () => {
    const workers = await Promise.all(Array.from({ length: 8 }, () => henanWorker()));
    const before = await counters();
    const { position } = await inboxOf(GUANGXI);
    const events = workers.flatMap((w, i) => journey(position + 1 + 3 * i, w, `T45-concurrent${i}0`));
    // Two replicas, each with its own view: one sends everything, one sends it in two halves, twice.
    const half = events.length / 2;
    const answers = await Promise.all([
      apply(position, events),
      apply(position, events.slice(0, half)),
      apply(position, events),
      apply(position, events.slice(0, half)),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const appliedNow = answers.reduce((sum, a) => sum + a.body.appliedNow, 0);
    const last = await apply(events[half - 1]!.seq, events.slice(half));
    expect(appliedNow + last.body.appliedNow).toBe(events.length);
    expect(await inboxOf(GUANGXI)).toMatchObject({ position: events.at(-1)!.seq });
    expect((await inboxOf(GUANGXI)).applied).toBe(3 + events.length);
    for (const w of workers) expect((await statusOf(w)).status).toBe('AT_WORK');
    expect(await counters()).toEqual({ ...before, atWork: before.atWork + 8, atHome: before.atHome - 8 });
  });

  it('should refuse a batch of another epoch (CURSOR_EXPIRED, 409) and apply nothing of it', async () => {
    const worker = await henanWorker();
    const { position, applied } = await inboxOf(GUANGXI);
    const refused = await apply(
      position,
      journey(position + 1, worker, 'T45-otherepoch1'),
      'guangxi-epoch-2',
    );
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'CURSOR_EXPIRED', epoch: EPOCH });
    expect(await inboxOf(GUANGXI)).toMatchObject({ epoch: EPOCH, position, applied });
    expect(await statusOf(worker)).toEqual({ status: 'AT_HOME', currentTrip: null });
  });

  it('should refuse a batch read after a position beyond the inbox (BAD_USER_INPUT): the events between would be skipped', async () => {
    const worker = await henanWorker();
    const { position } = await inboxOf(GUANGXI);
    const refused = await apply(position + 5, journey(position + 6, worker, 'T45-beyondpos01'));
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      position: String(position),
    });
    expect((await inboxOf(GUANGXI)).position).toBe(position);
    expect((await statusOf(worker)).status).toBe('AT_HOME');
  });

  it('should roll the whole batch back when one of its facts cannot be applied', async () => {
    const worker = await henanWorker();
    const { position } = await inboxOf(GUANGXI);
    const [assigned] = journey(position + 1, worker, 'T45-rolledback1');
    const unknown = { seq: position + 2, at: new Date().toISOString(), fact: { fact: 'HOLIDAY' } as never };
    const refused = await apply(position, [assigned!, unknown]);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'events[1].fact.fact',
    });
    expect((await inboxOf(GUANGXI)).position).toBe(position);
    expect(await statusOf(worker)).toEqual({ status: 'AT_HOME', currentTrip: null });
  });

  it('should refuse malformed batches with BAD_USER_INPUT naming the field', async () => {
    const { position } = await inboxOf(GUANGXI);
    const at = new Date().toISOString();
    const fact = tripFact('ETA_CHANGED', 'T45-malformed01', []);
    for (const [body, field] of [
      [{ source: '410000', epoch: EPOCH, after: 0, events: [] }, 'source'],
      [{ source: '450100', epoch: EPOCH, after: 0, events: [] }, 'source'],
      [{ source: GUANGXI, epoch: '', after: 0, events: [] }, 'epoch'],
      [{ source: GUANGXI, epoch: EPOCH, after: -1, events: [] }, 'after'],
      [
        { source: GUANGXI, epoch: EPOCH, after: position, events: [{ seq: position, at, fact }] },
        'events[0].seq',
      ],
      [
        {
          source: GUANGXI,
          epoch: EPOCH,
          after: position,
          events: [
            { seq: position + 2, at, fact },
            { seq: position + 1, at, fact },
          ],
        },
        'events[1].seq',
      ],
      [
        { source: GUANGXI, epoch: EPOCH, after: position, events: [{ seq: position + 1, at: 'soon', fact }] },
        'events[0].at',
      ],
    ] as const) {
      const answer = await henan.relay('/relay/apply', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect((await inboxOf(GUANGXI)).position).toBe(position);
  });
});
