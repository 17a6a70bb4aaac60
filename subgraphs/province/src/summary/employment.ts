import type { ProvinceContext } from '../context.js';
import { partFigures } from './figures.js';
import type { Figures } from './metrics.js';
import type { SummaryScope } from './scope.js';

/** `EmploymentStats` of the contract. */
export interface EmploymentStats {
  enterprises: number;
  keyEnterprises: number;
  openings: number;
  filled: number;
  /** filled / openings; 0 when there are no openings. */
  fillRate: number;
  /** Job posts whose work is inside the scope. */
  jobPosts: number;
  /** Openings those posts offer. */
  jobOpenings: number;
}

/**
 * `EmploymentStats` from the counters of one key: enterprises located under it, the key ones,
 * and the sums of their openings and filled openings. `fillRate` is this province's own ratio;
 * the gateway recomputes it from the summed `filled` and `openings` of every province (RATIO).
 */
export function employmentStatsFrom(figures: Figures): EmploymentStats {
  const openings = figures.get('openings');
  const filled = figures.get('filled');
  return {
    enterprises: figures.get('enterprises'),
    keyEnterprises: figures.get('keyEnterprises'),
    openings,
    filled,
    fillRate: openings > 0 ? filled / openings : 0,
    jobPosts: figures.get('jobPosts'),
    jobOpenings: figures.get('jobOpenings'),
  };
}

/** This province's enterprises inside the scope, as of the scope's day, from the counters. */
export async function employmentStats(ctx: ProvinceContext, scope: SummaryScope): Promise<EmploymentStats> {
  return employmentStatsFrom(await partFigures(ctx, 'employment', scope));
}
