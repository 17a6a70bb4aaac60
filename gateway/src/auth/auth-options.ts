/**
 * How the gateway authenticates callers and signs for them towards the provinces.
 *
 * | env | option | meaning |
 * | --- | --- | --- |
 * | `AUTH_JWT_SECRET` | `jwtSecret` | HS256 secret of development tokens (`npm run -s token`) |
 * | `AUTH_JWKS_URL` | `jwksUrl` | JWKS of the production identity provider (RS256/ES256 tokens) |
 * | `AUTH_ISSUER`, `AUTH_AUDIENCE` | `issuer`, `audience` | required `iss` / `aud` of tokens (comma-separated lists allowed) |
 * | `GATEWAY_SIGNING_KEY` | `signingKeyPem` | ES256 PKCS8 PEM signing the caller assertions sent to provinces |
 */
import { requireSetting } from '@p2p/runtime';

/** The development secret used when neither `AUTH_JWT_SECRET` nor `AUTH_JWKS_URL` is set (development mode only). */
export const DEV_JWT_SECRET = 'dev-secret-change-me';

/** Root query fields anyone may read without a token: the regions directory. */
export const PUBLIC_ROOT_FIELDS: readonly string[] = ['region', 'regions'];

/** Options of the gateway's authentication. */
export interface GatewayAuthOptions {
  /**
   * HS256 secret of development tokens.
   * @default DEV_JWT_SECRET when `jwksUrl` is not set either (development mode only, with a warning)
   */
  jwtSecret?: string;
  /** JWKS URL of the identity provider: RS256 and ES256 tokens are verified with its keys. */
  jwksUrl?: string;
  /** Accepted `iss` values; absent: not checked. */
  issuer?: string | string[];
  /** Accepted `aud` values; absent: not checked. */
  audience?: string | string[];
  /** Seconds of clock skew tolerated on `exp`/`nbf`. @default 30 */
  clockToleranceSeconds?: number;
  /**
   * ES256 private key (PKCS8 PEM) signing the caller assertion each province verifies.
   * @default an ephemeral key generated at start (development mode only, with a warning: provinces holding another public key refuse everything)
   */
  signingKeyPem?: string;
  /** Lifetime of a caller assertion in seconds. @default 60 */
  assertionTtlSeconds?: number;
  /** Root query fields readable without a token. @default PUBLIC_ROOT_FIELDS (region, regions) */
  publicRootFields?: readonly string[];
}

const list = (value: string | undefined) => {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length === 0 ? undefined : items.length === 1 ? items[0] : items;
};

/**
 * Refuses the development defaults outside development mode: a JWT secret or JWKS URL (not the
 * public development secret) and the assertion signing key must be configured.
 * @throws Error naming the missing setting
 */
export function assertRealKeys(options: GatewayAuthOptions, development: boolean): void {
  if (development) return;
  if ((!options.jwtSecret && !options.jwksUrl) || options.jwtSecret === DEV_JWT_SECRET)
    requireSetting('AUTH_JWKS_URL or AUTH_JWT_SECRET', "how callers' tokens are verified");
  if (!options.signingKeyPem)
    requireSetting(
      'GATEWAY_SIGNING_KEY',
      'the ES256 key signing caller assertions; provinces hold its public key',
    );
}

/** Reads the authentication settings from the environment (see the table above). */
export function authOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayAuthOptions {
  const options: GatewayAuthOptions = {
    jwtSecret: env.AUTH_JWT_SECRET || undefined,
    jwksUrl: env.AUTH_JWKS_URL || undefined,
    issuer: list(env.AUTH_ISSUER),
    audience: list(env.AUTH_AUDIENCE),
    signingKeyPem: env.GATEWAY_SIGNING_KEY || undefined,
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as GatewayAuthOptions;
}
