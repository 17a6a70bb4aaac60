import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ASSERTION_ISSUER,
  ASSERTION_TYPE,
  assertionAudience,
  callerFromClaims,
  generateGatewayKeyPair,
  importGatewayPublicKey,
} from '@p2p/schema';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyData, makeTrip } from '../testing/fake-data.js';
import { startHub, type Hub } from '../testing/hub-fixture.js';
import { signDevToken } from './dev-token.js';
import { subscriptionAuthenticator } from './subscription-auth.js';
import { createTokenVerifier } from './token-verifier.js';

const GX = '450000';
const SECRET = 'auth-test-secret';

/** POSTs to the gateway with optional headers and returns status, headers and body. */
async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('authentication at the gateway', () => {
  let hub: Hub;
  let keys: Awaited<ReturnType<typeof generateGatewayKeyPair>>;
  beforeAll(async () => {
    keys = await generateGatewayKeyPair();
    const data = emptyData();
    data.trips.push(makeTrip('450203', '110105', '2020-02-20T08:00:00+08:00'));
    hub = await startHub(
      [GX],
      { [GX]: data },
      {
        gateway: {
          auth: { jwtSecret: SECRET, signingKeyPem: keys.privateKeyPem },
          limits: { ratePerSecond: 1, rateBurst: 30 },
        },
      },
    );
  });
  afterAll(() => hub?.close());

  it('should let anonymous callers read the regions directory and introspect, nothing else', async () => {
    expect(
      (await post(hub.gateway.url, { query: '{ region(code: "450200") { name } __typename }' })).body,
    ).toEqual({ data: { region: { name: '柳州市' }, __typename: 'Query' } });
    expect((await post(hub.gateway.url, { query: '{ __schema { queryType { name } } }' })).status).toBe(200);
    for (const query of [
      '{ trips(origin: "450000") { totalCount } }',
      '{ region(code: "450200") { name } summary { scope } }',
      'mutation { cancelTrip(tripId: "T45-abcdefgh", reason: "x") { id } }',
    ]) {
      const res = await post(hub.gateway.url, { query });
      expect(res.status).toBe(401);
      expect(res.body.errors[0]).toMatchObject({
        extensions: { code: 'UNAUTHENTICATED' },
        message: expect.stringMatching(/sign in first.*Authorization: Bearer/),
      });
      expect(res.body.errors[0].extensions.http).toBeUndefined();
    }
    expect(hub.province(GX).count('transport')).toBe(0);
  });

  it("should hand out no development token in the console's config when the gateway has a real secret, even in development mode", async () => {
    const res = await fetch(new URL('/console/config.json', hub.gateway.url));
    const config = (await res.json()) as Record<string, unknown>;
    expect(config).toMatchObject({ signIn: 'none' });
    expect(config.roles).toBeUndefined();
  });

  it('should refuse a bad, expired or wrongly signed token with a clear 401 before anything runs', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ authorization: 'Basic abc' }, /must be "Bearer <token>"/],
      [bearer('not-a-jwt'), /not a JWT/],
      [
        bearer(await signDevToken({ role: 'ministry' }, { secret: 'another-secret' })),
        /signature does not verify/,
      ],
      [
        bearer(await signDevToken({ role: 'ministry' }, { secret: SECRET, expiresIn: -120 })),
        /token expired at 20\d\d-/,
      ],
      [
        bearer(
          await new SignJWT({ role: 'ministry' })
            .setProtectedHeader({ alg: 'HS256' })
            .sign(new TextEncoder().encode(SECRET)),
        ),
        /has no exp claim/,
      ],
      [
        bearer(
          await new SignJWT({ role: 'admin' })
            .setProtectedHeader({ alg: 'HS256' })
            .setExpirationTime('1h')
            .sign(new TextEncoder().encode(SECRET)),
        ),
        /role claim must be one of/,
      ],
    ];
    for (const [headers, message] of cases) {
      const res = await post(hub.gateway.url, { query: '{ region(code: "450200") { name } }' }, headers);
      expect(res.status, String(message)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.body.errors[0]).toMatchObject({
        extensions: { code: 'UNAUTHENTICATED' },
        message: expect.stringMatching(message),
      });
    }
  });

  it('should send every province fetch with the caller signed by the gateway', async () => {
    const token = await signDevToken(
      { role: 'city', region: '110105', subject: 'chaoyang-clerk' },
      { secret: SECRET },
    );
    const res = await post(
      hub.gateway.url,
      { query: '{ trips(origin: "450000") { totalCount } }' },
      bearer(token),
    );
    expect(res.body).toEqual({ data: { trips: { totalCount: 1 } } });
    const publicKey = await importGatewayPublicKey(keys.publicKeyPem);
    /** The claims of a province fetch's assertion: signed by the gateway, for Guangxi only (#11.11). */
    const claimsOf = async (assertion: string) =>
      (
        await jwtVerify(assertion, publicKey, {
          issuer: ASSERTION_ISSUER,
          audience: assertionAudience(GX),
          typ: ASSERTION_TYPE,
        })
      ).payload;
    const fetches = hub.province(GX).requests.filter((r) => r.kind === 'query');
    const claims = await claimsOf(fetches.at(-1)!.assertion!);
    expect(callerFromClaims(claims)).toEqual({ subject: 'chaoyang-clerk', role: 'city', region: '110105' });
    expect(claims).toMatchObject({ bh: expect.stringMatching(/^[\w-]{43}$/), jti: expect.any(String) });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(60);
    const checks = hub.province(GX).requests.filter((r) => r.kind === 'service');
    const system = await claimsOf(checks[0]!.assertion!);
    expect(system).toMatchObject({ role: 'system', bh: expect.any(String) });
    // Every fetch is signed anew: no two assertions share a jti.
    const all = hub.province(GX).requests.map((r) => r.assertion!);
    const ids = await Promise.all(all.map(async (a) => (await claimsOf(a)).jti));
    expect(new Set(ids).size).toBe(all.length);
  });

  it('should apply the query limits and the per-caller rate limit', async () => {
    const token = bearer(await signDevToken({ role: 'ministry', subject: 'limits' }, { secret: SECRET }));
    const deep = await post(
      hub.gateway.url,
      { query: `{ regions { ${'children { '.repeat(12)}code${' }'.repeat(12)} } }` },
      token,
    );
    expect([deep.status, deep.body.errors[0].extensions.code]).toEqual([400, 'QUERY_TOO_COMPLEX']);
    const page = await post(
      hub.gateway.url,
      { query: '{ trips(origin: "450000", first: 101) { totalCount } }' },
      token,
    );
    expect(page.body.errors[0]).toMatchObject({
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'pageSize' },
    });
    const big = await post(hub.gateway.url, { query: `{ __typename } # ${'x'.repeat(600_000)}` }, token);
    expect([big.status, big.body.errors[0].extensions.code]).toEqual([413, 'QUERY_TOO_COMPLEX']);
    const batch = await post(
      hub.gateway.url,
      [{ query: '{ a: __typename }' }, { query: '{ b: __typename }' }],
      token,
    );
    expect(batch.body).toEqual([{ data: { a: 'Query' } }, { data: { b: 'Query' } }]);
    const tooMany = await post(
      hub.gateway.url,
      Array.from({ length: 11 }, () => ({ query: '{ __typename }' })),
      token,
    );
    expect(tooMany.body.errors[0]).toMatchObject({
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'batch' },
    });
    let limited: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await post(hub.gateway.url, { query: '{ __typename }' }, token);
      if (res.status === 429) limited = res;
    }
    expect(limited!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited!.body.errors[0]).toMatchObject({
      extensions: { code: 'RATE_LIMITED' },
      message: expect.stringMatching(/too many requests from ministry.*at most 1 operations per second/),
    });
    // another caller has a bucket of its own
    expect(
      (
        await post(
          hub.gateway.url,
          { query: '{ __typename }' },
          bearer(await signDevToken({ role: 'province', region: GX }, { secret: SECRET })),
        )
      ).status,
    ).toBe(200);
  });
});

