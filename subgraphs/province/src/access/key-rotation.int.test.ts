import { describe, expect, it } from 'vitest';
import type { Caller } from '@p2p/schema';
import { startProvince } from '../index.js';
import { createProvinceDatabase } from '../testing/database.js';
import { testGatewayKeys, type TestGatewayKeys } from '../testing/gateway-keys.js';

/**
 * Rotating the gateway's signing key without downtime: a province started with two public keys
 * in `GATEWAY_PUBLIC_KEY` (the old and the new, concatenated) serves requests signed by either,
 * and nothing else (docs/operations.md, "Keys").
 */
const GUANGXI: Caller = { subject: 'gx', role: 'province', region: '450000' };
const QUERY = '{ workers(homeRegion: "450000") { totalCount } }';

async function ask(url: string, keys: TestGatewayKeys): Promise<{ status: number; code?: string }> {
  const body = JSON.stringify({ query: QUERY, variables: {} });
  const res = await fetch(`${url}/workers/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(await keys.headers(GUANGXI, { province: '450000', body })),
    },
    body,
  });
  const answer = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, code: answer.errors?.[0]?.extensions?.code };
}

describe('the gateway key rotation at a province', () => {
  it('should accept assertions signed by the old or the new key, and refuse a third', async () => {
    const [old, next, stranger] = await Promise.all([
      testGatewayKeys(),
      testGatewayKeys(),
      testGatewayKeys(),
    ]);
    const database = await createProvinceDatabase();
    const service = await startProvince({
      province: '450000',
      port: 0,
      databaseUrl: database.databaseUrl,
      logLevel: 'silent',
      gatewayPublicKey: `${old.publicKeyPem}\n${next.publicKeyPem}`,
    });
    try {
      expect(await ask(service.url, old)).toEqual({ status: 200, code: undefined });
      expect(await ask(service.url, next)).toEqual({ status: 200, code: undefined });
      expect(await ask(service.url, stranger)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    } finally {
      await service.close();
      await database.drop();
    }
  });

  it('should refuse to start with three keys or a block that is not a key, naming the setting', async () => {
    const keys = await Promise.all([testGatewayKeys(), testGatewayKeys(), testGatewayKeys()]);
    for (const gatewayPublicKey of [
      keys.map((k) => k.publicKeyPem).join('\n'),
      '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----',
      'not a pem',
    ]) {
      await expect(
        startProvince({ province: '450000', port: 0, logLevel: 'silent', gatewayPublicKey }),
      ).rejects.toThrow(/GATEWAY_PUBLIC_KEY must hold one ES256 SPKI PEM public key, or two/);
    }
  });
});
