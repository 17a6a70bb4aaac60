import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useLanguage, useT } from '../i18n/language';
import { useSession, useSignedIn } from '../session/session';
import { SHELL_MESSAGES } from './messages';
import { SCREENS } from './screens';

/** The page frame once signed in: header (who, language, sign-out) and the role's navigation. */
export function Layout({ children }: { children: ReactNode }) {
  const t = useT(SHELL_MESSAGES);
  const { language, setLanguage } = useLanguage();
  const { caller } = useSignedIn();
  const { signOut } = useSession();
  const [location] = useLocation();
  const screens = SCREENS.filter((s) => s.roles.includes(caller.role));
  return (
    <div className="shell">
      <header className="shell-header">
        <h1 className="shell-title">{t('title')}</h1>
        <span className="shell-caller" data-testid="caller">
          {caller.label}
        </span>
        <button
          type="button"
          className="link-button"
          onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}
        >
          {t('language')}
        </button>
        <a className="link-button" href="/graphiql">
          {t('graphiql')}
        </a>
        <button type="button" className="link-button" onClick={signOut}>
          {t('signOut')}
        </button>
      </header>
      <nav className="shell-nav" aria-label={t('mainNav')}>
        {screens.map((s) => (
          <Link key={s.path} href={s.path} aria-current={location === s.path ? 'page' : undefined}>
            {t(s.title)}
          </Link>
        ))}
      </nav>
      <main className="shell-main">{children}</main>
    </div>
  );
}
