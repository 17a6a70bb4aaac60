/**
 * The end of a connection whose credentials expire: a timer at the token's `exp` marks the
 * connection expired; every subscription on it then ends with an UNAUTHENTICATED error (its
 * feeds released at once), and the socket is closed with 4403 (ws-server.ts). Without this an
 * officer whose token expired (or was withdrawn by a short lifetime) would go on receiving
 * passengers' personal data for as long as the connection lives.
 */
import { hubError } from '@p2p/schema';
import type { GraphQLError } from 'graphql';

/** setTimeout's longest delay (~24.8 days); longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `expire` at `expiresAt` (epoch ms); returns the function that cancels it (call it on close). */
export function atExpiry(expiresAt: number, expire: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const wait = expiresAt - Date.now();
    if (wait <= 0) return expire();
    timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/** UNAUTHENTICATED: the connection's token expired at `expiresAt` (epoch ms). */
export function tokenExpired(expiresAt: number | undefined): GraphQLError {
  const at = expiresAt === undefined ? '' : ` at ${new Date(expiresAt).toISOString()}`;
  return hubError(
    'UNAUTHENTICATED',
    `the token of this connection expired${at}; reconnect with a new token and subscribe again with your last cursor`,
  );
}

/**
 * `results` until `expired` resolves; then the stream is ended (`return()`, which releases its
 * feeds) and the next read throws `error()`: graphql-ws sends it as the subscription's error.
 */
export function endingAtExpiry<T>(
  stream: AsyncIterable<T>,
  expired: Promise<void>,
  error: () => GraphQLError,
): AsyncIterableIterator<T> {
  const results = stream[Symbol.asyncIterator]();
  const expiry = expired.then((): IteratorResult<T> => {
    throw error();
  });
  expiry.catch(() => {}); // read only by `next`: never an unhandled rejection
  let ended = false;
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      try {
        return await Promise.race([results.next(), expiry]);
      } catch (err) {
        if (!ended) {
          ended = true;
          await results.return?.();
        }
        throw err;
      }
    },
    async return() {
      ended = true;
      await results.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
