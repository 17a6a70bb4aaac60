/**
 * A client subscription's cursor state (each province's position and its epoch) as an immutable,
 * shared value: every change is a transition from one state to the next, and the same transition
 * of the same state gives the same state object. Clients that started alike and were handed the
 * same events hold the same state, so its vector cursor is encoded once for all of them instead
 * of once per client and event (10,000 clients of 31 provinces: the cursor was most of the
 * per-client work). A state's successors are held weakly: a state lives as long as a client
 * holds it, never because an older state led to it.
 */
import { encodeVectorCursor } from './vector-cursor.js';

/** Successors remembered per state; past it the oldest is forgotten (only sharing is lost). @default 256 */
const MAX_SUCCESSORS = 256;

/** Each province's position and epoch, immutable and shared. */
export class CursorState {
  /** The state without any position (a client "from now" before its feeds start). */
  static readonly EMPTY = new CursorState(new Map(), new Map());

  private readonly successors = new Map<string, WeakRef<CursorState>>();
  private encoded: string | undefined;

  private constructor(
    /** Province → the position handed out. */
    readonly positions: ReadonlyMap<string, number>,
    /** Province → the epoch of its position. */
    readonly epochs: ReadonlyMap<string, string>,
  ) {}

  /** The state of `positions` and `epochs` (built from {@link EMPTY} in province order, so equal maps give one state). */
  static of(positions: ReadonlyMap<string, number>, epochs: ReadonlyMap<string, string>): CursorState {
    let state = CursorState.EMPTY;
    for (const province of [...positions.keys()].sort())
      state = state.withPosition(province, positions.get(province)!);
    for (const province of [...epochs.keys()].sort())
      state = state.withEpoch(province, epochs.get(province)!);
    return state;
  }

  /** The vector cursor of this state (encoded once). */
  get cursor(): string {
    this.encoded ??= encodeVectorCursor(this.positions, this.epochs);
    return this.encoded;
  }

  /** This state with `province` at `position`. */
  withPosition(province: string, position: number): CursorState {
    if (this.positions.get(province) === position) return this;
    return this.successor(`p${province}:${position}`, () => {
      const positions = new Map(this.positions);
      positions.set(province, position);
      return new CursorState(positions, this.epochs);
    });
  }

  /** This state with `province`'s positions of `epoch`. */
  withEpoch(province: string, epoch: string): CursorState {
    if (this.epochs.get(province) === epoch) return this;
    return this.successor(`e${province}:${epoch}`, () => {
      const epochs = new Map(this.epochs);
      epochs.set(province, epoch);
      return new CursorState(this.positions, epochs);
    });
  }

  private successor(key: string, make: () => CursorState): CursorState {
    const known = this.successors.get(key)?.deref();
    if (known) return known;
    const next = make();
    this.successors.delete(key);
    this.successors.set(key, new WeakRef(next));
    if (this.successors.size > MAX_SUCCESSORS) this.successors.delete(this.successors.keys().next().value!);
    return next;
  }
}
