import type { CombinedError } from 'urql';
import { useT } from '../../i18n/language';
import { shownErrors } from './graphql-errors';
import { ENTERPRISE_MESSAGES } from './messages';

/** The errors of some urql results in a `role="alert"` list with their codes; nothing when none. */
export function ErrorAlert({ errors }: { errors: readonly (CombinedError | undefined | null)[] }) {
  const t = useT(ENTERPRISE_MESSAGES);
  const shown = shownErrors(errors);
  if (shown.length === 0) return null;
  return (
    <div role="alert" className="enterprise-alert">
      <p>{t('errorsTitle')}</p>
      <ul>
        {shown.map((e) => (
          <li key={`${e.code}|${e.message}|${e.path ?? ''}`}>
            <code>{e.code}</code> {e.message}
            {e.path ? <span className="enterprise-muted"> ({e.path})</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
