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

describe('Summary.children', () => {
  const CHILDREN = `query($scope: RegionCode, $day: Date) { summary(scope: $scope, day: $day) { scope day children { scope day region { code level parent { code } } } } }`;
  type Child = {
    scope: string;
    day: string;
    region: { code: string; level: string; parent: { code: string } | null };
  };
  const children = async (scope: string | null, day?: string): Promise<Child[]> =>
    (await post(url(), CHILDREN, { scope, day })).data.summary.children;

  it('should list the 31 mainland provinces in code order for the nation, with no region above them', async () => {
    const list = await children(null);
    expect(list).toHaveLength(31);
    expect(list[0]).toEqual({
      scope: '110000',
      day: 'LATEST',
      region: { code: '110000', level: 'PROVINCE', parent: null },
    });
    expect(list.at(-1)!.scope).toBe('650000');
    expect(list.map((c) => c.scope)).toEqual(list.map((c) => c.scope).sort());
    expect(list.map((c) => c.scope).filter((s) => ['710000', '810000', '820000'].includes(s))).toEqual([]);
  });

  it('should list one level below a province, a city and a county, each child inside its parent, and nothing below a township', async () => {
    for (const [scope, level] of [
      ['450000', 'CITY'],
      ['450200', 'COUNTY'],
      ['450203', 'TOWNSHIP'],
    ] as const) {
      const list = await children(scope, '2020-03-01');
      expect(list.length).toBeGreaterThan(1);
      for (const child of list) {
        expect(child).toMatchObject({ day: '2020-03-01', region: { level, parent: { code: scope } } });
        expect(child.region.code).toBe(child.scope);
      }
      expect(list.map((c) => c.scope)).toEqual(list.map((c) => c.scope).sort());
    }
    const township = (await children('450203')).at(0)!.scope;
    expect(await children(township)).toEqual([]);
  });

  it("should give every entry of a dailySeries its own day's children", async () => {
    const { data } = await post(
      url(),
      `{ dailySeries(scope: "441900", from: "2020-02-28", to: "2020-03-01") { day children { scope day } } }`,
    );
    expect(data.dailySeries).toHaveLength(3);
    for (const entry of data.dailySeries as { day: string; children: { scope: string; day: string }[] }[]) {
      // Dongguan has no counties: its townships hang directly under the city.
      expect(entry.children.length).toBeGreaterThan(10);
      expect(entry.children.every((c) => c.day === entry.day && c.scope.startsWith('4419'))).toBe(true);
    }
  });

  it('should resolve children of a Summary arriving through _entities, and none for a scope naming no region', async () => {
    const { data } = await post(
      url(),
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Summary { scope children { scope day } } } }`,
      {
        r: [
          { __typename: 'Summary', scope: '460000', day: 'LATEST' },
          { __typename: 'Summary', scope: '999999', day: 'LATEST' },
        ],
      },
    );
    expect(data._entities[0].children.map((c: { scope: string }) => c.scope)).toContain('460100');
    expect(data._entities[0].children.every((c: { day: string }) => c.day === 'LATEST')).toBe(true);
    expect(data._entities[1]).toEqual({ scope: '999999', children: [] });
  });
});
