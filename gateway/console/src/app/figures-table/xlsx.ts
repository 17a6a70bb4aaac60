import { headerLines, rowValues, type FigureColumn, type FigureRow, type FiguresHeader } from './figures';

/**
 * A figures table as an XLSX workbook (exceljs, loaded only when a download is asked for): one
 * sheet with the header block (title, scope, day, time of the figures) above the table, numbers
 * as numbers and rates formatted as percentages.
 */
export async function figuresXlsx(
  header: FiguresHeader,
  columns: readonly FigureColumn[],
  rows: readonly FigureRow[],
): Promise<ArrayBuffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(header.asOf);
  const sheet = workbook.addWorksheet(sheetName(header.title));
  for (const line of headerLines(header)) sheet.addRow(line);
  sheet.addRow([]);
  const head = sheet.addRow(columns.map((c) => c.label));
  head.font = { bold: true };
  for (const row of rows) sheet.addRow(rowValues(columns, row));
  columns.forEach((column, i) => {
    const sheetColumn = sheet.getColumn(i + 1);
    sheetColumn.width = Math.max(12, column.label.length * 2 + 2);
    if (column.kind === 'percent')
      sheetColumn.eachCell((cell, rowNumber) => {
        if (rowNumber > head.number && typeof cell.value === 'number') cell.numFmt = '0.0%';
      });
  });
  return workbook.xlsx.writeBuffer() as Promise<ArrayBuffer>;
}

/** A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\`. */
export function sheetName(title: string): string {
  return title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1';
}
