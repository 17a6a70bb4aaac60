/**
 * A second hub gateway of a benchmark run, over chosen provinces reached through
 * {@link DelayProxy delaying proxies} (and national through one): the same code and settings as the
 * run's gateway (its token secret, signing key and bench settings), only its province URLs differ.
 * The scatter scenario starts one over every province and one over a single province ("asked
 * alone"), and reads each one's CPU time from /proc by its pid. It runs no relay (`RELAY=off`): the
 * run's gateway carries it, so this one's CPU is its requests' and its health checks'.
 */
import { readFileSync } from 'node:fs';
import { DEV_JWT_SECRET } from '@p2p/gateway';
import {
  BUSY_SERVICE_NODE_ARGS,
  SERVICE_ENTRIES,
  startService,
  type ServiceProcess,
} from '../harness/index.js';
import type { BenchHub } from './bench-hub.js';
import { BENCH_GATEWAY_SETTINGS } from './bench-auth.js';
import { GraphQLClient } from './graphql-client.js';
import { cpuMsFromStat } from './service-usage.js';
import type { DelayProxy } from './delay-proxy.js';

/** A running proxied gateway and a client of it. */
export interface ProxiedGateway {
  client: GraphQLClient;
  service: ServiceProcess;
  /** CPU milliseconds the gateway process used so far (/proc). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Options of {@link startProxiedGateway}. */
export interface ProxiedGatewayOptions {
  hub: BenchHub;
  /** Province code → its proxy. */
  provinces: ReadonlyMap<string, DelayProxy>;
  national: DelayProxy;
  /** `PROVINCE_TIMEOUT_MS` of this gateway. */
  provinceTimeoutMs: number;
  /** Keep-alive connections of the client. */
  connections: number;
  /** A label for messages. */
  name: string;
  /**
   * Node options of the gateway process, e.g. `['--cpu-prof', '--cpu-prof-dir', dir]` (the scatter
   * scenario passes those when `BENCH_CPU_PROF_DIR` is set).
   * @default []
   */
  nodeArgs?: readonly string[];
}

/** Starts a gateway over the proxies and a client of it. */
export async function startProxiedGateway(options: ProxiedGatewayOptions): Promise<ProxiedGateway> {
  const { hub } = options;
  const service = await startService({
    name: options.name,
    entry: SERVICE_ENTRIES.gateway,
    env: {
      HOST: '127.0.0.1',
      PORT: '0',
      P2P_DEV: '1',
      AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET || DEV_JWT_SECRET,
      GATEWAY_SIGNING_KEY: hub.federation.gatewayKeys.privateKeyPem,
      ADMIN_TOKEN: hub.federation.adminToken,
      ...BENCH_GATEWAY_SETTINGS,
      // The run's own gateway carries the relay: this one's CPU is the requests' alone.
      RELAY: 'off',
      PROVINCE_TIMEOUT_MS: String(options.provinceTimeoutMs),
      PROVINCES: [...options.provinces].map(([code, proxy]) => `${code}=${proxy.url}`).join(','),
      NATIONAL_URL: options.national.url,
    },
    readyTimeoutMs: 120_000,
    // As the federation's gateway (harness/federation.ts).
    nodeArgs: [...BUSY_SERVICE_NODE_ARGS, ...(options.nodeArgs ?? [])],
  });
  const client = new GraphQLClient(service.url, {
    connections: options.connections,
    headersFor: hub.auth.headersFor,
  });
  const pid = service.child.pid!;
  return {
    client,
    service,
    cpuMs() {
      try {
        return cpuMsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return 0;
      }
    },
    async stop() {
      await client.close();
      await service.stop();
    },
  };
}
