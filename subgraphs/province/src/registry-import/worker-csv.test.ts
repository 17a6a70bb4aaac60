import { describe, expect, it } from 'vitest';
import { parseImportArgs, rejectsCsv } from './main.js';
import { columnsOf, workerRow } from './worker-csv.js';

describe('worker registry CSV', () => {
  it('should read Chinese or contract headings, with a BOM, in any order, ignoring other columns', () => {
    const columns = columnsOf([
      '\uFEFF序号',
      '身份证号',
      '姓名',
      '手机号码',
      '户籍地区划代码',
      '技能',
      '建档立卡贫困户',
    ]);
    const row = workerRow(columns, [
      '1',
      '45020319900101001x',
      '韦小宝',
      '13907720001',
      '450203001',
      '电工、焊工；叉车',
      '是',
    ]);
    expect(row).toEqual({
      ok: true,
      province: '450000',
      input: {
        name: '韦小宝',
        idNumber: '45020319900101001X',
        phone: '13907720001',
        homeRegion: '450203001',
        povertyStatus: 'REGISTERED_POOR',
        skills: ['电工', '焊工', '叉车'],
      },
    });
    expect(
      workerRow(columnsOf(['name', 'idNumber', 'phone', 'homeRegion']), ['李', '1', '2', '130102']),
    ).toMatchObject({ ok: true, province: '130000', input: { povertyStatus: 'NONE' } });
  });

  it('should name the missing required columns, and refuse a column given twice', () => {
    expect(() => columnsOf(['姓名', 'phone'])).toThrow(/lacks idNumber \(.*身份证号.*\), homeRegion/);
    expect(() => columnsOf(['name', '姓名', 'idNumber', 'phone', 'homeRegion'])).toThrow(
      /names column name twice/,
    );
  });

  it('should refuse a row whose home region cannot be routed or whose poverty status is unknown', () => {
    const columns = columnsOf(['name', 'idNumber', 'phone', 'homeRegion', 'povertyStatus']);
    expect(workerRow(columns, ['李', 'x', 'y', '459999', ''])).toEqual({
      ok: false,
      reason: 'homeRegion: not a GB/T 2260 region code (6 or 9 digits)',
    });
    expect(JSON.stringify(workerRow(columns, ['李', 'x', 'y', '13907720001', '']))).not.toContain(
      '13907720001',
    ); // a shifted phone is not echoed
    expect(workerRow(columns, ['李', 'x', 'y', '广西', ''])).toMatchObject({ ok: false });
    expect(workerRow(columns, ['李', 'x', 'y', '450203', 'maybe'])).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^povertyStatus: not one of/),
    });
    expect(workerRow(columns, ['李', 'x', 'y', '450203', 'lifted'])).toMatchObject({
      ok: true,
      input: { povertyStatus: 'LIFTED' },
    });
  });
});

describe('import-workers command line', () => {
  it('should take the token from P2P_TOKEN and refuse a batch over the province limit', () => {
    expect(parseImportArgs(['--file', 'w.csv'], { P2P_TOKEN: 't' })).toEqual({
      file: 'w.csv',
      token: 't',
      gatewayUrl: 'http://localhost:4000/graphql',
      batchSize: 1000,
      help: false,
    });
    expect(() => parseImportArgs(['--file', 'w.csv', '--batch', '1001'], {})).toThrow(
      /--batch must be a number from 1 to 1000/,
    );
    expect(() => parseImportArgs(['--fil', 'w.csv'], {})).toThrow();
  });

  it('should write refused rows as CSV with line, code and quoted reason', () => {
    expect(
      rejectsCsv({
        rows: 2,
        registered: 0,
        calls: 1,
        rejected: [{ line: 3, code: 'BAD_USER_INPUT', reason: 'phone: a "mainland" number' }],
      }),
    ).toBe('line,code,reason\n3,BAD_USER_INPUT,"phone: a ""mainland"" number"\n');
  });
});
