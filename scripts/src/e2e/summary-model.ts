/**
 * The hub as the summary property test believes it to be: every worker, trip, enterprise and
 * observation it created through the gateway, with the state each mutation left them in, and the `Summary` that
 * state implies, recounted in TypeScript record by record (no SQL, no counters) by the provinces'
 * brute-force recount (`recountSummary`, containment from the regions directory), fed with the
 * model instead of database rows.
 */
import { recountSummary, type RecountedSummary } from '@p2p/province/testing';
import { NATION } from '@p2p/schema';

/** The seeded PRNG of the property tests (shared with the province's own). */
export { Random } from '@p2p/province/testing';

/** A worker as the model holds him. */
export interface ModelWorker {
  id: string;
  home: string;
  work: string | null;
  status: 'AT_HOME' | 'TRAVELLING' | 'AT_WORK' | 'OBSERVATION';
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
  /** Shared by several trips, of one or several organising provinces. */
  vehicleCode: string;
  status: 'PLANNED' | 'DEPARTED' | 'ARRIVED' | 'HANDED_OVER' | 'CANCELLED';
  assigned: string[];
  boarded: string[];
  /** Passengers the boarding gate refused, with the reason (FEVER, HEALTH_CODE, NO_HEALTH_RECORD, ABSENT). */
  refused?: Record<string, string>;
  /** Passengers whose stop is not the destination, with their stop. */
  alightAt?: Record<string, string>;
  /** Passengers whose arrival check found a fever. */
  arrivalFevers?: string[];
}

/** An observation as the model holds it (kept by the province where it happens). */
export interface ModelObservation {
  id: string;
  region: string;
  active: boolean;
  outcome: 'RELEASED' | 'TRANSFERRED_TO_HOSPITAL' | null;
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
  observations: Map<string, ModelObservation>;
}

/** An empty model. */
export function emptyModel(): HubModel {
  return { workers: new Map(), trips: new Map(), enterprises: new Map(), observations: new Map() };
}

/** The answer of `summary` the contract promises (byMode sorted by mode, rates rounded). */
export type SummaryFigures = RecountedSummary;

/** The transport figures but the corridors. */
const TRANSPORT_FIGURES =
  'outbound { trips passengers moved { trips passengers } } inbound { trips passengers moved { trips passengers } } internal { trips passengers moved { trips passengers } } byMode { mode trips passengers moved { trips passengers } vehicles } vehicles';

/** The corridors between provinces (contract 1.2). */
const CORRIDORS =
  'corridors { key origin { code } destination { code } trips passengers moved { trips passengers } }';

/** The GraphQL selection of the transport part. */
export const TRANSPORT_SELECTION = `transport { ${TRANSPORT_FIGURES} ${CORRIDORS} }`;

/** The GraphQL selection of the health part (the statistics of safety). */
export const HEALTH_SELECTION =
  'health { boardingRefused { fever healthCode } feverAtArrival underObservation released }';

/** A Summary's selection with the given transport part. */
const summarySelection = (transport: string) => `scope day
  workers { registered atHome travelling atWork underObservation priority out outRate flow { withinTownship withinCounty withinCity withinProvince crossProvince } }
  ${transport}
  employment { enterprises keyEnterprises openings filled fillRate keyOpenings keyFilled keyFillRate jobPosts jobOpenings }
  ${HEALTH_SELECTION}`;

/** The GraphQL selection of {@link SummaryFigures}. */
export const SUMMARY_SELECTION = summarySelection(TRANSPORT_SELECTION);

/**
 * The selection of each of `Summary.children`: every figure but the corridors, whose assumed 961
 * entries per child would put a request for all the children of a scope over the cost limit.
 */
export const CHILD_SUMMARY_SELECTION = summarySelection(`transport { ${TRANSPORT_FIGURES} }`);

/** Figures without the corridors, to compare with an answer to {@link CHILD_SUMMARY_SELECTION}. */
export function withoutCorridors(figures: SummaryFigures): unknown {
  const { corridors: _, ...transport } = figures.transport;
  return { ...figures, transport };
}

/** A rate rounded to 9 decimals (the gateway's ratio of sums and the recount's may differ in the last bit). */
const nine = (rate: number) => Math.round(rate * 1e9) / 1e9;

/** Puts an answer in the comparable form: byMode by mode, rates to 9 decimals, no scope/day. */
export function normalise(answer: SummaryFigures): SummaryFigures {
  return {
    workers: { ...answer.workers, outRate: nine(answer.workers.outRate) },
    transport: {
      ...answer.transport,
      byMode: [...answer.transport.byMode].sort((a, b) => a.mode.localeCompare(b.mode)),
    },
    employment: {
      ...answer.employment,
      fillRate: nine(answer.employment.fillRate),
      keyFillRate: nine(answer.employment.keyFillRate),
    },
    health: answer.health,
  };
}

/** The figures of a scope with nothing in it. */
export function zeroFigures(): SummaryFigures {
  return expectedSummary(emptyModel(), NATION);
}

/**
 * Recounts the Summary of `scope` (CN or a region code) over the model, in the comparable form.
 * Distinct vehicles are counted by each organising province over its own trips and summed (a
 * vehicle serving two provinces counts in both, DESIGN.md "Totals").
 */
export function expectedSummary(model: HubModel, scope: string): SummaryFigures {
  const summary = recountModel(model, scope);
  const provinces = new Set([...model.trips.values()].map((t) => t.organizer.slice(0, 2)));
  const perProvince = [...provinces].map(
    (province) =>
      recountModel(
        { ...model, trips: new Map([...model.trips].filter(([, t]) => t.organizer.startsWith(province))) },
        scope,
      ).transport,
  );
  summary.transport.vehicles = perProvince.reduce((sum, t) => sum + t.vehicles, 0);
  for (const mode of summary.transport.byMode)
    mode.vehicles = perProvince.reduce(
      (sum, t) => sum + (t.byMode.find((m) => m.mode === mode.mode)?.vehicles ?? 0),
      0,
    );
  return summary;
}

/** {@link recountSummary} over the model's records. */
function recountModel(model: HubModel, scope: string): SummaryFigures {
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
        trips: trips.map(({ id, origin, destination, mode, status, vehicleCode }) => ({
          id,
          origin,
          destination,
          mode,
          status,
          vehicleCode,
        })),
        passengers: trips.flatMap((t) =>
          t.assigned.map((worker) => ({
            tripId: t.id,
            boarded: t.boarded.includes(worker),
            refusal: t.refused?.[worker] ?? null,
            alightAt: t.alightAt?.[worker] ?? null,
            arrivalFever: t.arrivalFevers?.includes(worker) ?? false,
          })),
        ),
        enterprises: [...model.enterprises.values()],
        observations: [...model.observations.values()].map((o) => ({
          region: o.region,
          endedAt: o.active ? null : new Date(0),
          outcome: o.outcome,
        })),
        // the scenario posts no jobs (#15: recruitment.e2e.test.ts)
        jobPosts: [],
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
  for (const t of model.trips.values()) for (const stop of Object.values(t.alightAt ?? {})) codes.add(stop);
  for (const o of model.observations.values()) codes.add(o.region);
  return codes;
}
