/**
 * Trip desks: officers who run cross-province bus trips through the gateway, one trip after the
 * other, so RELAY events flow between every pair of provinces. Each desk belongs to one organising
 * province and runs a trip's whole life: planTrip (from one of its counties to a receiving city's
 * county), assignPassengers (its own travellers and as many of every other province's), departTrip
 * (all board), confirmArrival with the hand-over (the destination's officer). Every step but the
 * plan tells each other home province a TRIP fact (ASSIGNED, DEPARTED, ARRIVED + HANDED_OVER), so a
 * trip makes 4 RELAY events per other province; and each home, applying ASSIGNED, relays a
 * HEALTH_COPY of each of its travellers' records to the organiser (#14), one event per traveller.
 * The boarding gate judges other provinces' passengers on those copies, so before departing the
 * desk waits until the organiser holds them (`awaitCopies`). The time each step's answer came back
 * is kept: the source's commit happened before it.
 */
import type { GraphQLClient, Operation } from './graphql-client.js';
import { LatencyRecorder } from './latency.js';
import { emptyLoadResult, recordOutcome, type LoadResult } from './load-generator.js';
import * as op from './operations.js';
import { provinceGeography, receivingCounty } from './geography.js';
import { Random } from './people.js';

/** The mutation whose answer stands for a TRIP fact event (ARRIVED and HANDED_OVER share one). */
export const MUTATION_OF_EVENT: Readonly<Record<string, string>> = {
  ASSIGNED: 'assignPassengers',
  DEPARTED: 'departTrip',
  ARRIVED: 'confirmArrival',
  HANDED_OVER: 'confirmArrival',
};

/** The key of a trip step in {@link TripDeskResult.answeredAt}. */
export const stepKey = (tripId: string, mutation: string) => `${tripId} ${mutation}`;

/**
 * RELAY events one trip makes: 4 TRIP facts (ASSIGNED, DEPARTED, ARRIVED, HANDED_OVER) per other
 * province, and a HEALTH_COPY per traveller of another province (`perProvince` of each).
 */
export const relayEventsPerTrip = (provinces: number, perProvince: number) =>
  (4 + perProvince) * (provinces - 1);

/**
 * Workers ready to travel, per home province, handed out round-robin: a worker comes round again
 * only after the whole pool did, long after his last trip was handed over (the pool must hold more
 * than the trips in flight at once take).
 */
export class TravellerPool {
  private readonly next = new Map<string, number>();

  /** @param travellers worker ids by home province */
  constructor(private readonly travellers: ReadonlyMap<string, readonly string[]>) {}

  /** The next `n` travellers of `province`. */
  take(province: string, n: number): string[] {
    const pool = this.travellers.get(province);
    if (!pool || pool.length < n) throw new Error(`province ${province} has fewer than ${n} travellers`);
    const start = this.next.get(province) ?? 0;
    this.next.set(province, (start + n) % pool.length);
    return Array.from({ length: n }, (_, i) => pool[(start + i) % pool.length]!);
  }
}

/** Options of {@link runTripDesks}. */
export interface TripDeskOptions {
  /** The organising provinces (one or more desks each); every province's travellers ride. */
  provinces: readonly string[];
  /** The travellers: one pool, or one per organising province. */
  pool: TravellerPool | ReadonlyMap<string, TravellerPool>;
  /** Travellers of each province (the organiser's own included) per trip. */
  perProvince: number;
  /** Desks per province, each one trip at a time. @default 1 */
  desksPerProvince?: number;
  /** No trip starts after this (epoch ms). */
  until: number;
  /** No trip starts once this many have started, in all. @default unlimited */
  maxTrips?: number;
  /** Seed of the desks' random choices. @default 1 */
  seed?: number;
  /**
   * After the assignment (answered; `sentAt` is when it was sent), resolves true once the
   * organiser holds the health copies of the travellers of other provinces, false when it gave
   * up (the trip is then cancelled). @default none: depart at once
   */
  awaitCopies?: (organizer: string, workerIds: readonly string[], sentAt: number) => Promise<boolean>;
}

