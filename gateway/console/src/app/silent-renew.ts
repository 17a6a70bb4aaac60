/**
 * The silent renewal's answer page: the provider sends the hidden frame here with a new code,
 * and this hands the URL to the console in the parent window (oidc-client-ts exchanges it).
 */
import { UserManager } from 'oidc-client-ts';

// Only the callback is used: it posts the URL to the parent; these settings are not read.
new UserManager({ authority: location.origin, client_id: 'console', redirect_uri: location.href })
  .signinSilentCallback()
  .catch((error: unknown) => console.error('silent renew:', (error as Error).message));
