import type { ProvinceContext } from '../context.js';
import { partFigures } from './figures.js';
import { ratio, type Figures } from './metrics.js';
import type { SummaryScope } from './scope.js';

/** `EmploymentStats` of the contract. */
export interface EmploymentStats {
  enterprises: number;
  keyEnterprises: number;
  openings: number;
  filled: number;
  /** filled / openings; 0 when there are no openings. */
  fillRate: number;
  /** Openings of the key enterprises. */
  keyOpenings: number;
  /** Filled openings of the key enterprises. */
  keyFilled: number;
  /** keyFilled / keyOpenings; 0 when there are none. */
  keyFillRate: number;
  /** Job posts whose work is inside the scope. */
  jobPosts: number;
  /** Openings those posts offer. */
  jobOpenings: number;
}

/**
 * `EmploymentStats` from the counters of one key: enterprises located under it, the key ones,
 * and the sums of their openings and filled openings, of all and of the key ones (migration 0010).
 * `fillRate` and `keyFillRate` are this province's own ratios; the gateway recomputes them from
 * the summed `filled`/`openings` and `keyFilled`/`keyOpenings` of every province (RATIO).
 */
export function employmentStatsFrom(figures: Figures): EmploymentStats {
  const openings = figures.get('openings');
  const filled = figures.get('filled');
  const keyOpenings = figures.get('keyOpenings');
  const keyFilled = figures.get('keyFilled');
  return {
    enterprises: figures.get('enterprises'),
    keyEnterprises: figures.get('keyEnterprises'),
    openings,
    filled,
    fillRate: ratio(filled, openings),
    keyOpenings,
    keyFilled,
    keyFillRate: ratio(keyFilled, keyOpenings),
    jobPosts: figures.get('jobPosts'),
    jobOpenings: figures.get('jobOpenings'),
  };
}

/** This province's enterprises inside the scope, as of the scope's day, from the counters. */
export async function employmentStats(ctx: ProvinceContext, scope: SummaryScope): Promise<EmploymentStats> {
  return employmentStatsFrom(await partFigures(ctx, 'employment', scope));
}
