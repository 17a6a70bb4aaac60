/**
 * The subscriptions that follow ONE province (#13.3, #13.4): `departures(homeRegion:)` from the
 * home province of `homeRegion`, `returnRequestUpdates(enterpriseId:)` from the enterprise's
 * province, through a real gateway over fake provinces that serve graphql-ws from an event log the
 * test writes: routing, vector cursors, resume, their access rules, and input errors.
 */
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signDevToken, type DevTokenClaims } from '../auth/dev-token.js';
import { emptyData, makeEnterprise, makeReturnRequest, makeTrip, makeWorker } from '../testing/fake-data.js';
import { startHub, type Hub } from '../testing/hub-fixture.js';
import { decodeVectorCursor, encodeVectorCursor } from './vector-cursor.js';

const DEPARTURES = `subscription($h: RegionCode!, $after: String) {
  departures(homeRegion: $h, after: $after) { cursor kind at trip { id vehicleCode organizer { code } origin { code } } } }`;
const UPDATES = `subscription($e: ID!, $after: String) {
  returnRequestUpdates(enterpriseId: $e, after: $after) { cursor at status returnRequest { id plannedReturnDate } } }`;

const PROVINCES = ['110000', '130000', '410000', '450000'];
const pickUp = makeTrip('411600', '130730', '2030-02-20T08:00:00+08:00', {
  organizer: '130730',
  vehicleCode: '冀G·00017',
});
const factory = makeEnterprise('110105');
const henanWorker = makeWorker('411602');
const request = makeReturnRequest(factory, henanWorker, '2030-02-25');

let hub: Hub;
const clients: Client[] = [];

