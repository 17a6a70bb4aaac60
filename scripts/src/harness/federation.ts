import { randomBytes } from 'node:crypto';
/**
 * Starts a whole federation as real processes on loopback ports: the national subgraph, one
 * province service per province (each with its own database), then the gateway over them.
 * Used by every end-to-end test and by the dev launcher (`npm start`).
 */
import { availableParallelism } from 'node:os';
import { findRegion, generateGatewayKeyPair, type GatewayKeyPair } from '@p2p/schema';
import { federationTokens, type FederationTokens } from './federation-auth.js';
import { SERVICE_ENTRIES, startService, type OutputStream, type ServiceProcess } from './service-process.js';
import { createProvinceStorage, type ProvinceStorage } from './province-storage.js';
import { waitForRelay, type WaitForRelayOptions } from './relay-wait.js';
import type { RelayBacklog } from '@p2p/gateway';

/**
 * Node options of the processes that carry most of the work: the gateway and a process of several
 * provinces. A young generation of up to 64 MB instead of V8's 16 MB: at 10,000 subscribers the
 * gateway allocates ~50 MB/s, and scavenged 3 times a second for 12 ms on average (up to 55 ms),
 * each pause a stall of every event in flight; with 64 MB, 4 times fewer scavenges and half the
 * time in them (BENCHMARKS.md, "The gateway's young generation"). The same setting for a deployment:
 * `NODE_OPTIONS=--max-semi-space-size=64` (docs/operations.md).
 */
export const BUSY_SERVICE_NODE_ARGS: readonly string[] = ['--max-semi-space-size=64'];

/** What to start. */
export interface FederationOptions {
  /** Six-digit province codes, e.g. `['110000', '450000']`. */
  provinces: string[];
  /**
   * A PostgreSQL server URL: one database per province is created on it. Empty or absent
   * (and no DATABASE_URL in the env): PGlite.
   * @default process.env.DATABASE_URL
   */
  databaseUrl?: string;
  /** Extra env for every service (e.g. the `OTEL_*` tracing settings), under the per-service ones. */
  env?: Record<string, string>;
  /** Extra env for the gateway (auth, limits...). */
  gatewayEnv?: Record<string, string>;
  /** Extra env per province code (e.g. `{ '450000': { NUCLEIC_ACID_VALID_DAYS: '7' } }`). */
  provinceEnv?: Record<string, Record<string, string>>;
  /**
   * HS256 secret of the gateway's development tokens (`AUTH_JWT_SECRET`); {@link RunningFederation.tokenFor} signs with it.
   * @default process.env.AUTH_JWT_SECRET || DEV_JWT_SECRET
   */
  authSecret?: string;
  /**
   * The gateway's signing key pair: GATEWAY_SIGNING_KEY for the gateway, GATEWAY_PUBLIC_KEY for every province.
   * @default a fresh pair per federation (no private key is ever written to disk)
   */
  gatewayKeys?: GatewayKeyPair;
  /**
   * Keep province databases after close, named `<prefix>_<code>` and reused (dev launcher).
   * Absent: fresh `p2p_<random>_<code>` databases dropped in close().
   */
  persistentDatabasePrefix?: string;
  /** Keep PGlite data in `<dir>/<code>` across runs; absent: temp dirs removed in close(). */
  pgliteDir?: string;
  /**
   * Fixed ports; absent ones are picked by the OS (PORT=0).
   * @default {}
   */
  ports?: { national?: number; gateway?: number; provinces?: Record<string, number> };
  /**
   * Interface every service listens on.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * How long each service may take to print its `listening` line.
   * @default 60_000
   */
  readyTimeoutMs?: number;
  /**
   * Other entry files (relative to the repository root) for some services; the harness's own
   * tests start stubs this way.
   * @default SERVICE_ENTRIES
   */
  entries?: Partial<Record<keyof typeof SERVICE_ENTRIES, string>>;
  /**
   * How many provinces start at once. Each PGlite province runs initdb and migrations on first
   * start, which is CPU-heavy: starting more at once than there are cores only makes each of
   * them slower to become ready.
   * @default max(2, os.availableParallelism())
   */
  startConcurrency?: number;
  /**
   * Provinces served by one process (`HOSTED_PROVINCES` of the province service): the provinces
   * are started in processes of this many, in the order given, each province with its own port
   * and database. Above 1, a single province cannot be stopped or started on its own
   * ({@link RunningFederation.stopProvince} refuses).
   * @default 1
   */
  provincesPerProcess?: number;
  /** Receives every output line of every service (the dev launcher shows them). */
  onLog?: (service: string, line: string, stream: OutputStream) => void;
  /**
   * Node options for every service (e.g. `BUILT_RELEASE_GUARD_ARGS` for a built release).
   * @default []
   */
  nodeArgs?: readonly string[];
  /**
   * Development mode (`P2P_DEV=1`) for every service: the public development worker-id key and
   * JWT secret are accepted. `false` starts them as in production (each refuses without its keys).
   * @default true
   */
  development?: boolean;
}

