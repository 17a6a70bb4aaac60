import { destination, pino, type DestinationStream, type Logger } from 'pino';
import { traceLogFields } from './trace-spans.js';

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
 * and an ISO `time`; a line written inside a traced operation carries its `trace_id` and
 * `span_id` (trace-spans.ts). Argument order is pino's: `log.info({ url }, 'listening')`. Callers log
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
      mixin: traceLogFields,
    },
    options.destination ?? destination({ dest: 1, sync: true }),
  );
}

/** A logger that writes nothing (tests, library defaults). */
export const silentLogger: Logger = pino({ level: 'silent' });

/** Where a failed statement's parameters start in the message of drizzle-orm's `DrizzleQueryError`. */
const PARAMS_MARK = '\nparams: ';

/**
 * The message and stack of an error without the parameters of a failed statement: drizzle-orm's
 * `DrizzleQueryError` (every failed query) appends them to its message, hence to its stack, and
 * they are row values (names, resident ID numbers, phones, health data).
 */
function withoutStatementParams(err: Error): { message: string; stack?: string } {
  const at = err.message.indexOf(PARAMS_MARK);
  if (at < 0 && (err as { params?: unknown }).params === undefined)
    return { message: err.message, stack: err.stack };
  const message = at < 0 ? err.message : `${err.message.slice(0, at)}${PARAMS_MARK}[not logged]`;
  const head = `${err.name}: ${err.message}`;
  const frames = err.stack?.startsWith(head)
    ? err.stack.slice(head.length)
    : `\n${(err.stack ?? '')
        .split('\n')
        .filter((line) => /^\s+at /.test(line))
        .join('\n')}`;
  return { message, stack: `${err.name}: ${message}${frames}` };
}

/**
 * The fields of an error that are safe to log: no driver detail, which can quote row values, and
 * no statement parameters (see {@link withoutStatementParams}); the database's error code when a
 * failed statement wraps it (`cause.code`).
 */
export function safeError(err: unknown): { name: string; message: string; code?: string; stack?: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code ?? (err.cause as { code?: unknown } | undefined)?.code;
    const { message, stack } = withoutStatementParams(err);
    return {
      name: err.name,
      message: message.slice(0, 500),
      ...(typeof code === 'string' ? { code } : {}),
      ...(stack ? { stack } : {}),
    };
  }
  return { name: 'Error', message: String(err).slice(0, 500) };
}
