import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { UserManager } from 'oidc-client-ts';
import type { HubAuth } from '../graphql/hub-client';
import { useT } from '../i18n/language';
import { callerOfToken, type ConsoleCaller } from './caller';
import { callerLabel } from './caller-label';
import { fetchConsoleConfig, type ConsoleConfig, type DevelopmentRole } from './console-config';
import { SESSION_MESSAGES } from './messages';
import { createUserManager, isSignInCallback, returnPathOf } from './oidc';
import { lookUpRegionName } from './region-name';

/** The signed-in session: the token lives in memory only (a reload signs in again). */
export interface Session {
  config: ConsoleConfig;
  /** The current bearer token (a new one after each silent renewal). */
  token: string;
  caller: ConsoleCaller;
  /**
   * The GraphQL clients' view of the token: one object for the whole sign-in, renewals included,
   * whose `token()` reads the current token (the clients are not recreated when it renews).
   */
  auth: HubAuth;
}

/** Why the sign-in page is shown again. */
export interface SignInNotice {
  reason: 'signedOut' | 'expired' | 'refused' | 'failed';
  /** The gateway's or provider's own words, when there are some. */
  detail?: string;
}

interface SessionState {
  /** Null until `/console/config.json` is read. */
  config: ConsoleConfig | null;
  configError: string | null;
  session: Session | null;
  /** Shown on the sign-in page: why the user is there again. */
  notice: SignInNotice | null;
  /** The provider's sign-in at work: checking for a session there, or on the way to its login page. */
  pending: 'checking' | 'redirecting' | null;
  /** Development sign-in with one of the offered roles. */
  signInAs(role: DevelopmentRole): void;
  /** Production sign-in: off to the identity provider's login (authorization code + PKCE). */
  signInWithProvider(): void;
  /** Sets a token obtained elsewhere (a test, a pasted development token). */
  useToken(token: string, label?: string): void;
  /** Signs out: at the identity provider too when signed in there. */
  signOut(): void;
}

const SessionContext = createContext<SessionState | null>(null);

const DEV_ROLE_KEY = 'p2p.console.devRole';
/** The `state` a sign-out takes to the provider and back: the console then says it is done. */
const SIGNED_OUT_STATE = 'signed-out';

/** A signed-in session before its label is worded. */
interface SignedIn {
  config: ConsoleConfig;
  token: string;
  caller: Omit<ConsoleCaller, 'label'>;
  /** The development role's label; the provider's callers are labelled by role and region name. */
  label?: string;
  auth: HubAuth;
}

