import { createServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { SYSTEM_CALLER, supergraphSdl as contractSupergraphSdl } from '@p2p/schema';
import {
  closeOnce,
  closeServer,
  createLogger,
  developmentMode,
  hubFormatError,
  listen,
  safeError,
  type Logger,
} from '@p2p/runtime';
import { createHubGateway, shardedSubgraphs } from './hub-gateway.js';
import { ProvinceRegistry } from './shard/province-registry.js';
import { ProvinceClient } from './shard/province-client.js';
import { ProvinceBreaker } from './shard/province-breaker.js';
import { ProvinceHealth } from './health/province-health.js';
import { GatewayMetrics } from './observability/metrics.js';
import { metricsPlugin } from './observability/metrics-plugin.js';
import { adminRoutes, gatewayRoutes } from './http/routes.js';
import type { ConsoleSiteOptions } from './http/console-site.js';
import { developmentConsoleRoles } from './http/console-development-roles.js';
import {
  apolloExecutor,
  attachSubscriptions,
  type GatewaySubscriptions,
  type SubscriptionOptions,
} from './subscriptions/index.js';
import { assertRealKeys, DEV_JWT_SECRET, type GatewayAuthOptions } from './auth/auth-options.js';
import { CallerAssertions } from './auth/caller-assertions.js';
import type { GatewayContext } from './auth/gateway-context.js';
import { graphqlAdmission } from './http/graphql-admission.js';
import { publicFieldsPlugin } from './auth/public-fields-plugin.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import { subscriptionAuthenticator } from './auth/subscription-auth.js';
import { resolveLimits, type QueryLimits } from './limits/limit-options.js';
import { operationLimitRules, subscriptionRefusal } from './limits/operation-limits.js';
import { queryLimitsPlugin } from './limits/query-limits-plugin.js';
import { TokenBucketLimiter, type RateLimiter } from './limits/rate-limit.js';
import { RedisTokenBucketLimiter } from './limits/redis-rate-limit.js';
import { startRelay, type GatewayRelay, type RelayOptions } from './relay/gateway-relay.js';
import { loadTrustedDocuments, type TrustedDocumentsSettings } from './trusted-documents/trusted-options.js';
import { subscriptionTrust } from './trusted-documents/trusted-subscriptions.js';

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
  /**
   * Answers `Region` entity fetches of `national` in the gateway from the regions directory it ships
   * (gateway/src/national/); false sends them to national (`LOCAL_REGIONS=off`). @default true
   */
  localRegions?: boolean;
  /** Time budget of a fetch to a province, retry included, in milliseconds. @default 5000 */
  provinceTimeoutMs?: number;
  /** Milliseconds between province health checks; 0: only at start. @default 30000 */
  healthCheckIntervalMs?: number;
  /** While a province is down, requests skip it and one per this many milliseconds probes it. @default 2000 */
  provinceRetryAfterMs?: number;
  /**
   * Directory of the provinces' last conformance kit reports (`<dir>/<province>.json`, the kit's
   * `--json`): a province is routed to only while its report passes (health/conformance-reports.ts;
   * re-read at every health check). @default undefined (no report required)
   */
  conformanceReportDir?: string;
  /** Subscriptions over graphql-ws at /graphql: client buffer, keep-alive, the `onConnect` authentication hook. */
  subscriptions?: SubscriptionOptions;
  /** @default a JSON-lines logger on stdout at LOG_LEVEL (info) */
  logger?: Logger;
  /**
   * Authentication of callers and signing of caller assertions (see auth/auth-options.ts).
   * Outside development mode a JWT secret or JWKS URL and the signing key are required.
   * @default development mode only: the development secret and an ephemeral signing key
   */
  auth?: GatewayAuthOptions;
  /**
   * Development mode: the development JWT secret and an ephemeral signing key are allowed.
   * Outside it the gateway refuses to start without real keys, naming the missing setting.
   * @default developmentMode() (P2P_DEV=1 or --dev)
   */
  development?: boolean;
  /**
   * Bearer token admitting `/health/details` and `/metrics` on the public port.
   * @default undefined (refused on the public port)
   */
  adminToken?: string;
  /** Port of a second listener serving `/health`, `/health/details` and `/metrics` without a token; 0 picks one. @default undefined (none) */
  adminPort?: number;
  /** Interface of the admin listener. @default '127.0.0.1' */
  adminHost?: string;
  /** Query limits (see limits/limit-options.ts). @default DEFAULT_LIMITS */
  limits?: Partial<QueryLimits>;
  /**
   * `redis://…`: the per-caller rate limit is shared by every gateway replica through Redis
   * (limits/redis-rate-limit.ts); absent: each process counts alone. @default undefined
   */
  rateLimitRedisUrl?: string;
  /**
   * The relay between provinces (`relay/`): each province's facts about records another province
   * owns, carried to that province (see ARCHITECTURE.md, "The relay"). `false` turns it off (a
   * gateway over fake provinces); any number of replicas may run it.
   * @default on, with the defaults of RelayOptions, when two provinces or more are connected
   */
  relay?: RelayOptions | false;
  /**
   * Trusted documents (`TRUSTED_DOCUMENTS`, `TRUSTED_DOCUMENTS_MANIFESTS`; docs/trusted-documents.md):
   * safelist (registered operations by id only), apq (texts, registered ids and automatic persisted
   * queries) or off. @default apq in development mode, safelist otherwise, with the built manifest
   */
  trustedDocuments?: TrustedDocumentsSettings;
  /**
   * The console at `/console/` (http/console-site.ts): where its build is, how people sign in.
   * @default the installed `@p2p/console` build; development mode: the development role picker
   */
  console?: ConsoleSiteOptions;
}

