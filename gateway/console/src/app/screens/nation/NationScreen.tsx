import { useState } from 'react';
import { useT } from '../../i18n/language';
import { useSignedIn } from '../../session/session';
import { NATION_MESSAGES } from './messages';
import { ScopeView, type Crumb } from './ScopeView';
import './nation.css';

/**
 * The nation at a glance: the ministry starts at the nation (a tile map of the provinces), a
 * province or city officer at its own region; a click on a region drills down to the regions below
 * it, and the breadcrumb goes back up. What each caller sees is what the provinces' rules answer.
 */
export function NationScreen() {
  const t = useT(NATION_MESSAGES);
  const { caller } = useSignedIn();
  const root: Crumb = caller.role !== 'ministry' && caller.region ? { code: caller.region } : { code: null };
  const [path, setPath] = useState<Crumb[]>([root]);
  const scope = path[path.length - 1]!;
  const nameOf = (crumb: Crumb) => (crumb.code === null ? t('nation') : (crumb.name ?? crumb.code));
  return (
    <section className="nation" data-testid="nation-screen" aria-labelledby="nation-title">
      <h2 id="nation-title">{t('title')}</h2>
      <nav aria-label={t('breadcrumb')} className="nation-breadcrumb" data-testid="nation-breadcrumb">
        <ol>
          {path.map((crumb, i) => (
            <li key={crumb.code ?? 'CN'}>
              {i === path.length - 1 ? (
                <span aria-current="location">{nameOf(crumb)}</span>
              ) : (
                <button type="button" className="link-button" onClick={() => setPath(path.slice(0, i + 1))}>
                  {nameOf(crumb)}
                </button>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <ScopeView key={scope.code ?? 'CN'} scope={scope} onDrill={(crumb) => setPath([...path, crumb])} />
    </section>
  );
}
