/** Dates on the board: China Standard Time, in the page's language. */
import type { Language } from '../../i18n/language';

/** `2020-02-23 15:00` style date and time in Beijing time. */
export function formatTime(iso: string | null | undefined, language: Language): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** The value of a `datetime-local` input for `ms` in Beijing time. */
export function beijingLocalInput(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
}

/** The instant of a `datetime-local` value read as Beijing time (ISO), or null when empty or invalid. */
export function fromBeijingLocalInput(value: string): string | null {
  const ms = Date.parse(`${value}:00+08:00`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