/** A graphql-ws client of the gateway speaking for `claims` (its own subject: its own rate bucket). */
async function clientOf(claims: DevTokenClaims): Promise<Client> {
  const token = await signDevToken({ subject: `routed-${clients.length}`, ...claims });
  const client = createClient({
    url: hub.gateway.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

type Outcome = {
  events: Record<string, any>[];
  error?: { code?: string; message: string; extensions?: any };
};

/** Subscribes and gathers events until `n` arrived, an error came, or `ms` passed. */
function gather(client: Client, query: string, variables: Record<string, unknown>, n: number, ms = 5_000) {
  const outcome: Outcome = { events: [] };
  let stop = () => {};
  const done = new Promise<Outcome>((resolve) => {
    const timer = setTimeout(() => resolve(outcome), ms);
    const finish = () => {
      clearTimeout(timer);
      stop();
      resolve(outcome);
    };
    stop = client.subscribe(
      { query, variables },
      {
        next: (r) => {
          if (r.errors) {
            const e = r.errors[0] as { message: string; extensions?: Record<string, unknown> };
            outcome.error = {
              code: String(e.extensions?.code),
              message: e.message,
              extensions: e.extensions,
            };
            return finish();
          }
          outcome.events.push(Object.values(r.data!)[0] as Record<string, any>);
          if (outcome.events.length >= n) finish();
        },
        error: (e) => {
          const list = e as { message: string; extensions?: Record<string, unknown> }[];
          outcome.error = Array.isArray(list)
            ? {
                code: String(list[0]?.extensions?.code),
                message: list[0]!.message,
                extensions: list[0]?.extensions,
              }
            : { message: String((e as Error).message ?? e) };
          finish();
        },
        complete: () => finish(),
      },
    );
  });
  return { done, stop: () => stop() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the fake province of `code` received a subscription of `field` (the feed is up). */
async function upstreamOpened(code: string, field: 'departures' | 'returnRequestUpdates', count = 1) {
  for (let i = 0; i < 100 && hub.province(code).subscriptions.subscriptions(field).length < count; i++)
    await sleep(50);
  await sleep(100);
}

beforeAll(async () => {
  hub = await startHub(PROVINCES, {
    '130000': { ...emptyData(), trips: [pickUp] },
    '110000': { ...emptyData(), enterprises: [factory], returnRequests: [request] },
    '410000': { ...emptyData(), workers: [henanWorker] },
  });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await hub?.close();
});

describe('departures(homeRegion:) through the gateway (#13.4)', () => {
  it('should follow only the home province, resolve the trip where it was organised, and resume exactly after a cursor', async () => {
    const zhoukou = await clientOf({ role: 'city', region: '411600' });
    const live = gather(zhoukou, DEPARTURES, { h: '411600' }, 2);
    await upstreamOpened('410000', 'departures');
    const henan = hub.province('410000').subscriptions;
    // An event of Hebei's log is never asked for: only Henan holds Henan's departures.
    hub
      .province('130000')
      .subscriptions.emit({ topic: 'departures', keys: ['411602'], kind: 'PLANNED', entityId: pickUp.id });
    henan.emit({ topic: 'departures', keys: ['411602'], kind: 'PLANNED', entityId: pickUp.id });
    henan.emit({ topic: 'departures', keys: ['410102'], kind: 'PLANNED', entityId: pickUp.id }); // Zhengzhou: not Zhoukou
    henan.emit({ topic: 'departures', keys: ['411621'], kind: 'DEPARTED', entityId: pickUp.id });
    const { events, error } = await live.done;
    expect(error).toBeUndefined();
    expect(events.map((e) => e.kind)).toEqual(['PLANNED', 'DEPARTED']);
    expect(events[0]!.trip).toEqual({
      id: pickUp.id,
      vehicleCode: '冀G·00017',
      organizer: { code: '130730' },
      origin: { code: '411600' },
    });
    for (const code of ['110000', '130000', '450000'])
      expect(hub.province(code).subscriptions.subscriptions('departures'), code).toEqual([]);
    expect(hub.province('410000').subscriptions.subscriptions('departures')[0]).toMatchObject({
      homeRegion: '411600',
    });
    // The cursor names the one province followed.
    expect([...decodeVectorCursor(events[0]!.cursor).keys()]).toEqual(['410000']);

    henan.emit({ topic: 'departures', keys: ['411602'], kind: 'ARRIVED', entityId: pickUp.id });
    const resumed = await gather(zhoukou, DEPARTURES, { h: '411600', after: events[0]!.cursor }, 2).done;
    expect(resumed.error).toBeUndefined();
    expect(resumed.events.map((e) => e.kind)).toEqual(['DEPARTED', 'ARRIVED']);
  });

  it('should ignore positions of provinces it does not follow, and refuse one ahead of the home province', async () => {
    const henanOfficer = await clientOf({ role: 'province', region: '410000' });
    const head = hub.province('410000').subscriptions.head;
    const others = encodeVectorCursor(
      new Map([
        ['130000', 9_999],
        ['410000', head],
      ]),
    );
    const fine = gather(henanOfficer, DEPARTURES, { h: '410000', after: others }, 1, 800);
    expect((await fine.done).error).toBeUndefined();
    const ahead = encodeVectorCursor(new Map([['410000', head + 1_000]]));
    const refused = await gather(henanOfficer, DEPARTURES, { h: '410000', after: ahead }, 1).done;
    expect(refused.error).toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: { field: 'after', province: '410000' },
    });
    // The retention point is asked for the departures filter, of the home province alone.
    const asked = hub.province('410000').subscriptions.calls.filter((c) => c.field === 'outboxPrunedThrough');
    expect(asked).toContainEqual({
      field: 'outboxPrunedThrough',
      args: { region: '410000', field: 'departures' },
    });
    expect(
      hub.province('130000').subscriptions.calls.filter((c) => c.field === 'outboxPrunedThrough'),
    ).toEqual([]);
  });

  it('should admit the ministry and officers whose region contains homeRegion, like workers(homeRegion:)', async () => {
    for (const claims of [
      { role: 'ministry' },
      { role: 'province', region: '410000' },
      { role: 'city', region: '411600' },
    ] as DevTokenClaims[]) {
      const outcome = await gather(await clientOf(claims), DEPARTURES, { h: '411602' }, 1, 600).done;
      expect(outcome.error, JSON.stringify(claims)).toBeUndefined();
    }
  });

  it('should refuse an enterprise, another city of the province and another province, up front', async () => {
    for (const claims of [
      { role: 'enterprise', region: '110105', enterpriseId: factory.id },
      { role: 'city', region: '410100' },
      { role: 'province', region: '130000' },
      { role: 'city', region: '130730' },
    ] as DevTokenClaims[]) {
      const outcome = await gather(await clientOf(claims), DEPARTURES, { h: '411600' }, 1).done;
      expect(outcome.error, JSON.stringify(claims)).toMatchObject({ code: 'FORBIDDEN' });
      expect(outcome.error?.message).toMatch(/departures: homeRegion 411600 is outside the region/);
    }
  });

  it('should refuse a homeRegion that is not a region code', async () => {
    const ministry = await clientOf({ role: 'ministry' });
    expect((await gather(ministry, DEPARTURES, { h: '4116' }, 1).done).error?.code).toBe('BAD_USER_INPUT');
  });
});

describe('returnRequestUpdates(enterpriseId:) through the gateway (#13.3)', () => {
  it("should follow only the enterprise's province and deliver each change with its status", async () => {
    const own = await clientOf({ role: 'enterprise', region: '110105', enterpriseId: factory.id });
    const live = gather(own, UPDATES, { e: factory.id }, 2);
    await upstreamOpened('110000', 'returnRequestUpdates');
    const beijing = hub.province('110000').subscriptions;
    beijing.emit({
      topic: 'returnRequestUpdates',
      keys: [factory.id],
      status: 'ACKNOWLEDGED',
      entityId: request.id,
    });
    beijing.emit({
      topic: 'returnRequestUpdates',
      keys: ['E11-someoneelse00000'],
      status: 'ARRANGED',
      entityId: request.id,
    });
    beijing.emit({
      topic: 'returnRequestUpdates',
      keys: [factory.id],
      status: 'ARRANGED',
      entityId: request.id,
    });
    const { events, error } = await live.done;
    expect(error).toBeUndefined();
    expect(events.map((e) => [e.status, e.returnRequest.id])).toEqual([
      ['ACKNOWLEDGED', request.id],
      ['ARRANGED', request.id],
    ]);
    expect(events[1]!.returnRequest.plannedReturnDate).toBe('2030-02-25');
    expect([...decodeVectorCursor(events[1]!.cursor).keys()]).toEqual(['110000']);
    for (const code of ['130000', '410000', '450000'])
      expect(hub.province(code).subscriptions.subscriptions('returnRequestUpdates'), code).toEqual([]);
    beijing.emit({
      topic: 'returnRequestUpdates',
      keys: [factory.id],
      status: 'ON_POST',
      entityId: request.id,
    });
    const resumed = await gather(own, UPDATES, { e: factory.id, after: events[1]!.cursor }, 1).done;
    expect(resumed.events.map((e) => e.status)).toEqual(['ON_POST']);
  });

  it('should admit the enterprise itself, the officers of its region and the ministry', async () => {
    for (const claims of [
      { role: 'ministry' },
      { role: 'province', region: '110000' },
      { role: 'city', region: '110105' },
    ] as DevTokenClaims[]) {
      const outcome = await gather(await clientOf(claims), UPDATES, { e: factory.id }, 1, 600).done;
      expect(outcome.error, JSON.stringify(claims)).toBeUndefined();
    }
  });

  it('should refuse another enterprise, an officer of another district or province, and the home side', async () => {
    const other = makeEnterprise('110105');
    for (const claims of [
      { role: 'enterprise', region: '110105', enterpriseId: other.id },
      { role: 'city', region: '110108' },
      { role: 'province', region: '410000' },
      { role: 'city', region: '411600' },
    ] as DevTokenClaims[]) {
      const outcome = await gather(await clientOf(claims), UPDATES, { e: factory.id }, 1).done;
      expect(outcome.error, JSON.stringify(claims)).toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('should refuse a malformed id, an unknown enterprise and one of a province not connected', async () => {
    const beijing = await clientOf({ role: 'province', region: '110000' });
    expect((await gather(beijing, UPDATES, { e: 'T11-0123456789abcdef' }, 1).done).error).toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: { field: 'enterpriseId' },
    });
    expect((await gather(beijing, UPDATES, { e: 'E11-doesnotexist0000' }, 1).done).error?.code).toBe(
      'NOT_FOUND',
    );
    const ministry = await clientOf({ role: 'ministry' });
    expect((await gather(ministry, UPDATES, { e: 'E31-0123456789abcdef' }, 1).done).error).toMatchObject({
      code: 'PROVINCE_UNAVAILABLE',
      extensions: { province: '310000' },
    });
  });
});
