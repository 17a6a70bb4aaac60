import { destination, pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** pino level (`silent` in tests). @default process.env.LOG_LEVEL ?? 'info' */
  level?: string;
  /** Fields on every line, e.g. `{ component: 'gateway' }` or `{ province: '450000' }`. @default {} */
  base?: Record<string, string | number>;
  /** Where lines go (e.g. a test's capture). @default stdout */
  destination?: DestinationStream;
}

/**
 * The services' one structured logger: pino, one JSON line per event, `level` as a word, `msg`
 * and an ISO `time`. Argument order is pino's: `log.info({ url }, 'listening')`. Callers log
 * ids, codes, counts and durations only: never names, resident ID numbers, phones, tokens,
 * variables or bodies.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: options.base ?? {},
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? destination({ dest: 1, sync: true }),
  );
}

/** A logger that writes nothing (tests, library defaults). */
export const silentLogger: Logger = pino({ level: 'silent' });

/** The fields of an error that are safe to log (no driver detail, which can quote row values). */
export function safeError(err: unknown): { name: string; message: string; code?: string; stack?: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      name: err.name,
      message: err.message.slice(0, 500),
      ...(typeof code === 'string' ? { code } : {}),
      ...(err.stack ? { stack: err.stack } : {}),
    };
  }
  return { name: 'Error', message: String(err).slice(0, 500) };
}
