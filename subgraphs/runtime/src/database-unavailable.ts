/**
 * Tells a database that is unavailable from a bug: a service whose PostgreSQL refuses connections
 * (too many clients on a shared server, shutting down, unreachable, a pool that cannot connect in
 * time) answers PROVINCE_UNAVAILABLE, which says what happened and that a retry may work, not
 * INTERNAL_SERVER_ERROR.
 */

/** SQLSTATE classes and codes of a database that cannot serve now (PostgreSQL, Appendix A). */
const UNAVAILABLE_SQLSTATE: readonly [RegExp, string][] = [
  [/^08/, 'connection failure'],
  [/^53300$/, 'too many connections'],
  [/^53/, 'out of resources'],
  [/^57P0[1-3]$/, 'shutting down or starting up'],
];

/** Node's socket errors on the way to the database. */
const NETWORK_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

/** node-postgres' own messages when it cannot get or keep a connection. */
const POOL_MESSAGES: readonly [RegExp, string][] = [
  [/timeout exceeded when trying to connect/i, 'no free connection in time'],
  [/Connection terminated/i, 'connection lost'],
  [/Client has encountered a connection error/i, 'connection lost'],
  [/is not currently accepting connections/i, 'not accepting connections'],
];

/**
 * Why `error` means the database is unavailable (a short phrase without the error's own text, which
 * may name hosts), or undefined when it is anything else. Looks through `cause` chains.
 */
export function databaseUnavailableReason(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') {
      for (const [pattern, reason] of UNAVAILABLE_SQLSTATE) if (pattern.test(code)) return reason;
      if (NETWORK_ERRNO.has(code)) return 'unreachable';
    }
    if (typeof message === 'string')
      for (const [pattern, reason] of POOL_MESSAGES) if (pattern.test(message)) return reason;
    e = cause ?? (e as { originalError?: unknown }).originalError;
  }
  return undefined;
}
