/**
 * The part of `oidc-provider` (v9, no bundled types) the console's sign-in test uses: a local
 * identity provider (test-identity-provider.ts).
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** The account of a login, with the claims of its ID token. */
  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  /** A token being issued (its account, for extra claims). */
  export interface IssuedToken {
    accountId?: string;
  }

  /** What a resource server accepts. */
  export interface ResourceServer {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg?: string } };
  }

  export interface Configuration {
    clients?: Record<string, unknown>[];
    jwks?: { keys: Record<string, unknown>[] };
    findAccount?: (ctx: unknown, id: string) => Promise<Account | undefined>;
    claims?: Record<string, string[] | null>;
    scopes?: string[];
    features?: Record<string, Record<string, unknown>>;
    extraTokenClaims?: (ctx: unknown, token: IssuedToken) => Promise<Record<string, unknown> | undefined>;
    ttl?: Record<string, number | ((...args: unknown[]) => number)>;
    pkce?: { required?: () => boolean };
    cookies?: { keys?: string[] };
    renderError?: (ctx: { type: string; body: string }, out: Record<string, string>, error: Error) => void;
  }

  /** The provider: an app whose `callback()` handles HTTP requests. */
  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    proxy: boolean;
  }
  export default Provider;
}
