import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { emptyData, makeTrip } from '../testing/fake-data.js';
import { startHub, testAuthorization, type Hub } from '../testing/hub-fixture.js';
import { batchSize } from './batch-limit.js';
import { readLimitedBody } from './body-size-limit.js';
import { assertCost, operationCost } from './cost-limit.js';
import { assertDepth, operationDepth } from './depth-limit.js';
import { assertDocumentShape } from './document-shape.js';
import { DEFAULT_LIMITS, limitsFromEnv, resolveLimits } from './limit-options.js';
import { assertPageSizes } from './page-size-limit.js';
import { TokenBucketLimiter } from './rate-limit.js';
import { operationScope } from './selections.js';

const schema = buildSchema(`
  type Query { trips(first: Int, after: String): TripConnection! trip(id: ID!): Trip regions(parent: String): [Region!]! }
  type TripConnection { edges: [TripEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type TripEdge { cursor: String! node: Trip! }
  type Trip { id: ID! vehicleCode: String! passengers: [Passenger!]! origin: Region! }
  type Passenger { boarded: Boolean! worker: Worker }
  type Worker { id: ID! name: String! skills: [String!]! homeRegion: Region! }
  type Region { code: String! name: String! parent: Region children: [Region!]! }
`);

/** The scope and the operation of a query text. */
function op(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d) => d.kind === 'OperationDefinition',
  ) as OperationDefinitionNode;
  return { scope: operationScope(schema, document, variables, operation), operation };
}

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return {
      code: (err as { extensions?: { code?: string } }).extensions?.code,
      message: (err as Error).message,
    };
  }
  return undefined;
};

describe('depth limit', () => {
  it('should count nested fields through fragments, not introspection', () => {
    const { scope, operation } =
      op(`query { trips { edges { node { ...T } } } __schema { types { fields { type { ofType { ofType { name } } } } } } }
      fragment T on Trip { origin { parent { parent { name } } } }`);
    expect(operationDepth(scope, operation)).toBe(7);
    expect(code(() => assertDepth(scope, operation, 7))).toBeUndefined();
    expect(code(() => assertDepth(scope, operation, 6))).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      message: expect.stringMatching(/nested more than 6 levels deep; at most 6/),
    });
  });

  it('should stop at a fragment that spreads itself, as it runs before validation', () => {
    const { scope, operation } = op('{ regions { ...R } } fragment R on Region { children { ...R } }');
    expect(operationDepth(scope, operation, 12)).toBe(13);
    expect(code(() => assertDepth(scope, operation, 12))?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('should refuse a region chain deeper than the default 12', () => {
    const chain = `{ regions { ${'children { '.repeat(12)}code${' }'.repeat(12)} } }`;
    const { scope, operation } = op(chain);
    expect(operationDepth(scope, operation)).toBe(14);
    expect(code(() => assertDepth(scope, operation, DEFAULT_LIMITS.maxDepth))?.code).toBe(
      'QUERY_TOO_COMPLEX',
    );
  });
});

describe('cost limit', () => {
  const listSizes = new Map([
    ['Query.trips', { assumedSize: 20, slicingArguments: ['first'], sizedFields: ['edges'] }],
    ['Trip.passengers', { assumedSize: 3000, slicingArguments: [], sizedFields: [] }],
    ['Query.regions', { assumedSize: 52, slicingArguments: [], sizedFields: [] }],
  ]);
  const assume = { listSizes, defaultPageSize: 20, assumedListSize: 10 };

  it('should count each object once per time it is resolved, lists at their declared size, leaves free', () => {
    const page = op('{ trips(first: 100) { edges { node { id } } } }');
    // trips 1 + 100 × (edge 1 + node 1)
    expect(operationCost(page.scope, page.operation, assume)).toBe(201);
    const nested = op(
      'query($n: Int) { trips(first: $n) { totalCount edges { node { passengers { worker { name } } } } } }',
      { n: 2 },
    );
    // trips 1 + 2 × (edge 1 + node 1 + 3000 × (passenger 1 + worker 1))
    expect(operationCost(nested.scope, nested.operation, assume)).toBe(1 + 2 * (2 + 3000 * 2));
    const defaults = op('{ trips { edges { cursor } } regions { code skills: name children { code } } }');
    // trips 1 + 20 edges; 52 regions × (1 + 10 children, which declare no size here)
    expect(operationCost(defaults.scope, defaults.operation, assume)).toBe(1 + 20 + 52 * (1 + 10));
  });

  it('should refuse what exceeds the limit, with the estimate in the message', () => {
    const { scope, operation } = op(
      '{ trips(first: 100) { edges { node { passengers { worker { homeRegion { children { name } } } } } } } }',
    );
    expect(code(() => assertCost(scope, operation, 10_000, assume))).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      message: expect.stringMatching(/cost about \d+ .*at most 10000/),
    });
  });
});

