import { pino, type Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** pino level (`silent` in tests). @default process.env.LOG_LEVEL ?? 'info' */
  level?: string;
  province: string;
}

/**
 * The province's structured JSON logger (one line per event on stdout, `level` as a word).
 * Callers log ids, codes and counts only: never names, resident ID numbers or phones.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino({
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { province: options.province },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

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
