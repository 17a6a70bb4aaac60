import { callerClaims, callerFromClaims, type PersonRole } from '@p2p/schema';
import { SignJWT } from 'jose';
import { DEV_JWT_SECRET } from './auth-options.js';

/** Who a development token speaks for. */
export interface DevTokenClaims {
  role: PersonRole;
  /** The caller's region (not for the ministry). */
  region?: string;
  /** The enterprise (role `enterprise` only). */
  enterpriseId?: string;
  /** The worker himself (role `worker` only): his Worker id; his region is the province it encodes. */
  workerId?: string;
  /** `sub`; @default `role:region`, `enterprise:<id>`, `worker:<id>` */
  subject?: string;
}

/** Options of {@link signDevToken}. */
export interface DevTokenOptions {
  /** HS256 secret; @default process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET */
  secret?: string;
  /** Lifetime: seconds, or a jose time span such as `12h`, `30m`. @default '12h' */
  expiresIn?: number | string;
  /** `iss` to set (when the gateway checks AUTH_ISSUER). */
  issuer?: string;
  /** `aud` to set (when the gateway checks AUTH_AUDIENCE). */
  audience?: string;
}

/**
 * Signs a development token (HS256) the gateway accepts when it runs with the same
 * `AUTH_JWT_SECRET`: `npm run -s token`, the dev launcher, the e2e harness and gateway tests.
 * @throws GraphQLError UNAUTHENTICATED when the claims would not be accepted (wrong region for the role…).
 */
export async function signDevToken(claims: DevTokenClaims, options: DevTokenOptions = {}): Promise<string> {
  const raw = {
    role: claims.role,
    region: claims.region,
    enterpriseId: claims.enterpriseId,
    workerId: claims.workerId,
    ...(claims.subject ? { sub: claims.subject } : {}),
  };
  const caller = callerFromClaims(raw);
  const secret = new TextEncoder().encode(options.secret ?? process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET);
  const expiresIn = options.expiresIn ?? '12h';
  let jwt = new SignJWT(callerClaims(caller))
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(caller.subject)
    .setIssuedAt()
    .setExpirationTime(typeof expiresIn === 'number' ? Math.floor(Date.now() / 1000) + expiresIn : expiresIn);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(secret);
}
