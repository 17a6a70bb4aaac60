import { CheckFailure, CheckSkipped } from '../check-failure.js';
import type { ConformanceCheck, KitContext } from '../check.js';
import type { Exchange } from '../check-failure.js';
import { walkProblems, type WalkedPage } from './pagination-walk.js';

/**
 * Keyset pagination is stable: pages of random sizes, each asked `after` the previous page's
 * `endCursor`, concatenate to exactly the sorted whole (one page with a large `first`).
 */

/** The largest `first` the contract allows: the "whole" page. */
const WHOLE_PAGE = 100;
/** Page sizes of a walk are drawn from 1..MAX_STEP. */
const MAX_STEP = 7;
/** The fewest records a walk means anything on. */
const FEWEST = 3;

/** A connection the kit walks: a root field of a logical subgraph, with its arguments. */
interface WalkedConnection {
  subgraph: 'workers' | 'transport';
  field: 'workers' | 'trips';
  /** The GraphQL type and name of the region argument. */
  argument: 'homeRegion' | 'origin';
  region: string;
}

function pageQuery(c: WalkedConnection): string {
  return `query KitPage($region: RegionCode!, $first: Int, $after: String) {
  ${c.field}(${c.argument}: $region, first: $first, after: $after) {
    totalCount
    edges { cursor node { id } }
    pageInfo { hasNextPage endCursor }
  }
}`;
}

async function page(
  kit: KitContext,
  c: WalkedConnection,
  first: number,
  after: string | null,
): Promise<{ page: WalkedPage; exchange: Exchange }> {
  const { data, exchange } = await kit.link.data(
    c.subgraph,
    pageQuery(c),
    { region: c.region, first, ...(after ? { after } : {}) },
    kit.callers.provinceOfficer,
  );
  const conn = data[c.field];
  const ids = (conn?.edges ?? []).map((e: { node?: { id?: unknown } }) => e?.node?.id);
  if (!Array.isArray(conn?.edges) || ids.some((id: unknown) => typeof id !== 'string') || !conn.pageInfo)
    throw new CheckFailure(`${c.field} must answer edges with node ids, pageInfo and totalCount`, exchange);
  return {
    page: {
      asked: first,
      ids,
      hasNextPage: conn.pageInfo.hasNextPage === true,
      endCursor: conn.pageInfo.endCursor ?? null,
      totalCount: conn.totalCount,
    },
    exchange,
  };
}

/**
 * Walks `c` with random page sizes and compares the walk with the whole page.
 * @throws CheckSkipped when it holds fewer than {@link FEWEST} records.
 * @returns the whole list's ids.
 */
async function walkAndCompare(kit: KitContext, c: WalkedConnection): Promise<string[]> {
  const whole = await page(kit, c, WHOLE_PAGE, null);
  const total = whole.page.totalCount;
  if (!Number.isInteger(total)) throw new CheckFailure(`${c.field} must answer totalCount`, whole.exchange);
  if (total < FEWEST) throw new CheckSkipped(`${c.field}(${c.argument}: ${c.region}) holds ${total} records`);
  const complete = total <= WHOLE_PAGE;
  const pages: WalkedPage[] = [];
  let after: string | null = null;
  let last = whole.exchange;
  let walked = 0;
  // Bounded: every page asks at least one record, and a runaway walk stops a page after the whole.
  while (pages.length <= whole.page.ids.length + 1) {
    const step = 1 + Math.floor(kit.random() * MAX_STEP);
    const next = await page(kit, c, step, after);
    pages.push(next.page);
    last = next.exchange;
    walked += next.page.ids.length;
    if (!next.page.hasNextPage || !next.page.endCursor || next.page.ids.length === 0) break;
    if (!complete && walked >= whole.page.ids.length) break;
    after = next.page.endCursor;
  }
  const problems = walkProblems(whole.page.ids, pages, complete, total);
  if (problems.length)
    throw new CheckFailure(
      `${c.field}(${c.argument}: ${c.region}) walked with first: ${pages.map((p) => p.asked).join(', ')} after each endCursor must give the whole sorted list once, no repeat, no gap: ${problems.join('; ')}`,
      last,
    );
  return [...whole.page.ids];
}

/** Workers the kit registers for the walk (not a multiple of a page size). */
const POPULATION = 23;

const keyset: ConformanceCheck = {
  id: 'pagination.keyset',
  title:
    "pages of random sizes over the kit's own workers concatenate to the sorted whole, no repeat, no gap",
  writes: true,
  async run(kit) {
    const workers = await kit.records.population(POPULATION);
    const whole = await walkAndCompare(kit, {
      subgraph: 'workers',
      field: 'workers',
      argument: 'homeRegion',
      region: kit.regions.testCounty,
    });
    if (whole.length < WHOLE_PAGE) {
      const missing = workers.filter((w) => !whole.includes(w.id));
      if (missing.length)
        throw new CheckFailure(
          `workers(homeRegion: ${kit.regions.testCounty}) must list every worker homed there; missing ${missing.map((w) => w.id).join(', ')}`,
        );
    }
  },
};

const keysetRead: ConformanceCheck = {
  id: 'pagination.keyset-read',
  title: "pages of random sizes over the province's workers (or trips) concatenate to the sorted whole",
  writes: false,
  async run(kit) {
    try {
      await walkAndCompare(kit, {
        subgraph: 'workers',
        field: 'workers',
        argument: 'homeRegion',
        region: kit.province,
      });
    } catch (err) {
      if (!(err instanceof CheckSkipped)) throw err;
      await walkAndCompare(kit, {
        subgraph: 'transport',
        field: 'trips',
        argument: 'origin',
        region: kit.province,
      }).catch((e: unknown) => {
        throw e instanceof CheckSkipped
          ? new CheckSkipped(`fewer than ${FEWEST} workers and trips in province ${kit.province}`)
          : e;
      });
    }
  },
};

/** The pagination checks: the read first, then the one on the kit's own workers. */
export const PAGINATION_CHECKS: readonly ConformanceCheck[] = [keysetRead, keyset];