/** What the desks did. */
export interface TripDeskResult {
  /** Every trip mutation, per operation name. */
  load: LoadResult;
  /** Trips handed over (their whole life went through). */
  tripsCompleted: number;
  /** Trips whose boarding gate refused someone (CANCELLED when it refused everybody). */
  tripsRefused: number;
  /** Trips cancelled because the copies did not come in time. */
  copiesMissing: number;
  /** Time from the assignment's answer until the organiser held the copies (ms). */
  copyWait: LatencyRecorder;
  /** When each step's answer came back, by {@link stepKey} (epoch ms). */
  answeredAt: Map<string, number>;
  /** When the first step was sent and the last answer came back (epoch ms). */
  startedAt: number;
  endedAt: number;
}

/** Runs the desks until `until` or `maxTrips` (see the module comment). */
export async function runTripDesks(client: GraphQLClient, options: TripDeskOptions): Promise<TripDeskResult> {
  const load = emptyLoadResult();
  const answeredAt = new Map<string, number>();
  const startedAt = Date.now();
  let started = 0;
  let completed = 0;
  let refusedTrips = 0;
  let copiesMissing = 0;
  const copyWait = new LatencyRecorder();
  const send = async (operation: Operation) => {
    const sent = performance.now();
    const outcome = await client.send(operation);
    recordOutcome(load, operation, outcome, performance.now() - sent);
    return outcome;
  };

  const desk = async (organizer: string, seed: number) => {
    const random = new Random(seed);
    const pool = options.pool instanceof TravellerPool ? options.pool : options.pool.get(organizer);
    if (!pool) throw new Error(`no traveller pool for organiser ${organizer}`);
    const counties = provinceGeography(organizer).counties;
    while (Date.now() < options.until && started < (options.maxTrips ?? Number.POSITIVE_INFINITY)) {
      const serial = ++started;
      const passengers = options.provinces.flatMap((home) => pool.take(home, options.perProvince));
      const destination = receivingCounty(random);
      const planned = await send(
        op.planTrip({
          organizer,
          vehicleCode: `BUS-${organizer.slice(0, 2)}-${serial}`,
          origin: random.pick(counties),
          destination,
          capacity: passengers.length,
        }),
      );
      const tripId = (planned.body?.data as { planTrip?: { id: string } } | undefined)?.planTrip?.id;
      if (planned.error || !tripId) continue;
      const foreign = passengers.filter((id) => id.slice(1, 3) !== organizer.slice(0, 2));
      const steps: [string, Operation][] = [
        ['assignPassengers', op.assignPassengers(organizer, tripId, passengers)],
        ['departTrip', op.departTrip(organizer, tripId, passengers)],
        ['confirmArrival', op.confirmArrival(tripId, destination, passengers.length)],
      ];
      let failed = false;
      let cancelled = false;
      for (const [mutation, operation] of steps) {
        const sentAt = Date.now();
        const outcome = await send(operation);
        if (outcome.error) {
          failed = true;
          break;
        }
        answeredAt.set(stepKey(tripId, mutation), Date.now());
        if (mutation === 'assignPassengers' && options.awaitCopies) {
          const answered = performance.now();
          const held = await options.awaitCopies(organizer, foreign, sentAt);
          copyWait.record(performance.now() - answered);
          if (!held) {
            copiesMissing++;
            failed = true;
            break;
          }
        }
        if (mutation === 'departTrip') {
          const trip = (
            outcome.body?.data as
              | { departTrip?: { status: string; stops: { expected: number }[] } }
              | undefined
          )?.departTrip;
          const boarded = trip?.stops.reduce((n, s) => n + s.expected, 0) ?? 0;
          if (boarded < passengers.length) refusedTrips++;
          if (trip?.status !== 'DEPARTED') {
            failed = cancelled = true;
            break;
          }
        }
      }
      // A trip left half-way holds its passengers: cancel it, so the pool may hand them out again.
      if (failed && !cancelled) await send(op.cancelTrip(organizer, tripId, 'benchmark step failed'));
      else completed++;
    }
  };
  const desks = options.desksPerProvince ?? 1;
  await Promise.all(
    options.provinces.flatMap((organizer, p) =>
      Array.from({ length: desks }, (_, d) => desk(organizer, (options.seed ?? 1) * 7919 + p * 101 + d)),
    ),
  );
  const endedAt = Date.now();
  load.elapsedMs = endedAt - startedAt;
  return {
    load,
    tripsCompleted: completed,
    tripsRefused: refusedTrips,
    copiesMissing,
    copyWait,
    answeredAt,
    startedAt,
    endedAt,
  };
}
