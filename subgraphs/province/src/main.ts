#!/usr/bin/env node
/**
 * CLI of the province service:
 *   PROVINCE=450000 GATEWAY_PUBLIC_KEY="-----BEGIN PUBLIC KEY-----…" [PORT=4100] [HOST=127.0.0.1]
 *   [DATABASE_URL=postgres://…] [DATABASE_POOL_SIZE=10] [PGLITE_DIR=…] [WORKER_ID_KEY=…] [ALLOW_UNSIGNED=1 (development only)]
 *   [OUTBOX_RETENTION_DAYS=30] [IDEMPOTENCY_KEY_RETENTION_DAYS=7] (0 keeps them for ever)
 *   [FEVER_THRESHOLD=37.3] [NUCLEIC_ACID_VALID_DAYS=0] (epidemic control; 0: no test required)
 *   [SERVED_CONTRACT=current|previous] (previous: the previous contract minor, for upgrade drills)
 *   [CONFORMANCE_PUBLIC_KEY=…] (the province's own read-only key for the conformance kit: queries only)
 *   [HOSTED_PROVINCES='[{"PROVINCE":"110000","PORT":"4111",…},…]'] (several provinces in this
 *   process, each entry's variables over the others: `service-settings.ts`)
 *   node --conditions=source --import tsx subgraphs/province/src/main.ts
 * Secure by default: without GATEWAY_PUBLIC_KEY and WORKER_ID_KEY it refuses to start, naming
 * the missing setting, unless development mode is on (`P2P_DEV=1` or `--dev`, refused when
 * NODE_ENV=production): then the public development worker-id key and ALLOW_UNSIGNED=1 (every
 * request served without access rules) are allowed.
 * Prints one JSON line `{"level":"info","msg":"listening","province":…,"url":…}` per province once
 * it listens; SIGINT/SIGTERM close them all cleanly. A province that fails to start stops the
 * process (exit code 1) after closing those started.
 */
import { createLogger, startTracing } from '@p2p/runtime';
import { assertProvinceCode, startProvince, type ProvinceService } from './index.js';
import { hostedProvinceEnvs, provinceOptionsFromEnv } from './service-settings.js';

async function main(): Promise<void> {
  const envs = hostedProvinceEnvs(process.env);
  const provinces = envs.map((env) => assertProvinceCode(env.PROVINCE ?? ''));
  const log = createLogger(provinces.length === 1 ? { base: { province: provinces[0]! } } : {});
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/tracing.md); before the databases open,
  // so their statements are spans.
  const tracing = await startTracing({
    serviceName: provinces.length === 1 ? `p2p-province-${provinces[0]}` : 'p2p-province-host',
    logger: log,
  });
  const services: ProvinceService[] = [];
  let stopping: string | undefined;
  const closeAll = async () => {
    await Promise.all(services.map((service) => service.close()));
    await tracing.shutdown();
  };
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = signal;
    log.info({ signal }, 'stopping');
    closeAll().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err: { message: String((err as Error)?.message ?? err) } }, 'stop failed');
        process.exit(1);
      },
    );
  };
  // From the start: a signal while the provinces of a process start one by one closes those started.
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  for (const env of envs) {
    const provinceLog = provinces.length === 1 ? log : log.child({ province: env.PROVINCE });
    let service: ProvinceService;
    try {
      service = await startProvince(provinceOptionsFromEnv(env, provinceLog));
    } catch (err) {
      if (!stopping) await closeAll().catch(() => {});
      throw new Error(
        `${provinces.length === 1 ? '' : `province ${env.PROVINCE}: `}${String((err as Error)?.message ?? err)}`,
      );
    }
    services.push(service);
    if (stopping) {
      // Stopped while it started: the stop already closing the others closes it too.
      await service.close();
      return;
    }
    provinceLog.info({ url: service.url, contract: service.contract }, 'listening');
    if (service.signatureMode === 'unsigned')
      provinceLog.warn(
        'development mode, ALLOW_UNSIGNED=1 and no GATEWAY_PUBLIC_KEY: every request is served WITHOUT access rules',
      );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', msg: 'province failed to start', error: String((err as Error)?.message ?? err) })}\n`,
  );
  process.exit(1);
});
