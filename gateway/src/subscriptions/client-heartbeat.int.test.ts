/**
 * The keep-alive of the gateway's subscription clients (`client-heartbeat.ts`) through a real
 * gateway over a fake province: a client that stops answering pings is dropped and frees its
 * place under the per-caller connection cap; a live one stays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signDevToken } from '../auth/dev-token.js';
import { gatewayOptionsFromEnv } from '../config.js';
import { startHub, type Hub } from '../testing/hub-fixture.js';

const KEEP_ALIVE_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A graphql-ws connection, acknowledged; `autoPong: false` makes it a client that has died without closing. */
async function open(hub: Hub, token: string, autoPong: boolean) {
  const socket = new WebSocket(hub.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { autoPong });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  let pings = 0;
  socket.on('ping', () => pings++);
  const acknowledged = new Promise<string>((resolve) =>
    socket.once('message', (data) => resolve(String(data))),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  expect(JSON.parse(await acknowledged)).toMatchObject({ type: 'connection_ack' });
  return { socket, closed, pings: () => pings };
}

describe('subscription client keep-alive', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub(
      ['130000'],
      {},
      { gateway: { subscriptions: { keepAliveMs: KEEP_ALIVE_MS, maxConnectionsPerCaller: 1 } } },
    );
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('should drop a client that stops answering pings within two intervals, freeing its place', async () => {
    const token = await signDevToken({ role: 'city', region: '130100', subject: 'heartbeat-dead' });
    const dead = await open(hub, token, false);
    const since = Date.now();
    expect(await dead.closed).toBe(1006); // terminated: no close frame
    // two intervals, and slack for a busy box's timers
    expect(Date.now() - since).toBeLessThanOrEqual(2 * KEEP_ALIVE_MS + 1_000);
    // one ping, or two when the first went out before its connection_init (a sign of life) came
    expect(dead.pings()).toBeGreaterThanOrEqual(1);
    expect(dead.pings()).toBeLessThanOrEqual(2);
    // The caller's one allowed connection is free again.
    const again = await open(hub, token, true);
    again.socket.close();
  });

  it('should keep a client that answers, pinging it once per interval', async () => {
    const token = await signDevToken({ role: 'city', region: '130100', subject: 'heartbeat-live' });
    const live = await open(hub, token, true);
    let closedEarly = false;
    void live.closed.then(() => (closedEarly = true));
    await sleep(5 * KEEP_ALIVE_MS);
    expect(closedEarly).toBe(false);
    expect(live.pings()).toBeGreaterThanOrEqual(4);
    expect(live.pings()).toBeLessThanOrEqual(6);
    live.socket.close();
    await live.closed;
  });
});

describe('SUBSCRIPTION_KEEPALIVE_MS', () => {
  it('should set the ping interval towards clients, from 1 s to 5 min', () => {
    expect(gatewayOptionsFromEnv({ SUBSCRIPTION_KEEPALIVE_MS: '30000' }).subscriptions).toEqual({
      keepAliveMs: 30_000,
    });
    for (const value of ['500', '600000', 'often'])
      expect(() => gatewayOptionsFromEnv({ SUBSCRIPTION_KEEPALIVE_MS: value })).toThrow(
        /SUBSCRIPTION_KEEPALIVE_MS/,
      );
  });
});
