import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { batchSize } from './batch-limit.js';
import { readLimitedBody } from './body-size-limit.js';
import { assertCost, operationCost } from './cost-limit.js';
import { assertDepth, operationDepth } from './depth-limit.js';
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
  return { scope: operationScope(schema, document, variables), operation };
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
      message: expect.stringMatching(/nested 7 levels deep; at most 6/),
    });
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
  const assume = { defaultPageSize: 20, assumedListSize: 10 };

  it('should count each field once per time it is resolved: page sizes for connections, an assumed size for other lists', () => {
    expect(
      operationCost(
        op('{ trips(first: 100) { edges { node { id } } } }').scope,
        op('{ trips(first: 100) { edges { node { id } } } }').operation,
        assume,
      ),
    ).toBe(202);
    const nested = op(
      'query($n: Int) { trips(first: $n) { totalCount edges { node { passengers { worker { name } } } } } }',
      { n: 50 },
    );
    // trips 1 + totalCount 1 + edges 1 + 50 × (node 1 + passengers 1 + 10 × (worker 1 + name 1))
    expect(operationCost(nested.scope, nested.operation, assume)).toBe(3 + 50 * 22);
    const defaults = op('{ trips { edges { cursor } } regions { code skills: name } }');
    expect(operationCost(defaults.scope, defaults.operation, assume)).toBe(2 + 20 + 1 + 20);
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

describe('page size limit', () => {
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
      maxCost: 10_000,
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
    expect(() => limitsFromEnv({ LIMIT_COST: 'lots' })).toThrow(/LIMIT_COST/);
    expect(resolveLimits({ maxDepth: 8, maxCost: undefined })).toMatchObject({
      maxDepth: 8,
      maxCost: 10_000,
    });
  });
});
