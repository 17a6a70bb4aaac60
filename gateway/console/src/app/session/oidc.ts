/**
 * The production sign-in: the identity provider's login with oidc-client-ts (authorization code +
 * PKCE). The user (and his access token) is kept in memory only; only the sign-in transaction
 * (PKCE verifier and state) lives in `sessionStorage` while the browser is at the provider. The
 * token renews silently before it expires (a hidden frame at the provider, answered by
 * `silent-renew.html`, or the refresh token when the provider issues one).
 */
import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { OidcSignIn } from './console-config';

/** The console's own URL of `path` (under `/console/`). */
export function consoleUrl(path = ''): string {
  return new URL(`${import.meta.env.BASE_URL}${path}`, location.origin).toString();
}

/** Where the provider sends the browser back after the login (an app route: the gateway serves the page there). */
export const CALLBACK_PATH = 'callback';
/** The page that answers silent renewals in a hidden frame (a second, tiny entry of the build). */
export const SILENT_RENEW_PATH = 'silent-renew.html';

/** The user manager of a configuration. */
export function createUserManager(config: OidcSignIn): UserManager {
  const resource = config.resource ? { resource: config.resource } : undefined;
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: consoleUrl(CALLBACK_PATH),
    silent_redirect_uri: consoleUrl(SILENT_RENEW_PATH),
    post_logout_redirect_uri: consoleUrl(),
    response_type: 'code',
    scope: config.scope ?? 'openid',
    ...(resource ? { extraQueryParams: resource, extraTokenParams: resource } : {}),
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: sessionStorage }),
    automaticSilentRenew: true,
    loadUserInfo: false,
    monitorSession: false,
  });
}

/** True when the page is the provider's answer to a login (code or error, with state, at the callback path). */
export function isSignInCallback(url: URL): boolean {
  const path = new URL(consoleUrl(CALLBACK_PATH)).pathname;
  return (
    url.pathname === path &&
    url.searchParams.has('state') &&
    (url.searchParams.has('code') || url.searchParams.has('error'))
  );
}

/** Where a login started from (kept in the sign-in's state): a console path, nothing else. */
export function returnPathOf(state: unknown): string {
  const base = import.meta.env.BASE_URL;
  return typeof state === 'string' && state.startsWith(base) && !state.startsWith(`${base}${CALLBACK_PATH}`)
    ? state
    : base;
}
