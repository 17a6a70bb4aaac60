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
