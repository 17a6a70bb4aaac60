import type { ProvinceContext } from '../context.js';
import type { TransportMode } from '../db/schema/index.js';
import { partFigures } from './figures.js';
import {
  tripMetric,
  vehicleMetric,
  TRANSPORT_MODES,
  TRIP_QUANTITIES,
  type Figures,
  type TripQuantity,
} from './metrics.js';
import type { SummaryScope } from './scope.js';

/** Trips and the people on them: planned and moved (not CANCELLED), and those that moved. */
export interface TripCount {
  trips: number;
  passengers: number;
  /** Departed or later (DEPARTED, ARRIVED, HANDED_OVER), boarded passengers only. */
  moved: MovedCount;
}

/** `MovedCount` of the contract: "have been transported". */
export interface MovedCount {
  trips: number;
  passengers: number;
}

/** `ModeCount` of the contract. */
export interface ModeCount {
  mode: TransportMode;
  trips: number;
  passengers: number;
  moved: MovedCount;
  /** Distinct vehicles of the mode (migration 0012). */
  vehicles: number;
}

/** `TransportStats` of the contract. */
export interface TransportStats {
  outbound: TripCount;
  inbound: TripCount;
  internal: TripCount;
  byMode: ModeCount[];
  /** Distinct vehicles (mode and vehicle code), the sum over the modes (migration 0012). */
  vehicles: number;
}

const zero = (): TripCount => ({ trips: 0, passengers: 0, moved: { trips: 0, passengers: 0 } });

/**
 * `TransportStats` from the counters of one key. Each trip this province organised (CANCELLED
 * ones excluded) counts under every key of its origin (`from`), every key of its destination
 * (`to`) and the keys both share (`within`), per mode; so relative to the scope:
 * internal = within, outbound = from − within, inbound = to − within (for CN every trip is
 * internal), and a mode's figures are from + to − within (trips with either end inside).
 * Passengers: those assigned while a trip is PLANNED, those who boarded once it departed.
 * `moved` (migration 0009), by the same sides: the trips DEPARTED, ARRIVED or HANDED_OVER and
 * the passengers who boarded them ("have been transported", kept apart from "planned to
 * organise"). `byMode` lists the modes with at least one trip, BUS, FLIGHT, TRAIN, each with its
 * moved trips and passengers (from + to − within) and its distinct vehicles; `vehicles` (migration
 * 0012) is their sum: the distinct vehicles (mode and code) of the trips not CANCELLED with either
 * end inside the scope, counted by this province for its own trips.
 */
export function transportStatsFrom(figures: Figures): TransportStats {
  const stats: TransportStats = {
    outbound: zero(),
    inbound: zero(),
    internal: zero(),
    byMode: [],
    vehicles: 0,
  };
  const add = (count: TripCount, quantity: TripQuantity, value: number) => {
    if (quantity === 'movedTrips') count.moved.trips += value;
    else if (quantity === 'movedPassengers') count.moved.passengers += value;
    else count[quantity] += value;
  };
  for (const mode of TRANSPORT_MODES) {
    const modeCount: ModeCount = {
      mode,
      trips: 0,
      passengers: 0,
      moved: { trips: 0, passengers: 0 },
      vehicles: figures.get(vehicleMetric(mode)),
    };
    const mine = zero();
    for (const quantity of TRIP_QUANTITIES) {
      const from = figures.get(tripMetric('from', quantity, mode));
      const to = figures.get(tripMetric('to', quantity, mode));
      const within = figures.get(tripMetric('within', quantity, mode));
      add(stats.internal, quantity, within);
      add(stats.outbound, quantity, from - within);
      add(stats.inbound, quantity, to - within);
      add(mine, quantity, from + to - within);
    }
    Object.assign(modeCount, { trips: mine.trips, passengers: mine.passengers, moved: mine.moved });
    stats.vehicles += modeCount.vehicles;
    if (modeCount.trips > 0) stats.byMode.push(modeCount);
  }
  return stats;
}

/** `TransportStats` with the scope it is of, from which `TransportStats.corridors` reads its own counters. */
export interface ScopedTransportStats extends TransportStats {
  scope: SummaryScope;
}

/** This province's trips relative to the scope, as of the scope's day, from the counters. */
export async function transportStats(
  ctx: ProvinceContext,
  scope: SummaryScope,
): Promise<ScopedTransportStats> {
  return { ...transportStatsFrom(await partFigures(ctx, 'transport', scope)), scope };
}
