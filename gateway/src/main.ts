/**
 * Runs the national gateway: `node --conditions=source --import tsx gateway/src/main.ts`.
 * Settings come from the environment (see gatewayOptionsFromEnv); on listening it prints one line
 * `{"level":"info","msg":"listening","url":"http://127.0.0.1:4000/graphql"}`. SIGINT/SIGTERM close it.
 */
import { gatewayOptionsFromEnv } from './config.js';
import { startGateway } from './index.js';
import { createLogger } from './observability/logger.js';

const logger = createLogger({ base: { component: 'gateway' } });

try {
  const options = gatewayOptionsFromEnv();
  const gateway = await startGateway({ ...options, logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    gateway.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('stop failed', { error: (err as Error).message });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.stdout.write(`${JSON.stringify({ level: 'info', msg: 'listening', url: gateway.url })}\n`);
} catch (err) {
  logger.error('gateway failed to start', { error: (err as Error).message });
  process.exit(1);
}
