import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  PROVINCE_SUBGRAPHS,
  contractVersionOf,
  contractVersionTypeDefs,
  subgraphDocument,
  type ContractRelease,
  type ProvinceSubgraph,
} from '@p2p/schema';
import { hubFormatError, inputErrorStatusPlugin, operationSpanPlugin, safeError } from '@p2p/runtime';
import type { Logger } from 'pino';
import type { ProvinceContext } from '../context.js';
import { employmentResolvers } from '../employment/resolvers.js';
import { healthResolvers } from '../health/resolvers.js';
import { transportResolvers } from '../transport/resolvers.js';
import { workersResolvers } from '../workers/resolvers.js';
import { withAccessRules } from '../access/guarded-resolvers.js';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { ResolverMap } from './resolver-map.js';

/** The resolvers of each logical subgraph. */
export const SUBGRAPH_RESOLVERS: Record<ProvinceSubgraph, ResolverMap> = {
  workers: workersResolvers,
  employment: employmentResolvers,
  transport: transportResolvers,
  health: healthResolvers,
};

/** One started Apollo Server per logical subgraph. */
export type SubgraphServers = Record<ProvinceSubgraph, ApolloServer<ProvinceContext>>;

/**
 * Builds and starts the subgraph servers from the contract SDL, used as is, with the access rules
 * of `access/`; each serves its contract version as `extend schema @contract(version: …)`.
 * @param release `previous`: the previous minor's SDL (resolvers of what it lacks are unused) @default 'current'
 */
export async function startSubgraphServers(
  log: Logger,
  release: ContractRelease = 'current',
): Promise<SubgraphServers> {
  const entries = await Promise.all(
    PROVINCE_SUBGRAPHS.map(async (name) => {
      const server = new ApolloServer<ProvinceContext>({
        schema: buildSubgraphSchema({
          typeDefs: [subgraphDocument(name, release), contractVersionTypeDefs(contractVersionOf(release))],
          resolvers: withAccessRules(SUBGRAPH_RESOLVERS[name]) as GraphQLResolverMap<unknown>,
        }),
        formatError: hubFormatError((err, path) =>
          log.error({ subgraph: name, err: safeError(err), path }, 'unexpected error'),
        ),
        includeStacktraceInErrorResponses: false,
        introspection: true,
        // The province service closes the servers itself on SIGINT/SIGTERM (Apollo would re-raise the signal).
        stopOnTerminationSignals: false,
        plugins: [ApolloServerPluginLandingPageDisabled(), inputErrorStatusPlugin, operationSpanPlugin],
        logger: apolloLogger(log.child({ subgraph: name })),
      });
      await server.start();
      return [name, server] as const;
    }),
  );
  return Object.fromEntries(entries) as SubgraphServers;
}

/** Stops the servers (in-flight requests finish first). */
export async function stopSubgraphServers(servers: SubgraphServers): Promise<void> {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
}

function apolloLogger(log: Logger) {
  return {
    debug: (msg: unknown) => log.debug(String(msg)),
    info: (msg: unknown) => log.debug(String(msg)),
    warn: (msg: unknown) => log.warn(String(msg)),
    error: (msg: unknown) => log.error(String(msg)),
  };
}
