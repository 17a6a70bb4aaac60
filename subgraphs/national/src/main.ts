/**
 * CLI of the national subgraph. Env: PORT (default 4001; 0 = any free port), HOST (default
 * 127.0.0.1). Prints one JSON line `{"level":"info","msg":"listening","url":...}` when ready
 * and stops cleanly on SIGINT/SIGTERM.
 */
import { startNational, type RunningNational } from './index.js';

/** Logs one JSON line on stdout (stderr for errors). */
function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
}

const port = Number(process.env.PORT ?? 4001);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  log('error', 'PORT must be an integer between 0 and 65535', { port: process.env.PORT });
  process.exit(2);
}

let national: RunningNational | undefined;
let stopping = false;

/** Stops on the first signal, even one that arrives while starting or right after `listening`. */
function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  log('info', 'stopping', { signal });
  (national?.close() ?? Promise.resolve()).then(
    () => process.exit(0),
    (error: unknown) => {
      log('error', 'stop failed', { error: String(error) });
      process.exit(1);
    },
  );
}
// Installed before the `listening` line: a launcher may signal as soon as it reads it.
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  national = await startNational({ port, host: process.env.HOST || '127.0.0.1' });
  if (!stopping) log('info', 'listening', { url: national.url });
  else await national.close();
} catch (error) {
  log('error', 'failed to start', { error: String(error) });
  process.exit(1);
}
