import type { ConformanceCheck } from '../check.js';
import { ACCESS_CHECKS } from './access.js';
import { AUTH_CHECKS } from './auth.js';
import { RECORDS_CHECKS } from './records.js';
import { SCHEMA_CHECKS } from './schema.js';
import { SUBSCRIPTION_CHECKS } from './subscriptions.js';
import { SUMMARY_CHECKS } from './summary.js';

/**
 * Every check of the kit, in the order a run takes them: the schema first (nothing else means much
 * when it fails), the signature, then behaviour (records, access rules, figures, subscriptions).
 * Checks that write come after the read-only ones of their group and share the kit's records.
 */
export const ALL_CHECKS: readonly ConformanceCheck[] = [
  ...SCHEMA_CHECKS,
  ...AUTH_CHECKS,
  ...RECORDS_CHECKS,
  ...ACCESS_CHECKS,
  ...SUMMARY_CHECKS,
  ...SUBSCRIPTION_CHECKS,
];