/** A running gateway. */
export interface RunningGateway {
  /** GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** The HTTP server (attach WebSocket upgrade handlers here). */
  httpServer: Server;
  /** The graphql-ws subscriptions served at `/graphql` (counters for /metrics and benchmarks). */
  subscriptions: GatewaySubscriptions;
  /** Base URL of the admin listener (e.g. http://127.0.0.1:9400) when `adminPort` is set. */
  adminUrl?: string;
  /** The relay between provinces, when it runs. */
  relay?: GatewayRelay;
  /** Stops health checks, drains HTTP, stops Apollo and closes province connections. */
  close(): Promise<void>;
}

/**
 * Starts the national gateway: Apollo Server over an `@apollo/gateway` whose logical province
 * subgraphs are served by shard routers, on one `node:http` server with `/graphql`, `/health`
 * (up/down), an offline GraphiQL landing page, and the admin paths (`/health/details`, `/metrics`)
 * behind `adminToken` or on `adminPort`.
 * @throws Error naming the missing key outside development mode (see `development`)
 */
export async function startGateway(options: GatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger({ base: { component: 'gateway' } });
  const auth = options.auth ?? {};
  const development = options.development ?? developmentMode();
  assertRealKeys(auth, development);
  const metrics = new GatewayMetrics();
  const trusted = loadTrustedDocuments(
    options.trustedDocuments ?? {},
    development,
    logger,
    metrics.trustedDocuments,
  );
  const registry = new ProvinceRegistry(options.provinces ?? {});
  if (!auth.jwtSecret && !auth.jwksUrl)
    logger.warn(
      'development mode, neither AUTH_JWT_SECRET nor AUTH_JWKS_URL is set: accepting development tokens signed with the development secret',
    );
  const assertions = await CallerAssertions.create({
    signingKeyPem: auth.signingKeyPem,
    ttlSeconds: auth.assertionTtlSeconds,
    logger,
  });
  const limits = resolveLimits(options.limits);
  const limitRules = operationLimitRules(limits, { publicRootFields: auth.publicRootFields });
  const client = new ProvinceClient({
    timeoutMs: options.provinceTimeoutMs ?? 5000,
    metrics,
    logger,
    assertions,
  });
  const sharded = shardedSubgraphs(registry, options.subgraphUrls);
  const health = new ProvinceHealth({
    registry,
    client,
    subgraphs: sharded,
    intervalMs: options.healthCheckIntervalMs ?? 30_000,
    conformanceReportDir: options.conformanceReportDir,
    metrics,
    logger,
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
    sharded,
    breaker,
    logger,
    nationalUrl: options.nationalUrl,
    subgraphUrls: options.subgraphUrls,
    localRegions: options.localRegions,
  });
  const verify = createTokenVerifier(auth);

  const httpServer = createServer();
  const apollo = new ApolloServer<GatewayContext>({
    gateway: hub.gateway,
    allowBatchedHttpRequests: limits.maxBatch > 1,
    // The admission refuses larger documents before this parse; this bounds any other way in.
    parseOptions: { maxTokens: limits.maxTokens },
    // Automatic persisted queries in apq mode only, in Apollo Server's bounded in-memory LRU cache;
    // registered ids are resolved before Apollo Server (trusted-documents/).
    persistedQueries: trusted.mode === 'apq' ? {} : false,
    introspection: true,
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    // Over the contract, every extensions.code from the registry: Apollo's own request errors
    // (syntax, validation, variables) become BAD_USER_INPUT, anything unexpected
    // INTERNAL_SERVER_ERROR (logged). Plain mode (another supergraph) answers as @apollo/gateway.
    ...(options.supergraphSdl === undefined
      ? {
          formatError: hubFormatError((err, path) =>
            logger.error({ err: safeError(err), path }, 'unexpected error'),
          ),
        }
      : {}),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      metricsPlugin(metrics),
      publicFieldsPlugin(auth.publicRootFields),
      queryLimitsPlugin(limitRules),
    ],
    logger: logger.child({ component: 'apollo-server' }),
  });
  await apollo.start();
  await health.start();
  const operationLimits = { ...limitRules, schema: hub.gateway.schema! };
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
    onConnect: subscriptionAuthenticator(verify, logger),
    upstreamHeaders: (province) => assertions.headerFor(SYSTEM_CALLER, { province, webSocket: true }),
    ...options.subscriptions,
    httpServer,
    registry,
    logger,
    metricsRegistry: metrics.registry,
    schema: hub.gateway.schema!,
    execute: apolloExecutor(apollo),
    // The query limits of HTTP, before graphql-ws parses and validates the subscription.
    // Ids become their registered text first (trusted documents), so the limits read the text.
    admitOperation: (operation) =>
      subscriptionTrust(trusted, operation) ?? subscriptionRefusal(operation, operationLimits),
    // Each subscribe message takes from the caller's allowance, as an HTTP operation does.
    limiter,
  });
  const plain = Object.keys(options.subgraphUrls ?? {});
  const graphql = graphqlAdmission({ apollo, verify, limits, limiter, logger, operationLimits, trusted });
  const relay =
    options.relay !== false && registry.codes.length >= 2
      ? startRelay({ registry, assertions, metrics, logger, relay: options.relay || {} })
      : undefined;
  const routes = { registry, metrics, logger, plainSubgraphs: () => plain, ...(relay ? { relay } : {}) };
  const consoleSite = {
    // Development roles only while the gateway accepts tokens of the public development secret:
    // with a real secret or a JWKS, a token handed out here would be a real credential.
    ...(development &&
    !options.console?.oidc &&
    !auth.jwksUrl &&
    (auth.jwtSecret ?? DEV_JWT_SECRET) === DEV_JWT_SECRET
      ? {
          developmentRoles: () =>
            developmentConsoleRoles(auth.jwtSecret, options.console?.developmentRolesFile),
        }
      : {}),
    ...options.console,
    development,
    trustedDocuments: trusted.mode,
  };
  httpServer.on(
    'request',
    gatewayRoutes({ ...routes, graphql, adminToken: options.adminToken, console: consoleSite }),
  );
  const url = await listen(httpServer, { port: options.port ?? 4000, host: options.host, path: '/graphql' });
  const adminServer = options.adminPort === undefined ? undefined : createServer(adminRoutes(routes));
  const adminUrl = adminServer
    ? await listen(adminServer, { port: options.adminPort!, host: options.adminHost ?? '127.0.0.1' })
    : undefined;

  return {
    url,
    httpServer,
    subscriptions,
    ...(adminUrl ? { adminUrl } : {}),
    ...(relay ? { relay } : {}),
    close: closeOnce(async () => {
      await relay?.stop();
      await subscriptions.close();
      await health.stop();
      if (adminServer) await closeServer(adminServer);
      await apollo.stop();
      await closeServer(httpServer);
      await client.close();
      await limiter.close?.();
    }),
  };
}

export { ShardRouter } from './shard/router.js';
/** The subscriptions' cursor codec and shared cursor states (the subscription benchmarks use them). */
export { CursorState, encodeVectorCursor } from './subscriptions/index.js';
export { LocalRegionsSource, type NationalFetch } from './national/local-regions.js';
export type { GatewayRelay, RelayOptions } from './relay/gateway-relay.js';
export type { RelayBacklog } from './relay/relay-backlog.js';
export { ProvinceRegistry, type ProvinceState } from './shard/province-registry.js';
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
export {
  documentId,
  MANIFEST_FORMAT,
  type ManifestOperation,
  type PersistedQueryManifest,
} from './trusted-documents/manifest.js';
export type { TrustedDocumentsMode } from './trusted-documents/trusted-documents.js';
export type { ConsoleDevelopmentRole, ConsoleOidcSettings, ConsoleSiteOptions } from './http/console-site.js';
export type { TrustedDocumentsSettings } from './trusted-documents/trusted-options.js';
