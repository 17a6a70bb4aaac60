import type { GraphQLFormattedError } from 'graphql';
import type { CombinedError } from 'urql';
import { useT } from '../../i18n/language';
import { ARRIVALS_MESSAGES } from './messages';

/** GraphQL errors of an urql result or a subscription, as the board lists them. */
export function errorsOfResult(error: CombinedError | undefined): GraphQLFormattedError[] {
  if (!error) return [];
  if (error.graphQLErrors.length)
    return error.graphQLErrors.map((e) => ({ message: e.message, extensions: e.extensions }));
  return [{ message: error.networkError?.message ?? error.message }];
}

/** Errors in a `role="alert"` element, each with its `extensions.code` (and province, when named). */
export function GraphqlErrors({ errors }: { errors: readonly GraphQLFormattedError[] }) {
  const t = useT(ARRIVALS_MESSAGES);
  if (errors.length === 0) return null;
  return (
    <div role="alert" className="arrivals-errors">
      <strong>{t('errors')}</strong>
      <ul>
        {errors.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: errors have no identity of their own
          <li key={i}>
            {e.extensions?.code ? <code>{String(e.extensions.code)}</code> : null}{' '}
            {e.extensions?.province ? `[${String(e.extensions.province)}] ` : ''}
            {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
