import { describe, expect, it } from 'vitest';
import { isObjectType, type GraphQLObjectType } from 'graphql';
import { encodeCursor } from '@p2p/schema';
import { loadShardedSubgraph } from './sharded-subgraph.js';
import { analyzeOperation, stripShardAliases } from './operation-analysis.js';
import { mergeConnections, remapConnectionPath } from './merge-connection.js';

const transport = loadShardedSubgraph('transport');
const connectionType = transport.schema.getType('TripConnection') as GraphQLObjectType;

/** A province's page as it answers the rewritten fetch. */
function page(items: [string, string][], more: boolean, total: number) {
  const edges = items.map(([at, id]) => ({ cursor: encodeCursor({ k: at, id }), node: { id } }));
  return {
    totalCount: total,
    pageInfo: { hasNextPage: more, endCursor: edges.at(-1)?.cursor ?? null },
    edges: edges.map((e) => ({ node: e.node })),
    __shard_edges: edges.map((e) => ({ cursor: e.cursor })),
    __shard_page: { hasNextPage: more },
  };
}

function merge(
  parts: unknown[],
  first: number,
  selection = 'totalCount pageInfo { hasNextPage endCursor } edges { node { id } }',
) {
  const a = analyzeOperation(transport, `{ trips { ${selection} } }`);
  expect(isObjectType(connectionType)).toBe(true);
  const scope = { schema: transport.schema, rules: transport.rules, fragments: a.fragments };
  const merged = mergeConnections(
    parts.map((value, i) => ({ province: String(i), value })),
    connectionType,
    [a.rootFields[0]!.node.selectionSet!],
    first,
    scope,
  );
  return { ...merged, value: stripShardAliases(merged.value) as any };
}

describe('CONNECTION merge', () => {
  it('should merge pages in keyset order (k, then id, byte order) and cut to first', () => {
    const { value } = merge(
      [
        page(
          [
            ['2020-02-20T01:00:00.000Z', 'T45-b'],
            ['2020-02-20T03:00:00.000Z', 'T45-a'],
          ],
          true,
          10,
        ),
        page(
          [
            ['2020-02-20T01:00:00.000Z', 'T13-z'],
            ['2020-02-20T02:00:00.000Z', 'T13-c'],
          ],
          false,
          2,
        ),
        null,
        page([], false, 0),
      ],
      3,
    );
    expect(value.edges.map((e: any) => e.node.id)).toEqual(['T13-z', 'T45-b', 'T13-c']);
    expect(value.totalCount).toBe(12);
    expect(value.pageInfo).toEqual({
      hasNextPage: true,
      endCursor: encodeCursor({ k: '2020-02-20T02:00:00.000Z', id: 'T13-c' }),
    });
  });

  it('should say hasNextPage when the union was cut even if no province had more', () => {
    const { value } = merge([page([['a', '1']], false, 1), page([['b', '2']], false, 1)], 1);
    expect(value.pageInfo.hasNextPage).toBe(true);
    expect(value.edges).toHaveLength(1);
  });

  it('should say no next page when nothing was cut and no province had more', () => {
    const { value } = merge([page([['a', '1']], false, 1), page([['b', '2']], false, 1)], 5);
    expect(value.pageInfo).toEqual({ hasNextPage: false, endCursor: encodeCursor({ k: 'b', id: '2' }) });
  });

  it('should give a null endCursor to an empty page', () => {
    expect(merge([page([], false, 0), page([], false, 0)], 5).value.pageInfo).toEqual({
      hasNextPage: false,
      endCursor: null,
    });
  });

  it('should answer null when no province answered', () => {
    expect(merge([null, undefined], 5).value).toBeNull();
  });

  it('should keep aliases of edges and pageInfo fields', () => {
    const a = page([['a', '1']], false, 1);
    const aliased = {
      n: a.totalCount,
      items: a.edges,
      p: { more: false, end: a.pageInfo.endCursor },
      __shard_edges: a.__shard_edges,
      __shard_page: a.__shard_page,
    };
    const { value } = merge(
      [aliased, aliased],
      5,
      'n: totalCount p: pageInfo { more: hasNextPage end: endCursor } items: edges { node { id } }',
    );
    expect(value).toEqual({
      n: 2,
      items: [{ node: { id: '1' } }, { node: { id: '1' } }],
      p: { more: false, end: encodeCursor({ k: 'a', id: '1' }) },
    });
  });

  it('should move error paths to merged edge indexes and drop errors of cut edges', () => {
    const merged = merge(
      [
        page(
          [
            ['b', '2'],
            ['d', '4'],
          ],
          false,
          2,
        ),
        page(
          [
            ['a', '1'],
            ['c', '3'],
          ],
          false,
          2,
        ),
      ],
      3,
    );
    const edges = new Set(['edges']);
    expect(remapConnectionPath(['trips', 'edges', 0, 'node', 'x'], 0, merged, edges)).toEqual([
      'trips',
      'edges',
      1,
      'node',
      'x',
    ]);
    expect(remapConnectionPath(['trips', 'edges', 1, 'node'], 0, merged, edges)).toBeUndefined();
    expect(remapConnectionPath(['trips', 'totalCount'], 1, merged, edges)).toEqual(['trips', 'totalCount']);
  });
});
