import { describe, expect, it } from 'vitest';
import { isObjectType, type GraphQLObjectType } from 'graphql';
import { loadShardedSubgraph, type ShardedSubgraph } from './sharded-subgraph.js';
import { analyzeOperation, stripShardAliases } from './operation-analysis.js';
import { firstNonNull, IntOverflowError, mergeAnswers, type MergeScope } from './merge-answers.js';

/** Merges province answers to an `_entities` selection on Summary the way the router does. */
function mergeSummaries(sg: ShardedSubgraph, selection: string, answers: unknown[]) {
  const a = analyzeOperation(
    sg,
    `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Summary { ${selection} } } }`,
  );
  const scope: MergeScope = { schema: sg.schema, rules: sg.rules, fragments: a.fragments };
  const type = sg.schema.getType('Summary');
  if (!isObjectType(type)) throw new Error('no Summary');
  return stripShardAliases(
    mergeAnswers('SUM', answers, type as GraphQLObjectType, [a.entities!.node.selectionSet!], scope),
  );
}

describe('SUM merge', () => {
  const workers = loadShardedSubgraph('workers');
  const employment = loadShardedSubgraph('employment');
  const transport = loadShardedSubgraph('transport');

  it('should refuse a summed Int beyond 2^31 - 1 instead of answering a wrong number (#11.13)', () => {
    const part = (n: number) => ({ __typename: 'Summary', scope: 'CN', workers: { registered: n } });
    expect(mergeSummaries(workers, 'workers { registered }', [part(2_147_483_000), part(647)])).toMatchObject(
      {
        workers: { registered: 2_147_483_647 },
      },
    );
    expect(() => mergeSummaries(workers, 'workers { registered }', [part(2_147_483_000), part(648)])).toThrow(
      IntOverflowError,
    );
  });

  it('should add numbers deep and keep other leaves from the first answer', () => {
    const part = (n: number) => ({
      __typename: 'Summary',
      scope: 'CN',
      workers: { registered: n, atWork: 1, flow: { crossProvince: n * 2 } },
    });
    expect(
      mergeSummaries(workers, 'scope workers { registered atWork flow { crossProvince } }', [
        part(1),
        part(10),
        null,
        part(100),
      ]),
    ).toEqual({
      __typename: 'Summary',
      scope: 'CN',
      workers: { registered: 111, atWork: 3, flow: { crossProvince: 222 } },
    });
  });

  it('should recompute a RATIO from the summed parts, never average it', () => {
    const part = (openings: number, filled: number) => ({
      employment: {
        fillRate: openings ? filled / openings : 0,
        __shard_filled: filled,
        __shard_openings: openings,
      },
    });
    const merged = mergeSummaries(employment, 'employment { fillRate }', [
      part(10, 9),
      part(100, 10),
      part(0, 0),
    ]) as any;
    expect(merged).toEqual({ employment: { fillRate: 19 / 110 } });
    expect(mergeSummaries(employment, 'employment { fillRate }', [part(0, 0), part(0, 0)])).toEqual({
      employment: { fillRate: 0 },
    });
  });

  it('should keep the parts when the client asked for them too', () => {
    const part = (openings: number, filled: number) => ({
      employment: { openings, filled, fillRate: 0.5, __shard_filled: filled, __shard_openings: openings },
    });
    expect(
      mergeSummaries(employment, 'employment { openings filled fillRate }', [part(4, 1), part(4, 3)]),
    ).toEqual({ employment: { openings: 8, filled: 4, fillRate: 0.5 } });
  });

  it('should merge a list with a key rule by its key, summing items, in key order', () => {
    const part = (...modes: [string, number, number][]) => ({
      transport: {
        byMode: modes.map(([mode, trips, passengers]) => ({ mode, trips, passengers, __shard_key: mode })),
        inbound: { trips: modes.length },
      },
    });
    const merged = mergeSummaries(
      transport,
      'transport { byMode { mode trips passengers } inbound { trips } }',
      [
        part(['BUS', 2, 80], ['TRAIN', 1, 500]),
        part(['BUS', 1, 40]),
        part(['FLIGHT', 1, 150], ['TRAIN', 2, 900]),
      ],
    );
    expect(merged).toEqual({
      transport: {
        byMode: [
          { mode: 'BUS', trips: 3, passengers: 120 },
          { mode: 'FLIGHT', trips: 1, passengers: 150 },
          { mode: 'TRAIN', trips: 3, passengers: 1400 },
        ],
        inbound: { trips: 5 },
      },
    });
  });

  it('should merge by key even when the client did not select the key', () => {
    const part = (trips: number) => ({ transport: { byMode: [{ trips, __shard_key: 'BUS' }] } });
    expect(mergeSummaries(transport, 'transport { byMode { trips } }', [part(1), part(2)])).toEqual({
      transport: { byMode: [{ trips: 3 }] },
    });
  });

  it('should sum the corridors of the same key, nested moved counts included, keeping the Region references', () => {
    const corridor = (key: string, trips: number, passengers: number, moved: number) => {
      const [origin, destination] = key.split('-');
      return {
        key,
        origin: { code: origin },
        destination: { code: destination },
        trips,
        passengers,
        moved: { trips: moved, passengers: moved * 10 },
        __shard_key: key,
      };
    };
    const part = (...corridors: ReturnType<typeof corridor>[]) => ({ transport: { corridors } });
    const selection =
      'transport { corridors { key origin { code } destination { code } trips passengers moved { trips passengers } } }';
    // Henan's trips into Beijing and Guangdong; Guangdong's into Beijing and back to Henan; Beijing's none.
    const merged = mergeSummaries(transport, selection, [
      part(corridor('410000-110000', 2, 80, 1), corridor('410000-440000', 1, 40, 0)),
      part(corridor('440000-410000', 3, 120, 3), corridor('410000-110000', 1, 30, 1)),
      part(),
      null,
    ]);
    expect(merged).toEqual({
      transport: {
        corridors: [
          {
            key: '410000-110000',
            origin: { code: '410000' },
            destination: { code: '110000' },
            trips: 3,
            passengers: 110,
            moved: { trips: 2, passengers: 20 },
          },
          {
            key: '410000-440000',
            origin: { code: '410000' },
            destination: { code: '440000' },
            trips: 1,
            passengers: 40,
            moved: { trips: 0, passengers: 0 },
          },
          {
            key: '440000-410000',
            origin: { code: '440000' },
            destination: { code: '410000' },
            trips: 3,
            passengers: 120,
            moved: { trips: 3, passengers: 30 },
          },
        ],
      },
    });
    // The key is asked under its alias even when the client selects only the counts.
    const counts = mergeSummaries(transport, 'transport { corridors { trips } }', [
      { transport: { corridors: [{ trips: 1, __shard_key: '450000-440000' }] } },
      { transport: { corridors: [{ trips: 2, __shard_key: '450000-440000' }] } },
    ]);
    expect(counts).toEqual({ transport: { corridors: [{ trips: 3 }] } });
  });

  it('should merge aliased fields by their response keys', () => {
    const part = (n: number) => ({ w: { r: n, again: n } });
    expect(
      mergeSummaries(workers, 'w: workers { r: registered again: registered }', [part(2), part(3)]),
    ).toEqual({ w: { r: 5, again: 5 } });
  });
});

describe('FIRST merge', () => {
  it('should take the first non-null answer', () => {
    expect(firstNonNull([null, undefined, { id: 1 }, { id: 2 }])).toEqual({ id: 1 });
    expect(firstNonNull([null, null])).toBeNull();
  });
});
