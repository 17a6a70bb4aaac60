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
}

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

  /** Whether the last health check found the province's schema incompatible with the contract. */
  isIncompatible(code: string): boolean {
    return this.states.get(code)?.status === 'incompatible';
  }

  /** Records the result of a health check. */
  update(code: string, patch: Partial<Omit<ProvinceState, 'code' | 'baseUrl'>>): void {
    const state = this.states.get(code);
    if (state) Object.assign(state, patch);
  }

  /** A copy of every province's state, in code order. */
  snapshot(): ProvinceState[] {
    return this.codes.map((c) => ({ ...this.states.get(c)!, problems: [...this.states.get(c)!.problems] }));
  }
}
