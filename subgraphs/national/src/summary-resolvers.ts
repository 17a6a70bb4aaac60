/**
 * The entry point of national totals. The national subgraph only names a Summary (scope and
 * day) and its region; the gateway fetches the workers, transport and employment parts of the
 * same `Summary` entity from the province subgraphs and sums them.
 */
import { badInput, NATION } from '@p2p/schema';
import { childRegions, lookupRegion, type DirectoryRegion } from './directory.js';

/** The key of a Summary: a RegionCode or `CN`, and a closed day or `LATEST`. */
export interface SummaryKey {
  scope: string;
  day: string;
}

/** The day a Summary has before a day is chosen: the live counters. */
export const LATEST = 'LATEST';
/** Longest `dailySeries`, in days (inclusive). */
export const MAX_SERIES_DAYS = 366;
/** Days are calendar days in China Standard Time, the time every province reports in. */
const TIME_ZONE = 'Asia/Shanghai';
const DAY_MS = 86_400_000;

/** Today as YYYY-MM-DD in China Standard Time. */
export function todayInChina(now: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/**
 * Rejects a day after today (China Standard Time): no totals exist for it yet.
 * @throws GraphQLError BAD_USER_INPUT
 */
export function assertNotFuture(day: string, field: string, today: string = todayInChina()): void {
  if (day > today)
    throw badInput(`${field}: ${day} is in the future (today is ${today} in China Standard Time)`, field);
}

/** Every day from `from` to `to`, inclusive (both YYYY-MM-DD, from ≤ to). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += DAY_MS)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * Validates a series range: from ≤ to, at most {@link MAX_SERIES_DAYS} days, not in the future.
 * @throws GraphQLError BAD_USER_INPUT naming the offending argument.
 */
export function assertSeriesRange(from: string, to: string, today: string = todayInChina()): void {
  if (from > to) throw badInput(`from: ${from} is after to: ${to}`, 'from');
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days > MAX_SERIES_DAYS)
    throw badInput(`to: a series covers at most ${MAX_SERIES_DAYS} days (asked for ${days})`, 'to');
  assertNotFuture(to, 'to', today);
}

/** `Query` fields naming summaries. */
export const summaryQueryResolvers = {
  /** `{ scope, day }` with CN for the nation and LATEST for the live counters. */
  summary: (_: unknown, args: { scope?: string | null; day?: string | null }): SummaryKey => {
    if (args.day) assertNotFuture(args.day, 'day');
    return { scope: args.scope ?? NATION, day: args.day ?? LATEST };
  },
  /** One Summary per day, oldest first. */
  dailySeries: (_: unknown, args: { scope?: string | null; from: string; to: string }): SummaryKey[] => {
    assertSeriesRange(args.from, args.to);
    const scope = args.scope ?? NATION;
    return daysBetween(args.from, args.to).map((day) => ({ scope, day }));
  },
};

/** The `Summary` entity as the national subgraph knows it. */
export const summaryTypeResolvers = {
  /** Any key names a Summary; the parts are resolved by the province subgraphs. */
  __resolveReference: (ref: Partial<SummaryKey>): SummaryKey | null =>
    typeof ref.scope === 'string' && typeof ref.day === 'string' ? { scope: ref.scope, day: ref.day } : null,
  /** The scope's region, or null for the nation (and for a scope that names no region). */
  region: (summary: SummaryKey): DirectoryRegion | null =>
    summary.scope === NATION ? null : (lookupRegion(summary.scope) ?? null),
  /**
   * The same summary (same day) for every region one level below the scope, in code order: the 31
   * provinces of the mainland for the nation (see {@link childRegions}), the cities of a province,
   * the counties of a city, the townships of a county; none below a township (nor for a scope that
   * names no region). Only keys: the gateway fetches every child's parts in one `_entities` call per
   * province and logical subgraph, and a province reads all of them in one statement per part.
   */
  children: (summary: SummaryKey): SummaryKey[] => {
    const parent = summary.scope === NATION ? null : lookupRegion(summary.scope)?.code;
    if (parent === undefined) return [];
    return childRegions(parent)
      .map((region) => region.code)
      .sort()
      .map((scope) => ({ scope, day: summary.day }));
  },
};
