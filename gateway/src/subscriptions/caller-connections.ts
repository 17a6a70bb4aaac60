/**
 * How many connections each caller has open to this gateway process, against
 * `maxConnectionsPerCaller`: a caller who opens more is refused (close 4629) instead of holding
 * sockets, buffers and timers without bound. Counted per process: behind N replicas a caller may
 * hold up to N × the cap.
 */

/** Open connections per caller key, capped. */
export class CallerConnections {
  private readonly open = new Map<string, number>();

  /** @param max connections per caller; 0 turns the cap off */
  constructor(private readonly max: number) {}

  /** Counts a new connection of `caller`; false (and nothing counted) when the caller is at the cap. */
  take(caller: string): boolean {
    const count = this.open.get(caller) ?? 0;
    if (this.max > 0 && count >= this.max) return false;
    this.open.set(caller, count + 1);
    return true;
  }

  /** Uncounts a connection of `caller` that closed. */
  release(caller: string): void {
    const count = (this.open.get(caller) ?? 0) - 1;
    if (count > 0) this.open.set(caller, count);
    else this.open.delete(caller);
  }

  /** Connections open for `caller`. */
  of(caller: string): number {
    return this.open.get(caller) ?? 0;
  }
}
