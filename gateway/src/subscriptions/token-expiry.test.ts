import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { endingAtExpiry } from './token-expiry.js';

/** A connection's expiry as `ConnectionState.onExpiry` offers it, with its live listeners in view. */
function expiry() {
  const listeners = new Set<() => void>();
  return {
    listeners,
    onExpiry: (listener: () => void) => {
      const entry = () => listener();
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
    expire: () => {
      for (const listener of [...listeners]) listener();
      listeners.clear();
    },
  };
}

/** An endless stream of numbers; `returned` once it was ended. */
function numbers() {
  let n = 0;
  const state = { returned: false };
  const stream: AsyncIterableIterator<number> = {
    next: async () => (state.returned ? { value: undefined, done: true } : { value: n++, done: false }),
    return: async () => {
      state.returned = true;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => stream,
  };
  return { stream, state };
}

/** A stream that never yields (a client waiting for its next event). */
function silent() {
  const state = { returned: false, wake: () => {} };
  const stream: AsyncIterableIterator<number> = {
    next: () => new Promise((resolve) => (state.wake = () => resolve({ value: undefined, done: true }))),
    return: async () => {
      state.returned = true;
      state.wake();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => stream,
  };
  return { stream, state };
}

const expiredError = () => new GraphQLError('expired', { extensions: { code: 'UNAUTHENTICATED' } });

describe('endingAtExpiry', () => {
  it('should pass the events through with one expiry listener, not one per read', async () => {
    const connection = expiry();
    const { stream } = numbers();
    const ending = endingAtExpiry(stream, connection.onExpiry, expiredError);
    for (let i = 0; i < 1_000; i++) expect((await ending.next()).value).toBe(i);
    expect(connection.listeners.size).toBe(1);
  });

  it('should remove its listener when the stream ends, whether returned, done or failed (the connection does not keep it until expiry)', async () => {
    const returned = expiry();
    await endingAtExpiry(numbers().stream, returned.onExpiry, expiredError).return?.();
    expect(returned.listeners.size).toBe(0);

    const done = expiry();
    const { stream, state } = silent();
    const ending = endingAtExpiry(stream, done.onExpiry, expiredError);
    const waiting = ending.next();
    state.wake(); // the stream ends on its own (the client stream ended: a slow consumer, a restore)
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(done.listeners.size).toBe(0);

    const failed = expiry();
    const failing: AsyncIterableIterator<number> = {
      next: () => Promise.reject(new Error('feed lost')),
      return: async () => ({ value: undefined, done: true }),
      [Symbol.asyncIterator]: () => failing,
    };
    await expect(endingAtExpiry(failing, failed.onExpiry, expiredError).next()).rejects.toThrow('feed lost');
    expect(failed.listeners.size).toBe(0);
  });

  it('should fail the read waiting at expiry, end the stream at once, and fail every later read', async () => {
    const connection = expiry();
    const { stream, state } = silent();
    const ending = endingAtExpiry(stream, connection.onExpiry, expiredError);
    const waiting = ending.next();
    connection.expire();
    await expect(waiting).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(state.returned).toBe(true);
    await expect(ending.next()).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('should end the stream when it is returned, and pass on a failure of the stream after ending it', async () => {
    const { stream, state } = numbers();
    const ending = endingAtExpiry(stream, expiry().onExpiry, expiredError);
    expect(await ending.return?.()).toEqual({ value: undefined, done: true });
    expect(state.returned).toBe(true);

    let returned = false;
    const failing: AsyncIterableIterator<number> = {
      next: () => Promise.reject(new Error('feed lost')),
      return: async () => {
        returned = true;
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => failing,
    };
    await expect(endingAtExpiry(failing, expiry().onExpiry, expiredError).next()).rejects.toThrow(
      'feed lost',
    );
    expect(returned).toBe(true);
  });

  it("should fail the reads with UNAUTHENTICATED when ending the stream fails at expiry, and a failed stream read with the end's error", async () => {
    const connection = expiry();
    const breaking: AsyncIterableIterator<number> = {
      next: () => new Promise(() => {}),
      return: () => Promise.reject(new Error('release failed')),
      [Symbol.asyncIterator]: () => breaking,
    };
    const ending = endingAtExpiry(breaking, connection.onExpiry, expiredError);
    const waiting = ending.next();
    connection.expire();
    await expect(waiting).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    await expect(ending.next()).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });

    const failingTwice: AsyncIterableIterator<number> = {
      next: () => Promise.reject(new Error('feed lost')),
      return: () => Promise.reject(new Error('release failed')),
      [Symbol.asyncIterator]: () => failingTwice,
    };
    await expect(endingAtExpiry(failingTwice, expiry().onExpiry, expiredError).next()).rejects.toThrow(
      'release failed',
    );
  });
});
