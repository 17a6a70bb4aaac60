import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { csvRecords, isXlsx, registryText, xlsxRecords } from './registry-file.js';

describe('reading a registry CSV', () => {
  it('should number rows by the line they end on, as csv-parse does, skipping empty lines', () => {
    const text = '\uFEFFname,skills\r\n李,"电工\r\n焊工"\r\n\r\n王,叉车\r\n';
    expect(csvRecords(text)).toEqual([
      { line: 1, cells: ['name', 'skills'] },
      { line: 3, cells: ['李', '电工\r\n焊工'] },
      { line: 5, cells: ['王', '叉车'] },
    ]);
  });

  it('should keep a row with a cell too many as it is (the import reports it by line)', () => {
    expect(csvRecords('a,b\n1,2,3\n').map((r) => r.cells.length)).toEqual([2, 3]);
  });

  it('should split cells on commas only, as csv-parse does', () => {
    expect(csvRecords('name;phone\n李;1\n').map((r) => r.cells)).toEqual([['name;phone'], ['李;1']]);
    expect(csvRecords('name\tphone\n李\t1\n').map((r) => r.cells)).toEqual([['name\tphone'], ['李\t1']]);
  });

  it('should refuse a file papaparse cannot read, e.g. with an unclosed quote', () => {
    expect(() => csvRecords('name,skills\n李,"电工\n王,叉车\n')).toThrow(/not a readable CSV file.*row 2/);
  });

  it('should read UTF-8, and GB18030 when the bytes are not UTF-8', () => {
    expect(registryText(new TextEncoder().encode('\uFEFF姓名'))).toBe('姓名');
    expect(registryText(new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb]))).toBe('姓名');
  });
});

describe('reading a registry XLSX', () => {
  it('should read the first sheet as text cells, as wide as the sheet, with its row numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('registry');
    sheet.addRow(['姓名', '身份证号', '技能']);
    sheet.addRow(['李', '45020319900101001X']);
    sheet.addRow([]);
    sheet.addRow(['王', '450203199001010028', '电工']);
    const bytes = (await workbook.xlsx.writeBuffer()) as ArrayBuffer;
    expect(await xlsxRecords(bytes)).toEqual([
      { line: 1, cells: ['姓名', '身份证号', '技能'] },
      { line: 2, cells: ['李', '45020319900101001X', ''] },
      { line: 4, cells: ['王', '450203199001010028', '电工'] },
    ]);
    expect(isXlsx({ name: 'Registry.XLSX', type: '' })).toBe(true);
    expect(isXlsx({ name: 'registry.csv', type: 'text/csv' })).toBe(false);
  });
});
