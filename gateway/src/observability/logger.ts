/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Fields of a log line: codes, counts, durations, never personal data, variables or bodies. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** A structured logger writing one JSON object per line. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written. @default process.env.LOG_LEVEL ?? 'info' */
  level?: LogLevel;
  /** Where lines go. @default process.stdout */
  write?: (line: string) => void;
  /** Fields added to every line, e.g. `{ component: 'gateway' }`. */
  base?: LogFields;
}

/**
 * A JSON-lines logger: `{"level":"info","msg":"listening","url":"..."}`. Callers pass only
 * operational fields (province codes, subgraph names, durations, counts, error codes).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = RANK[options.level ?? (process.env.LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? RANK.info;
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = (level: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: LogFields) => {
    if (RANK[level] < min) return;
    write(JSON.stringify({ level, msg, ...options.base, ...fields, time: new Date().toISOString() }));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that writes nothing (tests). */
export const silentLogger: Logger = createLogger({ level: 'silent' });
