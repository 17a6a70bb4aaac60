/**
 * The relay's source side over the province's real HTTP endpoint `/relay/events`: Guangxi
 * (450000) organises trips carrying workers of Henan (410000) and Hebei (130000), and the relay
 * reads what each of them must learn: in seq order, after its position, never beyond the
 * gap-safe head, with a long poll; only the relay may read it, and the relay reads nothing else.
 */
import { RELAY_CALLER, SYSTEM_CALLER, type Caller } from '@p2p/schema';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectData,
  expectError,
  signedRequests,
  startSignedTestProvince,
  type SignedRequests,
  type SignedTestProvince,
} from '../testing/index.js';

const GUANGXI: Caller = { subject: 'gx', role: 'province', region: '450000' };
const HENAN = '410000';
const HEBEI = '130000';
const HENAN_WORKER = 'W41-relaysource01';
const HEBEI_WORKER = 'W13-relaysource01';

let serial = 0;
/** Another Henan worker id (workers of other provinces are taken as given on a manifest). */
const anotherHenanWorker = () => `W41-relaysrc${String(++serial).padStart(4, '0')}`;

let signed: SignedTestProvince;
let guangxi: SignedRequests;
let epoch: string;

/** Plans a Guangxi bus and puts `workers` on it; the trip id. */
async function bus(workers: string[]): Promise<string> {
  const planned = await guangxi.gql(
    'transport',
    'mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }',
    {
      i: {
        mode: 'BUS',
        vehicleCode: '桂B-2',
        origin: '450200',
        destination: '440300',
        departureAt: new Date(Date.now() + 3_600_000).toISOString(),
        expectedArrivalAt: new Date(Date.now() + 7_200_000).toISOString(),
        capacity: 40,
      },
    },
    GUANGXI,
  );
  const tripId = expectData(planned).planTrip.id as string;
  expectData(
    await guangxi.gql(
      'transport',
      'mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }',
      { t: tripId, w: workers },
      GUANGXI,
    ),
  );
  return tripId;
}

const changeEta = async (tripId: string) =>
  expectData(
    await guangxi.gql(
      'transport',
      'mutation($t: ID!, $at: DateTime!) { updateEta(tripId: $t, expectedArrivalAt: $at) { id } }',
      { t: tripId, at: new Date(Date.now() + 9_000_000).toISOString() },
      GUANGXI,
    ),
  );

const read = (consumers: { target: string; epoch: string | null; after: number }[], extra: object = {}) =>
  guangxi.relay('/relay/events', { consumers, ...extra });

beforeAll(async () => {
  signed = await startSignedTestProvince('450000');
  guangxi = signedRequests(signed);
});
afterAll(() => signed?.close());

