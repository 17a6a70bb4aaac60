#!/usr/bin/env node
/**
 * CLI of the province service:
 *   PROVINCE=450000 GATEWAY_PUBLIC_KEY="-----BEGIN PUBLIC KEY-----…" [PORT=4100] [HOST=127.0.0.1]
 *   [DATABASE_URL=postgres://…] [DATABASE_POOL_SIZE=10] [PGLITE_DIR=…] [WORKER_ID_KEY=…] [ALLOW_UNSIGNED=1 (development only)]
 *   [OUTBOX_RETENTION_DAYS=30] [IDEMPOTENCY_KEY_RETENTION_DAYS=7] (0 keeps them for ever)
 *   [FEVER_THRESHOLD=37.3] [NUCLEIC_ACID_VALID_DAYS=0] (epidemic control; 0: no test required)
 *   [SERVED_CONTRACT=current|previous] (previous: the previous contract minor, for upgrade drills)
 *   [CONFORMANCE_PUBLIC_KEY=…] (the province's own read-only key for the conformance kit: queries only)
 *   node --conditions=source --import tsx subgraphs/province/src/main.ts
 * Secure by default: without GATEWAY_PUBLIC_KEY and WORKER_ID_KEY it refuses to start, naming
 * the missing setting, unless development mode is on (`P2P_DEV=1` or `--dev`, refused when
 * NODE_ENV=production): then the public development worker-id key and ALLOW_UNSIGNED=1 (every
 * request served without access rules) are allowed.
 * Prints one JSON line `{"level":"info","msg":"listening","province":…,"url":…}` once listening;
 * SIGINT/SIGTERM close it cleanly.
 */
import { choiceFromEnv, createLogger, developmentMode, integerFromEnv, startTracing } from '@p2p/runtime';
import { epidemicSettingsFromEnv } from './health/epidemic-settings.js';
import { assertProvinceCode, startProvince } from './index.js';

async function main(): Promise<void> {
  const province = assertProvinceCode(process.env.PROVINCE ?? '');
  const development = developmentMode();
  const log = createLogger({ base: { province } });
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/tracing.md); before the database opens,
  // so its statements are spans.
  const tracing = await startTracing({ serviceName: `p2p-province-${province}`, logger: log });
  const service = await startProvince({
    province,
    port: integerFromEnv('PORT', { max: 65_535 }) ?? 4100,
    host: process.env.HOST || '127.0.0.1',
    databaseUrl: process.env.DATABASE_URL || undefined,
    databasePoolSize: integerFromEnv('DATABASE_POOL_SIZE', { min: 1, max: 1000 }),
    retention: Object.fromEntries(
      (
        [
          ['outboxDays', 'OUTBOX_RETENTION_DAYS'],
          ['idempotencyKeyDays', 'IDEMPOTENCY_KEY_RETENTION_DAYS'],
        ] as const
      )
        .map(([key, name]) => [key, integerFromEnv(name, { max: 36_500 })])
        .filter(([, days]) => days !== undefined),
    ),
    pgliteDir: process.env.PGLITE_DIR || undefined,
    workerIdKey: process.env.WORKER_ID_KEY || undefined,
    epidemic: epidemicSettingsFromEnv(),
    servedContract: choiceFromEnv('SERVED_CONTRACT', ['current', 'previous'] as const) ?? 'current',
    development,
    logger: log,
  });
  log.info({ url: service.url, contract: service.contract }, 'listening');
  if (service.signatureMode === 'unsigned')
    log.warn(
      'development mode, ALLOW_UNSIGNED=1 and no GATEWAY_PUBLIC_KEY: every request is served WITHOUT access rules',
    );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    service
      .close()
      .then(() => tracing.shutdown())
      .then(
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
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', msg: 'province failed to start', error: String((err as Error)?.message ?? err) })}\n`,
  );
  process.exit(1);
});
