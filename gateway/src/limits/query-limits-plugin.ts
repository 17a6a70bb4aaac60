import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { assertCost } from './cost-limit.js';
import { assertDepth } from './depth-limit.js';
import type { QueryLimits } from './limit-options.js';
import { assertPageSizes } from './page-size-limit.js';
import { operationScope } from './selections.js';

/**
 * Checks each operation, once parsed and validated and before anything is planned or sent to a
 * province: page sizes, then depth, then cost. A refusal is QUERY_TOO_COMPLEX (HTTP 400).
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, request }) {
          if (!operation) return;
          const scope = operationScope(schema, document, request.variables);
          assertPageSizes(scope, operation, limits.maxPageSize);
          assertDepth(scope, operation, limits.maxDepth);
          assertCost(scope, operation, limits.maxCost, limits);
        },
      };
    },
  };
}
