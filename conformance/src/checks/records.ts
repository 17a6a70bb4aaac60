import type { ConformanceCheck } from '../check.js';
import { ENTITIES_CHECKS } from './entities.js';
import { IDEMPOTENCY_CHECKS } from './idempotency.js';
import { IDS_CHECKS } from './ids.js';
import { INPUT_CHECKS } from './input.js';
import { PAGINATION_CHECKS } from './pagination.js';

const ALL_RECORDS = [
  ...IDS_CHECKS,
  ...INPUT_CHECKS,
  ...PAGINATION_CHECKS,
  ...IDEMPOTENCY_CHECKS,
  ...ENTITIES_CHECKS,
];

/**
 * The record-behaviour checks: ids carry their province, invalid input is refused and writes
 * nothing, idempotency keys, keyset pagination and `_entities`; those that write nothing first.
 */
export const RECORDS_CHECKS: readonly ConformanceCheck[] = [
  ...ALL_RECORDS.filter((c) => !c.writes),
  ...ALL_RECORDS.filter((c) => c.writes),
];
