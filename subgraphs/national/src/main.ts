#!/usr/bin/env node
/**
 * CLI of the national subgraph. Env: PORT (default 4001; 0 = any free port), HOST (default
 * 127.0.0.1). Prints one JSON line `{"level":"info","msg":"listening","url":...}` when ready
 * and stops cleanly on SIGINT/SIGTERM.
 */
import { createLogger, integerFromEnv, startTracing, type Tracing } from '@p2p/runtime';
import { startNational, type RunningNational } from './index.js';

const logger = createLogger({ base: { component: 'national' } });

let port: number;
try {
  port = integerFromEnv('PORT', { max: 65_535 }) ?? 4001;
} catch (error) {
  logger.error({ error: String((error as Error).message) }, 'bad setting');
  process.exit(2);
}

let national: RunningNational | undefined;
let tracing: Tracing | undefined;
let stopping = false;

/** Stops on the first signal, even one that arrives while starting or right after `listening`. */
function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  (national?.close() ?? Promise.resolve())
    .then(() => tracing?.shutdown())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ error: String(error) }, 'stop failed');
        process.exit(1);
      },
    );
}
// Installed before the `listening` line: a launcher may signal as soon as it reads it.
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/tracing.md).
  tracing = await startTracing({ serviceName: 'p2p-national', logger });
  national = await startNational({ port, host: process.env.HOST || '127.0.0.1', logger });
  // Written whatever LOG_LEVEL says: launchers wait for this line.
  if (!stopping)
    process.stdout.write(`${JSON.stringify({ level: 'info', msg: 'listening', url: national.url })}\n`);
  else await national.close();
} catch (error) {
  logger.error({ error: String(error) }, 'failed to start');
  process.exit(1);
}
