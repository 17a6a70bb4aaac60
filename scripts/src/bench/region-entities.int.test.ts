/**
 * The gateway's `Region` entities (#17.5) against the national subgraph itself: the same
 * `_entities` fetches sent to the national service and to the gateway's local path must give the
 * same bytes. (Here in scripts/ because a gateway test may not import the national service.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childRegionCodes } from '@p2p/schema';
import { silentLogger } from '@p2p/runtime';
import { startNational, type RunningNational } from '@p2p/national';
import { LocalRegionsSource, type NationalFetch } from '@p2p/gateway';

const ENTITIES = (selection: string, extra = '') =>
  `query${extra}($representations:[_Any!]!){_entities(representations:$representations){${selection}}}`;

/** Every province, and a spread of cities, counties and townships (incl. the placeholder cities). */
function sampleCodes(): string[] {
  const provinces = childRegionCodes(null);
  const cities = provinces.flatMap((p) => childRegionCodes(p));
  const counties = cities.flatMap((c) => childRegionCodes(c));
  const townships = counties.filter((_, i) => i % 40 === 0).flatMap((c) => childRegionCodes(c).slice(0, 3));
  return [
    ...provinces,
    ...cities.filter((_, i) => i % 5 === 0),
    ...counties.filter((_, i) => i % 17 === 0),
    ...townships,
    // 北京市 市辖区, 河南省 省直辖县级行政区划, 东莞市 (a city without counties) and a township of it
    '110100',
    '419000',
    '441900',
    childRegionCodes('441900')[0]!,
  ];
}

/** Representations of unknown, malformed or odd codes: national resolves each to null (or ignores extra keys). */
const ODD: Record<string, unknown>[] = [
  { __typename: 'Region', code: '999999' },
  { __typename: 'Region', code: '110100999' },
  { __typename: 'Region', code: '45020' },
  { __typename: 'Region', code: 'abcdef' },
  { __typename: 'Region', code: 450203 },
  { __typename: 'Region', code: null },
  { __typename: 'Region' },
  { __typename: 'Region', code: '450203', name: 'not this one' },
];

/** `_entities` selections as a query planner may send them (and some it would not). */
const FETCHES: {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}[] = [
  { name: 'name only (the benchmark)', query: ENTITIES('...on Region{name}') },
  {
    name: 'every field, nested',
    query: ENTITIES(
      '__typename ...on Region{__typename code name level fullName parent{__typename code name level fullName parent{code name parent{code}}} children{code name level}}',
    ),
  },
  {
    name: 'aliases, repeated keys merged, fragments',
    query: `${ENTITIES('...on Region{n:name code} ...on Region{n:name p:parent{name} p:parent{code level}} ...R ...on Region{... {fullName}}')} fragment R on Region{fullName level c:code code}`,
  },
  { name: 'a fragment on Summary beside', query: ENTITIES('...on Summary{scope} ...on Region{code name}') },
  { name: 'only __typename', query: ENTITIES('__typename') },
  {
    name: 'named operation',
    query: ENTITIES('...on Region{name fullName}', ' Named'),
    operationName: 'Named',
  },
  {
    name: '@include (executed, not compiled)',
    query: ENTITIES(
      '...on Region{code name @include(if:$n) parent @skip(if:$n){name}}',
      '($n:Boolean!)',
    ).replace('($n:Boolean!)($representations', '($n:Boolean!,$representations'),
    variables: { n: true },
  },
];

describe('Region entities at the gateway, against national', () => {
  let national: RunningNational;
  let forwarded = 0;
  const local = new LocalRegionsSource({
    process: async () => {
      forwarded++;
      return { errors: [{ message: 'forwarded' }] };
    },
  });

  beforeAll(async () => {
    national = await startNational({ logger: silentLogger });
  });
  afterAll(async () => {
    await national?.close();
  });

  async function fromNational(fetch: NationalFetch): Promise<string> {
    const res = await fetch_(national.url, fetch);
    return JSON.stringify(JSON.parse(res));
  }

  const representations = [...sampleCodes().map((code) => ({ __typename: 'Region', code })), ...ODD];

  it.each(FETCHES)('should answer "$name" byte for byte as national does', async (f) => {
    const request: NationalFetch = {
      query: f.query,
      operationName: f.operationName,
      variables: { ...f.variables, representations },
    };
    const answer = await local.answer(request);
    expect(answer).toBeDefined();
    const expected = await fromNational(request);
    expect(expected).toContain('"data"');
    expect(expected).not.toContain('"errors"');
    expect(JSON.stringify(answer)).toBe(expected);
    expect(forwarded).toBe(0);
  });

  it('should leave to national every fetch that is not only Region entities', async () => {
    const mixed = [
      { __typename: 'Region', code: '450203' },
      { __typename: 'Summary', scope: 'CN', day: 'LATEST' },
    ];
    const cases: NationalFetch[] = [
      { query: ENTITIES('...on Region{name} ...on Summary{scope}'), variables: { representations: mixed } },
      { query: ENTITIES('...on Region{name}'), variables: { representations: [{ code: '450203' }] } },
      { query: '{ summary(scope: "450000") { scope day } }' },
      { query: '{ region(code: "450203") { name } }' },
      {
        query: ENTITIES('...on Region{nope}'),
        variables: { representations: [{ __typename: 'Region', code: '450203' }] },
      },
      {
        query:
          'query { _entities(representations: [{__typename: "Region", code: "450203"}]) { ...on Region{name} } }',
      },
    ];
    for (const request of cases) expect(await local.answer(request), request.query).toBeUndefined();
    const before = forwarded;
    await local.process({ request: cases[2]! } as never);
    expect(forwarded).toBe(before + 1);
  });
});

async function fetch_(url: string, body: NationalFetch): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.text();
}
