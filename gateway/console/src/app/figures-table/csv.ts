import Papa from 'papaparse';
import { headerLines, rowValues, type FigureColumn, type FigureRow, type FiguresHeader } from './figures.js';

/** The byte-order mark Excel needs to read a CSV as UTF-8. */
export const UTF8_BOM = '\uFEFF';

/**
 * A figures table as CSV for Excel: UTF-8 with a BOM, a header block (title, scope, day, time of
 * the figures; one `label,value` line each), an empty line, then the table's header and rows.
 * Numbers are written as they are (no thousands separators), rates as fractions.
 */
export function figuresCsv(
  header: FiguresHeader,
  columns: readonly FigureColumn[],
  rows: readonly FigureRow[],
): string {
  const block = Papa.unparse(headerLines(header), { newline: '\r\n' });
  const table = Papa.unparse(
    {
      fields: columns.map((c) => c.label),
      data: rows.map((row) => rowValues(columns, row)),
    },
    { newline: '\r\n' },
  );
  return `${UTF8_BOM}${block}\r\n\r\n${table}\r\n`;
}
