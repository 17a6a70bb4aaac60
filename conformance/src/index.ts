/**
 * `@p2p/conformance`: the hub's contract conformance kit. `runConformance` runs the checks against one
 * province's service; the report formats are for a province's CI (JUnit) and the gateway (JSON).
 */
export { runConformance, kitCallers, CLEANUP_CHECK_ID } from './runner.js';
export type { CheckResult, CheckStatus, ConformanceOptions, ConformanceReport } from './runner.js';
export type { ConformanceCheck, KitCallers, KitContext } from './check.js';
export { CheckFailure, CheckSkipped, type Exchange } from './check-failure.js';
export { ALL_CHECKS } from './checks/index.js';
export { junitXml, reportJson, resultLines, summaryLines, redactExchange } from './report.js';
export { kitRegions, type KitRegions } from './kit-regions.js';
export { runCommandLine } from './main.js';
