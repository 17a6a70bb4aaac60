import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import { tracingActive } from './trace-spans.js';

/**
 * Puts the operation's type and name (`graphql.operation.type`, `graphql.operation.name`) on the
 * active server span (trace-spans.ts `serveInSpan`) once Apollo Server has resolved it; never
 * the document or its variables. Nothing when tracing is off.
 */
export const operationSpanPlugin: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    if (!tracingActive()) return;
    return {
      async didResolveOperation({ operation, operationName }) {
        const span = trace.getActiveSpan();
        if (!span?.isRecording()) return;
        if (operation) span.setAttribute('graphql.operation.type', operation.operation);
        if (operationName) span.setAttribute('graphql.operation.name', operationName);
      },
    };
  },
};
