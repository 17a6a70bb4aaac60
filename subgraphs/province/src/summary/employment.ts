import { sql } from 'drizzle-orm';
import type { Executor } from '../db/database.js';
import { enterprises } from '../db/schema/index.js';
import { insideRegion } from '../pagination.js';
import type { SummaryScope } from './scope.js';

/** `EmploymentStats` of the contract. */
export interface EmploymentStats {
  enterprises: number;
  keyEnterprises: number;
  openings: number;
  filled: number;
  /** filled / openings; 0 when there are no openings. */
  fillRate: number;
}

/** Statistics of this province's enterprises inside the scope, in one query (COUNT/SUM for now). */
export async function employmentStats(db: Executor, scope: SummaryScope): Promise<EmploymentStats> {
  const [row] = await db
    .select({
      enterprises: sql<number>`count(*)`.mapWith(Number),
      keyEnterprises: sql<number>`count(*) FILTER (WHERE ${enterprises.key})`.mapWith(Number),
      openings: sql<number>`coalesce(sum(${enterprises.openings}), 0)`.mapWith(Number),
      filled: sql<number>`coalesce(sum(${enterprises.filled}), 0)`.mapWith(Number),
    })
    .from(enterprises)
    .where(insideRegion(enterprises.region, scope.prefix));
  const r = row!;
  return { ...r, fillRate: r.openings > 0 ? r.filled / r.openings : 0 };
}
