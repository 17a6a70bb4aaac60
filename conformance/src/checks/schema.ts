import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import {
  PROVINCE_SUBGRAPHS,
  judgeServedSdl,
  readShardRules,
  shardRuleDifferences,
  subgraphDocument,
  type ProvinceSubgraph,
} from '@p2p/schema';
import { CheckFailure } from '../check-failure.js';
import type { ConformanceCheck, KitContext } from '../check.js';

/**
 * The schema checks: what each logical subgraph serves as `_service { sdl }` is judged by the same
 * code the gateway's health check routes by (`judgeServedSdl` of `@p2p/schema`), keeps the
 * contract's `@shard` rules, and composes with the rest of the contract.
 */

const SERVICE_QUERY = 'query KitServedSdl { _service { sdl } }';
/** Most problems a failure lists (the first ones say enough). */
const MAX_LISTED = 12;

const served = new WeakMap<KitContext, Promise<Map<ProvinceSubgraph, string>>>();

/** The SDL each logical subgraph serves, read once per run (as the gateway's `system` caller). */
function servedSdl(kit: KitContext): Promise<Map<ProvinceSubgraph, string>> {
  let sdl = served.get(kit);
  if (!sdl) {
    sdl = (async () => {
      const texts = new Map<ProvinceSubgraph, string>();
      for (const sg of PROVINCE_SUBGRAPHS) {
        const answer = await kit.link.query(sg, SERVICE_QUERY, {}, kit.callers.system);
        const text = answer.data?._service?.sdl;
        if (typeof text !== 'string')
          throw new CheckFailure(
            `${sg} answers no _service { sdl } to the gateway's system caller`,
            answer.exchange,
          );
        texts.set(sg, text);
      }
      return texts;
    })();
    served.set(kit, sdl);
  }
  return sdl;
}

const listed = (problems: string[]) =>
  `${problems.slice(0, MAX_LISTED).join('; ')}${problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : ''}`;

function contractCheck(sg: ProvinceSubgraph): ConformanceCheck {
  return {
    id: `schema.contract.${sg}`,
    title: `${sg}: _service { sdl } keeps every type, field, argument and enum value of the contract, as the gateway judges it`,
    writes: false,
    async run(kit) {
      const sdl = (await servedSdl(kit)).get(sg)!;
      const verdict = judgeServedSdl(
        { contract: subgraphDocument(sg), previous: subgraphDocument(sg, 'previous') },
        sdl,
      );
      if (verdict.problems.length)
        throw new CheckFailure(`the gateway would not route to it: ${listed(verdict.problems)}`);
      if (verdict.lacking.length)
        throw new CheckFailure(
          `it serves the previous minor (${verdict.version}), routed only while the hub upgrades; it lacks ${listed(verdict.lacking)}`,
        );
    },
  };
}

function shardRulesCheck(sg: ProvinceSubgraph): ConformanceCheck {
  return {
    id: `schema.shard-rules.${sg}`,
    title: `${sg}: every @shard routing and merge rule is the contract's`,
    writes: false,
    async run(kit) {
      const doc = parse((await servedSdl(kit)).get(sg)!);
      const rules = readShardRules(doc);
      if (rules.rootFields.size + rules.entities.size + rules.fields.size === 0)
        throw new CheckFailure(
          'the served SDL prints no @shard rule: serve the contract SDL with its directives',
        );
      const problems = shardRuleDifferences(subgraphDocument(sg), doc);
      if (problems.length) throw new CheckFailure(listed(problems));
    },
  };
}

const composes: ConformanceCheck = {
  id: 'schema.composes',
  title: 'the four served SDLs compose with the national subgraph of the contract (@apollo/composition)',
  writes: false,
  async run(kit) {
    const sdl = await servedSdl(kit);
    const result = composeServices([
      ...PROVINCE_SUBGRAPHS.map((sg) => ({
        name: sg,
        url: `http://${sg}.subgraph.invalid/graphql`,
        typeDefs: parse(sdl.get(sg)!),
      })),
      {
        name: 'national',
        url: 'http://national.subgraph.invalid/graphql',
        typeDefs: subgraphDocument('national'),
      },
    ]);
    if (result.errors?.length)
      throw new CheckFailure(`composition fails: ${listed(result.errors.map((e) => e.message))}`);
  },
};

/** The schema checks, in the order they run. */
export const SCHEMA_CHECKS: readonly ConformanceCheck[] = [
  ...PROVINCE_SUBGRAPHS.map(contractCheck),
  ...PROVINCE_SUBGRAPHS.map(shardRulesCheck),
  composes,
];
