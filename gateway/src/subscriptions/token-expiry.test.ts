import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { endingAtExpiry } from './token-expiry.js';

/** A pending promise that counts the reactions attached to it and to the promises derived from it (as `Promise.race` attaches one per call). */
class CountedPromise extends Promise<undefined> {
  static reactions = 0;
  // biome-ignore lint/suspicious/noThenProperty: the double counts what is attached to the expiry
  override then<A = undefined, B = never>(
    onFulfilled?: ((value: undefined) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    CountedPromise.reactions++;
    return super.then(onFulfilled, onRejected);
  }
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
  it('should pass the events through and attach reactions to the expiry once, not once per read', async () => {
    CountedPromise.reactions = 0;
    const expired = new CountedPromise(() => {});
    const { stream } = numbers();
    const ending = endingAtExpiry(stream, expired, expiredError);
    for (let i = 0; i < 10; i++) expect((await ending.next()).value).toBe(i);
    const afterTen = CountedPromise.reactions;
    for (let i = 10; i < 1_000; i++) expect((await ending.next()).value).toBe(i);
    expect(CountedPromise.reactions).toBe(afterTen);
    expect(afterTen).toBeLessThanOrEqual(2);
  });

  it('should fail the read waiting at expiry, end the stream at once, and fail every later read', async () => {
    let expire = () => {};
    const expired = new Promise<void>((resolve) => (expire = resolve));
    const { stream, state } = silent();
    const ending = endingAtExpiry(stream, expired, expiredError);
    const waiting = ending.next();
    expire();
    await expect(waiting).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(state.returned).toBe(true);
    await expect(ending.next()).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('should end the stream when it is returned, and pass on a failure of the stream after ending it', async () => {
    const { stream, state } = numbers();
    const ending = endingAtExpiry(stream, new Promise<void>(() => {}), expiredError);
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
    await expect(endingAtExpiry(failing, new Promise<void>(() => {}), expiredError).next()).rejects.toThrow(
      'feed lost',
    );
    expect(returned).toBe(true);
  });

  it("should fail the reads with UNAUTHENTICATED when ending the stream fails at expiry, and a failed stream read with the end's error", async () => {
    let expire = () => {};
    const expired = new Promise<void>((resolve) => (expire = resolve));
    const breaking: AsyncIterableIterator<number> = {
      next: () => new Promise(() => {}),
      return: () => Promise.reject(new Error('release failed')),
      [Symbol.asyncIterator]: () => breaking,
    };
    const ending = endingAtExpiry(breaking, expired, expiredError);
    const waiting = ending.next();
    expire();
    await expect(waiting).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    await expect(ending.next()).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });

    const failingTwice: AsyncIterableIterator<number> = {
      next: () => Promise.reject(new Error('feed lost')),
      return: () => Promise.reject(new Error('release failed')),
      [Symbol.asyncIterator]: () => failingTwice,
    };
    await expect(
      endingAtExpiry(failingTwice, new Promise<void>(() => {}), expiredError).next(),
    ).rejects.toThrow('release failed');
  });
});
