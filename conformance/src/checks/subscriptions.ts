import type { ConformanceCheck } from '../check.js';

/** The subscription checks, in the order they run. */
export const SUBSCRIPTION_CHECKS: readonly ConformanceCheck[] = [];
