/**
 * A table of figures as the console shows and downloads it: what the figures are of (scope), as of
 * which day, when they were read, and the columns and rows.
 */

/** A cell's value: numbers stay numbers in the downloads. */
export type FigureValue = string | number | null;

/** A column of a figures table. */
export interface FigureColumn {
  key: string;
  /** The header, in the current language. */
  label: string;
  /** Numbers are right-aligned and formatted; text is left as it is. */
  kind?: 'text' | 'number' | 'percent';
}

/** A row: a value per column key. */
export type FigureRow = Record<string, FigureValue>;

/** Where the figures come from, written above the table in every download. */
export interface FiguresHeader {
  /** What the table is. */
  title: string;
  /** The scope, e.g. "全国 (CN)" or "广西壮族自治区 (450000)". */
  scope: string;
  /** The day the figures are as of (YYYY-MM-DD, or LATEST for the live figures). */
  day: string;
  /** When the figures were read (ISO 8601). */
  asOf: string;
  /** The labels of the three header lines, in the current language. */
  labels: { title: string; scope: string; day: string; asOf: string };
}

/** The header block of a download: label and value per line. */
export function headerLines(header: FiguresHeader): [string, string][] {
  return [
    [header.labels.title, header.title],
    [header.labels.scope, header.scope],
    [header.labels.day, header.day],
    [header.labels.asOf, header.asOf],
  ];
}

/** The values of a row in column order (null as an empty cell). */
export function rowValues(columns: readonly FigureColumn[], row: FigureRow): (string | number)[] {
  return columns.map((c) => row[c.key] ?? '');
}

/** A file name for a download: the title and the day, with nothing a file system refuses. */
export function downloadName(header: Pick<FiguresHeader, 'title' | 'day'>, extension: string): string {
  const safe = `${header.title}-${header.day}`.replace(/[\\/:*?"<>|\s]+/g, '_');
  return `${safe}.${extension}`;
}