/** Reads the console's configuration and keeps who is signed in. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const t = useT(SESSION_MESSAGES);
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [configError, setConfigError] = useState<string | null>(null);
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null);
  const [regionName, setRegionName] = useState<string | null>(null);
  const [notice, setNotice] = useState<SignInNotice | null>(null);
  const [pending, setPending] = useState<SessionState['pending']>(null);
  const tokenRef = useRef('');
  const managerRef = useRef<UserManager | null>(null);
  /** The provider's answer being processed at load (callback, sign-out, quiet check): a login waits for it. */
  const checkRef = useRef<Promise<unknown>>(Promise.resolve());
  const endRef = useRef<(notice: SignInNotice) => void>(() => {});

  useEffect(() => {
    fetchConsoleConfig().then(setConfig, (err: unknown) => setConfigError((err as Error).message));
  }, []);

  /** Starts a session with `token`, or (a renewal) puts `token` into the current one. */
  const applyToken = useCallback(
    (token: string, label?: string) => {
      if (!config) return;
      tokenRef.current = token;
      const { label: _claimed, ...caller } = callerOfToken(token, label);
      setSignedIn((previous) =>
        previous
          ? { ...previous, token, caller }
          : {
              config,
              token,
              caller,
              ...(label ? { label } : {}),
              auth: {
                token: () => tokenRef.current,
                onUnauthenticated: (detail) => endRef.current({ reason: 'refused', detail }),
              },
            },
      );
      setNotice(null);
    },
    [config],
  );

  /** Ends the session here (the provider's session, if any, stays) and says why. */
  const endSession = useCallback((why: SignInNotice) => {
    sessionStorage.removeItem(DEV_ROLE_KEY);
    void managerRef.current?.removeUser();
    tokenRef.current = '';
    setSignedIn(null);
    setRegionName(null);
    setNotice(why);
  }, []);
  endRef.current = endSession;

  const signInAs = useCallback(
    (role: DevelopmentRole) => {
      // Development only: which role was picked (not its token) survives a reload of the page.
      sessionStorage.setItem(DEV_ROLE_KEY, role.label);
      setSignedIn(null);
      applyToken(role.token, role.label);
    },
    [applyToken],
  );

  // A reload in development keeps the role picked in this tab.
  useEffect(() => {
    if (config?.signIn !== 'development' || signedIn) return;
    const label = sessionStorage.getItem(DEV_ROLE_KEY);
    const role = config.roles.find((r) => r.label === label);
    if (role) applyToken(role.token, role.label);
  }, [config, signedIn, applyToken]);

  // The identity provider: the answer to a login or a sign-out, else a quiet check for a session there.
  useEffect(() => {
    if (config?.signIn !== 'oidc') return;
    const manager = createUserManager(config);
    managerRef.current = manager;
    const loaded = (user: { access_token: string }) => applyToken(user.access_token);
    const expired = () => endRef.current({ reason: 'expired' });
    const renewFailed = (error: Error) => console.warn('silent renew failed:', error.message);
    manager.events.addUserLoaded(loaded);
    manager.events.addAccessTokenExpired(expired);
    manager.events.addSilentRenewError(renewFailed);
    const url = new URL(location.href);
    const base = import.meta.env.BASE_URL;
    setPending('checking');
    let work: Promise<unknown>;
    if (isSignInCallback(url)) {
      work = manager.signinRedirectCallback().then(
        (user) => history.replaceState(null, '', returnPathOf(user.state)),
        (error: unknown) => {
          history.replaceState(null, '', base);
          setNotice({ reason: 'failed', detail: (error as Error).message });
        },
      );
    } else if (url.pathname === base && url.searchParams.has('state')) {
      // Back from the provider's sign-out (oidc-client-ts puts its own state id there): only a
      // state this tab stored for its own sign-out counts; any other `?state=` is a plain visit.
      work = manager.signoutRedirectCallback().then(
        (response) =>
          response?.userState === SIGNED_OUT_STATE
            ? setNotice({ reason: 'signedOut' })
            : manager.signinSilent().catch(() => {}),
        () => manager.signinSilent().catch(() => {}),
      );
      history.replaceState(null, '', base);
    } else {
      // A reload: signed in again without a click while the provider's session lasts.
      work = manager.signinSilent().catch(() => {});
    }
    checkRef.current = work.catch(() => {});
    void work.finally(() => setPending((p) => (p === 'checking' ? null : p)));
    return () => {
      manager.events.removeUserLoaded(loaded);
      manager.events.removeAccessTokenExpired(expired);
      manager.events.removeSilentRenewError(renewFailed);
      manager.stopSilentRenew();
      managerRef.current = null;
    };
  }, [config, applyToken]);

  const signInWithProvider = useCallback(() => {
    const manager = managerRef.current;
    if (!manager) return;
    setPending('redirecting');
    const returnTo = `${location.pathname}${location.search}`;
    // One sign-in transaction at a time: the quiet check at load may still be at work (and may sign in).
    checkRef.current
      .then(() => manager.getUser())
      .then((user) => (user ? setPending(null) : manager.signinRedirect({ state: returnTo })))
      .catch((error: unknown) => {
        setPending(null);
        setNotice({ reason: 'failed', detail: (error as Error).message });
      });
  }, []);

  const signOut = useCallback(() => {
    const manager = managerRef.current;
    if (!manager) {
      endSession({ reason: 'signedOut' });
      return;
    }
    // The provider ends its session too and sends the browser back to the console.
    manager.signoutRedirect({ state: SIGNED_OUT_STATE }).catch(() => endSession({ reason: 'signedOut' }));
  }, [endSession]);

  // The provider's callers are named after their region: one query with the new token.
  const region = signedIn && !signedIn.label ? signedIn.caller.region : undefined;
  const auth = signedIn?.auth;
  useEffect(() => {
    if (!config || !auth || !region) return;
    let current = true;
    lookUpRegionName(config, auth, region).then((name) => {
      if (current) setRegionName(name);
    });
    return () => {
      current = false;
    };
  }, [config, auth, region]);

  const session = useMemo<Session | null>(() => {
    if (!signedIn) return null;
    const label =
      signedIn.label ??
      callerLabel(signedIn.caller, regionName, {
        ministry: t('roleMinistry'),
        province: t('roleProvince'),
        city: t('roleCity'),
        enterprise: t('roleEnterprise'),
        worker: t('roleWorker'),
      });
    return {
      config: signedIn.config,
      token: signedIn.token,
      caller: { ...signedIn.caller, label },
      auth: signedIn.auth,
    };
  }, [signedIn, regionName, t]);

  const value = useMemo(
    () => ({
      config,
      configError,
      session,
      notice,
      pending,
      signInAs,
      signInWithProvider,
      useToken: applyToken,
      signOut,
    }),
    [config, configError, session, notice, pending, signInAs, signInWithProvider, applyToken, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session state (inside {@link SessionProvider}). */
export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The signed-in session (inside the signed-in part of the app). */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn before sign-in');
  return session;
}
