/// <reference types="vite/client" />
/**
 * What the gateway tells the console at `/console/config.json`: how people sign in here and
 * whether operations go by their registered id (a gateway in safelist mode) or as text.
 */

/** A role offered by the development sign-in (`npm start`): a development token the gateway signed. */
export interface DevelopmentRole {
  label: string;
  role: CallerRole;
  region?: string;
  enterpriseId?: string;
  token: string;
}

/** The roles of the hub's callers (the contract's `PersonRole`). */
export type CallerRole = 'ministry' | 'province' | 'city' | 'enterprise' | 'worker';

/** Production sign-in: the identity provider's OIDC login (authorization code + PKCE). */
export interface OidcSignIn {
  signIn: 'oidc';
  /** The issuer the gateway verifies tokens of (its discovery document is read by the console). */
  issuer: string;
  clientId: string;
  /** @default 'openid' */
  scope?: string;
  /** Resource indicator asked for the access token (when the provider needs one). */
  resource?: string;
}

/** Development sign-in: a role picker over development tokens. */
export interface DevelopmentSignIn {
  signIn: 'development';
  roles: DevelopmentRole[];
}

/** Neither: a production gateway without `CONSOLE_OIDC_ISSUER`/`CONSOLE_OIDC_CLIENT_ID` (the console says what to set). */
export interface NoSignIn {
  signIn: 'none';
}

/** The console's configuration. */
export type ConsoleConfig = (OidcSignIn | DevelopmentSignIn | NoSignIn) & {
  /** The gateway's `TRUSTED_DOCUMENTS` mode: `safelist` means send registered ids only. */
  trustedDocuments: 'off' | 'apq' | 'safelist';
};

/** Reads `/console/config.json`. @throws Error when the gateway does not answer it */
export async function fetchConsoleConfig(): Promise<ConsoleConfig> {
  const response = await fetch(new URL('config.json', new URL(import.meta.env.BASE_URL, location.origin)), {
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`/console/config.json answered ${response.status}`);
  return (await response.json()) as ConsoleConfig;
}
