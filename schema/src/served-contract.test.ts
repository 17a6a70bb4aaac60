import { describe, expect, it } from 'vitest';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { subgraphDocument, subgraphSdl } from './contract.js';
import {
  CONTRACT_VERSION,
  contractVersionTypeDefs,
  type ContractRelease,
  type ContractVersion,
} from './contract-version.js';
import { judgeServedSdl, type SubgraphContract } from './served-contract.js';

/** The transport subgraph's contract as the gateway holds it: the current minor and the previous one. */
const transport: SubgraphContract = {
  contract: subgraphDocument('transport'),
  previous: subgraphDocument('transport', 'previous'),
};
const { major, minor } = CONTRACT_VERSION;

/** The `_service { sdl }` a province serves: `sdl` (or a release's) declaring `version` (none: no declaration). */
function served(version: ContractVersion | null, release: ContractRelease = 'current', sdl?: string): string {
  const typeDefs = [parse(sdl ?? subgraphSdl('transport', release))];
  if (version) typeDefs.push(contractVersionTypeDefs(version));
  const schema = buildSubgraphSchema({ typeDefs });
  // The text `_service { sdl }` carries (federation's printer keeps the schema directives).
  const sdlField = schema.getQueryType()!.getFields()._service!;
  return (sdlField.resolve!(undefined, {}, undefined, undefined as never) as { sdl: string }).sdl;
}

describe('judgeServedSdl', () => {
  it('should accept the current minor, and a province that declares no version when it keeps the contract', () => {
    expect(judgeServedSdl(transport, served(CONTRACT_VERSION))).toEqual({
      version: `${major}.${minor}`,
      problems: [],
      lacking: [],
    });
    expect(judgeServedSdl(transport, served(null))).toMatchObject({ version: null, problems: [] });
    const undeclaredOld = judgeServedSdl(transport, served(null, 'previous'));
    expect(undeclaredOld.problems).toContain('TransportStats.corridors is missing');
  });

  it('should accept the previous minor, naming what it lacks and keeping its schema for the fetch check', () => {
    const verdict = judgeServedSdl(transport, served({ major, minor: minor - 1 }, 'previous'));
    expect(verdict.problems).toEqual([]);
    expect(verdict.version).toBe(`${major}.${minor - 1}`);
    expect(verdict.lacking).toEqual(
      expect.arrayContaining(['TransportStats.corridors is missing', 'type Corridor is missing']),
    );
    expect(verdict.schema?.getType('Trip')).toBeDefined();
  });

  it("should judge the routing rules by the minor served: the previous minor's own, the current minor's (#17.2)", () => {
    const everyProvince = 'type Summary @key(fields: "scope day") @shard(merge: "SUM") {';
    const byScope = 'type Summary @key(fields: "scope day") @shard(by: ["scope"], merge: "SUM") {';
    expect(subgraphSdl('transport', 'previous')).toContain(everyProvince);
    expect(subgraphSdl('transport')).toContain(byScope);
    const previousWithCurrentRule = served(
      { major, minor: minor - 1 },
      'previous',
      subgraphSdl('transport', 'previous').replace(everyProvince, byScope),
    );
    expect(judgeServedSdl(transport, previousWithCurrentRule).problems).toEqual([
      'Summary has @shard(by: ["scope"], merge: "SUM"), the contract says @shard(by: [], merge: "SUM")',
    ]);
    const currentWithPreviousRule = served(
      { major, minor },
      'current',
      subgraphSdl('transport').replace(byScope, everyProvince),
    );
    // This minor as built before #17.2 narrowed the rule: the previous minor's rule is no conflict.
    expect(judgeServedSdl(transport, currentWithPreviousRule).problems).toEqual([]);
    const currentWithOtherRule = served(
      { major, minor },
      'current',
      subgraphSdl('transport').replace(byScope, byScope.replace('"scope"', '"day"')),
    );
    expect(judgeServedSdl(transport, currentWithOtherRule).problems).toEqual([
      'Summary has @shard(by: ["day"], merge: "SUM"), the contract says @shard(by: ["scope"], merge: "SUM")',
    ]);
  });

  it('should refuse a previous minor that changed or dropped what that minor had, or changed what it added', () => {
    const base = subgraphSdl('transport', 'previous');
    const dropped = served(
      { major, minor: minor - 1 },
      'previous',
      base.replace('  vehicleCode: String!\n', ''),
    );
    expect(judgeServedSdl(transport, dropped).problems).toContain('Trip.vehicleCode is missing');
    const changed = served(
      { major, minor: minor - 1 },
      'previous',
      base.replace('  vehicles: Int!\n}', '  vehicles: Int!\n  corridors: [String!]!\n}'),
    );
    expect(judgeServedSdl(transport, changed).problems).toContain(
      'TransportStats.corridors is [String!]!, the contract says [Corridor!]!',
    );
  });

  it('should accept the next minor with extra fields and refuse one that drops a field', () => {
    const next = subgraphSdl('transport').replace(
      '  capacity: Int!\n',
      '  capacity: Int!\n  driverName: String\n',
    );
    expect(judgeServedSdl(transport, served({ major, minor: minor + 1 }, 'current', next)).problems).toEqual(
      [],
    );
    const broken = subgraphSdl('transport').replace('  capacity: Int!\n', '');
    expect(
      judgeServedSdl(transport, served({ major, minor: minor + 1 }, 'current', broken)).problems,
    ).toEqual(['Trip.capacity is missing']);
  });

  it('should refuse another major, a minor further away, and an unreadable version', () => {
    expect(judgeServedSdl(transport, served({ major: major + 1, minor: 0 })).problems[0]).toMatch(
      /another major/,
    );
    expect(judgeServedSdl(transport, served({ major, minor: minor + 2 })).problems[0]).toMatch(
      /more than one minor ahead/,
    );
    // Without the previous minor's snapshot (a gateway built with no `previous`), no older minor is accepted.
    const noSnapshot: SubgraphContract = { contract: transport.contract };
    expect(judgeServedSdl(noSnapshot, served({ major, minor: minor - 1 }, 'previous')).problems[0]).toMatch(
      /more than one minor behind/,
    );
    const unreadable = `${subgraphSdl('transport')}\ndirective @contract(version: String!) on SCHEMA\nextend schema @contract(version: "latest")`;
    expect(judgeServedSdl(transport, unreadable).problems).toEqual([
      'its @contract version is not MAJOR.MINOR',
    ]);
    expect(judgeServedSdl(transport, 'type {').problems).toEqual(['served SDL does not parse']);
  });
});

