import { describe, expect, it } from 'vitest';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { encodeId } from '@p2p/schema';
import { ShardRouter } from './router.js';
import { loadShardedSubgraph } from './sharded-subgraph.js';
import { ProvinceRegistry } from './province-registry.js';
import { ProvinceFetchError } from './province-errors.js';
import type { ProvinceAnswer, ProvinceClient, ProvinceRequest, ProvinceTarget } from './province-client.js';

type Handler = (target: ProvinceTarget, body: ProvinceRequest) => ProvinceAnswer | Promise<ProvinceAnswer>;

/** A router over a stub client that records every call instead of using HTTP. */
function routerWith(subgraph: 'workers' | 'transport', handler: Handler) {
  const calls: { province: string; body: ProvinceRequest; mutation: boolean }[] = [];
  const client = {
    send: async (target: ProvinceTarget, body: ProvinceRequest, { mutation }: { mutation: boolean }) => {
      calls.push({ province: target.province, body, mutation });
      return handler(target, body);
    },
  } as unknown as ProvinceClient;
  const registry = new ProvinceRegistry({ '13': 'http://he', '440000': 'http://gd', '450000': 'http://gx' });
  const router = new ShardRouter({ subgraph: loadShardedSubgraph(subgraph), registry, client });
  const process = (query: string, variables?: Record<string, unknown>) =>
    router.process({
      kind: 'incoming operation',
      request: { query, variables },
      context: {},
    } as unknown as GraphQLDataSourceProcessOptions);
  return { router, calls, process };
}

const ENTITIES =
  'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Worker { name } } }';
const worker = (province: string, n: number) => ({
  __typename: 'Worker',
  id: encodeId('Worker', province, `local${String(n).padStart(4, '0')}`),
});

describe('ShardRouter', () => {
  it('should send each province only its representations and answer in the original order', async () => {
    const reps = [worker('450000', 1), worker('130000', 2), worker('450000', 3), worker('440000', 4)];
    const { calls, process } = routerWith('workers', (_t, body) => ({
      data: {
        _entities: (body.variables!.representations as { id: string }[]).map((r) => ({
          name: `name of ${r.id}`,
        })),
      },
    }));
    const res = await process(ENTITIES, { representations: reps });
    expect(res.data!._entities).toEqual(reps.map((r) => ({ name: `name of ${r.id}` })));
    expect(calls.map((c) => [c.province, (c.body.variables!.representations as unknown[]).length])).toEqual([
      ['130000', 1],
      ['440000', 1],
      ['450000', 2],
    ]);
  });

  it("should move a province's entity error paths to the original indexes", async () => {
    const reps = [worker('450000', 1), worker('130000', 2), worker('450000', 3)];
    const { process } = routerWith('workers', (t, body) =>
      t.province === '450000'
        ? {
            data: { _entities: [null, { name: 'b' }] },
            errors: [{ message: 'gone', path: ['_entities', 0, 'name'], extensions: { code: 'NOT_FOUND' } }],
          }
        : { data: { _entities: (body.variables!.representations as unknown[]).map(() => ({ name: 'a' })) } },
    );
    const res = await process(ENTITIES, { representations: reps });
    expect(res.data!._entities).toEqual([null, { name: 'a' }, { name: 'b' }]);
    expect(res.errors).toEqual([
      {
        message: 'gone',
        path: ['_entities', 0, 'name'],
        extensions: { code: 'NOT_FOUND', province: '450000' },
      },
    ]);
  });

  it('should mark the representations of a failed province PROVINCE_UNAVAILABLE, one error each', async () => {
    const reps = [worker('450000', 1), worker('130000', 2), worker('450000', 3)];
    const { process } = routerWith('workers', (t, body) => {
      if (t.province === '450000') throw new ProvinceFetchError('450000', 'timeout', 'slow');
      return {
        data: { _entities: (body.variables!.representations as unknown[]).map(() => ({ name: 'a' })) },
      };
    });
    const res = await process(ENTITIES, { representations: reps });
    expect(res.data!._entities).toEqual([null, { name: 'a' }, null]);
    expect(
      res.errors!.map((e) => [e.path, e.extensions!.code, e.extensions!.province, e.extensions!.reason]),
    ).toEqual([
      [['_entities', 0], 'PROVINCE_UNAVAILABLE', '450000', 'timeout'],
      [['_entities', 2], 'PROVINCE_UNAVAILABLE', '450000', 'timeout'],
    ]);
  });

  it('should split root fields with different routes and recombine their data', async () => {
    const { calls, process } = routerWith('transport', (t, body) => ({
      data: Object.fromEntries(
        [...body.query.matchAll(/(\w+): trip\(/g)].map((m) => [m[1], { id: `${m[1]}@${t.province}` }]),
      ),
    }));
    const res = await process(
      `{ a: trip(id: "${encodeId('Trip', '450000', 'abcdefgh')}") { id } b: trip(id: "${encodeId('Trip', '130000', 'abcdefgh')}") { id } __typename }`,
    );
    expect(res.data).toEqual({ a: { id: 'a@450000' }, b: { id: 'b@130000' }, __typename: 'Query' });
    expect(calls.map((c) => c.province).sort()).toEqual(['130000', '450000']);
    expect(calls.every((c) => !c.body.query.includes('__typename'))).toBe(true);
  });

  it('should send a mutation once, to one province, flagged as a mutation', async () => {
    const { calls, process } = routerWith('transport', () => ({ data: { cancelTrip: { id: 'x' } } }));
    const res = await process(
      `mutation { cancelTrip(tripId: "${encodeId('Trip', '440000', 'abcdefgh')}", reason: "r") { id } }`,
    );
    expect(res.data).toEqual({ cancelTrip: { id: 'x' } });
    expect(calls.map((c) => [c.province, c.mutation])).toEqual([['440000', true]]);
  });

  it('should analyse a repeated operation once', async () => {
    const { router, process } = routerWith('transport', () => ({
      data: { trips: { totalCount: 1, __shard_edges: [], __shard_page: { hasNextPage: false } } },
    }));
    for (let i = 0; i < 5; i++) {
      const res = await process('query($o: RegionCode) { trips(origin: $o) { totalCount } }', {
        o: i % 2 ? '450203' : null,
      });
      expect(res.data!.trips.totalCount).toBe(i % 2 ? 1 : 3);
    }
    expect(router.cachedOperations).toBe(1);
  });
});
