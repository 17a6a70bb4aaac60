#!/usr/bin/env node
/**
 * Runs the national gateway: `node --conditions=source --import tsx gateway/src/main.ts`.
 * Settings come from the environment (see gatewayOptionsFromEnv); on listening it prints one line
 * `{"level":"info","msg":"listening","url":"http://127.0.0.1:4000/graphql"}` (with `adminUrl` when
 * ADMIN_PORT is set). Without real keys it refuses to start (exit 1, naming the missing setting)
 * unless P2P_DEV=1 or --dev is given. SIGINT/SIGTERM close it.
 */
import { createLogger, startTracing } from '@p2p/runtime';
import { gatewayOptionsFromEnv } from './config.js';
import { startGateway } from './index.js';

const logger = createLogger({ base: { component: 'gateway' } });

try {
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/tracing.md).
  const tracing = await startTracing({ serviceName: 'p2p-gateway', logger });
  const options = gatewayOptionsFromEnv();
  const gateway = await startGateway({ ...options, logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    gateway
      .close()
      .then(() => tracing.shutdown())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ error: (err as Error).message }, 'stop failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Written whatever LOG_LEVEL says: launchers wait for this line.
  const listening = { level: 'info', msg: 'listening', url: gateway.url, adminUrl: gateway.adminUrl };
  process.stdout.write(`${JSON.stringify(listening)}\n`);
} catch (err) {
  logger.error({ error: (err as Error).message }, 'gateway failed to start');
  process.exit(1);
}