describe('document shape (before validation)', () => {
  const limits = { maxAliases: 100, maxFieldRepeats: 10, maxFields: 5_000 };
  const shape = (query: string) => code(() => assertDocumentShape(parse(query), limits));

  it('should refuse a response key repeated more than 10 times in a selection set, through fragments too (#11.9)', () => {
    const spreads = (n: number) =>
      `{ region(code: "110000") { ${Array.from({ length: n }, (_, i) => `...F${i}`).join(' ')} } } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Region { children { code } }`).join(' ')}`;
    expect(shape(spreads(10))).toBeUndefined();
    expect(shape(spreads(400))).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      message: expect.stringMatching(/^children is selected more than 10 times/),
    });
    expect(shape(`{ ${'region(code: "1") { code } '.repeat(11)} }`)?.code).toBe('QUERY_TOO_COMPLEX');
    expect(shape(`{ region(code: "1") { ${'... on Region { code } '.repeat(11)} } }`)?.code).toBe(
      'QUERY_TOO_COMPLEX',
    );
    // the same fragment spread twice counts once, as validation reads it; a cycle ends
    expect(
      shape(`{ region(code: "1") { ${'...F '.repeat(20)} } } fragment F on Region { code ...F }`),
    ).toBeUndefined();
  });
});

describe('expanded fields (before validation)', () => {
  it('should refuse a fragment spread in so many places that the document expands past 5,000 fields (#11.9)', () => {
    const limits = { maxAliases: 100, maxFieldRepeats: 10, maxFields: 5_000 };
    const wide = (places: number) =>
      `{ ${Array.from({ length: places }, (_, i) => `x${i} { ...F }`).join(' ')} } fragment F on Query { ${Array.from({ length: 1_500 }, (_, i) => `y${i}`).join(' ')} }`;
    expect(code(() => assertDocumentShape(parse(wide(2)), limits))).toBeUndefined();
    expect(code(() => assertDocumentShape(parse(wide(600)), limits))).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      message: expect.stringMatching(/more than 5000 fields once its fragments are expanded/),
    });
  });
});

describe('page size limit', () => {
  it("should read a variable's default value when the variable is left out (review of #11.10)", () => {
    const dodge = op('query($n: Int = 100000) { trips(first: $n) { totalCount } }');
    expect(code(() => assertPageSizes(dodge.scope, dodge.operation, 100))?.code).toBe('QUERY_TOO_COMPLEX');
    const sent = op('query($n: Int = 100000) { trips(first: $n) { totalCount } }', { n: 10 });
    expect(code(() => assertPageSizes(sent.scope, sent.operation, 100))).toBeUndefined();
  });

  it('should refuse first above the maximum or below zero, as a literal or a variable, anywhere', () => {
    expect(
      code(() =>
        assertPageSizes(
          op('{ trips(first: 100) { totalCount } }').scope,
          op('{ trips(first: 100) { totalCount } }').operation,
          100,
        ),
      ),
    ).toBeUndefined();
    const literal = op('{ t: trips(first: 101) { totalCount } }');
    expect(code(() => assertPageSizes(literal.scope, literal.operation, 100))).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      message: expect.stringMatching(/^t: first is 101; pages hold 0 to 100/),
    });
    const variable = op('query($f: Int) { trips(first: $f) { totalCount } }', { f: 1000 });
    expect(code(() => assertPageSizes(variable.scope, variable.operation, 100))?.code).toBe(
      'QUERY_TOO_COMPLEX',
    );
    const negative = op('query($f: Int) { trips(first: $f) { totalCount } }', { f: -1 });
    expect(code(() => assertPageSizes(negative.scope, negative.operation, 100))?.code).toBe(
      'QUERY_TOO_COMPLEX',
    );
  });
});

describe('body size limit', () => {
  const request = (body: string, headers: Record<string, string> = {}) =>
    Object.assign(Readable.from([Buffer.from(body)]), {
      headers: { 'content-type': 'application/json', ...headers },
    }) as unknown as IncomingMessage;

  it('should read a body within the limit and refuse a larger one, declared or not', async () => {
    await expect(readLimitedBody(request('{"query":"{ regions { code } }"}'), 100)).resolves.toEqual({
      query: '{ regions { code } }',
    });
    const big = JSON.stringify({ query: `{ regions { code } } # ${'x'.repeat(200)}` });
    await expect(readLimitedBody(request(big), 100)).rejects.toMatchObject({
      extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 413 } },
    });
    await expect(readLimitedBody(request('{}', { 'content-length': '5000' }), 100)).rejects.toMatchObject({
      message: expect.stringMatching(/exceeds 100 bytes/),
    });
  });
});

