/**
 * The end-to-end harness: real hub processes on loopback ports, and a GraphQL client.
 * `startFederation` for a whole federation, `startService` for one process.
 */
export {
  startFederation,
  assertProvinceCodes,
  BUSY_SERVICE_NODE_ARGS,
  type FederationOptions,
  type RunningFederation,
} from './federation.js';
/** The GraphQL-over-HTTP client (one copy, in `@p2p/runtime`), re-exported for the tests' convenience. */
export { graphqlRequest, graphqlData, type GraphQLAnswer, type GraphQLWireError } from '@p2p/runtime';
export {
  startService,
  killAllServices,
  listeningUrl,
  REPO_ROOT,
  SERVICE_ENTRIES,
  BUILT_SERVICE_ENTRIES,
  type ServiceProcess,
  type ServiceSpec,
  type OutputStream,
} from './service-process.js';
export {
  createProvinceStorage,
  databaseUrlFor,
  type ProvinceStorage,
  type ProvinceStorageOptions,
} from './province-storage.js';
export { federationTokens, type FederationTokens } from './federation-auth.js';
export { waitForRelay, type WaitForRelayOptions } from './relay-wait.js';
export { BUILT_RELEASE_GUARD_ARGS, BUILT_RELEASE_GUARD_REFUSAL } from './built-release-guard.js';
export { startOtlpCollector, type CollectedSpan, type OtlpCollector } from './otlp-collector.js';
export {
  chromiumAvailable,
  consoleContext,
  launchChromium,
  saveScreenshot,
  seriousAxeViolations,
  signInAs,
  CHROMIUM_PATH,
  SCREENSHOT_DIR,
  VIEWPORT,
  type AxeViolation,
} from './browser.js';
