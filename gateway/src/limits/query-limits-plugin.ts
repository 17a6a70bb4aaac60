import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { checkOperationLimits, type OperationLimitRules } from './operation-limits.js';

/**
 * Checks each operation again once Apollo Server has resolved it, before anything is planned or
 * sent to a province: the same limits as the `/graphql` admission (which checks them before
 * validation), for the operations it could not read (a persisted query sent by its hash) and
 * for `executeOperation`. A refusal is QUERY_TOO_COMPLEX (HTTP 400).
 */
export function queryLimitsPlugin(rules: OperationLimitRules): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, schema }) {
          checkOperationLimits(document, request, { ...rules, schema });
        },
      };
    },
  };
}
