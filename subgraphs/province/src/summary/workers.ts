import type { ProvinceContext } from '../context.js';
import { partFigures } from './figures.js';
import { ratio, type Figures } from './metrics.js';
import type { SummaryScope } from './scope.js';

/** The workers who have gone out: travelling, at work, or under observation at the receiving place. */
export function goneOut(travelling: number, atWork: number, underObservation: number): number {
  return travelling + atWork + underObservation;
}

/** `WorkerStats` of the contract. */
export interface WorkerStats {
  registered: number;
  atHome: number;
  travelling: number;
  atWork: number;
  /** Status OBSERVATION: under observation at the receiving place (his home counts him). */
  underObservation: number;
  priority: number;
  /** Have gone out: travelling + atWork + underObservation. */
  out: number;
  /** out / registered; 0 when none are registered. */
  outRate: number;
  flow: {
    withinTownship: number;
    withinCounty: number;
    withinCity: number;
    withinProvince: number;
    crossProvince: number;
  };
}

/**
 * `WorkerStats` from the counters of one key. What the counters hold (migration 0002,
 * `stat_worker_metrics`, 0009 for OBSERVATION): every worker whose home is under the key counts
 * as registered, under his status, as priority when his household is REGISTERED_POOR, and — once he has a work region —
 * in one flow class, comparing work with home region: the same township (home is a 9-digit
 * township and work is that township), else the same 6-digit code (county; for the townships of
 * a city without counties such as Dongguan 441900, the city), else the same 4-digit city, the same
 * province, or another province. `out` is derived, not counted: the workers who have gone out
 * are those travelling, at work, or under observation at the receiving place (a worker under
 * observation has left home: before #14 added OBSERVATION he was AT_WORK). `outRate` is this
 * province's own out / registered; the gateway recomputes it from the summed parts (RATIO).
 */
export function workerStatsFrom(figures: Figures): WorkerStats {
  const registered = figures.get('registered');
  const out = goneOut(figures.get('travelling'), figures.get('atWork'), figures.get('underObservation'));
  return {
    registered,
    atHome: figures.get('atHome'),
    travelling: figures.get('travelling'),
    atWork: figures.get('atWork'),
    underObservation: figures.get('underObservation'),
    priority: figures.get('priority'),
    out,
    outRate: ratio(out, registered),
    flow: {
      withinTownship: figures.get('withinTownship'),
      withinCounty: figures.get('withinCounty'),
      withinCity: figures.get('withinCity'),
      withinProvince: figures.get('withinProvince'),
      crossProvince: figures.get('crossProvince'),
    },
  };
}

/**
 * This province's workers whose home is inside the scope, as of the scope's day: one folded row
 * per counter plus the unfolded deltas, never a scan of `workers`.
 */
export async function workerStats(ctx: ProvinceContext, scope: SummaryScope): Promise<WorkerStats> {
  return workerStatsFrom(await partFigures(ctx, 'workers', scope));
}
