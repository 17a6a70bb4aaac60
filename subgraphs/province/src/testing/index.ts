/**
 * The province's test helpers, in one folder (package export `@p2p/province/testing`): fresh test
 * databases, gateway keys, a province started over real HTTP with the assertions on its answers,
 * the statistics oracle (a brute-force recount of `Summary`) and the counter tests' kit.
 */
export * from './database.js';
export * from './gateway-keys.js';
export * from './test-province.js';
export * from './summary-recount.js';
export * from './summary-kit.js';
export * from './silent-log.js';
export * from './signed-province.js';
export * from './apply-facts.js';
export * from './counted-db.js';
export * from './signed-requests.js';
export * from './safety-writes.js';
export * from './seeded-random.js';
export * from './boarding.js';
