import { assertDay, assertRegionCode, badInput, NATION, regionPrefix } from '@p2p/schema';

/** The key of a `Summary` entity: `scope` (CN or a RegionCode) and `day` (LATEST or YYYY-MM-DD). */
export interface SummaryKey {
  scope: string;
  day: string;
}

/** A validated summary key with the region-code prefix that every record inside the scope has. */
export interface SummaryScope extends SummaryKey {
  /** '' for the whole nation. */
  prefix: string;
}

/** The day meaning "now". */
export const LATEST = 'LATEST';

/**
 * Validates a Summary key. Figures are always the current ones: a closed `day` is accepted but
 * not yet reconstructed (the counters that will answer it are another module's job).
 * @throws BAD_USER_INPUT for a scope that is neither CN nor a region code, or a malformed day.
 */
export function summaryScope(key: SummaryKey): SummaryScope {
  if (typeof key.scope !== 'string') throw badInput('scope: CN or a region code', 'scope');
  const prefix = key.scope === NATION ? '' : regionPrefix(assertRegionCode(key.scope, 'scope'));
  if (key.day !== LATEST) assertDay(key.day, 'day');
  return { scope: key.scope, day: key.day, prefix };
}
