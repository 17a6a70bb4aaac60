/** The province database: one drizzle schema, split by logical subgraph. */
export * from './workers.js';
export * from './employment.js';
export * from './transport.js';
export * from './health.js';
export * from './infrastructure.js';
export * from './statistics.js';
