import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GatewayMetrics } from './metrics.js';

/**
 * Counts every operation the gateway answers, by operation type and outcome: `ok`, `partial`
 * (data with errors, e.g. a province missing) or `error` (no data).
 */
export function metricsPlugin(metrics: GatewayMetrics): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, response }) {
          const body =
            response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const hasData = body.data !== undefined && body.data !== null;
          const outcome = body.errors?.length ? (hasData ? 'partial' : 'error') : 'ok';
          metrics.requests.inc({ operation: operation?.operation ?? 'unknown', outcome });
        },
      };
    },
  };
}
