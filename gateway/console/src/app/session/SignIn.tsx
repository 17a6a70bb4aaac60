import { useEffect, useState } from 'react';
import { useT } from '../i18n/language';
import type { CallerRole, ConsoleConfig, DevelopmentRole } from './console-config';
import { SESSION_MESSAGES } from './messages';
import { CALLBACK_PATH, consoleUrl } from './oidc';
import { lookUpRegionName } from './region-name';
import { useSession, type SignInNotice } from './session';
import './sign-in.css';

const ROLE_KEYS = {
  ministry: 'roleMinistry',
  province: 'roleProvince',
  city: 'roleCity',
  enterprise: 'roleEnterprise',
  worker: 'roleWorker',
} as const satisfies Record<CallerRole, keyof (typeof SESSION_MESSAGES)['zh']>;

type DevelopmentConfig = Extract<ConsoleConfig, { signIn: 'development' }>;

/** The sign-in page: the development role picker, the identity provider's login, or what to configure. */
export function SignIn() {
  const t = useT(SESSION_MESSAGES);
  const { config, notice } = useSession();
  if (!config) return null;
  return (
    <main className="sign-in">
      <h1>{config.signIn === 'none' ? t('noneTitle') : t('title')}</h1>
      {notice && <Notice notice={notice} />}
      {config.signIn === 'development' && <DevelopmentPicker config={config} />}
      {config.signIn === 'oidc' && <ProviderSignIn />}
      {config.signIn === 'none' && <NotConfigured />}
    </main>
  );
}

/** Why the user is here again: signed out (a status), or refused/expired/failed (an alert). */
function Notice({ notice }: { notice: SignInNotice }) {
  const t = useT(SESSION_MESSAGES);
  const text = t(notice.reason);
  if (notice.reason === 'signedOut')
    return (
      <p role="status" className="sign-in-notice">
        {text}
      </p>
    );
  return (
    <p role="alert" className="sign-in-notice sign-in-alert">
      {notice.detail ? `${text}: ${notice.detail}` : text}
    </p>
  );
}

/** Production: one button to the identity provider's login. */
function ProviderSignIn() {
  const t = useT(SESSION_MESSAGES);
  const { pending, signInWithProvider } = useSession();
  return (
    <section aria-labelledby="sign-in-oidc">
      <p id="sign-in-oidc">{t('oidc')}</p>
      <button
        type="button"
        className="sign-in-primary"
        onClick={signInWithProvider}
        disabled={pending === 'redirecting'}
      >
        {t('oidcButton')}
      </button>
      {pending && (
        <p role="status" className="sign-in-pending">
          {pending === 'redirecting' ? t('oidcRedirecting') : t('oidcChecking')}
        </p>
      )}
    </section>
  );
}

/** Development: the offered roles, each with its role and region spelled out. */
function DevelopmentPicker({ config }: { config: DevelopmentConfig }) {
  const t = useT(SESSION_MESSAGES);
  const { signInAs } = useSession();
  const names = useRegionNames(config);
  return (
    <section aria-labelledby="sign-in-development">
      <h2 id="sign-in-development">{t('development')}</h2>
      <p className="sign-in-hint">{t('developmentHint')}</p>
      {config.roles.length === 0 ? (
        <p role="alert">{t('noRoles')}</p>
      ) : (
        <ul className="sign-in-roles">
          {config.roles.map((role, index) => {
            const detailsId = `sign-in-role-${index}`;
            return (
              <li key={role.label}>
                <button type="button" aria-describedby={detailsId} onClick={() => signInAs(role)}>
                  {role.label}
                </button>
                <dl id={detailsId} className="sign-in-role-details">
                  <dt>{t('role')}</dt>
                  <dd>{t(ROLE_KEYS[role.role] ?? 'roleWorker')}</dd>
                  <dt>{t('region')}</dt>
                  <dd>
                    {role.region
                      ? names[role.region]
                        ? `${names[role.region]} (${role.region})`
                        : role.region
                      : t('nationwide')}
                  </dd>
                  {role.enterpriseId && (
                    <>
                      <dt>{t('enterprise')}</dt>
                      <dd className="sign-in-id">{role.enterpriseId}</dd>
                    </>
                  )}
                </dl>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** The full names of the offered roles' regions, asked with each role's own development token. */
function useRegionNames(config: DevelopmentConfig): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    let current = true;
    const byRegion = new Map<string, DevelopmentRole>();
    for (const role of config.roles)
      if (role.region && !byRegion.has(role.region)) byRegion.set(role.region, role);
    for (const [code, role] of byRegion)
      void lookUpRegionName(config, role.token, code).then((name) => {
        if (current && name) setNames((known) => ({ ...known, [code]: name }));
      });
    return () => {
      current = false;
    };
  }, [config]);
  return names;
}

/** Production without an identity provider: what to set on the gateway. */
function NotConfigured() {
  const t = useT(SESSION_MESSAGES);
  return (
    <section aria-labelledby="sign-in-none" role="alert">
      <p id="sign-in-none">{t('noneText')}</p>
      <dl className="sign-in-settings">
        <dt>
          <code>CONSOLE_OIDC_ISSUER</code>
        </dt>
        <dd>{t('noneIssuer')}</dd>
        <dt>
          <code>CONSOLE_OIDC_CLIENT_ID</code>
        </dt>
        <dd>{t('noneClient', { callback: consoleUrl(CALLBACK_PATH) })}</dd>
      </dl>
      <p>{t('noneOptional')}</p>
      <p>{t('noneDevelopment')}</p>
    </section>
  );
}
