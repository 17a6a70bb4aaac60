import { useSession } from './session';
import { useT } from '../i18n/language';
import { SHELL_MESSAGES } from '../shell/messages';

/** The sign-in page: the development role picker, or the identity provider's login. */
export function SignIn() {
  const t = useT(SHELL_MESSAGES);
  const { config, signInAs } = useSession();
  if (!config) return null;
  return (
    <main className="sign-in">
      <h1>{t('signInTitle')}</h1>
      {config.signIn === 'development' ? (
        <section aria-labelledby="dev-roles">
          <h2 id="dev-roles">{t('signInDevelopment')}</h2>
          <ul className="role-list">
            {config.roles.map((role) => (
              <li key={role.label}>
                <button type="button" onClick={() => signInAs(role)}>
                  {role.label}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <p>{t('signInOidc')}</p>
      )}
    </main>
  );
}
