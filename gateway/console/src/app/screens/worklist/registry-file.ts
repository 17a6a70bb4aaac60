/**
 * A registry file as the import's rows: CSV read with papaparse (UTF-8, or GB18030 as Chinese
 * spreadsheet programs save it), XLSX (its first sheet) with exceljs, loaded only when an XLSX
 * file is chosen. Each row carries the line where it ends, as the command line's csv-parse counts
 * them (the header is line 1; empty lines are skipped but counted), so both report the same lines.
 */
import Papa from 'papaparse';
import type { RegistryRecord } from '@p2p/schema/registry-import';

/** The file's text: UTF-8 when it is valid UTF-8 (a BOM dropped), else GB18030. */
export function registryText(bytes: ArrayBuffer | Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * The rows of a CSV text with the line each ends on; empty lines are skipped. Cells are split on
 * commas only (no delimiter guessing), as the command line's csv-parse does.
 * @throws Error naming the first row papaparse could not read (e.g. an unclosed quote).
 */
export function csvRecords(text: string): RegistryRecord[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    delimiter: ',',
    skipEmptyLines: false,
  });
  const [error] = parsed.errors;
  if (error) {
    const row = error.row === undefined ? '' : ` (row ${error.row + 1})`;
    throw new Error(`the file is not a readable CSV file${row}: ${error.message}`);
  }
  const records: RegistryRecord[] = [];
  let line = 0;
  for (const cells of parsed.data) {
    // A row starts on the next line and ends as many lines later as its quoted cells break.
    line += 1 + cells.reduce((breaks, cell) => breaks + (cell.match(LINE_BREAK)?.length ?? 0), 0);
    if (cells.length === 1 && cells[0]!.trim() === '') continue;
    records.push({ line, cells: cells.map((c) => c.trim()) });
  }
  return records;
}

/** The rows of the first sheet of an XLSX workbook (line = the sheet's row number), every row as wide as the sheet. */
export async function xlsxRecords(bytes: ArrayBuffer): Promise<RegistryRecord[]> {
  const module = await import('exceljs');
  const ExcelJS = ((module as unknown as { default?: typeof module }).default ?? module) as typeof module;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const width = sheet.columnCount;
  const records: RegistryRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells = Array.from({ length: width }, (_, i) => row.getCell(i + 1).text.trim());
    if (cells.every((c) => c === '')) return;
    records.push({ line: rowNumber, cells });
  });
  return records;
}

/** True for a file the import reads as XLSX (by its name or type). */
export function isXlsx(file: { name: string; type: string }): boolean {
  return (
    /\.xlsx$/i.test(file.name) ||
    file.type === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  );
}

/** Reads a chosen file as the import's rows. */
export async function registryRecords(file: File): Promise<RegistryRecord[]> {
  const bytes = await file.arrayBuffer();
  return isXlsx(file) ? xlsxRecords(bytes) : csvRecords(registryText(bytes));
}
