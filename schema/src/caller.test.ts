import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ASSERTION_ISSUER,
  ASSERTION_TYPE,
  callerFromClaims,
  describeCaller,
  generateGatewayKeyPair,
  importGatewayPublicKey,
  importGatewayPublicKeys,
  importGatewaySigningKey,
  signCallerAssertion,
  SYSTEM_CALLER,
  assertionAudience,
  bodyHash,
  verifyCallerAssertion,
} from './caller.js';
import { encodeId } from './ids.js';

const unauthenticated = (message: RegExp) =>
  expect.objectContaining({
    message: expect.stringMatching(message),
    extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
  });
const beijingEnterprise = encodeId('Enterprise', '110000');

describe('callerFromClaims', () => {
  it('should read each role with a region that suits it', () => {
    expect(callerFromClaims({ role: 'province', region: '450000', sub: 'officer-1' })).toEqual({
      subject: 'officer-1',
      role: 'province',
      region: '450000',
    });
    expect(callerFromClaims({ role: 'city', region: '450200' })).toEqual({
      subject: 'city:450200',
      role: 'city',
      region: '450200',
    });
    expect(callerFromClaims({ role: 'city', region: '110105' }).region).toBe('110105');
    expect(callerFromClaims({ role: 'ministry', region: '450000' })).toEqual({
      subject: 'ministry',
      role: 'ministry',
    });
    expect(
      callerFromClaims({ role: 'enterprise', region: '110105', enterpriseId: beijingEnterprise }),
    ).toMatchObject({ role: 'enterprise', enterpriseId: beijingEnterprise });
  });

  it("should refuse unknown roles, system in a person's token, and regions that do not suit the role", () => {
    expect(() => callerFromClaims({ role: 'admin' })).toThrowError(
      unauthenticated(/role claim must be one of/),
    );
    expect(() => callerFromClaims({ role: 'system' })).toThrowError(unauthenticated(/role claim/));
    expect(callerFromClaims({ role: 'system' }, { allowSystem: true })).toEqual({
      subject: 'system',
      role: 'system',
    });
    expect(() => callerFromClaims({ role: 'province' })).toThrowError(
      unauthenticated(/needs a region claim/),
    );
    expect(() => callerFromClaims({ role: 'province', region: '999999' })).toThrowError(
      unauthenticated(/needs a region claim/),
    );
    expect(() => callerFromClaims({ role: 'province', region: '450200' })).toThrowError(
      unauthenticated(/must be a province/),
    );
    expect(() => callerFromClaims({ role: 'city', region: '450000' })).toThrowError(
      unauthenticated(/city or county/),
    );
    expect(() => callerFromClaims({ role: 'enterprise', region: '110105' })).toThrowError(
      unauthenticated(/enterpriseId claim/),
    );
    expect(() =>
      callerFromClaims({ role: 'enterprise', region: '110105', enterpriseId: 'W11-abcdefgh' }),
    ).toThrowError(unauthenticated(/enterpriseId claim/));
    expect(() =>
      callerFromClaims({ role: 'enterprise', region: '130000', enterpriseId: beijingEnterprise }),
    ).toThrowError(unauthenticated(/belongs to province 110000/));
  });

  it("should read a worker's token: bound to his Worker id, his region the home province it encodes", () => {
    const henanWorker = encodeId('Worker', '410000');
    expect(callerFromClaims({ role: 'worker', workerId: henanWorker })).toEqual({
      subject: `worker:${henanWorker}`,
      role: 'worker',
      region: '410000',
      workerId: henanWorker,
    });
    expect(
      callerFromClaims({ role: 'worker', workerId: henanWorker, region: '410000', sub: 'app-7' }),
    ).toEqual({ subject: 'app-7', role: 'worker', region: '410000', workerId: henanWorker });
    expect(() => callerFromClaims({ role: 'worker' })).toThrowError(unauthenticated(/workerId claim/));
    expect(() => callerFromClaims({ role: 'worker', workerId: beijingEnterprise })).toThrowError(
      unauthenticated(/workerId claim/),
    );
    expect(() => callerFromClaims({ role: 'worker', workerId: henanWorker, region: '450000' })).toThrowError(
      unauthenticated(/belongs to province 410000/),
    );
  });

  it('should describe a caller without its subject', () => {
    expect(describeCaller({ subject: 'Zhang San', role: 'city', region: '450200' })).toBe('city:450200');
    expect(describeCaller(null)).toBe('anonymous');
  });
});

