/**
 * Caps, rate limit and token expiry of the gateway's subscriptions (#11.8), through a real
 * gateway over fake provinces (they serve no subscriptions: a client subscription simply stays
 * open, which is all these rules need), with the reference graphql-ws client.
 */
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeId } from '@p2p/schema';
import { signDevToken } from '../auth/dev-token.js';
import { gatewayOptionsFromEnv } from '../config.js';
import { startHub, type Hub } from '../testing/hub-fixture.js';
import { SubscriptionCloseCode, TOKEN_EXPIRED_REASON } from './close-codes.js';

const ARRIVALS = 'subscription($d: RegionCode!) { arrivals(destination: $d) { cursor kind } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A city officer's development token with its own subject (its own rate bucket and connection count). */
const tokenOf = (subject: string, expiresIn: number | string = '1h') =>
  signDevToken({ role: 'city', region: '110100', subject }, { expiresIn });

interface Connection {
  client: Client;
  /** Resolves with the close event once the server closes the connection. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once the connection is acknowledged. */
  connected: Promise<void>;
}

/** An eager graphql-ws connection (it connects without a subscription) that never retries. */
function connect(hub: Hub, token: string): Connection {
  let onClosed: (e: { code: number; reason: string }) => void = () => {};
  let onConnected: () => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((r) => (onClosed = r));
  const connected = new Promise<void>((r) => (onConnected = r));
  const client = createClient({
    url: hub.gateway.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
    on: {
      connected: () => onConnected(),
      closed: (event) => onClosed(event as { code: number; reason: string }),
    },
  });
  return { client, closed, connected };
}

type Outcome = 'open' | 'complete' | { code?: string; extensions?: Record<string, unknown>; close?: number };

/** Subscribes; `outcome` is the first error (its extensions) or close, or 'open' when nothing came within `ms`. */
function subscribe(
  client: Client,
  ms = 1_000,
  operation: { query: string; variables: Record<string, unknown> } = {
    query: ARRIVALS,
    variables: { d: '110000' },
  },
) {
  let settle: (o: Outcome) => void = () => {};
  const ended = new Promise<Outcome>((r) => (settle = r));
  const fromErrors = (errors: unknown): Outcome => {
    const list = errors as { extensions?: Record<string, unknown> }[] | { code?: number };
    if (Array.isArray(list))
      return { code: String(list[0]?.extensions?.code), extensions: list[0]?.extensions ?? {} };
    return { close: list.code };
  };
  const stop = client.subscribe(operation, {
    next: (r) => settle(r.errors ? fromErrors(r.errors) : 'open'),
    error: (e) => settle(fromErrors(e)),
    complete: () => settle('complete'),
  });
  return { stop, ended, outcome: Promise.race([ended, sleep(ms).then((): Outcome => 'open')]) };
}

describe('subscription caps (#11.8)', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub(
      ['130000'],
      {},
      {
        gateway: { subscriptions: { maxSubscriptionsPerConnection: 3, maxConnectionsPerCaller: 2 } },
      },
    );
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('should refuse a subscription beyond maxSubscriptionsPerConnection with QUERY_TOO_COMPLEX (#11.8 caps)', async () => {
    const { client, connected } = connect(hub, await tokenOf('caps-subscriptions'));
    await connected;
    try {
      // A burst on one connection: exactly the cap is admitted, whatever the timing.
      const burst = Array.from({ length: 5 }, () => subscribe(client));
      const outcomes = await Promise.all(burst.map((s) => s.outcome));
      expect(outcomes.filter((o) => o === 'open')).toHaveLength(3);
      for (const refused of outcomes.filter((o) => o !== 'open'))
        expect(refused).toMatchObject({
          code: 'QUERY_TOO_COMPLEX',
          extensions: { limit: 'subscriptionsPerConnection' },
        });
      // Completing one makes room for another.
      burst.find((_, i) => outcomes[i] === 'open')!.stop();
      await sleep(100);
      expect(await subscribe(client).outcome).toBe('open');
    } finally {
      await client.dispose();
    }
  });

  it('should close a connection beyond maxConnectionsPerCaller with 4629, and count per caller (#11.8 caps)', async () => {
    const token = await tokenOf('caps-connections');
    const first = connect(hub, token);
    const second = connect(hub, token);
    await Promise.all([first.connected, second.connected]);
    const third = connect(hub, token);
    const closed = await third.closed;
    expect(closed.code).toBe(SubscriptionCloseCode.TooManyConnections);
    expect(closed.reason).toMatch(/^RATE_LIMITED: too many connections/);
    // Another caller is not affected, and a closed connection frees its place.
    const other = connect(hub, await tokenOf('caps-connections-other'));
    await other.connected;
    await first.client.dispose();
    await sleep(100);
    const again = connect(hub, token);
    await again.connected;
    await Promise.all([second, third, other, again].map((c) => c.client.dispose()));
  });
});

