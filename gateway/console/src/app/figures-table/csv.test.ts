import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { figuresCsv, UTF8_BOM } from './csv.js';
import { downloadName, type FiguresHeader } from './figures.js';

const HEADER: FiguresHeader = {
  title: '各省概况',
  scope: '全国 (CN)',
  day: 'LATEST',
  asOf: '2026-12-07T09:00:00.000Z',
  labels: { title: '表', scope: '范围', day: '日期', asOf: '数据时间' },
};
const COLUMNS = [
  { key: 'name', label: '地区' },
  { key: 'registered', label: '登记人数', kind: 'number' as const },
  { key: 'outRate', label: '外出率', kind: 'percent' as const },
];

describe('figuresCsv', () => {
  it('should start with a UTF-8 byte-order mark for Excel', () => {
    expect(figuresCsv(HEADER, COLUMNS, []).startsWith(UTF8_BOM)).toBe(true);
  });

  it('should write the title, scope, day and time of the figures above the table', () => {
    const csv = figuresCsv(HEADER, COLUMNS, []);
    const lines = csv.slice(1).split('\r\n');
    expect(lines.slice(0, 5)).toEqual([
      '表,各省概况',
      '范围,全国 (CN)',
      '日期,LATEST',
      '数据时间,2026-12-07T09:00:00.000Z',
      '',
    ]);
  });

  it('should write the header and one line per row with numbers as they are', () => {
    const csv = figuresCsv(HEADER, COLUMNS, [
      { name: '广西壮族自治区', registered: 1234, outRate: 0.25 },
      { name: '北京市', registered: 0, outRate: null },
    ]);
    const table = csv.slice(1).split('\r\n\r\n')[1]!;
    expect(Papa.parse<string[]>(table.trim()).data).toEqual([
      ['地区', '登记人数', '外出率'],
      ['广西壮族自治区', '1234', '0.25'],
      ['北京市', '0', ''],
    ]);
  });

  it('should quote values holding commas, quotes or line breaks', () => {
    const csv = figuresCsv({ ...HEADER, scope: '柳州市, "城中区"' }, COLUMNS, [
      { name: 'a\nb', registered: 1, outRate: 0 },
    ]);
    const parsed = Papa.parse<string[]>(csv.slice(1).trim()).data;
    expect(parsed[1]).toEqual(['范围', '柳州市, "城中区"']);
    expect(parsed.at(-1)).toEqual(['a\nb', '1', '0']);
  });
});

describe('downloadName', () => {
  it('should name the file by title and day without characters a file system refuses', () => {
    expect(downloadName({ title: '各省 概况/全国', day: '2026-12-07' }, 'csv')).toBe(
      '各省_概况_全国-2026-12-07.csv',
    );
  });
});