/** A running federation. */
export interface RunningFederation {
  /** `http://127.0.0.1:<port>/graphql` */
  gatewayUrl: string;
  /** `http://127.0.0.1:<port>/graphql` */
  nationalUrl: string;
  /** Base URL (no path) of each province service, by province code. */
  provinceUrls: Record<string, string>;
  /** Where each province keeps its data (database or directory), by province code. */
  provinceStorage: Record<string, string>;
  /**
   * Stops a province process (its data stays): SIGTERM, and SIGKILL after `graceMs` (0: killed at
   * once, in the middle of whatever it does).
   */
  stopProvince(code: string, options?: { graceMs?: number }): Promise<void>;
  /**
   * Starts a stopped province again at the same URL over the same data; no-op when it runs.
   * `env` is added on top of its `provinceEnv` from this start on (e.g. `{ SERVED_CONTRACT:
   * 'current' }`: the province "is upgraded").
   */
  startProvince(code: string, options?: { env?: Record<string, string> }): Promise<void>;
  /**
   * Stops and starts the gateway at the same URL; `env` is added to the gateway's env for this
   * start only (e.g. `{ RELAY: 'off' }`: a benchmark lets a relay backlog build up).
   */
  restartGateway(options?: { env?: Record<string, string> }): Promise<void>;
  /**
   * Starts another gateway process over the same provinces and national, with the federation's
   * keys, secret and admin token and its own port (a second replica behind a load balancer);
   * `env` is added to the gateway's env. Stopped by {@link close} or by its own `stop()`.
   */
  startGatewayReplica(options?: { env?: Record<string, string> }): Promise<ServiceProcess>;
  /** Stops every process and drops the data that is not kept; idempotent. */
  close(): Promise<void>;
  /** A development token the gateway accepts, e.g. `tokenFor('city', '450200')`, `tokenFor('ministry')`. */
  tokenFor: FederationTokens['tokenFor'];
  /** `{ authorization: 'Bearer …' }` for the same arguments as {@link tokenFor}. */
  authorization: FederationTokens['authorization'];
  /** The gateway key pair of this federation (tests sign or forge caller assertions with it). */
  gatewayKeys: GatewayKeyPair;
  /** The gateway's `ADMIN_TOKEN` (random per federation): `Authorization: Bearer …` for `/metrics` and `/health/details`. */
  adminToken: string;
  /**
   * Resolves once every relay event committed so far in any province has been applied by its
   * target province (the gateway's `/relay/backlog`, see `relay-wait.ts`).
   */
  waitForRelay(options?: WaitForRelayOptions): Promise<RelayBacklog>;
}

/**
 * Checks the province list: distinct six-digit codes of GB/T 2260 provinces.
 * @throws Error naming the bad code.
 */
export function assertProvinceCodes(codes: string[]): void {
  if (codes.length === 0) throw new Error('startFederation: at least one province is needed');
  const seen = new Set<string>();
  for (const code of codes) {
    if (findRegion(code)?.level !== 'PROVINCE')
      throw new Error(`startFederation: ${code} is not a province code (e.g. 450000)`);
    if (seen.has(code)) throw new Error(`startFederation: province ${code} listed twice`);
    seen.add(code);
  }
}

