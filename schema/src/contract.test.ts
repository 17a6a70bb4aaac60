import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeContract } from './compose-supergraph.js';
import { ALL_SUBGRAPHS, PROVINCE_SUBGRAPHS, subgraphDocument, supergraphSdl } from './contract.js';
import { ERROR_CODES } from './errors.js';
import { contractCostWeights, contractListSizes, listFieldsWithoutBound } from './cost-directives.js';
import { childRegionCodes } from './regions.js';
import { provinceForValue, readShardRules, valuesAtPath } from './shard-rules.js';

describe('the contract', () => {
  it('should compose without errors or hints', () => {
    const { hints } = composeContract();
    expect(hints).toEqual([]);
  });

  it('should have a checked-in supergraph that is not stale (run npm run compose)', () => {
    expect(supergraphSdl()).toBe(composeContract().supergraphSdl);
  });

  it('should declare a routing rule for every root field and entity of every province subgraph', () => {
    for (const name of PROVINCE_SUBGRAPHS) {
      const rules = readShardRules(subgraphDocument(name));
      expect(rules.rootFields.size).toBeGreaterThan(2);
      expect(rules.entities.has('Summary')).toBe(true);
    }
    const transport = readShardRules(subgraphDocument('transport'));
    expect(transport.rootFields.get('Query.trips')).toEqual({
      by: ['origin'],
      merge: 'CONNECTION',
      orderBy: 'departureAt',
    });
    // A scope's province answers every part of its Summary (#17.2: it counts the copies of the
    // trips other provinces organise into it); the nation is every province's.
    for (const sg of ['workers', 'employment', 'transport', 'health'] as const)
      expect(readShardRules(subgraphDocument(sg)).entities.get('Summary'), sg).toEqual({
        by: ['scope'],
        merge: 'SUM',
      });
    expect(
      readShardRules(subgraphDocument('employment')).fields.get('EmploymentStats.fillRate'),
    ).toMatchObject({ merge: 'RATIO', of: ['filled', 'openings'] });
  });

  it('should declare a @listSize bound on every list field of every subgraph (#11.10 cost of lists)', () => {
    for (const name of ALL_SUBGRAPHS)
      expect(listFieldsWithoutBound(subgraphDocument(name)), name).toEqual([]);
    const sizes = contractListSizes();
    expect(sizes.get('Trip.passengers')?.assumedSize).toBe(3000);
    expect(sizes.get('Query.dailySeries')?.assumedSize).toBe(366);
    expect(contractCostWeights().get('Summary')).toBe(10);
    expect(sizes.get('Query.trips')).toEqual({
      assumedSize: 20,
      slicingArguments: ['first'],
      sizedFields: ['edges'],
    });
    // the directory's real bound: no region has more children than Region.children declares
    let most = childRegionCodes(null).length;
    const walk = (code: string | null) => {
      for (const child of childRegionCodes(code)) {
        most = Math.max(most, childRegionCodes(child).length);
        walk(child);
      }
    };
    walk(null);
    expect(sizes.get('Region.children')?.assumedSize).toBeGreaterThanOrEqual(most);
  });

  it('should find a list field without a bound', () => {
    const doc =
      parse(`directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!]) on FIELD_DEFINITION
      type Query { a: [Int!]! @listSize(assumedSize: 3) b: [Int] c: C @listSize(assumedSize: 5, sizedFields: ["items"]) }
      type C { items: [Int!]! more: [Int!]! }`);
    expect(listFieldsWithoutBound(doc)).toEqual(['Query.b', 'C.more']);
  });

  it('should list every error code in the README', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    for (const code of Object.keys(ERROR_CODES)) expect(readme).toContain(`\`${code}\``);
  });
});

describe('routing values', () => {
  it('should name the province of a region code, an entity id or the nation', () => {
    expect(provinceForValue('450203001')).toBe('450000');
    expect(provinceForValue('T13-0123456789abcdef')).toBe('130000');
    expect(provinceForValue('CN')).toBe('ALL');
    expect(provinceForValue('999999')).toBeUndefined();
    expect(provinceForValue(42)).toBeUndefined();
  });

  it('should read dotted paths through lists', () => {
    expect(valuesAtPath({ inputs: [{ homeRegion: 'a' }, { homeRegion: 'b' }] }, 'inputs.homeRegion')).toEqual(
      ['a', 'b'],
    );
    expect(valuesAtPath({ departureRegion: { code: '450200' } }, 'departureRegion.code')).toEqual(['450200']);
    expect(valuesAtPath({ input: null }, 'input.origin')).toEqual([]);
  });
});
