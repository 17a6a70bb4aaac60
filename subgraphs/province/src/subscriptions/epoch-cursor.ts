/**
 * A subgraph subscription cursor (`after`): the decimal seq of an event of this province, or
 * `<epoch>:<seq>` (what the gateway sends once it knows the province's epoch, `Query.outboxEpoch`).
 * A seq of another epoch than the current one belongs to a sequence that restarted (a restore
 * from a backup): CURSOR_EXPIRED, never read against the new sequence (DESIGN.md, "Decisions").
 */
import { badInput, hubError } from '@p2p/schema';

/** A parsed `after`. */
export interface SeqCursor {
  seq: number;
  /** Absent for a bare seq (taken as the current epoch). */
  epoch?: string;
}

/**
 * Parses `after` (undefined when absent).
 * @throws BAD_USER_INPUT for anything but a seq or `<epoch>:<seq>`.
 */
export function parseEpochCursor(after: unknown): SeqCursor | undefined {
  if (after === undefined || after === null) return undefined;
  if (typeof after === 'string') {
    const match = /^(?:([A-Za-z0-9_-]{1,64}):)?(\d{1,15})$/.exec(after);
    if (match) return { seq: Number(match[2]), ...(match[1] ? { epoch: match[1] } : {}) };
  }
  throw badInput('after: not a cursor of this province (a cursor received from this subscription)', 'after');
}

/**
 * The CURSOR_EXPIRED of a position (`what`, e.g. `#41`) of another epoch than `current`;
 * `extensions.epoch` is the current epoch (the gateway restarts its shared feed from there).
 */
export function epochExpired(what: string, current: string) {
  return hubError(
    'CURSOR_EXPIRED',
    `after: position ${what} belongs to an earlier epoch of this province's event sequence (the province was restored from a backup): its events since may be gone or different; subscribe again without after and re-read the current state`,
    { field: 'after', epoch: current },
  );
}

/**
 * Refuses a cursor of another epoch than `current`.
 * @throws CURSOR_EXPIRED
 */
export function assertCurrentEpoch(cursor: SeqCursor, current: string): void {
  if (cursor.epoch !== undefined && cursor.epoch !== current) throw epochExpired(`#${cursor.seq}`, current);
}