describe('batch limit', () => {
  it('should count the operations of a batch and refuse too many, or any when batching is off', () => {
    expect(batchSize({ query: '{ a }' }, 10)).toBe(1);
    expect(
      batchSize(
        Array.from({ length: 10 }, () => ({ query: '{ a }' })),
        10,
      ),
    ).toBe(10);
    expect(
      code(() =>
        batchSize(
          Array.from({ length: 11 }, () => ({ query: '{ a }' })),
          10,
        ),
      ),
    ).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      message: expect.stringMatching(/11 operations; at most 10/),
    });
    expect(code(() => batchSize([{ query: '{ a }' }, { query: '{ b }' }], 1))).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      message: expect.stringMatching(/turned off/),
    });
    expect(code(() => batchSize([], 10))?.code).toBe('BAD_USER_INPUT');
  });
});

describe('rate limit (token bucket per caller)', () => {
  it('should allow a burst, then the refill rate, per caller', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ ratePerSecond: 2, burst: 3, now: () => now });
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('b').allowed).toBe(true);
    now += 500;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('a', 5)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    now += 10_000;
    expect(limiter.take('a', 3).allowed).toBe(true);
  });

  it('should be off at rate 0 and keep at most maxKeys buckets', () => {
    expect(new TokenBucketLimiter({ ratePerSecond: 0, burst: 0 }).take('x', 100).allowed).toBe(true);
    let now = 0;
    const limiter = new TokenBucketLimiter({ ratePerSecond: 1, burst: 1, maxKeys: 2, now: () => now });
    limiter.take('a');
    limiter.take('b');
    now += 5_000;
    limiter.take('c');
    expect(limiter.size).toBeLessThanOrEqual(2);
  });
});

describe('limit options', () => {
  it('should read the environment over the documented defaults', () => {
    expect(DEFAULT_LIMITS).toMatchObject({
      maxDepth: 12,
      maxCost: 100_000,
      maxPageSize: 100,
      maxBodyBytes: 512_000,
      maxBatch: 10,
      ratePerSecond: 50,
      rateBurst: 200,
    });
    expect(limitsFromEnv({ LIMIT_DEPTH: '8', RATE_LIMIT_PER_SECOND: '0' })).toEqual({
      maxDepth: 8,
      ratePerSecond: 0,
    });
    expect(
      limitsFromEnv({
        LIMIT_TOKENS: '8000',
        LIMIT_FIELDS: '6000',
        LIMIT_ALIASES: '50',
        LIMIT_FIELD_REPEATS: '5',
      }),
    ).toEqual({ maxTokens: 8000, maxFields: 6000, maxAliases: 50, maxFieldRepeats: 5 });
    expect(DEFAULT_LIMITS).toMatchObject({
      maxTokens: 5_000,
      maxFields: 5_000,
      maxAliases: 100,
      maxFieldRepeats: 10,
    });
    expect(() => limitsFromEnv({ LIMIT_COST: 'lots' })).toThrow(/LIMIT_COST/);
    expect(resolveLimits({ maxDepth: 8, maxCost: undefined })).toMatchObject({
      maxDepth: 8,
      maxCost: 100_000,
    });
  });
});

