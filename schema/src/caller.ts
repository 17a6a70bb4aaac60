import { createHash, KeyObject, randomBytes, sign } from 'node:crypto';
import {
  errors,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importPKCS8,
  importSPKI,
  jwtVerify,
  type CryptoKey,
  type JWTPayload,
} from 'jose';
import { hubError } from './errors.js';
import { decodeId } from './ids.js';
import { findRegion, provinceOf } from './regions.js';

/**
 * Who is asking, as the gateway authenticated it and as each province reads it from the
 * gateway's signed caller assertion (the `x-p2p-caller` header). Shared by both sides.
 */

/** Roles a person's token may carry. */
export const PERSON_ROLES = ['province', 'city', 'enterprise', 'ministry', 'worker'] as const;
/** A role a person's token may carry. */
export type PersonRole = (typeof PERSON_ROLES)[number];
/**
 * Every role a province may see: a person's, `system` (the gateway's own contract checks) or
 * `relay` (the relay delivering another province's facts: it may write only what they imply).
 */
export type CallerRole = PersonRole | 'system' | 'relay';

/** An authenticated caller. */
export interface Caller {
  /** The token's `sub`, or `role:region[:enterpriseId]` when it has none (rate limits count by it). */
  subject: string;
  role: CallerRole;
  /**
   * The caller's region (RegionCode): a province for `province`, a city or county for `city`,
   * where the enterprise is for `enterprise`, his home province for `worker`; absent for
   * `ministry` and `system`.
   */
  region?: string;
  /** The enterprise an `enterprise` caller speaks for. */
  enterpriseId?: string;
  /**
   * The worker a `worker` caller is (his own Worker id, claim `workerId`): he reads and reports
   * only for himself. His `region` is his home province, the one his id encodes.
   */
  workerId?: string;
}

/** The gateway itself, e.g. when it reads a province's `_service { sdl }` for its health check. */
export const SYSTEM_CALLER: Caller = Object.freeze({ subject: 'p2p-gateway', role: 'system' });

/** The relay, reading a source province's facts and delivering them to their target province. */
export const RELAY_CALLER: Caller = Object.freeze({ subject: 'p2p-relay', role: 'relay' });

/** HTTP header carrying the gateway's caller assertion to a province. */
export const CALLER_HEADER = 'x-p2p-caller';
/** `iss` of caller assertions. */
export const ASSERTION_ISSUER = 'p2p-gateway';
/** `aud` of a caller assertion is this prefix and its TARGET province's code: `p2p-province:450000`. */
export const ASSERTION_AUDIENCE_PREFIX = 'p2p-province:';
/** `typ` header of caller assertions, so a person's token is never taken for one. */
export const ASSERTION_TYPE = 'p2p-caller+jwt';
/** Lifetime of a caller assertion in seconds. @default 60 */
export const ASSERTION_TTL_SECONDS = 60;
/** Longest lifetime (`exp - iat`) a province accepts, so its replay cache holds each `jti` for a bounded time. */
export const ASSERTION_MAX_TTL_SECONDS = 300;
/** Clock difference tolerated between the gateway and a province, in seconds. */
export const ASSERTION_CLOCK_TOLERANCE_SECONDS = 5;
/** Signature algorithm of caller assertions. */
export const ASSERTION_ALGORITHM = 'ES256';

/** The audience of an assertion for `province` (its 6-digit code). */
export function assertionAudience(province: string): string {
  return `${ASSERTION_AUDIENCE_PREFIX}${province}`;
}

/**
 * What one assertion is good for, besides its caller:
 * - `body`: ONE HTTP POST to `province`, whose body is exactly these bytes (claim `bh`, the
 *   base64url SHA-256 of the body);
 * - `webSocket`: the gateway's subscription link to `province` (claim `ws: true`): opening it
 *   (the upgrade request's header) or renewing it (a graphql-ws `ping` payload). No body.
 */
export type AssertionBinding =
  | { province: string; body: string | Uint8Array }
  | { province: string; webSocket: true };

/** The `bh` claim: base64url SHA-256 of a request body (a string counts as its UTF-8 bytes). */
export function bodyHash(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}

