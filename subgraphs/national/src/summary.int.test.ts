import { describe, expect, it } from 'vitest';
import { post, useNational } from './test-client.js';
import { assertSeriesRange, daysBetween, todayInChina } from './summary-resolvers.js';

const url = useNational();

const SERIES = `query($scope: RegionCode, $from: Date!, $to: Date!) { dailySeries(scope: $scope, from: $from, to: $to) { scope day region { code } } }`;

/** The day `n` days after `day` (YYYY-MM-DD). */
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('summary', () => {
  it('defaults to the nation and the live counters', async () => {
    const { data } = await post(url(), `{ summary { scope day region { code } } }`);
    expect(data.summary).toEqual({ scope: 'CN', day: 'LATEST', region: null });
  });

  it('names a scope and a past day', async () => {
    const { data } = await post(
      url(),
      `{ summary(scope: "130000", day: "2020-03-01") { scope day region { code name } } }`,
    );
    expect(data.summary).toEqual({
      scope: '130000',
      day: '2020-03-01',
      region: { code: '130000', name: '河北省' },
    });
  });

  it('accepts today and rejects tomorrow (China Standard Time)', async () => {
    const today = todayInChina();
    const ok = await post(url(), `query($d: Date) { summary(day: $d) { day } }`, { d: today });
    expect(ok.data.summary.day).toBe(today);
    const future = await post(url(), `query($d: Date) { summary(day: $d) { day } }`, {
      d: addDays(today, 1),
    });
    expect(future.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'day' });
  });
});

describe('dailySeries', () => {
  it('gives one Summary per day, inclusive, across a month end', async () => {
    const { data } = await post(url(), SERIES, { scope: '450200', from: '2020-02-27', to: '2020-03-02' });
    expect(data.dailySeries.map((s: { day: string }) => s.day)).toEqual([
      '2020-02-27',
      '2020-02-28',
      '2020-02-29',
      '2020-03-01',
      '2020-03-02',
    ]);
    expect(
      data.dailySeries.every(
        (s: { scope: string; region: { code: string } }) =>
          s.scope === '450200' && s.region.code === '450200',
      ),
    ).toBe(true);
  });

  it('a single day and the nation by default', async () => {
    const { data } = await post(url(), SERIES, { from: '2020-02-20', to: '2020-02-20' });
    expect(data.dailySeries).toEqual([{ scope: 'CN', day: '2020-02-20', region: null }]);
  });

  it('allows exactly 366 days', async () => {
    const { data } = await post(url(), SERIES, { from: '2020-01-01', to: '2020-12-31' });
    expect(data.dailySeries).toHaveLength(366);
  });

  it.each([
    ['from after to', { from: '2020-03-02', to: '2020-03-01' }, 'from'],
    ['367 days', { from: '2020-01-01', to: '2021-01-01' }, 'to'],
    ['a future end', { from: '2020-01-01', to: addDays(todayInChina(), 1) }, 'to'],
  ])('rejects %s with BAD_USER_INPUT', async (_name, range, field) => {
    const answer = await post(url(), SERIES, range);
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('rejects a malformed day and a bad scope', async () => {
    const badDay = await post(url(), SERIES, { from: '2020-13-01', to: '2020-12-31' });
    const badScope = await post(url(), SERIES, { scope: 'CN', from: '2020-01-01', to: '2020-01-02' });
    expect(badDay.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(badScope.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('day arithmetic', () => {
  it('counts leap days and rejects ranges in pure code', () => {
    expect(daysBetween('2020-02-28', '2020-03-01')).toEqual(['2020-02-28', '2020-02-29', '2020-03-01']);
    expect(() => assertSeriesRange('2020-01-01', '2020-01-02', '2020-01-01')).toThrow(/future/);
    expect(() => assertSeriesRange('2019-01-01', '2020-01-02', '2020-06-01')).toThrow(/366/);
  });

  it('takes today in China Standard Time, ahead of UTC', () => {
    expect(todayInChina(new Date('2020-02-19T17:00:00Z'))).toBe('2020-02-20');
    expect(todayInChina(new Date('2020-02-19T15:59:59Z'))).toBe('2020-02-19');
  });
});
