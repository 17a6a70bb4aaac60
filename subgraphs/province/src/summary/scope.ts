import { assertDay, assertRegionCode, badInput, NATION, regionPrefix } from '@p2p/schema';

/** The key of a `Summary` entity: `scope` (CN or a RegionCode) and `day` (LATEST or YYYY-MM-DD). */
export interface SummaryKey {
  scope: string;
  day: string;
}

/** A validated summary key with the counter key it reads and the day it is as of. */
export interface SummaryScope extends SummaryKey {
  /**
   * The region-code prefix every record inside the scope has, which is also the scope's counter
   * key (`stat_*.region`): '' for the nation, 2 digits for a province, 4 for a city, the code
   * itself for a county (6) or a township (9).
   */
  prefix: string;
  /** The end of which day (YYYY-MM-DD, China Standard Time) the figures are as of; null for LATEST. */
  asOf: string | null;
}

/** The day meaning "now": the live counters. */
export const LATEST = 'LATEST';

/** China Standard Time is UTC+8 all year (no daylight saving since 1991). */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/**
 * The calendar day (YYYY-MM-DD) of an instant in China Standard Time: the day a change is
 * counted on (the migration's `stat_day()` does the same in SQL with the transaction's start).
 * @default instant: now
 */
export function chinaDay(instant: Date = new Date()): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Validates a Summary key. A past `day` reads the daily snapshots (the figures at the end of that
 * day); a day without any change yet reads zeros.
 * @throws BAD_USER_INPUT for a scope that is neither CN nor a region code, or a malformed day.
 */
export function summaryScope(key: SummaryKey): SummaryScope {
  if (typeof key.scope !== 'string') throw badInput('scope: CN or a region code', 'scope');
  const prefix = key.scope === NATION ? '' : regionPrefix(assertRegionCode(key.scope, 'scope'));
  const asOf = key.day === LATEST ? null : assertDay(key.day, 'day');
  return { scope: key.scope, day: key.day, prefix, asOf };
}
