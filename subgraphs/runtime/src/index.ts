/**
 * `@p2p/runtime`: the plumbing every service shares (gateway, national, provinces): the
 * HTTP ↔ Apollo adapter, the edge errors, `listen`, the settings reader and the development
 * switch, the pino logger (with the trace id of the active span), OpenTelemetry tracing (off unless
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set), the WebSocket upgrade routing, the subgraphs' `formatError` and a
 * minimal GraphQL-over-HTTP client.
 */
export * from './apollo-http.js';
export * from './database-unavailable.js';
export * from './edge-errors.js';
export * from './graphql-client.js';
export * from './http-answers.js';
export * from './http-body.js';
export * from './listen.js';
export * from './logger.js';
export * from './main-module.js';
export * from './settings.js';
export * from './subgraph-errors.js';
export * from './trace-operation-plugin.js';
export * from './trace-spans.js';
export * from './tracing.js';
export * from './tracing-settings.js';
export * from './upgrade-routing.js';
