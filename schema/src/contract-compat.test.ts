import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { printSubgraphSchema, buildSubgraphSchema } from '@apollo/subgraph';
import { subgraphDocument, subgraphSdl } from './contract.js';
import { contractIncompatibilities } from './contract-compat.js';

const served = (sdl: string) => parse(printSubgraphSchema(buildSubgraphSchema({ typeDefs: parse(sdl) })));

describe('contractIncompatibilities', () => {
  it('should find nothing wrong with the contract as a province serves it, nor with extra fields', () => {
    for (const name of ['workers', 'employment', 'transport'] as const) {
      expect(contractIncompatibilities(subgraphDocument(name), served(subgraphSdl(name)))).toEqual([]);
    }
    const extra = subgraphSdl('transport').replace(
      '  capacity: Int!',
      '  capacity: Int!\n  driverName: String',
    );
    expect(contractIncompatibilities(subgraphDocument('transport'), served(extra))).toEqual([]);
  });

  it('should name missing fields, changed types, missing arguments and enum values', () => {
    const broken = subgraphSdl('transport')
      .replace('  capacity: Int!\n', '  capacity: String!\n')
      .replace('  vehicleCode: String!\n', '')
      .replace('    origin: RegionCode\n    destination: RegionCode\n', '    origin: RegionCode\n')
      .replace('  FLIGHT\n', '');
    expect(contractIncompatibilities(subgraphDocument('transport'), served(broken))).toEqual(
      expect.arrayContaining([
        'Trip.capacity is String!, the contract says Int!',
        'Trip.vehicleCode is missing',
        'Query.trips(destination:) is missing',
        'TransportMode lacks FLIGHT',
      ]),
    );
  });

  it('should name a missing type', () => {
    const contract = parse('type Query { a: A } type A { x: Int } enum E { ONE }');
    expect(contractIncompatibilities(contract, parse('type Query { a: A } type A { x: Int }'))).toEqual([
      'type E is missing',
    ]);
    expect(
      contractIncompatibilities(contract, parse('type Query { a: A } input A { x: Int } enum E { ONE }')),
    ).toEqual(['A is an input, the contract says object']);
  });
});