describe('the relay source', () => {
  it('should answer each target its own events after its position, in seq order, with the epoch, head and backlog', async () => {
    const tripId = await bus([HENAN_WORKER, HEBEI_WORKER]);
    await changeEta(tripId);
    const all = await read([
      { target: HENAN, epoch: null, after: 0 },
      { target: HEBEI, epoch: null, after: 0 },
    ]);
    expect(all.status).toBe(200);
    ({ epoch } = all.body);
    expect(epoch).toMatch(/^[0-9a-f]{32}$/);
    expect(all.body.retentionDays).toBe(30);
    const [henan, hebei] = all.body.consumers;
    expect(henan.events.map((e: any) => [e.fact.event, e.fact.workers])).toEqual([
      ['ASSIGNED', [{ id: HENAN_WORKER, boarded: false }]],
      ['ETA_CHANGED', [{ id: HENAN_WORKER, boarded: false }]],
    ]);
    expect(hebei.events.map((e: any) => [e.fact.event, e.fact.workers[0].id])).toEqual([
      ['ASSIGNED', HEBEI_WORKER],
      ['ETA_CHANGED', HEBEI_WORKER],
    ]);
    expect(henan.events[0].fact.trip).toMatchObject({ id: tripId, origin: '450200', destination: '440300' });
    expect(henan.events[0].seq).toBeLessThan(henan.events[1].seq);
    expect(henan).toMatchObject({ target: HENAN, head: henan.events[1].seq, pending: 2 });
    // After its position, a target gets only what follows.
    const next = await read([{ target: HENAN, epoch, after: henan.events[0].seq }]);
    expect(next.body.consumers[0].events.map((e: any) => e.seq)).toEqual([henan.events[1].seq]);
    expect(next.body.consumers[0].pending).toBe(1);
    // limit 0: only heads and backlogs.
    const heads = await read([{ target: HENAN, epoch, after: 0 }], { limit: 0 });
    expect(heads.body.consumers[0]).toMatchObject({ events: [], head: henan.events[1].seq, pending: 2 });
  });

  it('should long-poll: with nothing to send it waits for the next event, and answers empty after the wait', async () => {
    const idle = await read([{ target: HENAN, epoch: null, after: 0 }], { limit: 0 });
    const head = idle.body.consumers[0].head as number;
    let started = Date.now();
    const empty = await read([{ target: HENAN, epoch, after: head }], { waitMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(empty.body.consumers[0].events).toEqual([]);
    started = Date.now();
    const waiting = read([{ target: HENAN, epoch, after: head }], { waitMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await bus([anotherHenanWorker()]);
    const woken = await waiting;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(woken.body.consumers[0].events.map((e: any) => e.fact.event)).toEqual(['ASSIGNED']);
  });

  it('should refuse a position of another epoch (CURSOR_EXPIRED) or ahead of its events (BAD_USER_INPUT) for that target only', async () => {
    const answer = await read([
      { target: HENAN, epoch: 'an-older-epoch', after: 1 },
      { target: HEBEI, epoch, after: 1_000_000 },
      // Beijing: told nothing (Guangdong, the trip's destination, keeps a copy since #17.2)
      { target: '110000', epoch: null, after: 0 },
    ]);
    expect(answer.status).toBe(200);
    const [henan, hebei, beijing] = answer.body.consumers;
    expect(henan).toMatchObject({ events: [], refused: { code: 'CURSOR_EXPIRED' } });
    expect(hebei).toMatchObject({ events: [], refused: { code: 'BAD_USER_INPUT' } });
    expect(beijing).toMatchObject({ target: '110000', events: [], head: 0, pending: 0 });
    expect(beijing.refused).toBeUndefined();
    const noEpoch = await read([{ target: HENAN, epoch: null, after: 3 }]);
    expect(noEpoch.body.consumers[0].refused.code).toBe('BAD_USER_INPUT');
  });

  it('should record the positions the targets report, forward only within an epoch (the retention guard)', async () => {
    const { db } = signed.service.db;
    const positions = async () =>
      (await db.query.relayConsumers.findMany()).map((c) => [c.target, c.epoch, c.position]).sort();
    await read([{ target: HEBEI, epoch, after: 2 }]);
    await read([{ target: HEBEI, epoch, after: 1 }]);
    expect(await positions()).toContainEqual([HEBEI, epoch, 2]);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'should never read past an event committed late with a lower seq (gap-safe head)',
    async () => {
      const { listenTarget } = signed.service.db;
      if (listenTarget.driver !== 'pg') throw new Error('needs PostgreSQL');
      const head = (await read([{ target: HENAN, epoch, after: 0 }], { limit: 0 })).body.consumers[0].head;
      const slow = new pg.Client({ connectionString: listenTarget.databaseUrl });
      await slow.connect();
      try {
        // A transaction takes a seq for Henan and stays open while a later one commits.
        await slow.query('BEGIN');
        const { rows } = await slow.query(
          `INSERT INTO outbox (kind, origin, destination, target, payload)
           VALUES ('RELAY', '450000', '410000', '410000', $1) RETURNING seq`,
          [JSON.stringify({ fact: 'TRIP', event: 'ETA_CHANGED', trip: { id: 'T45-late' }, workers: [] })],
        );
        const lateSeq = Number(rows[0].seq);
        await bus([anotherHenanWorker()]);
        const early = await read([{ target: HENAN, epoch, after: head }], { waitMs: 300 });
        expect(early.body.consumers[0].events.every((e: any) => e.seq < lateSeq)).toBe(true);
        await slow.query('COMMIT');
        const after = await read([{ target: HENAN, epoch, after: head }], { waitMs: 3_000 });
        const seqs = after.body.consumers[0].events.map((e: any) => e.seq);
        expect(seqs[0]).toBe(lateSeq);
        expect(seqs.length).toBe(2);
      } finally {
        await slow.end();
      }
    },
  );

  it('should serve only the relay: other callers are FORBIDDEN, unsigned or mis-signed requests UNAUTHENTICATED', async () => {
    const body = { consumers: [{ target: HENAN, epoch: null, after: 0 }] };
    for (const caller of [GUANGXI, SYSTEM_CALLER, { subject: 'm', role: 'ministry' } as Caller]) {
      const refused = await guangxi.relay('/relay/events', body, caller);
      expect(refused.status).toBe(403);
      expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await guangxi.relay('/relay/apply', {}, caller)).status).toBe(403);
      expect((await guangxi.relay('/relay/inbox', {}, caller)).status).toBe(403);
    }
    const url = `${signed.service.url}/relay/events`;
    const unsigned = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
    expect(unsigned.status).toBe(401);
    const otherBody = await signed.keys.headers(RELAY_CALLER, { province: '450000', body: '{}' });
    const swapped = await fetch(url, { method: 'POST', headers: otherBody, body: JSON.stringify(body) });
    expect(swapped.status).toBe(401);
    const text = JSON.stringify(body);
    const forHenan = await signed.keys.headers(RELAY_CALLER, { province: HENAN, body: text });
    expect((await fetch(url, { method: 'POST', headers: forHenan, body: text })).status).toBe(401);
    expect((await fetch(url)).status).toBe(405);
    // each relay assertion serves one request: replayed, even with its own body, it is refused
    const once = await signed.keys.headers(RELAY_CALLER, { province: '450000', body: text });
    const headers = { 'content-type': 'application/json', ...once };
    expect((await fetch(url, { method: 'POST', headers, body: text })).status).toBe(200);
    const replayed = await fetch(url, { method: 'POST', headers, body: text });
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as any).errors[0].message).toMatch(/already used/);
  });

  it('should give the relay nothing through GraphQL: no record read, no mutation', async () => {
    expectError(
      await guangxi.gql('transport', '{ trips(origin: "450000") { totalCount } }', {}, RELAY_CALLER),
      'FORBIDDEN',
      /relay/,
    );
    expectError(
      await guangxi.gql('workers', '{ worker(id: "W45-abcdefgh12") { id } }', {}, RELAY_CALLER),
      'FORBIDDEN',
    );
    expectError(
      await guangxi.gql(
        'workers',
        'mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }',
        { i: { name: '某', idNumber: '450203199001011234', phone: '13900000000', homeRegion: '450203' } },
        RELAY_CALLER,
      ),
      'FORBIDDEN',
      /relay/,
    );
  });
});