describe("the @shard rules of a served SDL (the gateway's own start-up check)", () => {
  const TRIPS_RULE = '@shard(by: ["origin"], merge: "CONNECTION", orderBy: "departureAt")';

  it("should refuse an SDL whose trips are ordered by another key than the contract's", () => {
    const contract = subgraphSdl('transport');
    expect(contract).toContain(TRIPS_RULE);
    const reordered = served(
      CONTRACT_VERSION,
      'current',
      contract.replace(
        TRIPS_RULE,
        '@shard(by: ["origin"], merge: "CONNECTION", orderBy: "expectedArrivalAt")',
      ),
    );
    expect(judgeServedSdl(transport, reordered).problems).toEqual([
      'Query.trips has @shard(by: ["origin"], merge: "CONNECTION", orderBy: "expectedArrivalAt"), the contract says @shard(by: ["origin"], merge: "CONNECTION", orderBy: "departureAt")',
    ]);
  });

  it('should refuse an SDL that routes a mutation by another argument, or drops one rule of those it prints', () => {
    const contract = subgraphSdl('transport');
    const rerouted = contract.replace(
      '@shard(by: ["input.organizer", "input.origin"])',
      '@shard(by: ["input.origin"])',
    );
    expect(judgeServedSdl(transport, served(CONTRACT_VERSION, 'current', rerouted)).problems).toEqual([
      'Mutation.planTrip has @shard(by: ["input.origin"], merge: "FIRST"), the contract says @shard(by: ["input.organizer","input.origin"], merge: "FIRST")',
    ]);
    const dropped = contract.replace(` ${TRIPS_RULE}`, '');
    expect(judgeServedSdl(transport, served(CONTRACT_VERSION, 'current', dropped)).problems).toEqual([
      'Query.trips has no @shard, the contract says @shard(by: ["origin"], merge: "CONNECTION", orderBy: "departureAt")',
    ]);
  });

  it("should accept an SDL that prints no @shard at all (a province's own system need not declare the routing)", () => {
    // Its SDL neither defines nor applies the directive.
    const bare = subgraphSdl('transport')
      .replace(/"""\nHow the national gateway routes[\s\S]*?directive @shard\([^)]*\)[^\n]*\n/, '')
      .replace(/ @shard\([^)]*\)/g, '');
    expect(bare).not.toContain('@shard');
    const sdl = served(CONTRACT_VERSION, 'current', bare);
    expect(sdl).not.toContain('@shard');
    expect(judgeServedSdl(transport, sdl)).toEqual({
      version: `${major}.${minor}`,
      problems: [],
      lacking: [],
    });
  });
});
