import type { FigureColumn, FigureValue } from './figures';

/** A cell as the table shows it: numbers grouped by the language's convention, rates as percentages. */
export function formatFigure(value: FigureValue, kind: FigureColumn['kind'], locale: string): string {
  if (value === null || value === '') return '—';
  if (typeof value !== 'number') return value;
  if (kind === 'percent') return `${(value * 100).toFixed(1)}%`;
  return value.toLocaleString(locale);
}
