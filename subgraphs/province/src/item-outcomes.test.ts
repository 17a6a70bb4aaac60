import { hubError } from '@p2p/schema';
import { describe, expect, it } from 'vitest';
import { decodeOutcome, encodeOutcome, itemErrorOf } from './item-outcomes.js';

describe('the outcome of each item of a bulk mutation (#13.5)', () => {
  it('should give back what was stored: an id, or an error with its code and message', () => {
    for (const outcome of [
      { id: 'R11-abcdefgh12345678' },
      {
        error: {
          code: 'BAD_USER_INPUT',
          message: 'inputs[3].worker.phone: a mainland mobile number has 11 digits',
        },
      },
      { error: { code: 'FORBIDDEN', message: '"quoted" and ! marks' } },
    ])
      expect(decodeOutcome(encodeOutcome(outcome))).toEqual(outcome);
  });

  it("should take a hub error's code and message, and rethrow anything else", () => {
    expect(itemErrorOf(hubError('CONFLICT', 'it is ON_POST', { status: 'ON_POST' }))).toEqual({
      code: 'CONFLICT',
      message: 'it is ON_POST',
    });
    const unexpected = new Error('connection reset');
    expect(() => itemErrorOf(unexpected)).toThrow(unexpected);
  });
});
