import type { Server } from 'node:http';
import {
  DEV_WORKER_ID_KEY,
  contractVersionOf,
  findRegion,
  formatContractVersion,
  type ContractRelease,
} from '@p2p/schema';
import {
  closeOnce,
  closeServer,
  createLogger,
  developmentMode,
  listen,
  requireSetting,
  type Logger,
} from '@p2p/runtime';
import { createContext } from './context.js';
import { openDatabase, type ProvinceDatabase } from './db/database.js';
import { startSubgraphServers, stopSubgraphServers } from './graphql/subgraph-servers.js';
import { createHttpServer } from './http-server.js';
import { createGatewayAdmission } from './access/gateway-signature.js';
import { startSubscriptionService, type SubscriptionService } from './subscriptions/index.js';
import { settleEpoch } from './relay/database-identity.js';
import {
  DEFAULT_RETENTION,
  startRetention,
  type RetentionPolicy,
  type RetentionTask,
} from './retention/retention.js';
import { startStatisticsFolder, type StatisticsFolder } from './summary/fold.js';
import { startCopyRetelling, type CopyRetelling } from './transport/copy-retelling.js';
import { relayEndpoints } from './relay/relay-http.js';
import { DEFAULT_EPIDEMIC_SETTINGS, type EpidemicSettings } from './health/epidemic-settings.js';
import type { OutboxFeed } from './subscriptions/outbox-feed.js';

export type { ProvinceDatabase, Db, Tx, Executor } from './db/database.js';
export type { ProvinceContext } from './context.js';
export * as tables from './db/schema/index.js';
/** Retention of outbox events and idempotency keys: one pass on demand, and the policy's defaults. */
export {
  pruneOnce,
  DEFAULT_RETENTION,
  type RetentionPolicy,
  type RetentionResult,
} from './retention/retention.js';

/** Options of {@link startProvince}. */
export interface ProvinceOptions {
  /** Six-digit province code, e.g. '450000' (Guangxi). */
  province: string;
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** `postgres://…`: node-postgres pool with keep-alive. Absent: embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory (without `databaseUrl`). Absent: in memory. */
  pgliteDir?: string;
  /** Connections of the Postgres pool (the outbox listener holds one more). @default 10 */
  databasePoolSize?: number;
  /** Epidemic-control settings (fever threshold, nucleic-acid validity). @default DEFAULT_EPIDEMIC_SETTINGS */
  epidemic?: Partial<EpidemicSettings>;
  /**
   * HMAC key of worker ids, the same in every province. Required outside development mode.
   * @default process.env.WORKER_ID_KEY (in development mode: DEV_WORKER_ID_KEY when unset)
   */
  workerIdKey?: string;
  /**
   * Development mode: the public development worker-id key and `requireGatewaySignature: false`
   * are allowed. Outside it the province refuses to start without its real keys.
   * @default developmentMode() (P2P_DEV=1 or --dev)
   */
  development?: boolean;
  /** Logger to use. @default a pino JSON logger on stdout at `logLevel` */
  logger?: Logger;
  /** Level of the default logger (`silent` in tests). @default process.env.LOG_LEVEL ?? 'info' */
  logLevel?: string;
  /**
   * The national gateway's ES256 public key (SPKI PEM): every GraphQL request must carry the
   * gateway's signed caller assertion (`x-p2p-caller`), whose caller the access rules judge.
   * @default process.env.GATEWAY_PUBLIC_KEY
   */
  gatewayPublicKey?: string;
  /**
   * A read-only key the province issued itself (SPKI PEM), for the conformance kit's `--read-only`
   * runs against this service: assertions it signs are served for GraphQL queries only.
   * @default process.env.CONFORMANCE_PUBLIC_KEY (none)
   */
  conformancePublicKey?: string;
  /**
   * Refuse to start without `gatewayPublicKey`, and refuse requests without a valid assertion.
   * `false` is for the province's own unit tests and for development (`ALLOW_UNSIGNED=1`), and
   * only in development mode: requests without an assertion are then served WITHOUT access rules.
   * @default process.env.ALLOW_UNSIGNED !== '1'
   */
  requireGatewaySignature?: boolean;
  /** How often committed statistics deltas are folded into the counters (`summary/fold.ts`). @default 1_000 */
  statisticsFoldIntervalMs?: number;
  /** How long outbox events and idempotency keys are kept (`retention/retention.ts`). @default DEFAULT_RETENTION (30 and 7 days) */
  retention?: Partial<RetentionPolicy>;
  /** Pause between retention passes. @default 3_600_000 (hourly; the first pass a minute after start) */
  retentionIntervalMs?: number;
  /**
   * The contract served: `previous` serves the previous minor's snapshot (`schema/sdl/previous/`)
   * with the same resolvers, standing in for the previous release in rolling-upgrade tests and
   * drills (`SERVED_CONTRACT`). Either way `_service { sdl }` declares its version (`@contract`).
   * @default 'current'
   */
  servedContract?: ContractRelease;
}