/** POSTs a body to the gateway (with the tests' token unless anonymous). */
async function post(url: string, body: unknown, anonymous = false) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(anonymous ? {} : await testAuthorization()) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** The first answer of a subscription over graphql-ws: its errors, or its first event. */
async function firstAnswer(url: string, query: string): Promise<{ errors?: any[]; data?: unknown }> {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: await testAuthorization(),
    retryAttempts: 0,
  });
  try {
    return await new Promise((resolve, reject) => {
      client.subscribe(
        { query },
        {
          next: (value) => resolve(value as { data?: unknown }),
          error: (errors) => (Array.isArray(errors) ? resolve({ errors }) : reject(errors)),
          complete: () => resolve({}),
        },
      );
      setTimeout(() => resolve({ data: 'still running' }), 1_500);
    });
  } finally {
    await client.dispose();
  }
}

describe('operation limits at the gateway, before validation', () => {
  const GX = '450000';
  let hub: Hub;
  beforeAll(async () => {
    const data = emptyData();
    const trip = makeTrip('450203', '110105', '2020-02-20T08:00:00+08:00');
    data.trips.push(trip);
    hub = await startHub([GX], { [GX]: data }, { gateway: { limits: { ratePerSecond: 0 } } });
  });
  afterAll(() => hub?.close());

  const copies = (n: number, field: (i: number) => string) =>
    `{ ${Array.from({ length: n }, (_, i) => field(i)).join(' ')} }`;

  it('should refuse the 28 kB document of 1,000 region copies while parsing, with or without a token (#11.9 validation DoS)', async () => {
    const document = copies(1000, () => 'region(code:"110000"){code}');
    expect(document.length).toBeGreaterThan(27_000);
    const aliased = copies(1000, (i) => `a${i}:region(code:"110000"){code}`);
    for (const [query, anonymous] of [
      [document, true],
      [document, false],
      [aliased, false],
    ] as const) {
      const res = await post(hub.gateway.url, { query }, anonymous);
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({
        message: expect.stringMatching(/more than 5000 tokens/),
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'tokens' },
      });
    }
    // GET parameters: `a+` is one token of two characters, so 5,001 fit in a URL
    const get = await fetch(`${hub.gateway.url}?query={${'a+'.repeat(5001)}}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect((await get.json()) as any).toMatchObject({
      errors: [{ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'tokens' } }],
    });
  });

  it('should refuse repeated fields and too many aliases under the token limit, in any operation of the document (#11.9)', async () => {
    const repeated = copies(400, () => 'region(code:"110000"){code}');
    const res = await post(hub.gateway.url, { query: repeated });
    expect([res.status, res.body.errors[0].extensions]).toEqual([
      400,
      { code: 'QUERY_TOO_COMPLEX', limit: 'repeats' },
    ]);
    const hidden = await post(hub.gateway.url, {
      query: `query Small { __typename } query Big ${repeated}`,
      operationName: 'Small',
    });
    expect(hidden.body.errors[0].extensions).toMatchObject({ limit: 'repeats' });
    const aliases = await post(hub.gateway.url, { query: copies(101, (i) => `a${i}: __typename`) });
    expect(aliases.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/101 aliases; at most 100/),
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'aliases' },
    });
    expect((await post(hub.gateway.url, { query: copies(100, (i) => `a${i}: __typename`) })).status).toBe(
      200,
    );
  });

  it('should refuse a batch from an anonymous caller, and still serve one public operation (#11.9)', async () => {
    const query = '{ region(code: "450200") { name } }';
    const batch = await post(hub.gateway.url, [{ query }, { query }], true);
    expect([batch.status, batch.body.errors[0].extensions]).toEqual([
      400,
      { code: 'QUERY_TOO_COMPLEX', limit: 'batch' },
    ]);
    expect((await post(hub.gateway.url, { query }, true)).body).toEqual({
      data: { region: { name: '柳州市' } },
    });
    expect((await post(hub.gateway.url, [{ query }, { query }])).status).toBe(200);
  });

  it('should refuse 30 aliased dailySeries at their 366 days each, and pass a dashboard (#11.10 list sizes)', async () => {
    const series = copies(
      30,
      (i) => `d${i}: dailySeries(from: "2020-01-01", to: "2020-12-31") { day workers { registered } }`,
    );
    const refused = await post(hub.gateway.url, { query: series });
    expect(refused.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/cost about 120780/),
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost' },
    });
    const figures = `scope day workers { registered atHome travelling atWork priority flow { withinTownship withinCounty withinCity withinProvince crossProvince } }
      transport { outbound { trips passengers } inbound { trips passengers } internal { trips passengers } byMode { mode trips passengers } }
      employment { enterprises keyEnterprises openings filled fillRate }`;
    const dashboard = await post(hub.gateway.url, {
      query: `{ nation: summary { ${figures} } guangxi: summary(scope: "450000") { ${figures} }
        month: dailySeries(scope: "450000", from: "2020-02-01", to: "2020-02-29") { ${figures} } }`,
    });
    expect(dashboard.body.errors).toBeUndefined();
    expect(dashboard.body.data.month).toHaveLength(29);
  });

  it('should size a dailySeries by its from..to days: a week of the nation with its children passes, a year of them is refused (#15)', async () => {
    const series = (from: string, to: string) =>
      post(hub.gateway.url, {
        query: `{ dailySeries(from: "${from}", to: "${to}") { day children { scope workers { atWork } } } }`,
      });
    const week = await series('2020-02-15', '2020-02-21');
    expect(
      week.body.errors?.find(
        (e: { extensions?: { code?: string } }) => e.extensions?.code === 'QUERY_TOO_COMPLEX',
      ),
    ).toBeUndefined();
    // 366 × (10 + 52 children × (10 + 1 + 0)) = 213,012
    const year = await series('2020-01-01', '2020-12-31');
    expect(year.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/cost about 213012/),
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost' },
    });
  });

  it('should count Trip.passengers at its bound of 3,000: a page of 10 trips with their passengers passes, of 20 is refused (#11.10 list sizes)', async () => {
    const page = (first: number) =>
      post(hub.gateway.url, {
        query: `{ trips(destination: "110000", first: ${first}) { edges { node { id passengers { worker { name homeRegion { name } } } } } } }`,
      });
    expect((await page(10)).body.errors).toBeUndefined();
    // 1 + 20 × (edge 1 + trip 1 + 3,000 × (passenger 1 + worker 1 + region 1))
    expect((await page(20)).body.errors[0]).toMatchObject({
      message: expect.stringMatching(/cost about 180041/),
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost' },
    });
  });

  it('should apply the same limits to subscriptions over graphql-ws (#11.9)', async () => {
    const deep = `subscription { arrivals(destination: "450000") { trip { origin { ${'parent { '.repeat(11)}code${' }'.repeat(11)} } } } }`;
    const costly = `subscription { arrivals(destination: "450000") { trip { passengers { worker { homeRegion { children { code } } } } } } }`;
    const huge = `subscription { arrivals(destination: "450000") { cursor ${'at '.repeat(6000)} } }`;
    for (const [query, limit] of [
      [deep, 'depth'],
      [costly, 'cost'],
      [huge, 'tokens'],
    ] as const) {
      const answer = await firstAnswer(hub.gateway.url, query);
      expect(answer.errors?.[0], limit).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX', limit } });
      expect(answer.errors?.[0].extensions.http).toBeUndefined();
    }
  });
});
