/**
 * The national subgraph's executable schema: the contract's `national` SDL with the
 * directory and summary resolvers and the contract's scalars.
 */
import type { GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { scalarResolvers, subgraphDocument } from '@p2p/schema';
import { regionQueryResolvers, regionTypeResolvers } from './region-resolvers.js';
import { summaryQueryResolvers, summaryTypeResolvers } from './summary-resolvers.js';

/** The resolver map of the national subgraph. */
export const nationalResolvers = {
  ...scalarResolvers,
  Query: { ...regionQueryResolvers, ...summaryQueryResolvers },
  Region: regionTypeResolvers,
  Summary: summaryTypeResolvers,
};

/** Builds the federated schema of the national subgraph (served at `/graphql`). */
export function buildNationalSchema(): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: subgraphDocument('national'), resolvers: nationalResolvers }]);
}
