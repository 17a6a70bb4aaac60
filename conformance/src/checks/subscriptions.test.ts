import { describe, expect, it } from 'vitest';
import {
  cursorFromTheFuture,
  replayMismatch,
  subscriptionErrorCodes,
  subscriptionRefused,
} from './subscriptions.js';

describe('a replay (replayMismatch)', () => {
  it('should accept exactly the events after the cursor, in order', () => {
    expect(replayMismatch(['5', '6', '9'], ['5', '6', '9'])).toBeUndefined();
    expect(replayMismatch([], [])).toBeUndefined();
  });

  it('should name a missing, a repeated, an extra and a reordered event', () => {
    expect(replayMismatch(['5', '6', '9'], ['6', '9'])).toBe('missing 5');
    expect(replayMismatch(['5', '6'], ['5', '5', '6'])).toBe('cursor 5 came back twice');
    expect(replayMismatch(['6'], ['4', '6'])).toBe('events not after the cursor or unknown: 4');
    expect(replayMismatch(['5', '6'], ['6', '5'])).toBe('out of order: 6, 5 instead of 5, 6');
  });
});

describe('a cursor ahead of the sequence (cursorFromTheFuture)', () => {
  it('should keep the epoch and move the sequence ahead', () => {
    expect(cursorFromTheFuture('41')).toBe('1000041');
    expect(cursorFromTheFuture('k3x9:41', 10)).toBe('k3x9:51');
  });

  it('should refuse a cursor that is no sequence number', () => {
    expect(cursorFromTheFuture('eyJhIjoxfQ')).toBeUndefined();
  });
});

describe("a subscription's refusal (subscriptionErrorCodes)", () => {
  it('should read the codes of result errors, an error message array and a close event', () => {
    const codes = subscriptionErrorCodes([
      { message: 'x', extensions: { code: 'BAD_USER_INPUT' } },
      [{ message: 'y', extensions: { code: 'FORBIDDEN' } }],
      { message: 'closed 4403 Forbidden', code: 4403 },
    ]);
    expect(codes).toEqual(['BAD_USER_INPUT', 'FORBIDDEN', 'CLOSED 4403']);
    expect(subscriptionRefused(codes)).toBe(true);
    expect(subscriptionRefused(['CLOSED 1000', 'BAD_USER_INPUT'])).toBe(false);
  });
});
