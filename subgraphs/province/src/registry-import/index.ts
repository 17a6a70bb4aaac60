/**
 * The officers' worker registry import (`@p2p/province/registry-import`; command line
 * `p2p-import-workers`, `main.ts`): a province's CSV registry into the hub through the gateway,
 * by the rules of `@p2p/schema/registry-import`.
 */
export * from './import-workers.js';
export { COLUMN_HEADINGS, type RegisterWorkerInput } from '@p2p/schema/registry-import';
