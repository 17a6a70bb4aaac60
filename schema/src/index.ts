export * from './errors.js';
export * from './regions.js';
export * from './resident-id.js';
export * from './ids.js';
export * from './cursor.js';
export * from './scalars.js';
export * from './contract.js';
export * from './shard-rules.js';
