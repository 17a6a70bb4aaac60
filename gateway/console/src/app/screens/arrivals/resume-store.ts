/**
 * What the arrivals board keeps in the browser between visits, per caller (role and region):
 * the last cursor received, to resume the subscription after a reload, and the event log (no
 * personal data: kinds, times, vehicles, stops). Storage that refuses (private mode) keeps
 * nothing and the board starts from now.
 */
import { LOG_LIMIT, type LoggedEvent } from './board-state.js';

/** Where one caller's board keeps its resume state. */
export interface ResumeStore {
  cursor(): string | null;
  saveCursor(cursor: string): void;
  dropCursor(): void;
  log(): LoggedEvent[];
  saveLog(log: readonly LoggedEvent[]): void;
}

/** The storage key prefix of a caller's board. */
export function resumeKey(role: string, region: string): string {
  return `p2p.console.arrivals.${role}.${region}`;
}

/** The resume state of the board of `role` in `region`, in `storage` (localStorage in the page). */
export function resumeStore(storage: Storage | undefined, role: string, region: string): ResumeStore {
  const key = resumeKey(role, region);
  const read = (name: string): string | null => {
    try {
      return storage?.getItem(`${key}.${name}`) ?? null;
    } catch {
      return null;
    }
  };
  const write = (name: string, value: string | null) => {
    try {
      if (value === null) storage?.removeItem(`${key}.${name}`);
      else storage?.setItem(`${key}.${name}`, value);
    } catch {
      // storage refused: the board resumes from now next time
    }
  };
  return {
    cursor: () => read('cursor'),
    saveCursor: (cursor) => write('cursor', cursor),
    dropCursor: () => write('cursor', null),
    log() {
      try {
        const parsed = JSON.parse(read('log') ?? '[]') as unknown;
        return Array.isArray(parsed) ? (parsed as LoggedEvent[]).slice(0, LOG_LIMIT) : [];
      } catch {
        return [];
      }
    },
    saveLog: (log) => write('log', JSON.stringify(log.slice(0, LOG_LIMIT))),
  };
}
