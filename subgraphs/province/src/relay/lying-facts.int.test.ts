/**
 * A province may only tell facts about what it owns (apply-fact.ts): facts from a buggy or
 * compromised source, delivered to Henan (410000) over its real `/relay/apply` endpoint signed as
 * the relay, that claim something outside the source's own records. Beijing (110000) is the source.
 */
import {
  encodeId,
  type Caller,
  type RelayedEvent,
  type RelayFact,
  type ReturnRequestFact,
  type StaffFact,
} from '@p2p/schema';
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
const BEIJING = '110000';
const EPOCH = 'beijing-lies-epoch';

let signed: SignedTestProvince;
let henan: SignedRequests;
let serial = 0;
let position = 0;

async function henanWorker(): Promise<string> {
  serial++;
  return expectData(
    await henan.gql(
      'workers',
      'mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }',
      {
        i: {
          name: `豫工${serial}`,
          idNumber: residentId('411602', '19870301', serial),
          phone: `139${String(20_000_000 + serial).slice(-8)}`,
          homeRegion: '411602',
        },
      },
      HENAN,
    ),
  ).registerWorker.id;
}

/** Delivers facts from Beijing in one batch, after the inbox's position. */
async function deliver(...facts: RelayFact[]) {
  const events: RelayedEvent[] = facts.map((fact, i) => ({
    seq: position + i + 1,
    at: new Date().toISOString(),
    fact,
  }));
  const answer = await henan.relay('/relay/apply', {
    source: BEIJING,
    epoch: EPOCH,
    after: position,
    events,
  });
  if (answer.status === 200) position = answer.body.position;
  return answer;
}

const recordOf = async (id: string) =>
  expectData(
    await henan.gql(
      'workers',
      'query($id: ID!) { worker(id: $id) { status workRegion { code } employer { id } } }',
      { id },
      HENAN,
    ),
  ).worker;

/** A Beijing request for a Henan worker, as Beijing would tell it. */
function request(workerId: string, destinationRegion: string): ReturnRequestFact['request'] {
  return {
    id: encodeId('ReturnRequest', BEIJING),
    enterpriseId: encodeId('Enterprise', BEIJING),
    workerId,
    destinationRegion,
    departureRegion: '411602',
    plannedReturnDate: '2020-02-22',
    filedAt: new Date().toISOString(),
  };
}

beforeAll(async () => {
  signed = await startSignedTestProvince('410000');
  henan = signedRequests(signed);
});
afterAll(() => signed?.close());

