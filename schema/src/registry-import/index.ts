/**
 * The worker registry import's rules, without transport (`@p2p/schema/registry-import`): the
 * columns and rows of a registry, the batching by home province, idempotency keys, refused rows
 * set aside by line, retries. The command line (`@p2p/province/registry-import`, reading CSV with
 * csv-parse and sending with `graphqlRequest`) and the console (papaparse or exceljs, its GraphQL
 * client) both run it. Browser-safe: it imports no Node API and not the package's main entry,
 * which is why its export condition `browser` points at these sources for the console's bundler.
 */
export * from './import-registry.js';
export * from './import-key.js';
export * from './rejects-csv.js';
export {
  COLUMN_HEADINGS,
  columnsOf,
  homeProvinceOf,
  type RegionLevelOf,
  RegionLookupFailed,
  type RegisterWorkerInput,
  type WorkerRow,
  workerRow,
} from './worker-row.js';
