/**
 * Times as the enterprise reads them: Beijing time (UTC+8, no daylight saving), the same in both
 * languages, so an ETA reads the same on every screen and in every browser.
 */

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** `2020-02-25 14:30` in Beijing time for an ISO date-time; the input itself when it is not one. */
export function beijingDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** filled / openings as a whole percentage (`—` without openings). */
export function fillRate(filled: number, openings: number): string {
  if (openings <= 0) return '—';
  return `${Math.round((filled / openings) * 100)}%`;
}

/** How far an expected arrival is from now: hours and minutes to go, or overdue by them. */
export interface EtaDistance {
  overdue: boolean;
  hours: number;
  minutes: number;
}

/** The distance from `now` to the expected arrival `iso` (whole minutes); undefined when it is not a date-time. */
export function etaDistance(iso: string, now: number): EtaDistance | undefined {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  const minutes = Math.round(Math.abs(ms - now) / 60_000);
  return { overdue: ms < now, hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}