describe('subscriptions in the caller rate limit (#11.8)', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub(['130000'], {}, { gateway: { limits: { ratePerSecond: 0.1, rateBurst: 4 } } });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('should count every subscribe message in the same bucket as HTTP, and refuse with RATE_LIMITED (#11.8 rate limit)', async () => {
    const token = await tokenOf('rate-limited');
    const { client, connected } = connect(hub, token);
    await connected;
    try {
      const outcomes = await Promise.all(Array.from({ length: 5 }, () => subscribe(client).outcome));
      expect(outcomes.filter((o) => o === 'open')).toHaveLength(4);
      expect(outcomes.find((o) => o !== 'open')).toMatchObject({
        code: 'RATE_LIMITED',
        extensions: { retryAfterSeconds: expect.any(Number) },
      });
      // The same caller over HTTP draws on the same, now empty, allowance.
      const res = await fetch(hub.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ region(code: "110000") { code } }' }),
      });
      expect(res.status).toBe(429);
      // Another caller has its own allowance.
      const other = connect(hub, await tokenOf('rate-limited-other'));
      expect(await subscribe(other.client).outcome).toBe('open');
      await other.client.dispose();
    } finally {
      await client.dispose();
    }
  });
});

describe('a subscription connection whose token expires (#11.8)', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub(['130000']);
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('should end every subscription with UNAUTHENTICATED and close with 4403 at the token exp (#11.8 expiry)', async () => {
    const token = await tokenOf('expiring', 3); // exp 2 to 3 s from now
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp * 1000;
    const connection = connect(hub, token);
    await connection.connected;
    const subscriptions = [subscribe(connection.client, 200), subscribe(connection.client, 200)];
    expect(await subscriptions[0]!.outcome).toBe('open');
    for (let i = 0; i < 20 && hub.gateway.subscriptions.stats().taps < 2; i++) await sleep(50);
    expect(hub.gateway.subscriptions.stats().taps).toBe(2);
    const outcomes = await Promise.all(subscriptions.map((s) => s.ended));
    const endedAt = Date.now();
    for (const outcome of outcomes)
      expect(outcome).toMatchObject({
        code: 'UNAUTHENTICATED',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    expect(endedAt).toBeGreaterThanOrEqual(exp - 50);
    expect(endedAt).toBeLessThan(exp + 3_000);
    const closed = await connection.closed;
    expect(closed).toMatchObject({ code: SubscriptionCloseCode.Forbidden, reason: TOKEN_EXPIRED_REASON });
    expect(hub.gateway.subscriptions.stats().taps).toBe(0); // the feeds were released
    // The expired token is not admitted again, even within the verifier's clock tolerance.
    const again = connect(hub, token);
    expect((await again.closed).code).toBe(SubscriptionCloseCode.Forbidden);
    await Promise.all([connection, again].map((c) => c.client.dispose()));
  }, 15_000);
});

describe('subscription settings from the environment', () => {
  it('should read SUBSCRIPTION_MAX_PER_CONNECTION and SUBSCRIPTION_MAX_CONNECTIONS_PER_CALLER', () => {
    expect(
      gatewayOptionsFromEnv({
        SUBSCRIPTION_MAX_PER_CONNECTION: '5',
        SUBSCRIPTION_MAX_CONNECTIONS_PER_CALLER: '0',
      }).subscriptions,
    ).toEqual({ maxSubscriptionsPerConnection: 5, maxConnectionsPerCaller: 0 });
    expect(gatewayOptionsFromEnv({}).subscriptions).toBeUndefined();
    expect(() => gatewayOptionsFromEnv({ SUBSCRIPTION_MAX_PER_CONNECTION: 'many' })).toThrow(
      /SUBSCRIPTION_MAX_PER_CONNECTION/,
    );
  });
});

describe("a worker's token (#13.7)", () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub(['130000']);
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('should follow no subscription, whatever the topic and region, with FORBIDDEN before any province is asked', async () => {
    const token = await signDevToken({ role: 'worker', workerId: encodeId('Worker', '130000') });
    const { client, connected } = connect(hub, token);
    await connected;
    try {
      for (const operation of [
        { query: ARRIVALS, variables: { d: '130000' } },
        {
          query: 'subscription($o: RegionCode!) { returnRequestsFiled(origin: $o) { cursor } }',
          variables: { o: '130000' },
        },
      ]) {
        expect(await subscribe(client, 1_000, operation).outcome).toMatchObject({
          code: 'FORBIDDEN',
          extensions: { code: 'FORBIDDEN' },
        });
      }
      expect(hub.gateway.subscriptions.stats().taps).toBe(0);
    } finally {
      await client.dispose();
    }
  });
});