describe('caller assertions', () => {
  const GX = '450000';
  const body = JSON.stringify({ query: '{ workers(homeRegion: "450000") { totalCount } }' });

  it('should sign and verify a caller with a generated key pair, bound to a province and a body', async () => {
    const pair = await generateGatewayKeyPair();
    expect(pair.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    expect(pair.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    const publicKey = await importGatewayPublicKey(pair.publicKeyPem);
    const token = signCallerAssertion(
      { subject: 's', role: 'city', region: '450200' },
      await importGatewaySigningKey(pair.privateKeyPem),
      { province: GX, body },
    );
    const verified = await verifyCallerAssertion(token, publicKey, {
      province: GX,
      body: new TextEncoder().encode(body),
    });
    expect(verified.caller).toEqual({ subject: 's', role: 'city', region: '450200' });
    expect(verified.jti).toMatch(/^[\w-]{22}$/);
    expect(verified.expiresAt - Date.now()).toBeGreaterThan(55_000);
    const system = signCallerAssertion(
      SYSTEM_CALLER,
      await importGatewaySigningKey(pair.privateKeyPem.replaceAll('\n', '\\n')),
      { province: GX, webSocket: true },
    );
    await expect(
      verifyCallerAssertion(system, publicKey, { province: GX, webSocket: true }),
    ).resolves.toMatchObject({ caller: { role: 'system' } });
  });

  it("should carry a worker's id through the gateway's assertion", async () => {
    const pair = await generateGatewayKeyPair();
    const worker = {
      subject: 'worker:x',
      role: 'worker',
      region: GX,
      workerId: encodeId('Worker', GX),
    } as const;
    const token = signCallerAssertion(worker, await importGatewaySigningKey(pair.privateKeyPem), {
      province: GX,
      body,
    });
    const verified = await verifyCallerAssertion(token, await importGatewayPublicKey(pair.publicKeyPem), {
      province: GX,
      body,
    });
    expect(verified.caller).toEqual(worker);
  });

  it('should refuse an assertion for another province, another body, or another use (#11.11 replay across provinces)', async () => {
    const pair = await generateGatewayKeyPair();
    const [signingKey, publicKey] = await Promise.all([
      importGatewaySigningKey(pair.privateKeyPem),
      importGatewayPublicKey(pair.publicKeyPem),
    ]);
    const ministry = { subject: 'm', role: 'ministry' as const };
    const forGuangxi = signCallerAssertion(ministry, signingKey, { province: GX, body });
    await expect(
      verifyCallerAssertion(forGuangxi, publicKey, { province: '440000', body }),
    ).rejects.toThrowError(unauthenticated(/signed for another province, not 440000/));
    await expect(
      verifyCallerAssertion(forGuangxi, publicKey, {
        province: GX,
        body: body.replace('totalCount', 'nodes { id }'),
      }),
    ).rejects.toThrowError(unauthenticated(/another request \(its bh/));
    await expect(
      verifyCallerAssertion(forGuangxi, publicKey, { province: GX, webSocket: true }),
    ).rejects.toThrowError(unauthenticated(/subscription link/));
    const link = signCallerAssertion(SYSTEM_CALLER, signingKey, { province: GX, webSocket: true });
    await expect(verifyCallerAssertion(link, publicKey, { province: GX, body: '' })).rejects.toThrowError(
      unauthenticated(/another request/),
    );
    expect(bodyHash(body)).toBe(bodyHash(new TextEncoder().encode(body)));
  });

  it('should verify with either of two public keys during a rotation, and refuse a third signer', async () => {
    const [old, next, other] = await Promise.all([
      generateGatewayKeyPair(),
      generateGatewayKeyPair(),
      generateGatewayKeyPair(),
    ]);
    const keys = await importGatewayPublicKeys(
      `${old.publicKeyPem}${next.publicKeyPem}`.replaceAll('\n', '\\n'),
    );
    expect(keys).toHaveLength(2);
    const expected = { province: GX, body };
    const caller = { subject: 's', role: 'ministry' as const };
    for (const pair of [old, next]) {
      const token = signCallerAssertion(caller, await importGatewaySigningKey(pair.privateKeyPem), expected);
      await expect(verifyCallerAssertion(token, keys, expected)).resolves.toMatchObject({ caller });
    }
    const forged = signCallerAssertion(caller, await importGatewaySigningKey(other.privateKeyPem), expected);
    await expect(verifyCallerAssertion(forged, keys, expected)).rejects.toThrowError(
      unauthenticated(/not signed by the gateway/),
    );
    const forOther = signCallerAssertion(caller, await importGatewaySigningKey(old.privateKeyPem), expected);
    await expect(verifyCallerAssertion(forOther, keys, { province: '440000', body })).rejects.toThrowError(
      unauthenticated(/another province/),
    );
    await expect(
      importGatewayPublicKeys([old, next, other].map((p) => p.publicKeyPem).join('')),
    ).rejects.toThrow(/at most 2/);
    await expect(importGatewayPublicKeys('no key here')).rejects.toThrow(
      /no "-----BEGIN PUBLIC KEY-----" block/,
    );
  });

  it('should refuse an assertion signed by another key, expired, unbound, or of another type', async () => {
    const [gateway, other] = await Promise.all([generateGatewayKeyPair(), generateGatewayKeyPair()]);
    const publicKey = await importGatewayPublicKey(gateway.publicKeyPem);
    const caller = { subject: 's', role: 'ministry' as const };
    const expected = { province: GX, body };
    const forged = signCallerAssertion(caller, await importGatewaySigningKey(other.privateKeyPem), expected);
    await expect(verifyCallerAssertion(forged, publicKey, expected)).rejects.toThrowError(
      unauthenticated(/not signed by the gateway/),
    );
    const signingKey = await importGatewaySigningKey(gateway.privateKeyPem);
    const claims = { role: 'ministry', bh: bodyHash(body), jti: 'a-fresh-id-of-22-chars' };
    const expired = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: ASSERTION_TYPE })
      .setSubject('s')
      .setIssuer(ASSERTION_ISSUER)
      .setAudience(assertionAudience(GX))
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(signingKey);
    await expect(verifyCallerAssertion(expired, publicKey, expected)).rejects.toThrowError(
      unauthenticated(/expired/),
    );
    // The assertions of before #11.11: one audience for every province, no body hash, no jti.
    const unbound = await new SignJWT({ role: 'ministry' })
      .setProtectedHeader({ alg: 'ES256', typ: ASSERTION_TYPE })
      .setSubject('s')
      .setIssuer(ASSERTION_ISSUER)
      .setAudience('p2p-province')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(signingKey);
    await expect(verifyCallerAssertion(unbound, publicKey, expected)).rejects.toThrowError(
      unauthenticated(/jti claim is not valid \(missing\)/),
    );
    await expect(
      verifyCallerAssertion(
        await new SignJWT(claims)
          .setProtectedHeader({ alg: 'ES256', typ: ASSERTION_TYPE })
          .setSubject('s')
          .setIssuer(ASSERTION_ISSUER)
          .setAudience('p2p-province')
          .setIssuedAt()
          .setExpirationTime('1m')
          .sign(signingKey),
        publicKey,
        expected,
      ),
    ).rejects.toThrowError(unauthenticated(/another province/));
    const longLived = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: ASSERTION_TYPE })
      .setSubject('s')
      .setIssuer(ASSERTION_ISSUER)
      .setAudience(assertionAudience(GX))
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(signingKey);
    await expect(verifyCallerAssertion(longLived, publicKey, expected)).rejects.toThrowError(
      unauthenticated(/lives longer than 300 s/),
    );
    const personToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('s')
      .setIssuer(ASSERTION_ISSUER)
      .setAudience(assertionAudience(GX))
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(signingKey);
    await expect(verifyCallerAssertion(personToken, publicKey, expected)).rejects.toThrowError(
      unauthenticated(/not valid/),
    );
    await expect(verifyCallerAssertion('not.a.jwt', publicKey, expected)).rejects.toThrowError(
      unauthenticated(/not valid/),
    );
  });
});
