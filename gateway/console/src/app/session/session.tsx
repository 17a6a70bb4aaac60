import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { callerOfToken, type ConsoleCaller } from './caller';
import { fetchConsoleConfig, type ConsoleConfig, type DevelopmentRole } from './console-config';

/** The signed-in session: the token lives in memory only (a reload signs in again). */
export interface Session {
  config: ConsoleConfig;
  token: string;
  caller: ConsoleCaller;
}

interface SessionState {
  /** Null until `/console/config.json` is read. */
  config: ConsoleConfig | null;
  configError: string | null;
  session: Session | null;
  /** Development sign-in with one of the offered roles. */
  signInAs(role: DevelopmentRole): void;
  /** Sets a token obtained elsewhere (the OIDC login, a silent renew). */
  useToken(token: string, label?: string): void;
  signOut(): void;
}

const SessionContext = createContext<SessionState | null>(null);

const DEV_ROLE_KEY = 'p2p.console.devRole';

/** Reads the console's configuration and keeps who is signed in. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [configError, setConfigError] = useState<string | null>(null);
  const [session, setSession] = useState<Session | null>(null);

  useEffect(() => {
    fetchConsoleConfig().then(setConfig, (err: unknown) => setConfigError((err as Error).message));
  }, []);

  const useToken = useCallback(
    (token: string, label?: string) => {
      if (!config) return;
      setSession({ config, token, caller: callerOfToken(token, label) });
    },
    [config],
  );

  const signInAs = useCallback(
    (role: DevelopmentRole) => {
      // Development only: which role was picked (not its token) survives a reload of the page.
      sessionStorage.setItem(DEV_ROLE_KEY, role.label);
      useToken(role.token, role.label);
    },
    [useToken],
  );

  // A reload in development keeps the role picked in this tab.
  useEffect(() => {
    if (config?.signIn !== 'development' || session) return;
    const label = sessionStorage.getItem(DEV_ROLE_KEY);
    const role = config.roles.find((r) => r.label === label);
    if (role) useToken(role.token, role.label);
  }, [config, session, useToken]);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(DEV_ROLE_KEY);
    setSession(null);
  }, []);

  const value = useMemo(
    () => ({ config, configError, session, signInAs, useToken, signOut }),
    [config, configError, session, signInAs, useToken, signOut],
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
