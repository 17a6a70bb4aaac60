import { describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { RELAY_CALLER, SYSTEM_CALLER, type Caller } from '@p2p/schema';
import { startProvince } from '../index.js';
import { createProvinceDatabase } from '../testing/database.js';
import { testGatewayKeys, type TestGatewayKeys } from '../testing/gateway-keys.js';

/**
 * The province's own read-only key (`CONFORMANCE_PUBLIC_KEY`), for the conformance kit's
 * `--read-only` runs against a production service: what it signs is served for queries only,
 * whatever caller it names; the gateway's key is unaffected.
 */
const HEBEI = '130000';
const OFFICER: Caller = { subject: 'kit', role: 'province', region: HEBEI };
const COUNT = '{ workers(homeRegion: "130000") { totalCount } }';
const REGISTER = `mutation { registerWorker(input: {
  name: "张三", idNumber: "130102199001011237", phone: "13800000000", homeRegion: "130102"
}) { id } }`;

interface Answer {
  status: number;
  code?: string;
  message?: string;
  data?: Record<string, unknown> | null;
}

async function post(
  url: string,
  path: string,
  body: unknown,
  keys: TestGatewayKeys,
  caller: Caller,
): Promise<Answer> {
  const text = JSON.stringify(body);
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(await keys.headers(caller, { province: HEBEI, body: text })),
    },
    body: text,
  });
  const answer = (await res.json()) as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  return {
    status: res.status,
    code: answer.errors?.[0]?.extensions?.code,
    message: answer.errors?.[0]?.message,
    data: answer.data,
  };
}

async function withProvince(
  test: (url: string, gateway: TestGatewayKeys, kit: TestGatewayKeys) => Promise<void>,
) {
  const [gateway, kit] = await Promise.all([testGatewayKeys(), testGatewayKeys()]);
  const database = await createProvinceDatabase();
  const service = await startProvince({
    province: HEBEI,
    port: 0,
    databaseUrl: database.databaseUrl,
    logLevel: 'silent',
    gatewayPublicKey: gateway.publicKeyPem,
    conformancePublicKey: kit.publicKeyPem,
  });
  try {
    await test(service.url, gateway, kit);
  } finally {
    await service.close();
    await database.drop();
  }
}

async function count(url: string, keys: TestGatewayKeys): Promise<unknown> {
  const answer = await post(url, '/workers/graphql', { query: COUNT }, keys, OFFICER);
  return (answer.data?.workers as { totalCount?: number } | undefined)?.totalCount;
}

describe('the read-only key of a province', () => {
  it('should serve queries signed with it, as the caller they name', async () => {
    await withProvince(async (url, _gateway, kit) => {
      expect(await post(url, '/workers/graphql', { query: COUNT }, kit, OFFICER)).toMatchObject({
        status: 200,
        data: { workers: { totalCount: 0 } },
      });
      const sdl = await post(
        url,
        '/transport/graphql',
        { query: '{ _service { sdl } }' },
        kit,
        SYSTEM_CALLER,
      );
      expect(sdl.status).toBe(200);
    });
  });

  it('should refuse a mutation, a batch hiding one, and a relay delivery signed with it, writing nothing', async () => {
    await withProvince(async (url, gateway, kit) => {
      const refused = await post(url, '/workers/graphql', { query: REGISTER }, kit, OFFICER);
      expect(refused).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(refused.message).toMatch(/read-only key serves GraphQL queries only, not a mutation/);
      const batch = await post(
        url,
        '/workers/graphql',
        [{ query: COUNT }, { query: REGISTER }],
        kit,
        OFFICER,
      );
      expect(batch.status).toBe(401);
      const relay = await post(url, '/relay/events', { after: null }, kit, RELAY_CALLER);
      expect(relay).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(await count(url, gateway)).toBe(0);
      // The gateway's key still writes.
      expect(await post(url, '/workers/graphql', { query: REGISTER }, gateway, OFFICER)).toMatchObject({
        status: 200,
      });
      expect(await count(url, gateway)).toBe(1);
    });
  });

  it('should open no subscription link', async () => {
    await withProvince(async (url, gateway, kit) => {
      /** Subscribes as the gateway's link would; resolves to how it ended within a second. */
      const attempt = async (keys: TestGatewayKeys) => {
        const headers = await keys.headers(SYSTEM_CALLER, { province: HEBEI, webSocket: true });
        class SignedSocket extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers });
          }
        }
        const client = createClient({
          url: `${url.replace(/^http/, 'ws')}/transport/graphql`,
          webSocketImpl: SignedSocket,
          retryAttempts: 0,
        });
        try {
          return await new Promise<string>((resolve) => {
            const timer = setTimeout(() => resolve('served'), 1_000);
            client.subscribe(
              { query: 'subscription { arrivals(destination: "130000") { cursor } }' },
              {
                next: () => undefined,
                error: (err) => {
                  clearTimeout(timer);
                  resolve(`refused ${(err as { code?: number }).code ?? ''}`.trim());
                },
                complete: () => undefined,
              },
            );
          });
        } finally {
          await client.dispose();
        }
      };
      expect(await attempt(kit)).toBe('refused 4403');
      expect(await attempt(gateway)).toBe('served');
    });
  });
});