/** A running province service. */
export interface ProvinceService {
  province: string;
  /** Base URL without path, e.g. http://127.0.0.1:4100; subgraphs at `${url}/workers/graphql`… */
  url: string;
  /** The contract version it serves, e.g. `1.1`. */
  contract: string;
  /** `signed`: every request needs the gateway's signature; `unsigned`/`optional`: requests without one run without access rules. */
  signatureMode: 'signed' | 'optional' | 'unsigned';
  /** The listening server (WebSocket upgrades can be attached to it). */
  httpServer: Server;
  db: ProvinceDatabase;
  /** The background fold of the statistics deltas (`foldNow()` folds at once). */
  statistics: StatisticsFolder;
  /** The background retention of outbox events and idempotency keys (`pruneNow()` prunes at once). */
  retention: RetentionTask;
  /** The one-off re-telling of past trips' copies after an upgrade (`retellNow()` walks at once). */
  copyRetelling: CopyRetelling;
  log: Logger;
  /** Stops accepting requests, lets in-flight ones finish, closes the database. Idempotent. */
  close(): Promise<void>;
}

/**
 * Validates a province code: six digits naming a province of GB/T 2260.
 * @throws Error otherwise (a start-up error, not a GraphQL one).
 */
export function assertProvinceCode(code: string): string {
  if (!/^\d{2}0000$/.test(code) || findRegion(code)?.level !== 'PROVINCE') {
    throw new Error(
      `PROVINCE must be the six-digit code of a province (e.g. 450000 for Guangxi); got "${code}"`,
    );
  }
  return code;
}

/**
 * Starts a province service: opens its database (applying migrations), starts the `workers`,
 * `employment` and `transport` subgraphs and listens on one HTTP port. GraphQL requests must
 * carry the gateway's signed caller assertion (see `gatewayPublicKey`); `/health` is open.
 * @throws Error when no gateway public key is configured and `requireGatewaySignature` is not false;
 *   outside development mode, when `workerIdKey` is missing or the signature is not required.
 */
