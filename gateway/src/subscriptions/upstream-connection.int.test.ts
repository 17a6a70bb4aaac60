import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CALLER_HEADER,
  SYSTEM_CALLER,
  generateGatewayKeyPair,
  importGatewaySigningKey,
  signCallerAssertion,
} from '@p2p/schema';
import { decodeJwt } from 'jose';
import { useServer } from 'graphql-ws/use/ws';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { silentLogger } from '@p2p/runtime';
import { UpstreamConnection } from './upstream-connection.js';

/**
 * The link's side of a province WebSocket's expiry (#11.11): a province closes the link when its
 * caller assertion expires, so the link renews it, before then, with a `ping` carrying a fresh one.
 * Against a bare graphql-ws server that records what the link sends.
 */

const schema = buildSchema('type Query { outboxHead: String! } type Subscription { arrivals: String! }');
/** A subscription that stays open and quiet: the link must keep its socket. */
async function* quiet(): AsyncGenerator<{ arrivals: string }> {
  await new Promise(() => {});
}
let server: Server;
let url: string;
const upgrades: string[] = [];
const renewals: string[] = [];

beforeAll(async () => {
  server = createServer();
  const wss = new WebSocketServer({ server });
  wss.on('connection', (_socket, req) => upgrades.push(String(req.headers[CALLER_HEADER])));
  useServer(
    {
      schema,
      roots: { query: { outboxHead: () => '7' }, subscription: { arrivals: quiet } },
      onPing: (_ctx, payload) => {
        if (typeof payload?.[CALLER_HEADER] === 'string') renewals.push(payload[CALLER_HEADER] as string);
      },
    },
    wss,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/transport/graphql`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the upstream link's caller assertion", () => {
  it('should renew its assertion with a ping before it expires, on the same socket (#11.11 expiry)', async () => {
    const key = await importGatewaySigningKey((await generateGatewayKeyPair()).privateKeyPem);
    const link = new UpstreamConnection({
      province: '450000',
      subgraph: 'transport',
      url,
      logger: silentLogger,
      // A 2-second assertion: renewed after about 1 s, then every half of what is left.
      headers: () => ({
        [CALLER_HEADER]: signCallerAssertion(
          SYSTEM_CALLER,
          key,
          { province: '450000', webSocket: true },
          { ttlSeconds: 2 },
        ),
      }),
    });
    try {
      expect(await link.query<{ outboxHead: string }>('{ outboxHead }')).toEqual({ outboxHead: '7' });
      const errors: string[] = [];
      const stop = link.subscribe(
        'subscription { arrivals }',
        {},
        { next() {}, error: (reason) => errors.push(reason), complete: () => errors.push('completed') },
      );
      await new Promise((resolve) => setTimeout(resolve, 2_200));
      stop();
      expect(errors).toEqual([]);
      expect(upgrades).toHaveLength(1);
      expect(renewals.length).toBeGreaterThanOrEqual(1);
      const first = decodeJwt(upgrades[0]!);
      const renewed = renewals.map((token) => decodeJwt(token));
      // Each renewal is a fresh assertion for the same province and use, sent before the previous expired.
      expect(new Set([first.jti, ...renewed.map((c) => c.jti)]).size).toBe(renewed.length + 1);
      expect(renewed[0]).toMatchObject({ aud: 'p2p-province:450000', ws: true, role: 'system' });
      expect(renewed[0]!.iat! * 1000).toBeLessThanOrEqual(first.exp! * 1000);
    } finally {
      await link.dispose();
    }
  });
});
