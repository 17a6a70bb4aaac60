import { HeaderMap } from '@apollo/server';
import { callerFromClaims, hubError, type Caller } from '@p2p/schema';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { GraphQLError } from 'graphql';
import { DEV_JWT_SECRET, type GatewayAuthOptions } from './auth-options.js';

/**
 * Reads the caller from an `Authorization` header: null without one (anonymous), the caller of
 * a valid token, or a thrown UNAUTHENTICATED error saying what is wrong with it.
 */
export type TokenVerifier = (authorization: string | undefined) => Promise<Caller | null>;

const ASYMMETRIC = ['RS256', 'ES256'] as const;

/** UNAUTHENTICATED, answered with HTTP 401 and a Bearer challenge. */
export function unauthenticated(message: string): GraphQLError {
  return hubError('UNAUTHENTICATED', message, {
    http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer']]) },
  });
}

/**
 * The caller of verified claims. Its subject names the issuer too (`iss#sub`) when the token has
 * one: with several accepted issuers, two identity providers' `sub: "1001"` are two people (their
 * idempotency keys, rate limits and connection caps are kept apart).
 */
function callerOf(claims: Record<string, unknown>): Caller {
  const caller = callerFromClaims(claims);
  const { iss, sub } = claims;
  return typeof iss === 'string' && iss && typeof sub === 'string' && sub
    ? { ...caller, subject: `${iss}#${sub}` }
    : caller;
}

/**
 * Verifies callers' JWTs with `jose`: HS256 with `jwtSecret` (development), RS256/ES256 with
 * the keys of `jwksUrl` (production; fetched and cached by jose), `exp` required, `iss`/`aud`
 * checked when configured; then the claims (`role`, `region`, `enterpriseId`) by
 * `callerFromClaims`. The token itself never appears in a message or a log.
 */
export function createTokenVerifier(options: GatewayAuthOptions): TokenVerifier {
  const secretText = options.jwtSecret ?? (options.jwksUrl ? undefined : DEV_JWT_SECRET);
  const secret = secretText ? new TextEncoder().encode(secretText) : undefined;
  const jwks: JWTVerifyGetKey | undefined = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl))
    : undefined;
  const accepted = [...(secret ? ['HS256'] : []), ...(jwks ? ASYMMETRIC : [])];
  const claimChecks = {
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
    clockTolerance: options.clockToleranceSeconds ?? 30,
    requiredClaims: ['exp'],
  };

  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') return null;
    const match = /^Bearer\s+([A-Za-z0-9_\-.]+)\s*$/i.exec(authorization);
    if (!match) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    const token = match[1]!;
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthenticated('the bearer token is not a JWT');
    }
    try {
      if (alg === 'HS256' && secret)
        return callerOf((await jwtVerify(token, secret, { ...claimChecks, algorithms: ['HS256'] })).payload);
      if (jwks && (ASYMMETRIC as readonly string[]).includes(alg ?? '')) {
        return callerOf(
          (await jwtVerify(token, jwks, { ...claimChecks, algorithms: [...ASYMMETRIC] })).payload,
        );
      }
    } catch (err) {
      throw describeFailure(err);
    }
    throw unauthenticated(
      `tokens signed with ${alg ?? 'no algorithm'} are not accepted here; accepted: ${accepted.join(', ')}`,
    );
  };
}

/** A clear UNAUTHENTICATED error for a failed verification. */
function describeFailure(err: unknown): GraphQLError {
  if (err instanceof errors.JWTExpired) {
    const exp =
      typeof err.payload.exp === 'number' ? ` at ${new Date(err.payload.exp * 1000).toISOString()}` : '';
    return unauthenticated(`the token expired${exp}; get a new one`);
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    return unauthenticated(
      err.reason === 'missing'
        ? `the token has no ${err.claim} claim, which is required`
        : `the token's ${err.claim} claim is not accepted (${err.reason})`,
    );
  }
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return unauthenticated("the token's signature does not verify (signed with another secret or key)");
  if (err instanceof errors.JWKSNoMatchingKey)
    return unauthenticated("no key of the identity provider's JWKS matches the token");
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid)
    return unauthenticated("the identity provider's keys (JWKS) could not be read; try again");
  if (err instanceof errors.JOSEError) return unauthenticated(`the token is not valid (${err.code})`);
  if (
    err instanceof Error &&
    (err as { extensions?: { code?: unknown } }).extensions?.code === 'UNAUTHENTICATED'
  ) {
    return unauthenticated(err.message);
  }
  return unauthenticated('the token could not be verified');
}
