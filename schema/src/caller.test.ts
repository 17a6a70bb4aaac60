import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ASSERTION_AUDIENCE,
  ASSERTION_ISSUER,
  ASSERTION_TYPE,
  callerFromClaims,
  describeCaller,
  generateGatewayKeyPair,
  importGatewayPublicKey,
  importGatewaySigningKey,
  signCallerAssertion,
  SYSTEM_CALLER,
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

  it('should describe a caller without its subject', () => {
    expect(describeCaller({ subject: 'Zhang San', role: 'city', region: '450200' })).toBe('city:450200');
    expect(describeCaller(null)).toBe('anonymous');
  });
});

describe('caller assertions', () => {
  it('should sign and verify a caller with a generated key pair', async () => {
    const pair = await generateGatewayKeyPair();
    expect(pair.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    expect(pair.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    const token = await signCallerAssertion(
      { subject: 's', role: 'city', region: '450200' },
      await importGatewaySigningKey(pair.privateKeyPem),
    );
    await expect(
      verifyCallerAssertion(token, await importGatewayPublicKey(pair.publicKeyPem)),
    ).resolves.toEqual({ subject: 's', role: 'city', region: '450200' });
    const system = await signCallerAssertion(
      SYSTEM_CALLER,
      await importGatewaySigningKey(pair.privateKeyPem.replaceAll('\n', '\\n')),
    );
    await expect(
      verifyCallerAssertion(system, await importGatewayPublicKey(pair.publicKeyPem)),
    ).resolves.toMatchObject({ role: 'system' });
  });

  it('should refuse an assertion signed by another key, expired, or of another type', async () => {
    const [gateway, other] = await Promise.all([generateGatewayKeyPair(), generateGatewayKeyPair()]);
    const publicKey = await importGatewayPublicKey(gateway.publicKeyPem);
    const caller = { subject: 's', role: 'ministry' as const };
    const forged = await signCallerAssertion(caller, await importGatewaySigningKey(other.privateKeyPem));
    await expect(verifyCallerAssertion(forged, publicKey)).rejects.toThrowError(
      unauthenticated(/not signed by the gateway/),
    );
    const signingKey = await importGatewaySigningKey(gateway.privateKeyPem);
    const expired = await new SignJWT({ role: 'ministry' })
      .setProtectedHeader({ alg: 'ES256', typ: ASSERTION_TYPE })
      .setSubject('s')
      .setIssuer(ASSERTION_ISSUER)
      .setAudience(ASSERTION_AUDIENCE)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(signingKey);
    await expect(verifyCallerAssertion(expired, publicKey)).rejects.toThrowError(unauthenticated(/expired/));
    const personToken = await new SignJWT({ role: 'ministry' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('s')
      .setIssuer(ASSERTION_ISSUER)
      .setAudience(ASSERTION_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(signingKey);
    await expect(verifyCallerAssertion(personToken, publicKey)).rejects.toThrowError(
      unauthenticated(/not valid/),
    );
    await expect(verifyCallerAssertion('not.a.jwt', publicKey)).rejects.toThrowError(
      unauthenticated(/not valid/),
    );
  });
});
