import { describe, expect, it } from 'vitest';
import { assertResidentId, maskIdentifier, residentIdCheckDigit, residentIdFrom } from './resident-id.js';

const withCheck = (first17: string) => first17 + residentIdCheckDigit(first17);

describe('resident ID number (GB 11643)', () => {
  it('should compute the check digit of a published example', () => {
    // GB 11643-1999 appendix example: 11010519491231002X
    expect(residentIdCheckDigit('11010519491231002')).toBe('X');
    expect(assertResidentId('11010519491231002x')).toBe('11010519491231002X');
  });

  it('should compose a valid number from an address (first six digits of a region), a birth date and a sequence', () => {
    const id = residentIdFrom('450203001', '19900101', 7);
    expect(id.slice(0, 17)).toBe('45020319900101007');
    expect(id[17]).toBe(residentIdCheckDigit(id));
    expect(assertResidentId(id)).toBe(id);
  });

  it('should reject a wrong check digit, bad length, letters and impossible birth dates', () => {
    const good = withCheck('45020319900101123');
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    for (const bad of [
      wrong,
      good.slice(0, 17),
      `${good}1`,
      'A'.repeat(18),
      withCheck('45020319900230123'),
      withCheck('45020330000101123'),
    ]) {
      expect(() => assertResidentId(bad)).toThrowError(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
      );
    }
  });

  it('should mask all but the first and last four characters', () => {
    expect(maskIdentifier('11010519491231002X')).toBe('1101**********002X');
    expect(maskIdentifier('13800138000')).toBe('1380***8000');
  });
});
