/**
 * The hub as the summary property test believes it to be: every worker, trip and enterprise it
 * created through the gateway, with the state each mutation left them in, and the `Summary` that
 * state implies, recounted in TypeScript record by record (no SQL, no counters). Containment uses
 * the regions directory (`regionContains`), so "a scope is the region and everything inside it".
 */
import { NATION, regionContains } from '@p2p/schema';

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
    registered: number; atHome: number; travelling: number; atWork: number; priority: number;
    flow: { withinTownship: number; withinCounty: number; withinCity: number; withinProvince: number; crossProvince: number };
  };
  transport: {
    outbound: { trips: number; passengers: number }; inbound: { trips: number; passengers: number };
    internal: { trips: number; passengers: number }; byMode: { mode: string; trips: number; passengers: number }[];
  };
  employment: { enterprises: number; keyEnterprises: number; openings: number; filled: number; fillRate: number };
}

/** The GraphQL selection of the transport part. */
export const TRANSPORT_SELECTION =
  'transport { outbound { trips passengers } inbound { trips passengers } internal { trips passengers } byMode { mode trips passengers } }';

/** The GraphQL selection of {@link SummaryFigures}. */
export const SUMMARY_SELECTION = `scope day
  workers { registered atHome travelling atWork priority flow { withinTownship withinCounty withinCity withinProvince crossProvince } }
  ${TRANSPORT_SELECTION}
  employment { enterprises keyEnterprises openings filled fillRate }`;

/** Hebei's five flow classes, from the rule's words: township, county, city, province, else cross. */
export function flowClass(home: string, work: string): keyof SummaryFigures['workers']['flow'] {
  if (home.length === 9 && home === work) return 'withinTownship';
  if (home.slice(0, 6) === work.slice(0, 6)) return 'withinCounty';
  if (home.slice(0, 4) === work.slice(0, 4)) return 'withinCity';
  if (home.slice(0, 2) === work.slice(0, 2)) return 'withinProvince';
  return 'crossProvince';
}

/** Puts an answer in the comparable form: byMode by mode, fillRate to 9 decimals, no scope/day. */
export function normalise(answer: SummaryFigures): SummaryFigures {
  return {
    workers: answer.workers,
    transport: { ...answer.transport, byMode: [...answer.transport.byMode].sort((a, b) => a.mode.localeCompare(b.mode)) },
    employment: { ...answer.employment, fillRate: Math.round(answer.employment.fillRate * 1e9) / 1e9 },
  };
}

/** The figures of a scope with nothing in it. */
export function zeroFigures(): SummaryFigures {
  return expectedSummary(emptyModel(), NATION);
}

/** Recounts the Summary of `scope` (CN or a region code) over the model. */
export function expectedSummary(model: HubModel, scope: string): SummaryFigures {
  const inside = (code: string) => scope === NATION || regionContains(scope, code);
  const flow = { withinTownship: 0, withinCounty: 0, withinCity: 0, withinProvince: 0, crossProvince: 0 };
  const workers = { registered: 0, atHome: 0, travelling: 0, atWork: 0, priority: 0, flow };
  for (const w of model.workers.values()) {
    if (!inside(w.home)) continue;
    workers.registered++;
    if (w.status === 'AT_HOME') workers.atHome++;
    else if (w.status === 'TRAVELLING') workers.travelling++;
    else workers.atWork++;
    if (w.poverty === 'REGISTERED_POOR') workers.priority++;
    if (w.work) flow[flowClass(w.home, w.work)]++;
  }
  const count = () => ({ trips: 0, passengers: 0 });
  const transport = { outbound: count(), inbound: count(), internal: count(), byMode: [] as SummaryFigures['transport']['byMode'] };
  const modes = new Map<string, { trips: number; passengers: number }>();
  for (const t of model.trips.values()) {
    const from = inside(t.origin);
    const to = inside(t.destination);
    if (t.status === 'CANCELLED' || (!from && !to)) continue;
    const people = t.status === 'PLANNED' ? t.assigned.length : t.boarded.length;
    const direction = from && to ? transport.internal : from ? transport.outbound : transport.inbound;
    direction.trips++;
    direction.passengers += people;
    const mode = modes.get(t.mode) ?? count();
    mode.trips++;
    mode.passengers += people;
    modes.set(t.mode, mode);
  }
  transport.byMode = [...modes].map(([mode, c]) => ({ mode, ...c })).sort((a, b) => a.mode.localeCompare(b.mode));
  const employment = { enterprises: 0, keyEnterprises: 0, openings: 0, filled: 0, fillRate: 0 };
  for (const e of model.enterprises.values()) {
    if (!inside(e.region)) continue;
    employment.enterprises++;
    if (e.key) employment.keyEnterprises++;
    employment.openings += e.openings;
    employment.filled += e.filled;
  }
  employment.fillRate = employment.openings > 0 ? Math.round((employment.filled / employment.openings) * 1e9) / 1e9 : 0;
  return { workers, transport, employment };
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
