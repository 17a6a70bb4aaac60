import type { Messages } from '../i18n/language';

/** The catalogue of the shared GraphQL error alert. */
export const GRAPHQL_ALERT_MESSAGES: Messages<'errors'> = {
  zh: { errors: '出错了' },
  en: { errors: 'Something went wrong' },
};