const unauthenticated = (message: string) => hubError('UNAUTHENTICATED', message);
const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * Reads a caller from JWT claims (`role`, `region`, `enterpriseId`, `workerId`, `sub`), checking
 * that the region exists and suits the role: a province code for `province`, a city or county for
 * `city`, the enterprise's own province for `enterprise` (whose id encodes it); a `worker` needs a
 * `workerId` claim holding a Worker id, and his region is the home province it encodes (a region
 * claim, if any, must be that province).
 * @param allowSystem accept `role: system` and `role: relay` (only in the gateway's own assertions).
 * @throws GraphQLError UNAUTHENTICATED naming the claim that is wrong.
 */
export function callerFromClaims(claims: Record<string, unknown>, { allowSystem = false } = {}): Caller {
  const role = claims.role;
  const roles: readonly string[] = allowSystem ? [...PERSON_ROLES, 'system', 'relay'] : PERSON_ROLES;
  if (typeof role !== 'string' || !roles.includes(role)) {
    throw unauthenticated(
      `the token's role claim must be one of ${PERSON_ROLES.join(', ')}; got ${JSON.stringify(role ?? null)}`,
    );
  }
  return callerWithRole(role as CallerRole, claims);
}

function callerWithRole(role: CallerRole, claims: Record<string, unknown>): Caller {
  const sub = text(claims.sub);
  if (role === 'ministry' || role === 'system' || role === 'relay') return { subject: sub ?? role, role };
  if (role === 'worker') return workerCaller(sub, claims);
  const region = text(claims.region);
  const record = region ? findRegion(region) : undefined;
  if (!region || !record)
    throw unauthenticated(
      `a ${role} token needs a region claim naming a GB/T 2260 region; got ${JSON.stringify(claims.region ?? null)}`,
    );
  if (role === 'province' && record.level !== 'PROVINCE')
    throw unauthenticated(
      `a province token's region must be a province (e.g. 450000); ${region} is a ${record.level.toLowerCase()}`,
    );
  if (role === 'city' && record.level !== 'CITY' && record.level !== 'COUNTY') {
    throw unauthenticated(
      `a city token's region must be a city or county (e.g. 450200); ${region} is a ${record.level.toLowerCase()}`,
    );
  }
  if (role !== 'enterprise') return { subject: sub ?? `${role}:${region}`, role, region };
  const enterpriseId = text(claims.enterpriseId);
  const decoded = enterpriseId ? tryDecodeEnterprise(enterpriseId) : undefined;
  if (!enterpriseId || !decoded)
    throw unauthenticated(
      `an enterprise token needs an enterpriseId claim holding an Enterprise id; got ${JSON.stringify(claims.enterpriseId ?? null)}`,
    );
  if (decoded !== provinceOf(region))
    throw unauthenticated(
      `enterprise ${enterpriseId} belongs to province ${decoded}, not to the token's region ${region}`,
    );
  return { subject: sub ?? `enterprise:${enterpriseId}`, role, region, enterpriseId };
}

function tryDecodeEnterprise(id: string): string | undefined {
  return tryDecodeOwner(id, 'Enterprise');
}

function tryDecodeOwner(id: string, kind: 'Enterprise' | 'Worker'): string | undefined {
  try {
    return decodeId(id, kind).province;
  } catch {
    return undefined;
  }
}

/** A worker's own token: bound to his Worker id, his region the home province the id encodes. */
function workerCaller(sub: string | undefined, claims: Record<string, unknown>): Caller {
  const workerId = text(claims.workerId);
  const home = workerId ? tryDecodeOwner(workerId, 'Worker') : undefined;
  if (!workerId || !home)
    throw unauthenticated(
      `a worker token needs a workerId claim holding a Worker id; got ${JSON.stringify(claims.workerId ?? null)}`,
    );
  const region = text(claims.region);
  if (region !== undefined && region !== home)
    throw unauthenticated(
      `worker ${workerId} belongs to province ${home}, not to the token's region ${region}`,
    );
  return { subject: sub ?? `worker:${workerId}`, role: 'worker', region: home, workerId };
}

/** The claims that carry a caller in a token (`sub` is set separately). */
export function callerClaims(caller: Caller): Record<string, string> {
  return {
    role: caller.role,
    ...(caller.region ? { region: caller.region } : {}),
    ...(caller.enterpriseId ? { enterpriseId: caller.enterpriseId } : {}),
    ...(caller.workerId ? { workerId: caller.workerId } : {}),
  };
}

/** Options of {@link signCallerAssertion}. */
export interface SignAssertionOptions {
  /** Seconds the assertion is valid. @default ASSERTION_TTL_SECONDS (60) */
  ttlSeconds?: number;
}

/** A signing key: the imported `CryptoKey` or a node `KeyObject`. */
export type AssertionSigningKey = CryptoKey | KeyObject;

const ASSERTION_HEADER = Buffer.from(
  JSON.stringify({ alg: ASSERTION_ALGORITHM, typ: ASSERTION_TYPE }),
).toString('base64url');
const keyObjects = new WeakMap<CryptoKey, KeyObject>();

/**
 * Signs the gateway's short-lived assertion that `caller` is asking (ES256 JWT), for ONE target
 * province and ONE use (see {@link AssertionBinding}), with a fresh `jti`. Signed synchronously
 * with node:crypto (about 0.1 ms, less than half of jose's WebCrypto path), since the gateway
 * signs one per province fetch.
 */
export function signCallerAssertion(
  caller: Caller,
  signingKey: AssertionSigningKey,
  binding: AssertionBinding,
  options: SignAssertionOptions = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    ...callerClaims(caller),
    ...('body' in binding ? { bh: bodyHash(binding.body) } : { ws: true }),
    sub: caller.subject,
    iss: ASSERTION_ISSUER,
    aud: assertionAudience(binding.province),
    iat: now,
    exp: now + (options.ttlSeconds ?? ASSERTION_TTL_SECONDS),
    jti: randomBytes(16).toString('base64url'),
  };
  const input = `${ASSERTION_HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: keyObjectOf(signingKey),
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}

function keyObjectOf(key: AssertionSigningKey): KeyObject {
  if (key instanceof KeyObject) return key;
  let object = keyObjects.get(key);
  if (!object) {
    object = KeyObject.from(key);
    keyObjects.set(key, object);
  }
  return object;
}

/** A verified caller assertion. */
export interface VerifiedAssertion {
  caller: Caller;
  /** Its unique id: a province serves each at most once (its replay cache). */
  jti: string;
  /** Its `exp` in milliseconds since the epoch. */
  expiresAt: number;
}

/**
 * Verifies a caller assertion for `expected`: ES256 signature by the gateway's key, issuer,
 * type, the audience of `expected.province`, not expired (5 s clock tolerance), at most
 * 5 minutes old and no longer-lived than that, a `jti`; bound to `expected` (`bh` equal to the
 * hash of the body received, or `ws: true` for the subscription link); then the caller's
 * claims. Replay of a `jti` is the province's check (it keeps the ones it has served).
 * @throws GraphQLError UNAUTHENTICATED saying what is wrong (never echoing the token).
 */
export async function verifyCallerAssertion(
  token: string,
  publicKey: CryptoKey | readonly CryptoKey[],
  expected: AssertionBinding,
): Promise<VerifiedAssertion> {
  const keys: readonly CryptoKey[] = Array.isArray(publicKey) ? publicKey : [publicKey as CryptoKey];
  let payload: JWTPayload | undefined;
  for (const [index, key] of keys.entries()) {
    try {
      payload = await verifiedPayload(token, key, expected);
      break;
    } catch (err) {
      // During a key rotation a province holds the old and the new public key: a signature
      // another key made is tried against the next one; any other failure is final.
      const otherKey = (err as Error)?.message === NOT_SIGNED_BY_GATEWAY;
      if (!otherKey || index === keys.length - 1) throw err;
    }
  }
  if (!payload) throw unauthenticated(NOT_SIGNED_BY_GATEWAY);
  const { exp, iat, jti } = payload as { exp: number; iat: number; jti: unknown };
  if (exp - iat > ASSERTION_MAX_TTL_SECONDS)
    throw unauthenticated(`the caller assertion lives longer than ${ASSERTION_MAX_TTL_SECONDS} s`);
  if (typeof jti !== 'string' || jti.length < 16 || jti.length > 64)
    throw unauthenticated('the caller assertion has no valid jti');
  if ('body' in expected) {
    if (payload.ws !== undefined || payload.bh !== bodyHash(expected.body))
      throw unauthenticated(
        'the caller assertion was signed for another request (its bh is not the hash of this body)',
      );
  } else if (payload.ws !== true || payload.bh !== undefined) {
    throw unauthenticated("the caller assertion is not one for the gateway's subscription link (ws)");
  }
  return { caller: callerFromClaims(payload, { allowSystem: true }), jti, expiresAt: exp * 1000 };
}

const NOT_SIGNED_BY_GATEWAY = 'the caller assertion is not signed by the gateway';

/** The payload of `token` if `publicKey` verifies it and its standard claims hold. */
async function verifiedPayload(
  token: string,
  publicKey: CryptoKey,
  expected: AssertionBinding,
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, publicKey, {
      algorithms: [ASSERTION_ALGORITHM],
      issuer: ASSERTION_ISSUER,
      audience: assertionAudience(expected.province),
      typ: ASSERTION_TYPE,
      clockTolerance: ASSERTION_CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: ASSERTION_MAX_TTL_SECONDS,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
    });
    return payload;
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw unauthenticated("the gateway's caller assertion has expired");
    if (err instanceof errors.JWSSignatureVerificationFailed) throw unauthenticated(NOT_SIGNED_BY_GATEWAY);
    if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud')
      throw unauthenticated(`the caller assertion was signed for another province, not ${expected.province}`);
    if (err instanceof errors.JWTClaimValidationFailed)
      throw unauthenticated(`the caller assertion's ${err.claim} claim is not valid (${err.reason})`);
    if (err instanceof errors.JOSEError)
      throw unauthenticated(`the caller assertion is not valid (${err.code})`);
    throw err;
  }
}

