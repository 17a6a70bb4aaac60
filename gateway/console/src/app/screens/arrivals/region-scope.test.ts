import { describe, expect, it } from 'vitest';
import { isInside, regionPrefix } from './region-scope.js';

describe('regionPrefix', () => {
  it('should drop the trailing zero pairs of a province or city code', () => {
    expect([regionPrefix('410000'), regionPrefix('110100'), regionPrefix('110105')]).toEqual([
      '41',
      '1101',
      '110105',
    ]);
  });
});

describe('isInside', () => {
  it('should tell a stop inside the officer region from one outside', () => {
    expect(isInside('110105003', '110105')).toBe(true);
    expect(isInside('110105', '110000')).toBe(true);
    expect(isInside('130730', '110000')).toBe(false);
  });
});
