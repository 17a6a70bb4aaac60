import { RELAY_CALLER, type Caller, type SignAssertionOptions } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { silentLogger } from '@p2p/runtime';
import type { ProvinceService } from '../index.js';
import { ServedAssertions } from './gateway-signature.js';
import {
  expectData,
  expectError,
  type GraphQLAnswer,
  startSignedTestProvince,
  type SignedTestProvince,
  type TestGatewayKeys,
} from '../testing/index.js';

/**
 * What a province checks of the gateway's caller assertion beyond its signature (#11.11): it is
 * for THIS province (audience), for THIS request (body hash), served once (jti); its WebSocket
 * serves only the gateway's system link, only subscriptions and the two WebSocket-only queries,
 * and no longer than the link's assertion lives.
 */

const GX = '450000';
const GD = '440000';
const GUANGXI: Caller = { subject: 'gx', role: 'province', region: GX };
const MINISTRY: Caller = { subject: 'm', role: 'ministry' };
const SYSTEM: Caller = { subject: 'p2p-gateway', role: 'system' };
const COUNT = '{ workers(homeRegion: "450000") { totalCount } }';
const REGISTER = `mutation { registerWorker(input: { idNumber: "450203199001010011", name: "韦小宝", phone: "13800000000", homeRegion: "450203" }) { id } }`;

let keys: TestGatewayKeys;
let signed: SignedTestProvince;
let service: ProvinceService;

const bodyOf = (query: string) => JSON.stringify({ query, variables: {} });

