import { sql } from 'drizzle-orm';
import type { Executor } from '../db/database.js';
import { workers } from '../db/schema/index.js';
import { insideRegion } from '../pagination.js';
import type { SummaryScope } from './scope.js';

/** `WorkerStats` of the contract. */
export interface WorkerStats {
  registered: number;
  atHome: number;
  travelling: number;
  atWork: number;
  priority: number;
  flow: { withinTownship: number; withinCounty: number; withinCity: number; withinProvince: number; crossProvince: number };
}

const home = workers.homeRegion;
const work = workers.workRegion;
/** Hebei's five flow classes, comparing the work region with the home region; null without work region. */
const flowClass = sql`CASE
  WHEN ${work} IS NULL THEN NULL
  WHEN length(${home}) = 9 AND ${home} = ${work} THEN 'township'
  WHEN left(${home}, 6) = left(${work}, 6) THEN 'county'
  WHEN left(${home}, 4) = left(${work}, 4) THEN 'city'
  WHEN left(${home}, 2) = left(${work}, 2) THEN 'province'
  ELSE 'cross' END`;

const countWhere = (condition: ReturnType<typeof sql>) => sql<number>`count(*) FILTER (WHERE ${condition})`.mapWith(Number);

/**
 * Statistics of this province's workers whose home is inside the scope, in one COUNT query.
 * (Straightforward COUNTs for now; to be replaced by O(1) counters.)
 */
export async function workerStats(db: Executor, scope: SummaryScope): Promise<WorkerStats> {
  const [row] = await db
    .select({
      registered: sql<number>`count(*)`.mapWith(Number),
      atHome: countWhere(sql`${workers.status} = 'AT_HOME'`),
      travelling: countWhere(sql`${workers.status} = 'TRAVELLING'`),
      atWork: countWhere(sql`${workers.status} = 'AT_WORK'`),
      priority: countWhere(sql`${workers.povertyStatus} = 'REGISTERED_POOR'`),
      withinTownship: countWhere(sql`${flowClass} = 'township'`),
      withinCounty: countWhere(sql`${flowClass} = 'county'`),
      withinCity: countWhere(sql`${flowClass} = 'city'`),
      withinProvince: countWhere(sql`${flowClass} = 'province'`),
      crossProvince: countWhere(sql`${flowClass} = 'cross'`),
    })
    .from(workers)
    .where(insideRegion(home, scope.prefix));
  const r = row!;
  return {
    registered: r.registered,
    atHome: r.atHome,
    travelling: r.travelling,
    atWork: r.atWork,
    priority: r.priority,
    flow: { withinTownship: r.withinTownship, withinCounty: r.withinCounty, withinCity: r.withinCity, withinProvince: r.withinProvince, crossProvince: r.crossProvince },
  };
}
