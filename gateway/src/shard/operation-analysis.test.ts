import { describe, expect, it } from 'vitest';
import { parse, print } from 'graphql';
import { loadShardedSubgraph } from './sharded-subgraph.js';
import {
  OperationAnalyzer,
  analyzeOperation,
  stripShardAliases,
  subOperation,
} from './operation-analysis.js';

const transport = loadShardedSubgraph('transport');
const employment = loadShardedSubgraph('employment');
const normalize = (q: string) => print(parse(q));

describe('analyzeOperation', () => {
  it('should add aliased cursors and hasNextPage to a CONNECTION root field', () => {
    const a = analyzeOperation(
      transport,
      '{ trips(destination: "110000") { totalCount edges { node { id } } } }',
    );
    expect(a.rewritten).toBe(true);
    expect(a.text).toBe(
      normalize(`{ trips(destination: "110000") { totalCount edges { node { id } }
      __shard_edges: edges { cursor } __shard_page: pageInfo { hasNextPage } } }`),
    );
    expect(a.rootFields.map((f) => [f.responseKey, f.rule?.merge])).toEqual([['trips', 'CONNECTION']]);
    expect(a.entities).toBeUndefined();
  });

  it("should add a RATIO field's parts and a keyed list's key, also inside fragments", () => {
    const a = analyzeOperation(
      employment,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ...S } }
      fragment S on Summary { employment { fillRate } }`,
    );
    expect(a.entities?.responseKey).toBe('_entities');
    expect(a.text).toContain('fillRate\n    __shard_filled: filled\n    __shard_openings: openings');
    const t = analyzeOperation(
      transport,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Summary { transport { byMode { trips } } } } }`,
    );
    expect(t.text).toContain('__shard_key: mode');
  });

  it('should leave an operation that needs nothing as it came', () => {
    const query = '{ trip(id: "T45-abcdefgh") { id } }';
    const a = analyzeOperation(transport, query);
    expect(a.rewritten).toBe(false);
    expect(a.text).toBe(query);
  });

  it('should look through root fragments for top-level fields', () => {
    const a = analyzeOperation(
      transport,
      'query { ...Q __typename } fragment Q on Query { a: trip(id: "x") { id } b: trips { totalCount } }',
    );
    expect(a.rootFields.map((f) => f.responseKey)).toEqual(['a', 'b', '__typename']);
  });
});

describe('subOperation', () => {
  it('should keep only the chosen fields with the variables and fragments they use', () => {
    const a = analyzeOperation(
      transport,
      `query Q($id: ID!, $d: RegionCode) {
      trip(id: $id) { ...T }
      trips(destination: $d) { edges { node { ...T } } }
    } fragment T on Trip { id vehicleCode }`,
    );
    const first = subOperation(a, [a.rootFields[0]!]);
    expect(first).toBe(
      normalize('query Q($id: ID!) { trip(id: $id) { ...T } } fragment T on Trip { id vehicleCode }'),
    );
    const second = subOperation(a, [a.rootFields[1]!]);
    expect(second).toContain('query Q($d: RegionCode)');
    expect(second).not.toContain('$id');
    expect(subOperation(a, [a.rootFields[1]!])).toBe(second);
    expect(subOperation(a, a.rootFields)).toBe(a.text);
  });
});

describe('OperationAnalyzer', () => {
  it('should analyse each operation text once (LRU)', () => {
    const analyzer = new OperationAnalyzer(transport, 2);
    const q = '{ trips { totalCount } }';
    const first = analyzer.analyze(q);
    expect(analyzer.analyze(q)).toBe(first);
    analyzer.analyze('{ a: trips { totalCount } }');
    analyzer.analyze('{ b: trips { totalCount } }');
    expect(analyzer.size).toBe(2);
    expect(analyzer.analyze(q)).not.toBe(first);
  });
});

describe('stripShardAliases', () => {
  it('should remove every __shard_ key, deep', () => {
    expect(
      stripShardAliases({
        a: [{ __shard_key: 'BUS', b: 1 }],
        __shard_edges: [],
        c: { __shard_filled: 2, d: null },
      }),
    ).toEqual({ a: [{ b: 1 }], c: { d: null } });
  });
});
