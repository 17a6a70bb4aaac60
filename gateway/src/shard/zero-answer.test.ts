import { describe, expect, it } from 'vitest';
import { isObjectType, type GraphQLObjectType } from 'graphql';
import { loadShardedSubgraph, type ShardedSubgraph } from './sharded-subgraph.js';
import { analyzeOperation, stripShardAliases } from './operation-analysis.js';
import type { MergeScope } from './merge-answers.js';
import { summedParts, zeroAnswer } from './zero-answer.js';

/** The zero answer and the parts of an `_entities` selection on Summary, as the router builds them. */
function zeroSummary(
  sg: ShardedSubgraph,
  selection: string,
  representation: Record<string, unknown>,
  fragments = '',
) {
  const a = analyzeOperation(
    sg,
    `query($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } } ${fragments}`,
  );
  const scope: MergeScope = { schema: sg.schema, rules: sg.rules, fragments: a.fragments };
  const type = sg.schema.getType('Summary') as GraphQLObjectType;
  if (!isObjectType(type)) throw new Error('no Summary');
  const sets = [a.entities!.node.selectionSet!];
  return {
    answer: stripShardAliases(zeroAnswer(representation, type, sets, scope)),
    parts: summedParts(representation, type, sets, scope),
  };
}

describe('zero answer of a summed entity no province holds', () => {
  const rep = { __typename: 'Summary', scope: '650000', day: 'LATEST' };

  it('should answer zeros deep, empty lists, the key from the representation, and a zero ratio', () => {
    const employment = zeroSummary(
      loadShardedSubgraph('employment'),
      '__typename ... on Summary { scope day employment { enterprises openings filled fillRate } }',
      rep,
    );
    expect(employment.answer).toEqual({
      __typename: 'Summary',
      scope: '650000',
      day: 'LATEST',
      employment: { enterprises: 0, openings: 0, filled: 0, fillRate: 0 },
    });
    expect(employment.parts).toEqual(['employment']);
    const transport = zeroSummary(
      loadShardedSubgraph('transport'),
      '... on Summary { t: transport { inbound { trips moved { passengers } } byMode { mode trips } } }',
      rep,
    );
    expect(transport.answer).toEqual({ t: { inbound: { trips: 0, moved: { passengers: 0 } }, byMode: [] } });
    expect(transport.parts).toEqual(['t']);
  });

  it('should follow fragment spreads', () => {
    const { answer } = zeroSummary(
      loadShardedSubgraph('workers'),
      '... W',
      rep,
      'fragment W on Summary { workers { registered flow { crossProvince } } }',
    );
    expect(answer).toEqual({ workers: { registered: 0, flow: { crossProvince: 0 } } });
  });
});
