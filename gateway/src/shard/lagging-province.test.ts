import { describe, expect, it } from 'vitest';
import { buildASTSchema } from 'graphql';
import { subgraphDocument } from '@p2p/schema';
import { whatProvinceLacks } from './lagging-province.js';
import { contractSchema } from './sharded-subgraph.js';

const previous = contractSchema(subgraphDocument('transport', 'previous'));

describe('whatProvinceLacks', () => {
  it('should find nothing in a fetch of fields the previous minor has', () => {
    const query =
      'query($n: Int) { __shard_0: trips(destination: "110000", first: $n) { edges { node { id vehicleCode } } } }';
    expect(whatProvinceLacks(previous, { query, variables: { n: 5 } })).toBeUndefined();
  });

  it('should name a field, a field in a fragment and an entity field the previous minor lacks', () => {
    expect(whatProvinceLacks(previous, { query: '{ trips { edges { node { id runs { id } } } } }' })).toBe(
      'Cannot query field "runs" on type "Trip".',
    );
    expect(
      whatProvinceLacks(previous, {
        query:
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on Trip { ...T } } } fragment T on Trip { runs { id } }',
        variables: { r: [{ __typename: 'Trip', id: 'x' }] },
      }),
    ).toBe('Cannot query field "runs" on type "Trip".');
  });

  it('should name an input field the previous minor lacks in the variables, without quoting their values', () => {
    const lacks = whatProvinceLacks(previous, {
      query: 'mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }',
      variables: {
        i: {
          mode: 'BUS',
          vehicleCode: '桂B·SECRET',
          origin: '450203',
          destination: '110105',
          departureAt: '2030-03-01T08:00:00+08:00',
          expectedArrivalAt: '2030-03-01T20:00:00+08:00',
          capacity: 40,
          runs: [],
        },
      },
    });
    expect(lacks).toMatch(/^Field "runs" is not defined by type "PlanTripInput"\./);
    expect(lacks).not.toContain('SECRET');
  });

  it('should let a fetch through whose operation the schema fully has, against the current contract too', () => {
    const current = buildASTSchema(subgraphDocument('transport'), { assumeValidSDL: true });
    expect(
      whatProvinceLacks(current, { query: '{ trips { edges { node { id runs { id } } } } }' }),
    ).toBeUndefined();
  });

  it('should leave a text that does not parse to the province (never throw in the router)', () => {
    expect(whatProvinceLacks(previous, { query: '{ trips {' })).toBeUndefined();
  });
});