describe('facts that claim what their source does not own (review of #13)', () => {
  it("should not put a worker on post outside the enterprise's province: a Beijing request placed in Henan is left", async () => {
    const workerId = await henanWorker();
    const lie = request(workerId, '410105');
    const answer = await deliver(
      { fact: 'RETURN_REQUEST', status: 'FILED', request: lie },
      { fact: 'RETURN_REQUEST', status: 'ON_POST', request: lie },
    );
    // the relay goes on (never blocked by a lie), and nothing of the lie is taken
    expect(answer).toMatchObject({ status: 200, body: { appliedNow: 2 } });
    expect(await recordOf(workerId)).toEqual({ status: 'AT_HOME', workRegion: null, employer: null });
  });

  it('should not put a worker on post in a region that does not exist', async () => {
    const workerId = await henanWorker();
    const staff: StaffFact = {
      fact: 'STAFF',
      enterpriseId: encodeId('Enterprise', BEIJING),
      workRegion: '11zzzz',
      workerId,
      change: 'ON_POST',
    };
    const onPost: ReturnRequestFact = {
      fact: 'RETURN_REQUEST',
      status: 'ON_POST',
      request: request(workerId, '119999'),
    };
    const answer = await deliver(staff, onPost);
    expect(answer.status).toBe(200);
    expect(await recordOf(workerId)).toEqual({ status: 'AT_HOME', workRegion: null, employer: null });
  });

  it('should not move a worker to a trip destination that does not exist', async () => {
    const workerId = await henanWorker();
    const trip = {
      id: encodeId('Trip', BEIJING),
      organizer: '110105',
      mode: 'BUS' as const,
      vehicleCode: '京A-1',
      origin: '411602',
      destination: 'nowhere',
      departureAt: '2020-02-20T08:00:00.000Z',
      expectedArrivalAt: '2020-02-21T08:00:00.000Z',
      arrivedAt: null,
    };
    const answer = await deliver(
      {
        fact: 'TRIP',
        event: 'ASSIGNED',
        trip: { ...trip, status: 'PLANNED' },
        workers: [{ id: workerId, boarded: false }],
      },
      {
        fact: 'TRIP',
        event: 'DEPARTED',
        trip: { ...trip, status: 'DEPARTED' },
        workers: [{ id: workerId, boarded: true }],
      },
      {
        fact: 'TRIP',
        event: 'HANDED_OVER',
        trip: { ...trip, status: 'HANDED_OVER' },
        workers: [{ id: workerId, boarded: true }],
      },
    );
    expect(answer.status).toBe(200);
    expect((await recordOf(workerId)).workRegion).toBeNull();
  });

  it('should not put a worker to work at a stop the trip does not make, or at a stop that does not exist (#14.5)', async () => {
    const trip = {
      id: encodeId('Trip', BEIJING),
      organizer: '110105',
      mode: 'BUS' as const,
      vehicleCode: '京A-2',
      origin: '411602',
      destination: '110105',
      departureAt: '2020-02-20T08:00:00.000Z',
      expectedArrivalAt: '2020-02-21T08:00:00.000Z',
      arrivedAt: null,
      status: 'HANDED_OVER' as const,
    };
    for (const lie of [
      { trip: { ...trip, stops: ['130100', '110105'] }, alightAt: '120101' },
      { trip: { ...trip, stops: ['nowhere', '110105'] }, alightAt: 'nowhere' },
      { trip: { ...trip, stops: ['130100', '110105'] }, stop: '120101' },
    ]) {
      const workerId = await henanWorker();
      const answer = await deliver({
        fact: 'TRIP',
        event: 'HANDED_OVER',
        trip: lie.trip,
        workers: [{ id: workerId, boarded: true, ...(lie.alightAt ? { alightAt: lie.alightAt } : {}) }],
        ...(lie.stop ? { stop: lie.stop } : {}),
      });
      expect(answer.status).toBe(200);
      expect(await recordOf(workerId)).toMatchObject({ status: 'AT_HOME', workRegion: null });
    }
    const honest = await henanWorker();
    await deliver({
      fact: 'TRIP',
      event: 'HANDED_OVER',
      trip: { ...trip, stops: ['130100', '110105'] },
      workers: [{ id: honest, boarded: true, alightAt: '130100' }],
      stop: '130100',
    });
    expect(await recordOf(honest)).toMatchObject({ status: 'AT_WORK', workRegion: { code: '130100' } });
  });

  it('should take a worker named twice in one TRIP fact once, never blocking the relay', async () => {
    const workerId = await henanWorker();
    const trip = {
      id: encodeId('Trip', BEIJING),
      organizer: '110105',
      mode: 'BUS' as const,
      vehicleCode: '京A-2',
      origin: '411602',
      destination: '110105',
      departureAt: '2020-02-20T08:00:00.000Z',
      expectedArrivalAt: '2020-02-21T08:00:00.000Z',
      arrivedAt: null,
      status: 'DEPARTED' as const,
    };
    const answer = await deliver({
      fact: 'TRIP',
      event: 'DEPARTED',
      trip,
      workers: [
        { id: workerId, boarded: true },
        { id: workerId, boarded: true },
      ],
    });
    expect(answer).toMatchObject({ status: 200, body: { appliedNow: 1 } });
    expect((await recordOf(workerId)).status).toBe('TRAVELLING');
  });

  it("should still put a worker on post in the enterprise's region inside the source", async () => {
    const workerId = await henanWorker();
    const real = request(workerId, '110105');
    expect(await deliver({ fact: 'RETURN_REQUEST', status: 'ON_POST', request: real })).toMatchObject({
      status: 200,
    });
    expect(await recordOf(workerId)).toEqual({
      status: 'AT_WORK',
      workRegion: { code: '110105' },
      employer: { id: real.enterpriseId },
    });
  });
});
