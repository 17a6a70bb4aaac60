import type { ConformanceCheck } from '../check.js';

/** The summary checks, in the order they run. */
export const SUMMARY_CHECKS: readonly ConformanceCheck[] = [];
