import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { SYSTEM_CALLER, supergraphSdl as contractSupergraphSdl } from '@p2p/schema';
import { createHubGateway } from './hub-gateway.js';
import { ProvinceRegistry } from './shard/province-registry.js';
import { ProvinceClient } from './shard/province-client.js';
import { ProvinceBreaker } from './shard/province-breaker.js';
import { ProvinceHealth } from './health/province-health.js';
import { GatewayMetrics } from './observability/metrics.js';
import { metricsPlugin } from './observability/metrics-plugin.js';
import { createLogger, type Logger } from './observability/logger.js';
import { gatewayRoutes } from './http/routes.js';
import {
  apolloExecutor,
  attachSubscriptions,
  type GatewaySubscriptions,
  type SubscriptionOptions,
} from './subscriptions/index.js';
import type { GatewayAuthOptions } from './auth/auth-options.js';
import { CallerAssertions } from './auth/caller-assertions.js';
import type { GatewayContext } from './auth/gateway-context.js';
import { graphqlAdmission } from './auth/graphql-admission.js';
import { publicFieldsPlugin } from './auth/public-fields-plugin.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import { subscriptionAuthenticator } from './auth/subscription-auth.js';
import { resolveLimits, type QueryLimits } from './limits/limit-options.js';
import { queryLimitsPlugin } from './limits/query-limits-plugin.js';
import { TokenBucketLimiter, type RateLimiter } from './limits/rate-limit.js';
import { RedisTokenBucketLimiter } from './limits/redis-rate-limit.js';

/** Options of {@link startGateway}. */
export interface GatewayOptions {
  /** Port to listen on; 0 picks a free one. @default 4000 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Province code → base URL, e.g. `{ '450000': 'http://127.0.0.1:4145' }`. Empty: plain mode. */
  provinces?: Record<string, string>;
  /** GraphQL endpoint (or base URL) of the `national` subgraph. */
  nationalUrl?: string;
  /** Supergraph SDL. @default the contract's composed supergraph */
  supergraphSdl?: string;
  /** Subgraph name → URL: plain subgraphs, or overrides (a named logical subgraph is not sharded). */
  subgraphUrls?: Record<string, string>;
  /** Time budget of a fetch to a province, retry included, in milliseconds. @default 5000 */
  provinceTimeoutMs?: number;
  /** Milliseconds between province health checks; 0: only at start. @default 30000 */
  healthCheckIntervalMs?: number;
  /** While a province is down, requests skip it and one per this many milliseconds probes it. @default 2000 */
  provinceRetryAfterMs?: number;
  /** Subscriptions over graphql-ws at /graphql: client buffer, keep-alive, the `onConnect` authentication hook. */
  subscriptions?: SubscriptionOptions;
  /** @default a JSON-lines logger on stdout at LOG_LEVEL (info) */
  logger?: Logger;
  /** Authentication of callers and signing of caller assertions (see auth/auth-options.ts). @default development secret, ephemeral signing key */
  auth?: GatewayAuthOptions;
  /** Query limits (see limits/limit-options.ts). @default DEFAULT_LIMITS */
  limits?: Partial<QueryLimits>;
  /**
   * `redis://…`: the per-caller rate limit is shared by every gateway replica through Redis
   * (limits/redis-rate-limit.ts); absent: each process counts alone. @default undefined
   */
  rateLimitRedisUrl?: string;
}

/** A running gateway. */
export interface RunningGateway {
  /** GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** The HTTP server (attach WebSocket upgrade handlers here). */
  httpServer: Server;
  /** The graphql-ws subscriptions served at `/graphql` (counters for /metrics and benchmarks). */
  subscriptions: GatewaySubscriptions;
  /** Stops health checks, drains HTTP, stops Apollo and closes province connections. */
  close(): Promise<void>;
}

/**
 * Starts the national gateway: Apollo Server over an `@apollo/gateway` whose logical province
 * subgraphs are served by shard routers, on one `node:http` server with `/graphql`, `/health`,
 * `/metrics` and an offline GraphiQL landing page.
 */
