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
 * `results` until the connection's credentials expire (`onExpiry` calls its listener); then the
 * stream is ended (`return()`, which releases its feeds), a read waiting at that moment and every
 * later one throw `error()`: graphql-ws sends it as the subscription's error.
 *
 * One listener per stream, never one per read (a `Promise.race` with an expiry promise on every
 * read leaves each read's reaction on the pending promise until the token expires: ~350 bytes a
 * read on Node 20, ~1.2 GB at 10,000 subscribers over a token of an hour), and it is removed as
 * soon as the stream ends: a subscription the client completed is not kept by its connection
 * until the token expires.
 */
export function endingAtExpiry<T>(
  stream: AsyncIterable<T>,
  onExpiry: (listener: () => void) => () => void,
  error: () => GraphQLError,
): AsyncIterableIterator<T> {
  const results = stream[Symbol.asyncIterator]();
  let failure: GraphQLError | undefined;
  /** Rejects the reads waiting now (graphql-ws has one at a time). */
  const waiting = new Set<(err: unknown) => void>();
  let ending: Promise<unknown> | undefined;
  let stopListening = () => {};
  /** Ends the stream once; every caller handles its failure (never an unhandled rejection). */
  const end = () => {
    stopListening();
    return (ending ??= Promise.resolve().then(() => results.return?.()));
  };
  stopListening = onExpiry(() => {
    end().catch(() => {}); // its failure does not matter here: the readers get the expiry's error
    const err = error();
    failure = err;
    for (const fail of waiting) fail(err);
    waiting.clear();
  });
  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (failure) return Promise.reject(failure);
      return new Promise<IteratorResult<T>>((resolve, reject) => {
        waiting.add(reject);
        results.next().then(
          (result) => {
            waiting.delete(reject);
            if (result.done) stopListening();
            resolve(result);
          },
          (err: unknown) => {
            waiting.delete(reject);
            // the stream failed: it is ended, and the read fails with its error (or with the end's)
            end().then(() => reject(err), reject);
          },
        );
      });
    },
    async return() {
      await end();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
