/**
 * Hook for a live demo: keeps some demo trips moving (new ETAs, arrivals, hand-overs) so that
 * `arrivals` subscriptions on the gateway show events while someone watches.
 *
 * TODO(live demo): not implemented yet. The dev launcher already calls startLiveTrips after
 * seeding and stops it on Ctrl-C; an implementation only has to fill this in (e.g. plan a fresh
 * trip with current times for a few seeded workers and move it with the contract's mutations).
 */
import type { DemoIds } from './seed.js';

/** Options of {@link startLiveTrips}. */
export interface LiveTripsOptions {
  /** Headers of every request (authorization once required). */
  headers?: Record<string, string>;
  /**
   * Milliseconds between two moves.
   * @default 10_000
   */
  intervalMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** A running live demo. */
export interface LiveTrips {
  /** Stops moving trips; resolves when the last move has finished. */
  stop(): Promise<void>;
}

/** Starts moving demo trips through the gateway (currently a no-op, see the TODO above). */
export function startLiveTrips(_gatewayUrl: string, _ids: DemoIds, _options: LiveTripsOptions = {}): LiveTrips {
  return { stop: async () => {} };
}
