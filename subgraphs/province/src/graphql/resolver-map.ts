import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { ProvinceContext } from '../context.js';

/** A logical subgraph's resolvers, as `buildSubgraphSchema` takes them. */
export type ResolverMap = GraphQLResolverMap<ProvinceContext>;
