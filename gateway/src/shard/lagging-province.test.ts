import { describe, expect, it } from 'vitest';
import { buildASTSchema, parse } from 'graphql';
import { subgraphDocument, subgraphSdl } from '@p2p/schema';
import { whatProvinceLacks } from './lagging-province.js';
import { contractSchema } from './sharded-subgraph.js';

/** The previous minor (1.1): without `TransportStats.corridors`, which 1.2 added. */
const previous = contractSchema(subgraphDocument('transport', 'previous'));
/** A minor without an input field (1.0 had no `PlanTripInput.runs`), for the variables' check. */
const withoutRuns = contractSchema(
  parse(
    subgraphSdl('transport', 'previous').replace(/\n {2}"""[^"]*"""\n {2}runs: \[TripRunInput!\]\n/, '\n'),
  ),
);

const CORRIDORS =
  'query($r: [_Any!]!) { _entities(representations: $r) { ... on Summary { transport { corridors { key trips } } } } }';

describe('whatProvinceLacks', () => {
  it('should find nothing in a fetch of fields the previous minor has', () => {
    const query =
      'query($n: Int) { __shard_0: trips(destination: "110000", first: $n) { edges { node { id vehicleCode runs { id } } } } }';
    expect(whatProvinceLacks(previous, { query, variables: { n: 5 } })).toBeUndefined();
  });

  it('should name an entity field the previous minor lacks, also in a fragment', () => {
    const r = [{ __typename: 'Summary', scope: 'CN', day: 'LATEST' }];
    expect(whatProvinceLacks(previous, { query: CORRIDORS, variables: { r } })).toBe(
      'Cannot query field "corridors" on type "TransportStats".',
    );
    expect(
      whatProvinceLacks(previous, {
        query:
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on Summary { transport { ...T } } } } fragment T on TransportStats { vehicles corridors { key } }',
        variables: { r },
      }),
    ).toBe('Cannot query field "corridors" on type "TransportStats".');
  });

  it('should name an input field a minor lacks in the variables, without quoting their values', () => {
    const lacks = whatProvinceLacks(withoutRuns, {
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
    expect(
      whatProvinceLacks(contractSchema(subgraphDocument('transport')), {
        query: CORRIDORS,
        variables: { r: [{ __typename: 'Summary', scope: 'CN', day: 'LATEST' }] },
      }),
    ).toBeUndefined();
  });

  it('should leave a text that does not parse to the province (never throw in the router)', () => {
    expect(whatProvinceLacks(previous, { query: '{ trips {' })).toBeUndefined();
  });
});
