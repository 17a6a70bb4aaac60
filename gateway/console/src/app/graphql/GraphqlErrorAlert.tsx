import { useT } from '../i18n/language';
import './graphql-alert.css';
import { type ErrorSource, shownErrors } from './graphql-errors';
import { GRAPHQL_ALERT_MESSAGES } from './messages';

/**
 * The errors of some GraphQL answers in a `role="alert"` list, each with its `extensions.code`
 * (and province, path when named); nothing when there are none.
 */
export function GraphqlErrorAlert({
  errors,
  title,
}: {
  errors: readonly ErrorSource[];
  /** What failed (e.g. "Plan a trip"); a general heading when not given. */
  title?: string;
}) {
  const t = useT(GRAPHQL_ALERT_MESSAGES);
  const shown = shownErrors(errors);
  if (shown.length === 0) return null;
  return (
    <div role="alert" className="graphql-alert">
      <p>
        <strong>{title ?? t('errors')}</strong>
      </p>
      <ul>
        {shown.map((e) => (
          <li key={`${e.code}|${e.message}|${e.path ?? ''}|${e.province ?? ''}`}>
            {e.code ? <code>{e.code}</code> : null} {e.province ? `[${e.province}] ` : ''}
            {e.message}
            {e.path ? <span className="graphql-alert-path"> ({e.path})</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
