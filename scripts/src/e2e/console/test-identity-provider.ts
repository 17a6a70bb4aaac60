/**
 * A local OpenID Connect provider for the console's sign-in test: `oidc-provider` on loopback with
 * one public client (the console: authorization code + PKCE, its callback and silent-renew page
 * on the gateway), test accounts whose access tokens carry the hub's claims (`role`, `region`,
 * `enterpriseId`), issued as RS256 JWTs for one resource (the gateway's audience) and signed with
 * a key published at the provider's `jwks_uri` (the gateway's `AUTH_JWKS_URL`). Login and consent
 * are oidc-provider's development interactions (HTML forms: any login name of a test account,
 * any password).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** An account of the provider: its login name and the claims its access tokens carry. */
export interface TestAccount {
  login: string;
  role: string;
  region?: string;
  enterpriseId?: string;
}

/** Options of {@link startTestIdentityProvider}. */
export interface TestIdentityProviderOptions {
  /** The gateway's origin, e.g. `http://127.0.0.1:4567` (the console's redirect URIs are under it). */
  consoleOrigin: string;
  accounts: readonly TestAccount[];
  /** Seconds an access token lasts. @default 600 */
  accessTokenTtl?: number;
}

/** A running provider and what the gateway and the console are configured with. */
export interface TestIdentityProvider {
  /** `AUTH_ISSUER` and `CONSOLE_OIDC_ISSUER`. */
  issuer: string;
  /** `AUTH_JWKS_URL`. */
  jwksUrl: string;
  /** `AUTH_AUDIENCE` and `CONSOLE_OIDC_RESOURCE`: the resource the access tokens are for. */
  audience: string;
  /** `CONSOLE_OIDC_CLIENT_ID`. */
  clientId: string;
  /** `CONSOLE_OIDC_SCOPE`: OpenID and the hub's resource scope. */
  scope: string;
  /** The gateway env that makes it verify this provider's tokens and the console sign in here. */
  gatewayEnv: Record<string, string>;
  close(): Promise<void>;
}

const CLIENT_ID = 'p2p-console';
const AUDIENCE = 'urn:p2p:hub';
const RESOURCE_SCOPE = 'hub';

/** Starts the provider on a free loopback port. */
export async function startTestIdentityProvider(
  options: TestIdentityProviderOptions,
): Promise<TestIdentityProvider> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const accounts = new Map(options.accounts.map((a) => [a.login, a]));
  const hubClaims = (login: string | undefined) => {
    const account = login ? accounts.get(login) : undefined;
    if (!account) return undefined;
    return {
      role: account.role,
      ...(account.region ? { region: account.region } : {}),
      ...(account.enterpriseId ? { enterpriseId: account.enterpriseId } : {}),
    };
  };
  const consoleBase = `${options.consoleOrigin}/console/`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${consoleBase}callback`, `${consoleBase}silent-renew.html`],
        post_logout_redirect_uris: [consoleBase],
      },
    ],
    jwks: { keys: [{ ...key, kid: 'test-signing', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    async findAccount(_ctx, id) {
      if (!accounts.has(id)) return undefined;
      return { accountId: id, claims: () => ({ sub: id }) };
    },
    extraTokenClaims: async (_ctx, token) => hubClaims(token.accountId),
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => AUDIENCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          if (indicator !== AUDIENCE) throw new Error(`unknown resource ${indicator}`);
          return {
            scope: RESOURCE_SCOPE,
            audience: AUDIENCE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: options.accessTokenTtl ?? 600,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  });
  handle = provider.callback();

  const scope = `openid ${RESOURCE_SCOPE}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    audience: AUDIENCE,
    clientId: CLIENT_ID,
    scope,
    gatewayEnv: {
      AUTH_JWKS_URL: `${issuer}/jwks`,
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: AUDIENCE,
      CONSOLE_OIDC_ISSUER: issuer,
      CONSOLE_OIDC_CLIENT_ID: CLIENT_ID,
      CONSOLE_OIDC_SCOPE: scope,
      CONSOLE_OIDC_RESOURCE: AUDIENCE,
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
