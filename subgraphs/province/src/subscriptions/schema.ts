/**
 * The schemas served over graphql-ws: each logical subgraph that has subscriptions (`transport`,
 * `employment`) with its contract SDL and resolvers as over HTTP, plus its subscription
 * resolvers and the WebSocket-only `Query.outboxHead`, under the same access rules as over HTTP.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import {
  contractVersionOf,
  contractVersionTypeDefs,
  subgraphDocument,
  type ContractRelease,
} from '@p2p/schema';
import { parse, type GraphQLSchema } from 'graphql';
import { withAccessRules } from '../access/guarded-resolvers.js';
import { SUBGRAPH_RESOLVERS } from '../graphql/subgraph-servers.js';
import type { ResolverMap } from '../graphql/resolver-map.js';
import {
  WS_ONLY_TYPE_DEFS,
  employmentSubscriptionResolvers,
  outboxHeadResolvers,
  transportSubscriptionResolvers,
  type SubscriptionSource,
} from './resolvers.js';

/** The logical subgraphs served over graphql-ws, each at `/<name>/graphql`. */
export const SUBSCRIPTION_SUBGRAPHS = ['transport', 'employment'] as const;
/** One of {@link SUBSCRIPTION_SUBGRAPHS}. */
export type SubscriptionSubgraph = (typeof SUBSCRIPTION_SUBGRAPHS)[number];

/** The subscription fields each subgraph serves (the first: `outboxPrunedThrough`'s default). */
const SUBSCRIPTIONS_OF: Record<SubscriptionSubgraph, readonly string[]> = {
  transport: ['arrivals', 'departures'],
  employment: ['returnRequestsFiled', 'returnRequestUpdates'],
};

/** Wraps a resolver map; by default the province's access rules, exactly as over HTTP. */
export type ResolverGuard = (resolvers: ResolverMap) => ResolverMap;

function merge(a: ResolverMap, b: ResolverMap): ResolverMap {
  const out: Record<string, unknown> = { ...a };
  for (const [type, fields] of Object.entries(b))
    out[type] = { ...(out[type] as object | undefined), ...(fields as object) };
  return out as ResolverMap;
}

/**
 * Builds the graphql-ws schema of each subgraph in {@link SUBSCRIPTION_SUBGRAPHS}.
 * @param release the contract served, as over HTTP @default 'current'
 */
export function subscriptionSchemas(
  source: SubscriptionSource,
  guard: ResolverGuard = withAccessRules,
  release: ContractRelease = 'current',
): Record<SubscriptionSubgraph, GraphQLSchema> {
  const own = {
    transport: transportSubscriptionResolvers(source),
    employment: employmentSubscriptionResolvers(source),
  };
  const build = (name: SubscriptionSubgraph) =>
    buildSubgraphSchema([
      {
        typeDefs: subgraphDocument(name, release),
        resolvers: guard(merge(SUBGRAPH_RESOLVERS[name], own[name])) as GraphQLResolverMap<unknown>,
      },
      { typeDefs: contractVersionTypeDefs(contractVersionOf(release)) },
      {
        typeDefs: parse(WS_ONLY_TYPE_DEFS),
        resolvers: outboxHeadResolvers(source, SUBSCRIPTIONS_OF[name]) as GraphQLResolverMap<unknown>,
      },
    ]);
  return { transport: build('transport'), employment: build('employment') };
}