/** POSTs `body` to a subgraph of the province with `headers`. */
async function post(subgraph: string, body: string, headers: Record<string, string>): Promise<GraphQLAnswer> {
  const res = await fetch(`${service.url}/${subgraph}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, ...((await res.json()) as object) };
}

/** A raw graphql-transport-ws connection to the province's `transport` subgraph. */
async function openSocket(headers: Record<string, string>) {
  const socket = new WebSocket(
    `${service.url.replace(/^http/, 'ws')}/transport/graphql`,
    'graphql-transport-ws',
    {
      headers,
    },
  );
  const messages: { type: string; id?: string; payload?: any }[] = [];
  let wake = () => {};
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    wake();
  });
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason), at: Date.now() })),
  );
  closed.then(() => wake());
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  /** The next message of `type` (and `id`), or undefined when the socket closes first. */
  const next = async (type: string, id?: string) => {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const index = messages.findIndex((m) => m.type === type && (id === undefined || m.id === id));
      if (index >= 0) return messages.splice(index, 1)[0]!;
      if (socket.readyState !== WebSocket.OPEN || Date.now() > deadline) return undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
  };
  const send = (message: object) => socket.send(JSON.stringify(message));
  send({ type: 'connection_init' });
  return { socket, closed, next, send, acknowledged: (await next('connection_ack')) !== undefined };
}

/** The assertion of the gateway's subscription link to Guangxi. */
const linkHeaders = (options?: SignAssertionOptions, caller: Caller = SYSTEM) =>
  keys.headers(caller, { province: GX, webSocket: true }, options);

beforeAll(async () => {
  signed = await startSignedTestProvince(GX);
  ({ service, keys } = signed);
});
afterAll(() => signed?.close());

describe('the caller assertion is bound to one province and one request (#11.11)', () => {
  it('should refuse an assertion captured on its way to another province (#11.11 replay across provinces)', async () => {
    const body = bodyOf(COUNT);
    const forGuangdong = await keys.headers(MINISTRY, { province: GD, body });
    const answer = await post('workers', body, forGuangdong);
    expect(answer.status).toBe(401);
    expectError(answer, 'UNAUTHENTICATED', /signed for another province, not 450000/);
    // The same caller, signed for this province, is served.
    expect(
      expectData(await post('workers', body, await keys.headers(MINISTRY, { province: GX, body }))),
    ).toEqual({
      workers: { totalCount: 0 },
    });
  });

  it('should refuse an assertion replayed with another body (#11.11 body hash)', async () => {
    const read = bodyOf(COUNT);
    const captured = await keys.headers(GUANGXI, { province: GX, body: read });
    const write = await post('workers', bodyOf(REGISTER), captured);
    expect(write.status).toBe(401);
    expectError(write, 'UNAUTHENTICATED', /signed for another request/);
    // Not even a byte more: the same JSON with a space is another body.
    const spaced = await post('workers', read.replace('{"query"', '{ "query"'), captured);
    expectError(spaced, 'UNAUTHENTICATED', /signed for another request/);
    expect(expectData(await post('workers', read, captured))).toEqual({ workers: { totalCount: 0 } });
  });

  it('should serve each assertion once, even with the same body (#11.11 jti)', async () => {
    const body = bodyOf(COUNT);
    const headers = await keys.headers(MINISTRY, { province: GX, body });
    expect((await post('workers', body, headers)).status).toBe(200);
    const replayed = await post('workers', body, headers);
    expect(replayed.status).toBe(401);
    expectError(replayed, 'UNAUTHENTICATED', /already used/);
  });

  it('should refuse a GET carrying an assertion, and an assertion made for the subscription link', async () => {
    const headers = await keys.headers(MINISTRY, { province: GX, body: '' });
    const res = await fetch(`${service.url}/workers/graphql?query=${encodeURIComponent(COUNT)}`, { headers });
    expect(res.status).toBe(401);
    expectError({ status: 401, ...((await res.json()) as object) }, 'UNAUTHENTICATED', /must be a POST/);
    const body = bodyOf('{ _service { sdl } }');
    expectError(await post('workers', body, await linkHeaders()), 'UNAUTHENTICATED', /another request/);
  });
});

describe("the province's WebSocket serves only the gateway's link, for as long as its assertion (#11.11)", () => {
  it("should refuse a person's assertion, one made for an HTTP request, and one for another province", async () => {
    for (const headers of [
      await linkHeaders({}, GUANGXI),
      // the relay reads events over its own endpoints, never over the subscription link
      await linkHeaders({}, RELAY_CALLER),
      await keys.headers(SYSTEM, { province: GX, body: '' }),
      await keys.headers(SYSTEM, { province: GD, webSocket: true }),
    ]) {
      const link = await openSocket(headers);
      expect(link.acknowledged).toBe(false);
      expect((await link.closed).code).toBe(4403);
    }
  });

  it('should refuse a mutation and a query over the WebSocket; serve subscriptions and outboxHead (#11.11)', async () => {
    const link = await openSocket(await linkHeaders());
    expect(link.acknowledged).toBe(true);
    link.send({ id: 'm', type: 'subscribe', payload: { query: REGISTER } });
    expect((await link.next('error', 'm'))?.payload).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/serves only subscriptions.*send mutations over HTTP/),
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      }),
    ]);
    link.send({
      id: 'q',
      type: 'subscribe',
      payload: { query: '{ trips(origin: "450000") { totalCount } }' },
    });
    expect((await link.next('error', 'q'))?.payload[0].extensions.code).toBe('FORBIDDEN');
    link.send({
      id: 'h',
      type: 'subscribe',
      payload: { query: '{ outboxHead outboxPrunedThrough(region: "450000") }' },
    });
    expect((await link.next('next', 'h'))?.payload.data).toEqual({
      outboxHead: expect.stringMatching(/^\d+$/),
      outboxPrunedThrough: expect.stringMatching(/^\d+$/),
    });
    link.socket.close();
  });

  it('should close the connection when its assertion expires, and keep it open when the link renews it (#11.11 expiry)', async () => {
    const [expiring, renewed] = await Promise.all([
      openSocket(await linkHeaders({ ttlSeconds: 2 })),
      openSocket(await linkHeaders({ ttlSeconds: 2 })),
    ]);
    expect([expiring.acknowledged, renewed.acknowledged]).toEqual([true, true]);
    const opened = Date.now();
    expiring.send({
      id: 's',
      type: 'subscribe',
      payload: { query: 'subscription { arrivals(destination: "450000") { cursor } }' },
    });
    const renewal = await linkHeaders({ ttlSeconds: 60 });
    renewed.send({ type: 'ping', payload: renewal });
    expect(await renewed.next('pong')).toBeDefined();
    const closed = await expiring.closed;
    expect(closed).toMatchObject({ code: 4403, reason: 'caller assertion expired' });
    expect(closed.at - opened).toBeLessThan(3_500);
    await new Promise((resolve) => setTimeout(resolve, 2_500 - (Date.now() - opened)));
    expect(renewed.socket.readyState).toBe(WebSocket.OPEN);
    renewed.send({ id: 'h', type: 'subscribe', payload: { query: '{ outboxHead }' } });
    expect((await renewed.next('next', 'h'))?.payload.data.outboxHead).toMatch(/^\d+$/);
    // A renewal is served once, like any assertion: a replayed one closes the socket.
    renewed.send({ type: 'ping', payload: renewal });
    expect((await renewed.closed).code).toBe(4403);
  });
});

describe('the replay cache of assertion ids (#11.11, review)', () => {
  it('should refuse a request when full of unexpired ids, never forget one that could be replayed', () => {
    const served = new ServedAssertions(2, silentLogger);
    const later = Date.now() + 60_000;
    served.take('a', later);
    served.take('b', later);
    expect(() => served.take('c', later)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED' }) }),
    );
    expect(() => served.take('a', later)).toThrow(/already used/);
    // an expired id makes room
    const soon = new ServedAssertions(1, silentLogger);
    soon.take('x', Date.now() - 10_000);
    expect(() => soon.take('y', later)).not.toThrow();
  });
});
