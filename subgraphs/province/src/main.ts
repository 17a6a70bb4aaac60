/**
 * CLI of the province service:
 *   PROVINCE=450000 GATEWAY_PUBLIC_KEY="-----BEGIN PUBLIC KEY-----…" [PORT=4100] [HOST=127.0.0.1]
 *   [DATABASE_URL=postgres://…] [DATABASE_POOL_SIZE=10] [PGLITE_DIR=…] [WORKER_ID_KEY=…] [ALLOW_UNSIGNED=1 (development only)]
 *   [OUTBOX_RETENTION_DAYS=30] [IDEMPOTENCY_KEY_RETENTION_DAYS=7] (0 keeps them for ever)
 *   node --conditions=source --import tsx subgraphs/province/src/main.ts
 * Without GATEWAY_PUBLIC_KEY it refuses to start, unless ALLOW_UNSIGNED=1 (refused when
 * NODE_ENV=production): then every request is served without access rules. With
 * NODE_ENV=production it also refuses to start without WORKER_ID_KEY.
 * Prints one JSON line `{"level":"info","msg":"listening","province":…,"url":…}` once listening;
 * SIGINT/SIGTERM close it cleanly.
 */
import { assertProvinceCode, startProvince } from './index.js';
import { createLogger } from './logger.js';

/** Reads an optional integer setting `name` within min..max (absent or empty: undefined, the default applies). */
function integerFromEnv(name: string, min: number, max: number): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be a number from ${min} to ${max}; got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const province = assertProvinceCode(process.env.PROVINCE ?? '');
  if (process.env.ALLOW_UNSIGNED === '1' && process.env.NODE_ENV === 'production') {
    throw new Error('ALLOW_UNSIGNED=1 is refused when NODE_ENV=production: set GATEWAY_PUBLIC_KEY');
  }
  // Worker ids are an HMAC of resident ID numbers: with the public development key anyone could
  // test a guessed ID number against an id.
  if (!process.env.WORKER_ID_KEY && process.env.NODE_ENV === 'production') {
    throw new Error('WORKER_ID_KEY must be set when NODE_ENV=production (the same secret in every province)');
  }
  const log = createLogger({ province });
  const service = await startProvince({
    province,
    port: integerFromEnv('PORT', 0, 65_535) ?? 4100,
    host: process.env.HOST || '127.0.0.1',
    databaseUrl: process.env.DATABASE_URL || undefined,
    databasePoolSize: integerFromEnv('DATABASE_POOL_SIZE', 1, 1000),
    retention: Object.fromEntries(
      (
        [
          ['outboxDays', 'OUTBOX_RETENTION_DAYS'],
          ['idempotencyKeyDays', 'IDEMPOTENCY_KEY_RETENTION_DAYS'],
        ] as const
      )
        .map(([key, name]) => [key, integerFromEnv(name, 0, 36_500)])
        .filter(([, days]) => days !== undefined),
    ),
    pgliteDir: process.env.PGLITE_DIR || undefined,
    workerIdKey: process.env.WORKER_ID_KEY || undefined,
    logger: log,
  });
  log.info({ url: service.url }, 'listening');
  if (service.signatureMode === 'unsigned')
    log.warn(
      'ALLOW_UNSIGNED=1 and no GATEWAY_PUBLIC_KEY: every request is served WITHOUT access rules (development only)',
    );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    service.close().then(
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
