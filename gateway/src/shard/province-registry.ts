import type { GraphQLSchema } from 'graphql';
import type { ConformanceVerdict } from '../health/conformance-verdict.js';

/** What the gateway last learned about a province. */
export type ProvinceStatus = 'unknown' | 'up' | 'down' | 'incompatible';

/** The state of one province, as `/health` shows it. */
export interface ProvinceState {
  /** Six-digit GB/T 2260 province code, e.g. 450000. */
  code: string;
  baseUrl: string;
  status: ProvinceStatus;
  /** ISO time of the last health check. */
  checkedAt: string | null;
  /** Duration of the last health check in milliseconds. */
  latencyMs: number | null;
  /** Why the province is down or incompatible (no personal data). */
  problems: string[];
  /**
   * The contract versions its subgraphs declare (e.g. `['1.0']`; `none` for a subgraph that
   * declares none), as of the last health check that reached it; empty before.
   */
  contract: string[];
  /**
   * What of the gateway's contract it lacks while routed to (a province on the previous minor
   * during a rolling upgrade): `subgraph: Type.field is missing`; fetches asking it are not sent.
   */
  lacking: string[];
  /**
   * Its last conformance kit report as the gateway read it at the last health check, when
   * `CONFORMANCE_REPORT_DIR` is set (null otherwise): anything but `passed` keeps it out.
   */
  conformance: ConformanceVerdict | null;
}

/** Why a province is not routed to: its served schema, or its last conformance kit report. */
export type ProvinceRefusal = 'incompatible' | 'conformance';

/** Told that `code`'s refusal changed to `refusal` (undefined: the province is routed to again). */
export type RefusalListener = (code: string, refusal: ProvinceRefusal | undefined) => void;

/** `45`, `450000` → `450000`; undefined for anything else. */
export function normalizeProvinceCode(code: string): string | undefined {
  const c = code.trim();
  if (/^\d{2}$/.test(c)) return `${c}0000`;
  if (/^\d{2}0000$/.test(c)) return c;
  return undefined;
}

/**
 * The provinces connected to the hub (code → base URL) and their health. A province serves each
 * logical subgraph at `${baseUrl}/${subgraph}/graphql`.
 */
export class ProvinceRegistry {
  private readonly states = new Map<string, ProvinceState>();
  /** Province → subgraph → the schema it serves, for provinces that lack part of the contract. */
  private readonly lagging = new Map<string, ReadonlyMap<string, GraphQLSchema>>();
  private readonly refusalListeners = new Set<RefusalListener>();
  /** Connected province codes, in a stable (sorted) order. */
  readonly codes: readonly string[];

  /**
   * @param provinces code → base URL, e.g. `{ '450000': 'http://127.0.0.1:4145' }`
   * @throws Error on a code that is not a province code
   */
  constructor(provinces: Record<string, string>) {
    for (const [raw, url] of Object.entries(provinces)) {
      const code = normalizeProvinceCode(raw);
      if (!code) throw new Error(`province code "${raw}" is not a six-digit province code (e.g. 450000)`);
      this.states.set(code, {
        code,
        baseUrl: url.replace(/\/+$/, ''),
        status: 'unknown',
        checkedAt: null,
        latencyMs: null,
        problems: [],
        contract: [],
        lacking: [],
        conformance: null,
      });
    }
    this.codes = [...this.states.keys()].sort();
  }

  /** True when the province is connected. */
  has(code: string): boolean {
    return this.states.has(code);
  }

  /** Base URL (no path) of a connected province. */
  baseUrl(code: string): string | undefined {
    return this.states.get(code)?.baseUrl;
  }

  /** URL of a logical subgraph of a connected province. */
  subgraphUrl(code: string, subgraph: string): string | undefined {
    const state = this.states.get(code);
    return state && `${state.baseUrl}/${subgraph}/graphql`;
  }

  /** The province's status (`unknown` for a province that is not connected). */
  status(code: string): ProvinceStatus {
    return this.states.get(code)?.status ?? 'unknown';
  }

  /**
   * Why the province is not routed to, or undefined when it may be: `conformance` when its last
   * conformance kit report did not pass (see ConformanceVerdict), `incompatible` when the last
   * health check found its served schema incompatible with the contract.
   */
  refusal(code: string): ProvinceRefusal | undefined {
    const state = this.states.get(code);
    if (state?.conformance && state.conformance.verdict !== 'passed') return 'conformance';
    return state?.status === 'incompatible' ? 'incompatible' : undefined;
  }

  /**
   * The schema a province serves for a subgraph when it lacks part of the contract (it runs the
   * previous minor); undefined when it keeps the whole contract.
   */
  laggingSchema(code: string, subgraph: string): GraphQLSchema | undefined {
    return this.lagging.get(code)?.get(subgraph);
  }

  /** Records, after a health check, the subgraphs for which a province lacks part of the contract. */
  setLagging(code: string, schemas: ReadonlyMap<string, GraphQLSchema>): void {
    if (schemas.size) this.lagging.set(code, schemas);
    else this.lagging.delete(code);
  }

  /**
   * Calls `listener` each time a province's {@link refusal} changes (a health check found it
   * incompatible or compatible again, its conformance report failing or passing again), with the
   * new refusal (undefined: routed to again). What the gateway does not route to is also held
   * from its subscriptions and its relay.
   * @returns a function that removes the listener
   */
  onRefusalChange(listener: RefusalListener): () => void {
    this.refusalListeners.add(listener);
    return () => this.refusalListeners.delete(listener);
  }

  /** Records the result of a health check (and tells the {@link onRefusalChange} listeners of a changed refusal). */
  update(code: string, patch: Partial<Omit<ProvinceState, 'code' | 'baseUrl'>>): void {
    const state = this.states.get(code);
    if (!state) return;
    const before = this.refusal(code);
    Object.assign(state, patch);
    const after = this.refusal(code);
    if (after !== before) for (const listener of [...this.refusalListeners]) listener(code, after);
  }

  /** A copy of every province's state, in code order. */
  snapshot(): ProvinceState[] {
    return this.codes.map((c) => {
      const state = this.states.get(c)!;
      return {
        ...state,
        problems: [...state.problems],
        contract: [...state.contract],
        lacking: [...state.lacking],
        conformance: state.conformance && {
          ...state.conformance,
          ...(state.conformance.failedChecks ? { failedChecks: [...state.conformance.failedChecks] } : {}),
        },
      };
    });
  }
}
