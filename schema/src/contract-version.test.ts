import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { ALL_SUBGRAPHS, subgraphDocument, subgraphSdl } from './contract.js';
import { additiveViolations } from './contract-compat.js';
import {
  CONTRACT_VERSION,
  PREVIOUS_CONTRACT_VERSION,
  contractVersionTypeDefs,
  declaredContractVersion,
  parseContractVersion,
} from './contract-version.js';

describe('contract versions', () => {
  it('should keep the previous minor one minor below the current one, in the same major', () => {
    expect(PREVIOUS_CONTRACT_VERSION.major).toBe(CONTRACT_VERSION.major);
    expect(PREVIOUS_CONTRACT_VERSION.minor).toBe(CONTRACT_VERSION.minor - 1);
  });

  it.each(ALL_SUBGRAPHS)(
    'should keep the current %s contract an additive superset of the previous minor',
    (name) => {
      expect(additiveViolations(subgraphDocument(name, 'previous'), subgraphDocument(name))).toEqual([]);
    },
  );

  it('should refuse removed or changed fields, arguments and enum values, and new required inputs', () => {
    const previous = subgraphDocument('transport', 'previous');
    const next = parse(
      subgraphSdl('transport', 'previous')
        .replace('  vehicleCode: String!\n', '')
        .replace('  capacity: Int!\n', '  capacity: Int\n')
        .replace('  FLIGHT\n', '')
        .replace('input PlanTripInput {\n', 'input PlanTripInput {\n  operator: String!\n')
        .replace('trips(\n', 'trips(\n    operator: String!\n'),
    );
    expect(additiveViolations(previous, next)).toEqual(
      expect.arrayContaining([
        'Trip.vehicleCode is missing',
        'Trip.capacity is Int, the contract says Int!',
        'TransportMode lacks FLIGHT',
        'PlanTripInput.operator is a new required input field',
        'Query.trips(operator:) is a new required argument',
      ]),
    );
  });

  it('should accept new optional arguments, input fields with defaults, types and enum values', () => {
    const next = parse(
      subgraphSdl('transport', 'previous')
        .replace('input PlanTripInput {\n', 'input PlanTripInput {\n  operator: String\n  seats: Int! = 1\n')
        .replace('trips(\n', 'trips(\n    operator: String\n')
        .replace('  FLIGHT\n', '  FLIGHT\n  FERRY\n')
        .concat('\ntype Operator { name: String! }\n'),
    );
    expect(additiveViolations(subgraphDocument('transport', 'previous'), next)).toEqual([]);
  });

  it('should read the version a served SDL declares, and null when it declares none', () => {
    expect(declaredContractVersion(contractVersionTypeDefs({ major: 1, minor: 7 }))).toEqual({
      major: 1,
      minor: 7,
    });
    expect(declaredContractVersion(subgraphDocument('transport'))).toBeNull();
    expect(declaredContractVersion(parse('extend schema @contract(version: "one")'))).toBe('unreadable');
    expect(declaredContractVersion(parse('extend schema @contract(version: 11)'))).toBe('unreadable');
    expect(parseContractVersion(' 2.10 ')).toEqual({ major: 2, minor: 10 });
    expect(parseContractVersion('1.1.0')).toBeUndefined();
  });
});