/**
 * Runs `start` over `items`, at most `limit` at a time; settles when all have settled and
 * rejects with the first failure.
 */
async function inWaves<T>(
  items: readonly T[],
  limit: number,
  start: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await start(items[next++]!);
    }),
  );
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Starts national and the provinces, then the gateway; on any failure stops what started. */
export async function startFederation(options: FederationOptions): Promise<RunningFederation> {
  assertProvinceCodes(options.provinces);
  const host = options.host ?? '127.0.0.1';
  const databaseUrl = (options.databaseUrl ?? process.env.DATABASE_URL) || undefined;
  const storage = new Map<string, ProvinceStorage>();
  const provinces = new Map<string, ServiceProcess>();
  const provincePorts = new Map<string, number>();
  const provinceUrlOf = new Map<string, string>();
  const perProcess = Math.max(1, Math.floor(options.provincesPerProcess ?? 1));
  const provinceEnv = new Map(Object.entries(options.provinceEnv ?? {}));
  let national: ServiceProcess | undefined;
  let gateway: ServiceProcess | undefined;
  let gatewayPort = options.ports?.gateway ?? 0;

  const entries = { ...SERVICE_ENTRIES, ...options.entries };
  const keys = options.gatewayKeys ?? (await generateGatewayKeyPair());
  const tokens = federationTokens(options.authSecret);
  const adminToken = randomBytes(24).toString('base64url');
  const development = options.development ?? true;
  /** `busy`: the gateway, or a process of several provinces ({@link BUSY_SERVICE_NODE_ARGS}). */
  const launch = (
    name: string,
    entry: string,
    env: Record<string, string>,
    { listeners = 1, busy = false }: { listeners?: number; busy?: boolean } = {},
  ) =>
    startService({
      name,
      entry,
      listeners,
      env: { HOST: host, ...(development ? { P2P_DEV: '1' } : {}), ...options.env, ...env },
      // The caller's options last: they may override the busy ones.
      nodeArgs: [...(busy ? BUSY_SERVICE_NODE_ARGS : []), ...(options.nodeArgs ?? [])],
      ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
      ...(options.onLog
        ? { onLine: (line: string, stream: OutputStream) => options.onLog!(name, line, stream) }
        : {}),
    });

  /** A province's own settings: its code, port (the one it had, on a restart), storage and extra env. */
  const provinceSettings = (code: string): Record<string, string> => ({
    PROVINCE: code,
    PORT: String(provincePorts.get(code) ?? options.ports?.provinces?.[code] ?? 0),
    ...storage.get(code)!.env,
    ...provinceEnv.get(code),
  });

  const launchProvince = async (code: string) => {
    const service = await launch(`province ${code}`, entries.province, {
      GATEWAY_PUBLIC_KEY: keys.publicKeyPem,
      ...provinceSettings(code),
    });
    provinces.set(code, service);
    provincePorts.set(code, service.port);
    provinceUrlOf.set(code, service.url);
  };

  /** Several provinces in one process: each its own entry of HOSTED_PROVINCES. */
  const launchProvinceGroup = async (codes: readonly string[]) => {
    const hosted = codes.map(provinceSettings);
    const service = await launch(
      `provinces ${codes.join(',')}`,
      entries.province,
      { GATEWAY_PUBLIC_KEY: keys.publicKeyPem, HOSTED_PROVINCES: JSON.stringify(hosted) },
      { listeners: codes.length, busy: true },
    );
    for (const code of codes) {
      const line = service.listening.find((l) => l.province === code);
      if (!line) {
        await service.stop();
        throw new Error(`provinces ${codes.join(',')}: no listening line for ${code}`);
      }
      provinces.set(code, service);
      provinceUrlOf.set(code, line.url);
    }
  };

  const provinceBaseUrls = () =>
    Object.fromEntries([...provinceUrlOf].map(([code, url]) => [code, url.replace(/\/+$/, '')]));

  const replicas: ServiceProcess[] = [];
  const gatewayEnv = (extraEnv: Record<string, string>, port: number) => ({
    AUTH_JWT_SECRET: tokens.secret,
    GATEWAY_SIGNING_KEY: keys.privateKeyPem,
    ADMIN_TOKEN: adminToken,
    ...options.gatewayEnv,
    ...extraEnv,
    PORT: String(port),
    PROVINCES: Object.entries(provinceBaseUrls())
      .map(([code, url]) => `${code}=${url}`)
      .join(','),
    NATIONAL_URL: national!.url,
  });
  const launchGateway = async (extraEnv: Record<string, string> = {}) => {
    gateway = await launch('gateway', entries.gateway, gatewayEnv(extraEnv, gatewayPort), { busy: true });
    gatewayPort = gateway.port;
  };

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await Promise.all([...replicas, ...(gateway ? [gateway] : [])].map((s) => s.stop()));
      await Promise.all(
        [...new Set(provinces.values()), ...(national ? [national] : [])].map((s) => s.stop()),
      );
      const drops = await Promise.allSettled([...storage.values()].map((s) => s.drop()));
      const failed = drops.find((d): d is PromiseRejectedResult => d.status === 'rejected');
      if (failed) throw failed.reason;
    })());

  try {
    for (const code of options.provinces) {
      storage.set(
        code,
        await createProvinceStorage({
          province: code,
          ...(databaseUrl ? { databaseUrl } : {}),
          ...(options.persistentDatabasePrefix !== undefined
            ? { persistentDatabasePrefix: options.persistentDatabasePrefix }
            : {}),
          ...(options.pgliteDir ? { pgliteDir: options.pgliteDir } : {}),
        }),
      );
    }
    const nationalStarted = launch('national', entries.national, {
      PORT: String(options.ports?.national ?? 0),
    }).then((s) => {
      national = s;
    });
    const concurrency = options.startConcurrency ?? Math.max(2, availableParallelism());
    const provincesStarted =
      perProcess === 1
        ? inWaves(options.provinces, concurrency, launchProvince)
        : inWaves(
            Array.from({ length: Math.ceil(options.provinces.length / perProcess) }, (_, i) =>
              options.provinces.slice(i * perProcess, (i + 1) * perProcess),
            ),
            concurrency,
            launchProvinceGroup,
          );
    const results = await Promise.allSettled([nationalStarted, provincesStarted]);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    await launchGateway();
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }

  const provinceUrls = provinceBaseUrls();
  return {
    gatewayUrl: gateway!.url,
    nationalUrl: national!.url,
    provinceUrls,
    provinceStorage: Object.fromEntries([...storage].map(([code, s]) => [code, s.description])),
    async stopProvince(code, stopOptions) {
      const province = provinces.get(code);
      if (!province) throw new Error(`stopProvince: ${code} is not part of this federation`);
      if (perProcess > 1)
        throw new Error('stopProvince: provinces share processes (provincesPerProcess > 1)');
      await province.stop(stopOptions?.graceMs);
    },
    async startProvince(code, startOptions) {
      const province = provinces.get(code);
      if (!province) throw new Error(`startProvince: ${code} is not part of this federation`);
      if (perProcess > 1)
        throw new Error('startProvince: provinces share processes (provincesPerProcess > 1)');
      if (!province.exited) return;
      if (startOptions?.env) provinceEnv.set(code, { ...provinceEnv.get(code), ...startOptions.env });
      await launchProvince(code);
    },
    async restartGateway(restartOptions) {
      await gateway?.stop();
      await launchGateway(restartOptions?.env);
    },
    async startGatewayReplica(replicaOptions) {
      const replica = await launch(
        'gateway replica',
        entries.gateway,
        gatewayEnv(replicaOptions?.env ?? {}, 0),
        { busy: true },
      );
      replicas.push(replica);
      return replica;
    },
    close,
    tokenFor: tokens.tokenFor,
    authorization: tokens.authorization,
    gatewayKeys: keys,
    adminToken,
    waitForRelay: (waitOptions) => waitForRelay(gateway!.url, adminToken, waitOptions),
  };
}
