/**
 * The hub as the summary property test believes it to be: every worker, trip and enterprise it
 * created through the gateway, with the state each mutation left them in, and the `Summary` that
 * state implies, recounted in TypeScript record by record (no SQL, no counters) by the provinces'
 * brute-force recount (`recountSummary`, containment from the regions directory), fed with the
 * model instead of database rows.
 */
import { recountSummary } from '@p2p/province/testing';
import { NATION } from '@p2p/schema';

/** A small seeded PRNG (mulberry32): the same seed gives the same scenario. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** `n` distinct elements (all when there are fewer), in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  }
}

/** A worker as the model holds him. */
export interface ModelWorker {
  id: string;
  home: string;
  work: string | null;
  status: 'AT_HOME' | 'TRAVELLING' | 'AT_WORK';
  poverty: 'NONE' | 'REGISTERED_POOR' | 'LIFTED';
  /** The PLANNED or DEPARTED trip he is on, if any. */
  activeTrip: string | null;
}

/** A trip as the model holds it. */
export interface ModelTrip {
  id: string;
  /** The region that organised it (its province owns the trip). */
  organizer: string;
  origin: string;
  destination: string;
  mode: 'BUS' | 'TRAIN' | 'FLIGHT';
  status: 'PLANNED' | 'DEPARTED' | 'ARRIVED' | 'HANDED_OVER' | 'CANCELLED';
  assigned: string[];
  boarded: string[];
}

/** An enterprise as the model holds it. */
export interface ModelEnterprise {
  id: string;
  region: string;
  key: boolean;
  openings: number;
  filled: number;
}

/** Everything the test created. */
export interface HubModel {
  workers: Map<string, ModelWorker>;
  trips: Map<string, ModelTrip>;
  enterprises: Map<string, ModelEnterprise>;
}

/** An empty model. */
export function emptyModel(): HubModel {
  return { workers: new Map(), trips: new Map(), enterprises: new Map() };
}

/** The answer of `summary` the contract promises (byMode sorted by mode, fillRate rounded). */
export interface SummaryFigures {
  workers: {
    registered: number;
    atHome: number;
    travelling: number;
    atWork: number;
    priority: number;
    flow: {
      withinTownship: number;
      withinCounty: number;
      withinCity: number;
      withinProvince: number;
      crossProvince: number;
    };
  };
  transport: {
    outbound: { trips: number; passengers: number };
    inbound: { trips: number; passengers: number };
    internal: { trips: number; passengers: number };
    byMode: { mode: string; trips: number; passengers: number }[];
  };
  employment: {
    enterprises: number;
    keyEnterprises: number;
    openings: number;
    filled: number;
    fillRate: number;
  };
}

/** The GraphQL selection of the transport part. */
export const TRANSPORT_SELECTION =
  'transport { outbound { trips passengers } inbound { trips passengers } internal { trips passengers } byMode { mode trips passengers } }';

/** The GraphQL selection of {@link SummaryFigures}. */
export const SUMMARY_SELECTION = `scope day
  workers { registered atHome travelling atWork priority flow { withinTownship withinCounty withinCity withinProvince crossProvince } }
  ${TRANSPORT_SELECTION}
  employment { enterprises keyEnterprises openings filled fillRate }`;

/** Puts an answer in the comparable form: byMode by mode, fillRate to 9 decimals, no scope/day. */
export function normalise(answer: SummaryFigures): SummaryFigures {
  return {
    workers: answer.workers,
    transport: {
      ...answer.transport,
      byMode: [...answer.transport.byMode].sort((a, b) => a.mode.localeCompare(b.mode)),
    },
    employment: { ...answer.employment, fillRate: Math.round(answer.employment.fillRate * 1e9) / 1e9 },
  };
}

/** The figures of a scope with nothing in it. */
export function zeroFigures(): SummaryFigures {
  return expectedSummary(emptyModel(), NATION);
}

/** Recounts the Summary of `scope` (CN or a region code) over the model, in the comparable form. */
export function expectedSummary(model: HubModel, scope: string): SummaryFigures {
  const trips = [...model.trips.values()];
  return normalise(
    recountSummary(
      {
        workers: [...model.workers.values()].map((w) => ({
          homeRegion: w.home,
          workRegion: w.work,
          status: w.status,
          povertyStatus: w.poverty,
        })),
        trips: trips.map(({ id, origin, destination, mode, status }) => ({
          id,
          origin,
          destination,
          mode,
          status,
        })),
        passengers: trips.flatMap((t) =>
          t.assigned.map((worker) => ({ tripId: t.id, boarded: t.boarded.includes(worker) })),
        ),
        enterprises: [...model.enterprises.values()],
      },
      scope,
    ),
  );
}

/** Every region code the model's records name (homes, work places, trip ends, enterprises). */
export function regionsInModel(model: HubModel): Set<string> {
  const codes = new Set<string>();
  for (const w of model.workers.values()) {
    codes.add(w.home);
    if (w.work) codes.add(w.work);
  }
  for (const t of model.trips.values()) codes.add(t.origin).add(t.destination);
  for (const e of model.enterprises.values()) codes.add(e.region);
  return codes;
}
