import { useEffect, useMemo } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { Redirect, Route, Router, Switch } from 'wouter';
import { createHubClients } from './graphql/hub-client';
import { HubClientsContext } from './graphql/hub-clients-context';
import { LanguageProvider, useT } from './i18n/language';
import { SessionProvider, useSession, type Session } from './session/session';
import { SignIn } from './session/SignIn';
import { Layout } from './shell/Layout';
import { SHELL_MESSAGES } from './shell/messages';
import { homeOf, SCREENS } from './shell/screens';
import { ArrivalsScreen } from './screens/arrivals/ArrivalsScreen';
import { EnterpriseScreen } from './screens/enterprise/EnterpriseScreen';
import { NationScreen } from './screens/nation/NationScreen';
import { WorklistScreen } from './screens/worklist/WorklistScreen';

const SCREEN_COMPONENTS = {
  '/nation': NationScreen,
  '/arrivals': ArrivalsScreen,
  '/worklist': WorklistScreen,
  '/enterprise': EnterpriseScreen,
} as const;

/** The screens of a signed-in caller, with the session's GraphQL clients. */
function SignedIn({ session }: { session: Session }) {
  const t = useT(SHELL_MESSAGES);
  // One set of clients per sign-in: a renewed token is read by them (live subscriptions stay open).
  const clients = useMemo(
    () => createHubClients(session.config, session.auth),
    [session.config, session.auth],
  );
  useEffect(() => () => clients.dispose(), [clients]);
  return (
    <HubClientsContext.Provider value={clients}>
      <UrqlProvider value={clients.urql}>
        <Layout>
          <Switch>
            {SCREENS.map((screen) => {
              const Screen = SCREEN_COMPONENTS[screen.path as keyof typeof SCREEN_COMPONENTS];
              return (
                <Route key={screen.path} path={screen.path}>
                  {screen.roles.includes(session.caller.role) ? (
                    <Screen />
                  ) : (
                    <p role="alert">{t('notAllowed')}</p>
                  )}
                </Route>
              );
            })}
            <Route>
              <Redirect to={homeOf(session.caller.role)} replace />
            </Route>
          </Switch>
        </Layout>
      </UrqlProvider>
    </HubClientsContext.Provider>
  );
}

function Console() {
  const t = useT(SHELL_MESSAGES);
  const { config, configError, session } = useSession();
  if (configError)
    return (
      <p role="alert">
        {t('configFailed')}: {configError}
      </p>
    );
  if (!config) return <p>{t('loading')}</p>;
  return session ? <SignedIn session={session} /> : <SignIn />;
}

/** The console: language, session, then the signed-in screens under `/console/`. */
export function App() {
  return (
    <LanguageProvider>
      <SessionProvider>
        <Router base="/console">
          <Console />
        </Router>
      </SessionProvider>
    </LanguageProvider>
  );
}
