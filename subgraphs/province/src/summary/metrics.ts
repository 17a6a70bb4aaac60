import type { StatisticsPart, TransportMode } from '../db/schema/index.js';

/**
 * The names of the counters, as the triggers of migrations 0002, 0009, 0010, 0012 and 0014 write them in `stat_delta.metric`.
 * A name here and in the SQL must match; the counter tests compare every figure with a recount.
 */

/** Counters of the `workers` part: status, priority group and Hebei's five flow classes. */
export const WORKER_METRICS = [
  'registered',
  'atHome',
  'travelling',
  'atWork',
  'underObservation',
  'priority',
  'withinTownship',
  'withinCounty',
  'withinCity',
  'withinProvince',
  'crossProvince',
] as const;

/** A counter of the `workers` part. */
export type WorkerMetric = (typeof WORKER_METRICS)[number];

/**
 * Counters of the `employment` part (enterprises located inside the key); migration 0010 adds the
 * openings and filled openings of the key ones.
 */
export const EMPLOYMENT_METRICS = [
  'enterprises',
  'keyEnterprises',
  'openings',
  'filled',
  'keyOpenings',
  'keyFilled',
  // job posts whose work is inside the key, and the openings they offer (migration 0011)
  'jobPosts',
  'jobOpenings',
] as const;

/** A counter of the `employment` part. */
export type EmploymentMetric = (typeof EMPLOYMENT_METRICS)[number];

/** Every transport mode, in the order `byMode` lists them. */
export const TRANSPORT_MODES: readonly TransportMode[] = ['BUS', 'FLIGHT', 'TRAIN'];

/**
 * Where a trip is relative to a counter key: its origin is inside (`from`), its destination is
 * inside (`to`), or both are (`within`). A trip counts under every key of its origin and of its
 * destination, and under `within` for the keys they share.
 */
export type TripSide = 'from' | 'to' | 'within';

/**
 * What a transport counter counts: trips (not CANCELLED) and the people on them (assigned while
 * PLANNED, boarded once departed), or — migration 0009 — the trips that moved (DEPARTED, ARRIVED,
 * HANDED_OVER) and the people who boarded them.
 */
export type TripQuantity = 'trips' | 'passengers' | 'movedTrips' | 'movedPassengers';

/** Every {@link TripQuantity}. */
export const TRIP_QUANTITIES: readonly TripQuantity[] = [
  'trips',
  'passengers',
  'movedTrips',
  'movedPassengers',
];

/** The name of a transport counter, e.g. `from.passengers.BUS`, `within.movedTrips.TRAIN`. */
export function tripMetric(side: TripSide, quantity: TripQuantity, mode: TransportMode): string {
  return `${side}.${quantity}.${mode}`;
}

/**
 * The name of the distinct-vehicle counter of a mode (migration 0012), e.g. `vehicles.BUS`:
 * vehicles of trips not CANCELLED whose origin or destination is inside the key.
 */
export function vehicleMetric(mode: TransportMode): string {
  return `vehicles.${mode}`;
}

/**
 * The first part of every corridor counter's name (migration 0014): the corridors are read by this
 * prefix (`readCorridorFigures`), not listed in {@link TRANSPORT_METRICS}.
 */
export const CORRIDOR_METRIC_PREFIX = 'corridor.';

/**
 * The name of a corridor counter (migration 0014), e.g. `corridor.41.11.trips`: the trips from
 * province `41` to province `11` (2-digit prefixes) and the people on them, under every key of
 * either end, by the rules of the {@link TripQuantity}; none for a trip inside one province.
 */
export function corridorMetric(origin: string, destination: string, quantity: TripQuantity): string {
  return `${CORRIDOR_METRIC_PREFIX}${origin.slice(0, 2)}.${destination.slice(0, 2)}.${quantity}`;
}

/** Counters of the `transport` part: side × quantity × mode, and vehicles per mode. */
export const TRANSPORT_METRICS: readonly string[] = TRANSPORT_MODES.flatMap((mode) => [
  ...(['from', 'to', 'within'] as const).flatMap((side) =>
    TRIP_QUANTITIES.map((quantity) => tripMetric(side, quantity, mode)),
  ),
  vehicleMetric(mode),
]);

/**
 * Counters of the `health` part (migration 0009): refusals at the boarding gates of trips whose
 * origin is inside the key (FEVER; HEALTH_CODE and NO_HEALTH_RECORD), fevers found by arrival
 * checks at stops inside the key, observations inside the key not ended and ended RELEASED.
 */
export const HEALTH_METRICS = [
  'boardingRefused.fever',
  'boardingRefused.healthCode',
  'feverAtArrival',
  'underObservation',
  'released',
] as const;

/** A counter of the `health` part. */
export type HealthMetric = (typeof HEALTH_METRICS)[number];

/** The counters each part reads. */
export const PART_METRICS: Readonly<Record<StatisticsPart, readonly string[]>> = {
  workers: WORKER_METRICS,
  employment: EMPLOYMENT_METRICS,
  transport: TRANSPORT_METRICS,
  health: HEALTH_METRICS,
};

/** Values of counters by name; a counter never written reads 0. */
export class Figures {
  constructor(private readonly values: ReadonlyMap<string, number>) {}

  /** The value of counter `metric` (0 when it has none). */
  get(metric: string): number {
    return this.values.get(metric) ?? 0;
  }

  /** Every counter read, with its value. */
  entries(): IterableIterator<[string, number]> {
    return this.values.entries();
  }
}
/** part / whole, 0 when whole is 0: a province's own ratio (the gateway recomputes it from sums). */
export function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}