/** Imports the gateway's ES256 signing key from PKCS8 PEM (`GATEWAY_SIGNING_KEY`). */
export function importGatewaySigningKey(pkcs8Pem: string): Promise<CryptoKey> {
  return importPKCS8(normalisePem(pkcs8Pem), ASSERTION_ALGORITHM);
}

/** Imports the gateway's ES256 public key from SPKI PEM (`GATEWAY_PUBLIC_KEY` at each province). */
export function importGatewayPublicKey(spkiPem: string): Promise<CryptoKey> {
  return importSPKI(normalisePem(spkiPem), ASSERTION_ALGORITHM);
}

/** Most public keys a province accepts at once (the current one and the next, during a rotation). */
export const MAX_GATEWAY_PUBLIC_KEYS = 2;

/**
 * Imports every SPKI PEM block of `GATEWAY_PUBLIC_KEY`: one, or two while the gateway's signing
 * key is rotated (the old key and the new one, concatenated), so provinces accept both while the
 * gateway replicas switch.
 * @throws Error when there is no block, more than {@link MAX_GATEWAY_PUBLIC_KEYS}, or one is not an ES256 key
 */
export async function importGatewayPublicKeys(spkiPems: string): Promise<CryptoKey[]> {
  const blocks =
    normalisePem(spkiPems).match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
  if (blocks.length === 0) throw new Error('no "-----BEGIN PUBLIC KEY-----" block');
  if (blocks.length > MAX_GATEWAY_PUBLIC_KEYS)
    throw new Error(
      `${blocks.length} public keys; at most ${MAX_GATEWAY_PUBLIC_KEYS} (the current one and the next)`,
    );
  return Promise.all(blocks.map((block) => importGatewayPublicKey(block)));
}

/** PEM from an env variable: literal `\n` sequences (one-line env files) become newlines. */
function normalisePem(pem: string): string {
  return pem.includes('\\n') ? pem.replaceAll('\\n', '\n').trim() : pem.trim();
}

/** A gateway key pair as PEM text. */
export interface GatewayKeyPair {
  /** PKCS8 PEM: `GATEWAY_SIGNING_KEY` of the gateway. */
  privateKeyPem: string;
  /** SPKI PEM: `GATEWAY_PUBLIC_KEY` of every province. */
  publicKeyPem: string;
}

/** Generates a fresh ES256 key pair (the dev launcher and the e2e harness make one per run). */
export async function generateGatewayKeyPair(): Promise<GatewayKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(ASSERTION_ALGORITHM, { extractable: true });
  return { privateKeyPem: await exportPKCS8(privateKey), publicKeyPem: await exportSPKI(publicKey) };
}

/** A short description of a caller for logs: role and region only (a subject may name a person). */
export function describeCaller(caller: Caller | null | undefined): string {
  if (!caller) return 'anonymous';
  return [caller.role, caller.region, caller.enterpriseId].filter(Boolean).join(':');
}
