import { describe, expect, it } from 'vitest';
import { findRegion } from '../regions.js';
import { columnsOf, workerRow as workerRowOf } from './worker-row.js';

/** A row read against the directory in process. */
const workerRow = (columns: Parameters<typeof workerRowOf>[0], record: string[]) =>
  workerRowOf(columns, record, (code) => findRegion(code)?.level);

describe('worker registry CSV', () => {
  it('should read Chinese or contract headings, with a BOM, in any order, ignoring other columns', async () => {
    const columns = columnsOf([
      '\uFEFF序号',
      '身份证号',
      '姓名',
      '手机号码',
      '户籍地区划代码',
      '技能',
      '建档立卡贫困户',
    ]);
    const row = await workerRow(columns, [
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
    await expect(
      workerRow(columnsOf(['name', 'idNumber', 'phone', 'homeRegion']), ['李', '1', '2', '130102']),
    ).resolves.toMatchObject({ ok: true, province: '130000', input: { povertyStatus: 'NONE' } });
  });

  it('should name the missing required columns, and refuse a column given twice', () => {
    expect(() => columnsOf(['姓名', 'phone'])).toThrow(/lacks idNumber \(.*身份证号.*\), homeRegion/);
    expect(() => columnsOf(['name', '姓名', 'idNumber', 'phone', 'homeRegion'])).toThrow(
      /names column name twice/,
    );
  });

  it('should refuse a row whose home region cannot be routed or whose poverty status is unknown', async () => {
    const columns = columnsOf(['name', 'idNumber', 'phone', 'homeRegion', 'povertyStatus']);
    await expect(workerRow(columns, ['李', 'x', 'y', '459999', ''])).resolves.toEqual({
      ok: false,
      reason: 'homeRegion: not a GB/T 2260 region code (6 or 9 digits)',
    });
    expect(JSON.stringify(await workerRow(columns, ['李', 'x', 'y', '13907720001', '']))).not.toContain(
      '13907720001',
    ); // a shifted phone is not echoed
    await expect(workerRow(columns, ['李', 'x', 'y', '广西', ''])).resolves.toMatchObject({ ok: false });
    await expect(workerRow(columns, ['李', 'x', 'y', '450203', 'maybe'])).resolves.toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^povertyStatus: not one of/),
    });
    await expect(workerRow(columns, ['李', 'x', 'y', '450203', 'lifted'])).resolves.toMatchObject({
      ok: true,
      input: { povertyStatus: 'LIFTED' },
    });
  });
});
