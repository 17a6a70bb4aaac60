import type { ProvinceContext } from '../context.js';
import type { TransportMode } from '../db/schema/index.js';
import { partFigures } from './figures.js';
import { tripMetric, TRANSPORT_MODES, type Figures, type TripQuantity } from './metrics.js';
import type { SummaryScope } from './scope.js';

/** Trips and the people on them. */
export interface TripCount {
  trips: number;
  passengers: number;
}

/** `TransportStats` of the contract. */
export interface TransportStats {
  outbound: TripCount;
  inbound: TripCount;
  internal: TripCount;
  byMode: (TripCount & { mode: TransportMode })[];
}

const zero = (): TripCount => ({ trips: 0, passengers: 0 });

/**
 * `TransportStats` from the counters of one key. Each trip this province organised (CANCELLED
 * ones excluded) counts under every key of its origin (`from`), every key of its destination
 * (`to`) and the keys both share (`within`), per mode; so relative to the scope:
 * internal = within, outbound = from − within, inbound = to − within (for CN every trip is
 * internal), and a mode's figures are from + to − within (trips with either end inside).
 * Passengers: those assigned while a trip is PLANNED, those who boarded once it departed.
 * `byMode` lists the modes with at least one such trip, BUS, FLIGHT, TRAIN.
 */
export function transportStatsFrom(figures: Figures): TransportStats {
  const stats: TransportStats = { outbound: zero(), inbound: zero(), internal: zero(), byMode: [] };
  for (const mode of TRANSPORT_MODES) {
    const modeCount = zero();
    for (const quantity of ['trips', 'passengers'] as const satisfies readonly TripQuantity[]) {
      const from = figures.get(tripMetric('from', quantity, mode));
      const to = figures.get(tripMetric('to', quantity, mode));
      const within = figures.get(tripMetric('within', quantity, mode));
      stats.internal[quantity] += within;
      stats.outbound[quantity] += from - within;
      stats.inbound[quantity] += to - within;
      modeCount[quantity] = from + to - within;
    }
    if (modeCount.trips > 0) stats.byMode.push({ mode, ...modeCount });
  }
  return stats;
}

/** This province's trips relative to the scope, as of the scope's day, from the counters. */
export async function transportStats(ctx: ProvinceContext, scope: SummaryScope): Promise<TransportStats> {
  return transportStatsFrom(await partFigures(ctx, 'transport', scope));
}