export async function startGateway(options: GatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger({ base: { component: 'gateway' } });
  const metrics = new GatewayMetrics();
  const registry = new ProvinceRegistry(options.provinces ?? {});
  const auth = options.auth ?? {};
  if (!auth.jwtSecret && !auth.jwksUrl)
    logger.warn(
      'neither AUTH_JWT_SECRET nor AUTH_JWKS_URL is set: accepting development tokens signed with the development secret',
    );
  const assertions = await CallerAssertions.create({
    signingKeyPem: auth.signingKeyPem,
    ttlSeconds: auth.assertionTtlSeconds,
    logger,
  });
  const limits = resolveLimits(options.limits);
  const client = new ProvinceClient({
    timeoutMs: options.provinceTimeoutMs ?? 5000,
    metrics,
    logger,
    assertions,
  });
  const breaker = new ProvinceBreaker({
    registry,
    probe: (code) => health.probe(code),
    retryAfterMs: options.provinceRetryAfterMs,
    metrics,
    logger,
  });
  const hub = createHubGateway({
    supergraphSdl: options.supergraphSdl ?? contractSupergraphSdl(),
    registry,
    client,
    breaker,
    logger,
    nationalUrl: options.nationalUrl,
    subgraphUrls: options.subgraphUrls,
  });
  // The breaker's probe calls `health`, which exists before any request can reach the breaker.
  const health = new ProvinceHealth({
    registry,
    client,
    subgraphs: hub.sharded,
    intervalMs: options.healthCheckIntervalMs ?? 30_000,
    metrics,
    logger,
  });

  const httpServer = createServer();
  const apollo = new ApolloServer<GatewayContext>({
    gateway: hub.gateway,
    allowBatchedHttpRequests: limits.maxBatch > 1,
    introspection: true,
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      metricsPlugin(metrics),
      publicFieldsPlugin(auth.publicRootFields),
      queryLimitsPlugin(limits),
    ],
    logger: {
      debug: (m: string) => logger.debug(m, { component: 'apollo-server' }),
      info: (m: string) => logger.info(m, { component: 'apollo-server' }),
      warn: (m: string) => logger.warn(m, { component: 'apollo-server' }),
      error: (m: string) => logger.error(m, { component: 'apollo-server' }),
    },
  });
  await apollo.start();
  await health.start();
  const limiter: RateLimiter = options.rateLimitRedisUrl
    ? new RedisTokenBucketLimiter({
        url: options.rateLimitRedisUrl,
        ratePerSecond: limits.ratePerSecond,
        burst: limits.rateBurst,
        logger,
      })
    : new TokenBucketLimiter({ ratePerSecond: limits.ratePerSecond, burst: limits.rateBurst });
  const subscriptions = attachSubscriptions({
    // connection_init carries the caller's token; the province links sign as the gateway itself.
    onConnect: subscriptionAuthenticator(createTokenVerifier(auth), logger),
    upstreamHeaders: () => assertions.headerFor(SYSTEM_CALLER),
    ...options.subscriptions,
    httpServer,
    registry,
    logger,
    metricsRegistry: metrics.registry,
    schema: hub.gateway.schema!,
    execute: apolloExecutor(apollo),
    // Each subscribe message takes from the caller's allowance, as an HTTP operation does.
    limiter,
  });
  const plain = Object.keys(options.subgraphUrls ?? {});
  const graphql = graphqlAdmission({ apollo, verify: createTokenVerifier(auth), limits, limiter, logger });
  // `graphql` answers /graphql with the caller in the context; routes' own Apollo fallback is unused.
  httpServer.on(
    'request',
    gatewayRoutes({
      apollo: apollo as unknown as ApolloServer,
      registry,
      metrics,
      logger,
      plainSubgraphs: () => plain,
      graphql,
    }),
  );

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 4000, host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`;

  let closing: Promise<void> | undefined;
  return {
    url,
    httpServer,
    subscriptions,
    close: () =>
      (closing ??= (async () => {
        await subscriptions.close();
        await health.stop();
        await apollo.stop();
        if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await client.close();
        await limiter.close?.();
      })()),
  };
}

export { ShardRouter } from './shard/router.js';
export { ProvinceRegistry, type ProvinceState } from './shard/province-registry.js';
export { createLogger, type Logger } from './observability/logger.js';
export {
  DEV_JWT_SECRET,
  PUBLIC_ROOT_FIELDS,
  authOptionsFromEnv,
  type GatewayAuthOptions,
} from './auth/auth-options.js';
export { CallerAssertions } from './auth/caller-assertions.js';
export { createTokenVerifier, type TokenVerifier } from './auth/token-verifier.js';
export { callerOfContext, type GatewayContext } from './auth/gateway-context.js';
export { DEFAULT_LIMITS, limitsFromEnv, resolveLimits, type QueryLimits } from './limits/limit-options.js';
export { signDevToken, type DevTokenClaims, type DevTokenOptions } from './auth/dev-token.js';
