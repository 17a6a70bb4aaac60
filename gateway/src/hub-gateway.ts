import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import { PROVINCE_SUBGRAPHS, type ProvinceSubgraph } from '@p2p/schema';
import { ShardRouter } from './shard/router.js';
import { loadShardedSubgraph, type ShardedSubgraph } from './shard/sharded-subgraph.js';
import type { ProvinceRegistry } from './shard/province-registry.js';
import type { ProvinceClient } from './shard/province-client.js';
import type { ProvinceBreaker } from './shard/province-breaker.js';
import { withTraceHeaders, type Logger } from '@p2p/runtime';
import { LocalRegionsSource } from './national/local-regions.js';

/** Options of {@link createHubGateway}. */
export interface HubGatewayOptions {
  supergraphSdl: string;
  registry: ProvinceRegistry;
  client: ProvinceClient;
  /** The logical province subgraphs to shard (see {@link shardedSubgraphs}). */
  sharded: ShardedSubgraph[];
  /** Skips provinces known to be down. */
  breaker?: ProvinceBreaker;
  /** GraphQL endpoint of the `national` subgraph (overrides the supergraph's URL). */
  nationalUrl?: string;
  /** Subgraph name → URL; a named subgraph is served plainly, even a logical province one. */
  subgraphUrls?: Record<string, string>;
  /**
   * Answers `Region` entity fetches of `national` in the gateway from the directory (no hop);
   * false sends them to national (`LOCAL_REGIONS=off`).
   * @default true
   */
  localRegions?: boolean;
  logger: Logger;
}

/** The federated gateway and the shard routers it uses. */
export interface HubGateway {
  gateway: ApolloGateway;
  routers: Map<string, ShardRouter>;
}

/**
 * The logical province subgraphs routed to provinces: every one unless `subgraphUrls` serves it
 * plainly; none without provinces (plain mode).
 */
export function shardedSubgraphs(
  registry: ProvinceRegistry,
  subgraphUrls: Record<string, string> = {},
): ShardedSubgraph[] {
  const names = registry.codes.length ? PROVINCE_SUBGRAPHS.filter((n) => !subgraphUrls[n]) : [];
  return names.map((name) => loadShardedSubgraph(name));
}

const isProvinceSubgraph = (name: string): name is ProvinceSubgraph =>
  (PROVINCE_SUBGRAPHS as readonly string[]).includes(name);

/** `http://host:port` → `http://host:port/graphql`; a URL with a path is kept. */
export function graphqlEndpoint(url: string): string {
  const u = new URL(url);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/graphql';
  return u.toString();
}

/**
 * An `@apollo/gateway` over the supergraph whose `buildService` returns a {@link ShardRouter} for
 * each logical province subgraph (when provinces are configured) and a plain
 * `RemoteGraphQLDataSource` for every other subgraph, exactly as plain `@apollo/gateway` would.
 */
export function createHubGateway(options: HubGatewayOptions): HubGateway {
  const { registry, client, breaker, logger, sharded } = options;
  const overrides = options.subgraphUrls ?? {};
  const routers = new Map(
    sharded.map((sg) => [sg.name, new ShardRouter({ subgraph: sg, registry, client, breaker, logger })]),
  );
  // @apollo/gateway reports host metrics (OS, CPUs, memory, cloud provider) to Apollo every hour
  // and probes cloud metadata endpoints at start unless APOLLO_TELEMETRY_DISABLED is set: a
  // government data hub makes no call its operators did not configure. Only `false` or `0` turns
  // it back on (Apollo itself reads only `true`/`1` as off: an empty or other value would be on).
  if (!['false', '0'].includes(process.env.APOLLO_TELEMETRY_DISABLED ?? ''))
    process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: logger.child({ component: 'apollo-gateway' }),
    buildService: ({ name, url }): GraphQLDataSource => {
      const router = isProvinceSubgraph(name) ? routers.get(name) : undefined;
      if (router) return router;
      const target =
        overrides[name] ??
        (name === 'national' && options.nationalUrl ? graphqlEndpoint(options.nationalUrl) : url);
      const remote = new RemoteGraphQLDataSource({
        url: target,
        // The trace crosses this hop too: national serves the fetch in a span of the operation's trace.
        willSendRequest({ request }) {
          for (const [name, value] of Object.entries(withTraceHeaders<Record<string, string>>({})))
            request.http?.headers.set(name, value);
        },
      });
      return name === 'national' && options.localRegions !== false ? new LocalRegionsSource(remote) : remote;
    },
  });
  return { gateway, routers };
}