describe('tokens from a JWKS (production)', () => {
  let jwks: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

  const sign = (claims: Record<string, unknown>, aud = 'p2p-hub') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://idp.example')
      .setAudience(aud)
      .setSubject('u1')
      .setExpirationTime('5m')
      .sign(privateKey);

  it('should accept RS256 tokens of the configured issuer and audience, and nothing else', async () => {
    const verify = createTokenVerifier({ jwksUrl, issuer: 'https://idp.example', audience: 'p2p-hub' });
    await expect(verify(`Bearer ${await sign({ role: 'province', region: '130000' })}`)).resolves.toEqual({
      subject: 'https://idp.example#u1',
      role: 'province',
      region: '130000',
    });
    await expect(
      verify(`Bearer ${await sign({ role: 'province', region: '130000' }, 'another-app')}`),
    ).rejects.toThrow(/aud claim is not accepted \(check_failed\)/);
    await expect(verify(`Bearer ${await signDevToken({ role: 'ministry' })}`)).rejects.toThrow(
      /HS256 are not accepted here; accepted: RS256, ES256/,
    );
    await expect(verify(undefined)).resolves.toBeNull();
  });

  it('should authenticate subscriptions on connection_init', async () => {
    const authenticate = subscriptionAuthenticator(createTokenVerifier({ jwksUrl }));
    const request = { headers: {} } as never;
    expect(
      await authenticate({
        connectionParams: { authorization: `Bearer ${await sign({ role: 'city', region: '110105' })}` },
        request,
      }),
    ).toEqual({
      principal: 'city:110105:',
      context: { caller: { subject: 'https://idp.example#u1', role: 'city', region: '110105' } },
      callerKey: 'caller:city:https://idp.example#u1',
      expiresAt: expect.any(Number),
    });
    expect(await authenticate({ connectionParams: {}, request })).toBe(false);
    expect(await authenticate({ connectionParams: { authorization: 'Bearer nope' }, request })).toBe(false);
  });
});