export async function startProvince(options: ProvinceOptions): Promise<ProvinceService> {
  const province = assertProvinceCode(options.province);
  const log =
    options.logger ??
    createLogger({ base: { province }, ...(options.logLevel ? { level: options.logLevel } : {}) });
  const development = options.development ?? developmentMode();
  const requireSignature = options.requireGatewaySignature ?? process.env.ALLOW_UNSIGNED !== '1';
  const configuredKey = options.workerIdKey ?? (process.env.WORKER_ID_KEY || undefined);
  if (!development) {
    // Worker ids are an HMAC of resident ID numbers: with the public development key anyone could
    // test a guessed ID number against an id.
    if (!configuredKey || configuredKey === DEV_WORKER_ID_KEY)
      requireSetting('WORKER_ID_KEY', 'the HMAC key of worker ids, the same secret in every province');
    if (!requireSignature)
      throw new Error(
        'ALLOW_UNSIGNED=1 serves requests without access rules and is refused outside development: set GATEWAY_PUBLIC_KEY, or P2P_DEV=1 / --dev for development only',
      );
  }
  const workerIdKey = configuredKey ?? DEV_WORKER_ID_KEY;
  if (workerIdKey === DEV_WORKER_ID_KEY) log.debug('using the development worker id key (development mode)');
  const admission = await createGatewayAdmission({
    province,
    publicKeyPem: options.gatewayPublicKey ?? (process.env.GATEWAY_PUBLIC_KEY || undefined),
    readOnlyPublicKeyPem: options.conformancePublicKey ?? (process.env.CONFORMANCE_PUBLIC_KEY || undefined),
    requireSignature,
    log,
  });
  const db = await openDatabase({
    databaseUrl: options.databaseUrl,
    pgliteDir: options.pgliteDir,
    poolSize: options.databasePoolSize,
    log,
  });
  log.debug({ driver: db.driver }, 'database ready, migrations applied');
  try {
    // A database restored from a backup restarts the event sequence: a new epoch (docs/backups.md).
    await settleEpoch(db.db, log);
  } catch (err) {
    await db.close();
    throw err;
  }
  let servers: Awaited<ReturnType<typeof startSubgraphServers>>;
  try {
    servers = await startSubgraphServers(log, options.servedContract);
  } catch (err) {
    await db.close();
    throw err;
  }
  const epidemic = { ...DEFAULT_EPIDEMIC_SETTINGS, ...options.epidemic };
  let feed: OutboxFeed | undefined;
  const relay = relayEndpoints({
    province,
    contextFor: () =>
      createContext({ province, db: db.db, workerIdKey, epidemic, log: log.child({ component: 'relay' }) }),
    admit: admission.admit,
    feed: () => {
      if (!feed) throw new Error('the outbox feed is not started yet');
      return feed;
    },
    retentionDays: { ...DEFAULT_RETENTION, ...options.retention }.outboxDays,
    log,
  });
  const httpServer = createHttpServer({
    servers,
    log,
    province,
    admit: admission.admit,
    relay,
    contextFor: (subgraph) =>
      createContext({ province, db: db.db, workerIdKey, epidemic, log: log.child({ subgraph }) }),
    async health() {
      const up = await db.ping();
      return {
        status: up ? 200 : 503,
        body: { status: up ? 'ok' : 'unavailable', province, database: up ? 'up' : 'down' },
      };
    },
  });
  let subscriptions: SubscriptionService;
  try {
    // graphql-ws at /transport/graphql and /employment/graphql on the same port (see subscriptions/).
    subscriptions = await startSubscriptionService({
      httpServer,
      database: db,
      log,
      admit: admission.admitSocket,
      ...(options.servedContract ? { servedContract: options.servedContract } : {}),
      contextFor: (subgraph) =>
        createContext({ province, db: db.db, workerIdKey, epidemic, log: log.child({ subgraph }) }),
    });
  } catch (err) {
    await stopSubgraphServers(servers);
    await db.close();
    throw err;
  }
  feed = subscriptions.feed;
  let url: string;
  try {
    url = await listen(httpServer, { port: options.port ?? 0, host: options.host });
  } catch (err) {
    await subscriptions.close();
    await stopSubgraphServers(servers);
    await db.close();
    throw err;
  }
  const statistics = startStatisticsFolder(db.db, {
    log,
    ...(options.statisticsFoldIntervalMs ? { intervalMs: options.statisticsFoldIntervalMs } : {}),
  });
  const retention = startRetention(db.db, {
    log,
    policy: { ...DEFAULT_RETENTION, ...options.retention },
    ...(options.retentionIntervalMs ? { intervalMs: options.retentionIntervalMs } : {}),
  });
  const copyRetelling = startCopyRetelling({
    contextFor: () =>
      createContext({
        province,
        db: db.db,
        workerIdKey,
        epidemic,
        log: log.child({ component: 'copy-retelling' }),
      }),
    log,
  });
  return {
    province,
    url,
    contract: formatContractVersion(contractVersionOf(options.servedContract ?? 'current')),
    signatureMode: admission.mode,
    statistics,
    retention,
    copyRetelling,
    httpServer,
    db,
    log,
    close: closeOnce(async () => {
      await subscriptions.close();
      await closeServer(httpServer);
      await stopSubgraphServers(servers);
      await statistics.stop();
      await retention.stop();
      await copyRetelling.stop();
      await db.close();
    }),
  };
}
